"""Pieces of the benchmark that can be checked without a million members: the built-in load
client against a loopback server, and the report that rewrites only its part of the page."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from unionhub_dev.bench import report
from unionhub_dev.bench.database import Sizes
from unionhub_dev.bench.load import LoadResult, _python


async def test_the_builtin_load_client_counts_answers_and_stops_in_time() -> None:
    seen: list[str] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ")[1].decode()
                seen.append(path)
                if path == "/chunked":
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        b"5\r\nhello\r\n0\r\n\r\n"
                    )
                else:
                    status = b"404 Not Found" if path == "/missing" else b"200 OK"
                    writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        result = await _python(
            f"http://127.0.0.1:{port}",
            ["/a", "/chunked", "/missing"],
            "token",
            seconds=5,
            connections=2,
            max_requests=60,
        )
    finally:
        server.close()
        await server.wait_closed()
    assert result.requests == 60 == len(seen)
    assert result.bad_status == seen.count("/missing") > 0 and result.io_errors == 0
    assert 0 < result.p50 <= result.p95 <= result.p99 <= result.max
    assert set(seen) == {"/a", "/chunked", "/missing"}


def _results() -> report.Results:
    r = report.Results(
        started=datetime(2026, 11, 29, 21, 0, tzinfo=UTC),
        sizes=Sizes(1_000_000, 1594, 1400, 50_000, 11_000, 1200),
        database="unionhub_bench",
        workers=1,
        connections=4,
        seconds=15,
        max_requests=20_000,
        tool="wrk",
    )
    fast = LoadResult(100, 1.0, 0, 0, 5.0, 9.0, 12.0, 20.0, "wrk")
    slow = LoadResult(100, 1.0, 0, 0, 40.0, 80.0, 90.0, 99.0, "wrk")
    r.rows = [report.Row("list", "mytho", fast, slow, 50)]
    r.import_result = {
        "ok": True,
        "rows": 100_000,
        "file_mib": 9.0,
        "validate_seconds": 5.0,
        "commit_seconds": 20.0,
        "seconds": 25.0,
    }
    r.rss_peaks_mib = {"start": 150.0, "import": 210.0}
    return r


def test_the_table_judges_each_goal() -> None:
    rows = report.table(_results())
    assert rows[1][-1] == "ok / MISS"
    assert rows[2][-1] == "25.0 s MISS"
    assert rows[3][0] == "backend peak RSS (during import)" and rows[3][-1] == "210 MiB ok"


def test_the_doc_keeps_what_was_written_by_hand(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    report.write_doc(doc, _results())
    first = doc.read_text()
    assert first.startswith("# Benchmarks") and "1,000,000 members" in first
    doc.write_text("Intro by hand.\n\n" + first + "\n## Analysis by hand\n")
    later = _results()
    later.started = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    report.write_doc(doc, later)
    text = doc.read_text()
    assert text.startswith("Intro by hand.") and text.rstrip().endswith("## Analysis by hand")
    assert "2026-12-01 09:30" in text and "2026-11-29 21:00" not in text
    assert text.count(report.START) == text.count(report.END) == 1
