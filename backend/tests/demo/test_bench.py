"""Pieces of the benchmark that can be checked without a million members: the built-in load
client against a loopback server, and the report that rewrites only its part of the page."""

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest
from sqlalchemy.engine import make_url

from unionhub_dev.bench import __main__ as bench_main
from unionhub_dev.bench import database, report
from unionhub_dev.bench.database import Sizes
from unionhub_dev.bench.load import LoadResult, _python
from unionhub_dev.bench.workload import (
    Scenario,
    answer_each,
    cancel_leftovers,
    register_changing,
)


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


async def test_leftover_queries_are_cancelled_but_not_the_job_queues(database_url: str) -> None:
    # Between scenarios the bench cancels the statements of requests the load tool gave up on.
    # A queue worker's statement is not one: cancelling its periodic deferrer's once stopped
    # the worker, and the import phase waited for a job nobody ran.
    u = make_url(database_url)
    dsn = f"postgresql://{u.username or 'postgres'}@{u.host or '127.0.0.1'}:{u.port or 5432}"
    dsn += f"/{u.database}"
    request, queue, monitor = [
        await asyncpg.connect(dsn, server_settings={"application_name": name})
        for name in ("", "unionhub-bench", "monitor")
    ]
    try:
        sleep = "SELECT pg_sleep(1.5) IS NULL"
        sleeps = [asyncio.create_task(c.fetchval(sleep)) for c in (request, queue)]
        running = 0
        for _ in range(200):
            running = await monitor.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND query LIKE 'SELECT pg_sleep%'"
            )
            if running == 2:
                break
            await asyncio.sleep(0.01)
        assert running == 2
        assert await cancel_leftovers(database_url) == 1
        with pytest.raises(asyncpg.QueryCanceledError):
            await sleeps[0]
        assert await sleeps[1] is False  # the queue's statement ran to its end
    finally:
        for c in (request, queue, monitor):
            await c.close()


async def test_the_register_changing_moves_the_figures_stamp_until_the_block_ends(
    database_url: str,
) -> None:
    # The overview measured "while the register changes": the stamp moves all the time, so
    # no figures kept at one stamp serve the next request; the bench's sweep of leftover
    # statements between runs does not stop it.
    u = make_url(database_url)
    dsn = f"postgresql://{u.username or 'postgres'}@{u.host or '127.0.0.1'}:{u.port or 5432}"
    conn = await asyncpg.connect(f"{dsn}/{u.database}")
    stamp = "SELECT last_value FROM figures_stamp"
    try:
        with register_changing(database_url) as bumps:
            first = await conn.fetchval(stamp)
            await asyncio.sleep(0.2)
            await cancel_leftovers(database_url)
            await asyncio.sleep(0.2)
            during = await conn.fetchval(stamp)
        assert bumps[0] > 20
        assert during > first
        after = await conn.fetchval(stamp)
        await asyncio.sleep(0.1)
        assert await conn.fetchval(stamp) == after
    finally:
        await conn.close()


async def test_the_bench_vacuums_every_table_not_only_the_members(database_url: str) -> None:
    # This machine's PostgreSQL runs with autovacuum off: what a run's imports leave in the
    # counts, the feed or the audit links stays until someone vacuums it. The bench vacuums
    # the whole database (before measuring, and after removing an import's members).
    u = make_url(database_url)
    dsn = f"postgresql://{u.username or 'postgres'}@{u.host or '127.0.0.1'}:{u.port or 5432}"
    dsn += f"/{u.database}"
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("CREATE TABLE bench_vacuum_probe (n int PRIMARY KEY, pad text)")
        await conn.execute(
            "INSERT INTO bench_vacuum_probe SELECT n, repeat('x', 200) "
            "FROM generate_series(1, 5000) n"
        )
        await conn.execute("DELETE FROM bench_vacuum_probe WHERE n % 2 = 0")
        probe = (
            "SELECT relpages, relallvisible, reltuples FROM pg_class "
            "WHERE oid = 'bench_vacuum_probe'::regclass"
        )
        assert (await conn.fetchrow(probe))["relallvisible"] == 0
        assert await database.vacuum(database_url) >= 0
        pages, visible, tuples = await conn.fetchrow(probe)
        assert pages > 0 and visible == pages and tuples == 2500
    finally:
        await conn.execute("DROP TABLE IF EXISTS bench_vacuum_probe")
        await conn.close()


def _load(p50: float, p95: float, requests: int = 100) -> LoadResult:
    return LoadResult(requests, 1.0, 0, 0, p50, p95, p95 + 1, p95 + 2, "wrk")


def test_rounds_give_the_median_of_each_percentile_and_of_the_paired_ratios() -> None:
    row = report.Row("search", "tinh", key="search")
    # Round 2 ran in a slow window for the project: one round, not the answer.
    for mine, floor in ((2.0, 2.0), (5.0, 2.5), (2.2, 2.0)):
        row.store("project", True, _load(mine, 2 * mine))
        row.store("floor", True, _load(floor, 2 * floor))
    for mine, floor in ((400, 500), (300, 500), (450, 500)):
        row.store("floor", False, _load(1.0, 2.0, floor))
        row.store("project", False, _load(1.0, 2.0, mine))
    assert row.single is not None and row.single.p50 == 2.2 and row.single.requests == 300
    assert row.ratio("single", "p50") == pytest.approx(1.1)
    assert row.ratio("loaded", "throughput") == pytest.approx(0.8)
    assert row.ratios() == "1.10x / 1.10x / 0.80x (3 rounds, p50 1.00-2.00x)"


def test_one_round_keeps_the_plain_ratio() -> None:
    row = report.Row("list", "mytho", key="list_district")
    row.store("project", True, _load(3.0, 6.0))
    row.store("floor", True, _load(2.0, 4.0))
    row.store("floor", False, _load(1.0, 2.0, 200))
    row.store("project", False, _load(1.0, 2.0, 100))
    assert row.ratios() == "1.50x / 1.50x / 0.50x"


def test_each_side_goes_first_as_often_on_one_connection_and_on_several() -> None:
    turns = bench_main._turns(4, 4)
    assert [c for _, c in turns] == [1, 4] * 4
    firsts = [(t % 2, c) for t, c in turns]
    assert firsts.count((0, 1)) == firsts.count((1, 1)) == 2
    assert firsts.count((0, 4)) == firsts.count((1, 4)) == 2
    assert [t // 2 for t, _ in turns] == [0, 0, 1, 1, 2, 2, 3, 3]


def test_the_table_judges_each_scope_search_against_the_grassroots_union() -> None:
    r = _results()
    for key, p50 in (("search", 3.0), ("search_grassroots", 2.0), ("search_district", 3.2)):
        row = report.Row(key, "x", _load(p50, 2 * p50), _load(p50, 2 * p50), 60, key=key)
        r.rows.append(row)
    [line] = [row for row in report.table(r) if row[0].startswith("name search by scope")]
    assert "province 1.50x, district 1.60x" in line[0]
    assert line[-2:] == ["<= 1.5x", "1.60x MISS"]
    r.rows[-1].single = _load(2.9, 5.8)
    [line] = [row for row in report.table(r) if row[0].startswith("name search by scope")]
    assert line[-1] == "1.50x ok"


def test_the_warm_up_ends_with_each_path_answered_once_in_full() -> None:
    seen: list[tuple[str, str]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers["authorization"]))
        return httpx.Response(404 if request.url.path == "/gone" else 200, json={})

    paths = ["/a", "/gone", *(f"/p{i}" for i in range(60))]
    statuses = answer_each("http://bench", paths, "tok", transport=httpx.MockTransport(handle))
    # The first 50 paths, each once, in order, signed in: a scenario of many paths (names
    # searched) keeps no answer and is not walked whole.
    assert [p for p, _ in seen] == paths[:50]
    assert {auth for _, auth in seen} == {"Bearer tok"}
    assert statuses == [200, 404, *([200] * 48)]


def test_the_measured_run_starts_after_the_warm_ups_leftovers_are_cancelled_and_answered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The kept progress's one slow request per run (2.0 s among 6 ms ones): the measured run
    began while the warm-up's abandoned requests were still computing the answer to keep."""
    calls: list[str] = []

    def load(base_url: str, paths: list[str], token: str, **kw: Any) -> LoadResult:
        calls.append(f"load {base_url} {kw['seconds']}s")
        return LoadResult(1, 1.0, 0, 0, 1.0, 1.0, 1.0, 1.0, "python")

    async def cancel(url: str) -> int:
        calls.append(f"cancel {url}")
        return 0

    def answer(base_url: str, paths: list[str], token: str) -> list[int]:
        calls.append(f"answer {base_url} {paths}")
        return [200]

    monkeypatch.setattr(bench_main, "run_load", load)
    monkeypatch.setattr(bench_main.workload, "cancel_leftovers", cancel)
    monkeypatch.setattr(bench_main.workload, "answer_each", answer)
    server = SimpleNamespace(base_url="http://api", database_url="db", phase=lambda _: None)
    args = SimpleNamespace(warmup=2.0, seconds=6.0, connections=4, max_requests=0, rounds=1)
    sc = Scenario("progress_05", "progress", "tinh", ["/progress"], floor=False)
    row = SimpleNamespace(store=lambda *a: None)
    bench_main._measure(args, server, [("project", server)], sc, row, "tok", "python")
    assert calls[:3] == ["load http://api 2.0s", "cancel db", "answer http://api ['/progress']"]
    assert calls[3] == "load http://api 6.0s"


async def test_the_bench_folds_the_subtree_sums_before_it_vacuums(database_url: str) -> None:
    # Rows a build or an import appended to the subtree sums are folded first: folded after
    # the VACUUM (by the worker, each minute), they would stay dead for the whole run.
    u = make_url(database_url)
    dsn = f"postgresql://{u.username or 'postgres'}@{u.host or '127.0.0.1'}:{u.port or 5432}"
    dsn += f"/{u.database}"
    union_id = uuid.uuid4()
    rows = (
        "SELECT n, folded FROM member_subtree_totals WHERE union_id = $1 "
        "AND status = 'active' AND gender = 'female'"
    )
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "INSERT INTO member_subtree_totals (union_id, status, gender, n) "
            "VALUES ($1, 'active', 'female', 2), ($1, 'active', 'female', 3)",
            union_id,
        )
        assert sorted(tuple(r) for r in await conn.fetch(rows, union_id)) == [
            (2, False),
            (3, False),
        ]
        assert await database.vacuum(database_url) >= 0
        assert [tuple(r) for r in await conn.fetch(rows, union_id)] == [(5, True)]
    finally:
        await conn.execute("DELETE FROM member_subtree_totals WHERE union_id = $1", union_id)
        await conn.close()
