"""Crafted files are refused fast and with bounded memory, each with its own error code.

Each file is read the way a validation reads it (`sniff`, then `open_rows`); time and the
peak of Python allocations (tracemalloc: the inflated XML, the row buffers and the values
are all Python objects) are measured around it. Before these bounds, one 240 MB row without
its closing tag, in a 3 MB upload, took 38 s and 1.3 GB.
"""

import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import API, build_world, upload, xlsx_bytes
from unionhub.imports import sources
from unionhub.imports.readers import FileRejected, open_rows, sniff
from unionhub_dev.bench.attack import SHEET_HEAD, SHEET_TAIL, endless_row, noise, workbook

# Generous for a 2-core machine shared with other work; the unbounded reader took 38 s.
MAX_SECONDS = 5.0
MAX_PEAK_BYTES = 64 << 20


@dataclass
class Refusal:
    code: str
    detail: str
    seconds: float
    peak: int


def refuse(content: bytes, name: str = "ds.xlsx", traced: bool = True) -> Refusal:
    """Read the file twice: timed, then with tracemalloc (which slows allocations down)."""

    def read() -> FileRejected:
        with pytest.raises(FileRejected) as exc:
            for _ in open_rows(content, sniff(content, name)):
                pass
        return exc.value

    started = time.perf_counter()
    rejected = read()
    seconds = time.perf_counter() - started
    if not traced:
        assert seconds < MAX_SECONDS
        return Refusal(rejected.code, rejected.detail or "", seconds, 0)
    tracemalloc.start()
    try:
        rejected = read()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    refusal = Refusal(rejected.code, rejected.detail or "", seconds, peak)
    assert refusal.seconds < MAX_SECONDS, refusal
    assert refusal.peak < MAX_PEAK_BYTES, refusal
    return refusal


@pytest.fixture(scope="module")
def issue_file() -> bytes:
    """The file of the report: about 3 MB, one 240 MB row without a closing tag."""
    return workbook(endless_row(240 << 20))


def test_the_reported_file_is_refused_fast(issue_file: bytes) -> None:
    assert len(issue_file) < 6 << 20
    refused = refuse(issue_file)
    # The row is larger than a worksheet part may be: refused from the zip directory alone.
    assert refused.code == "file_zip_bomb"
    assert "xl/worksheets/sheet1.xml" in refused.detail


def test_a_row_without_end_is_refused_after_a_few_megabytes() -> None:
    # Small enough for the part limit: the row bound refuses it.
    refused = refuse(workbook(endless_row(100 << 20)))
    assert refused.code == "file_row_too_large"
    assert "Row 2" in refused.detail


def test_a_huge_cell_is_refused() -> None:
    text = b"x" * 40_000
    inline = workbook(
        iter(
            [
                SHEET_HEAD
                + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
                + text
                + b"</t></is></c></row>"
                + SHEET_TAIL
            ]
        )
    )
    assert refuse(inline).code == "file_cell_too_large"
    shared = workbook(
        iter([SHEET_HEAD + b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + SHEET_TAIL]),
        {
            "xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><si><t>'
            + noise(200_000, 3).replace(b"<", b"_")
            + b"</t></si></sst>"
        },
    )
    assert refuse(shared).code == "file_cell_too_large"


def test_too_many_columns_are_refused() -> None:
    cells = b"".join(b"<c><v>%d</v></c>" % i for i in range(600))
    content = workbook(iter([SHEET_HEAD + b'<row r="2">' + cells + b"</row>" + SHEET_TAIL]))
    refused = refuse(content)
    assert refused.code == "file_too_many_columns"
    assert "Row 2" in refused.detail


def test_too_many_rows_are_refused() -> None:
    def rows() -> Iterator[bytes]:
        yield SHEET_HEAD
        for start in range(2, 205_000, 5_000):
            yield b"".join(
                b'<row r="%d"><c r="B%d"><v>%d</v></c></row>' % (n, n, n)
                for n in range(start, start + 5_000)
            )
        yield SHEET_TAIL

    # Streamed like the other files (bounded memory); tracemalloc would make 200,000 rows slow.
    assert refuse(workbook(rows()), traced=False).code == "too_many_rows"
    # A row numbered past Excel's last row.
    far = workbook(
        iter([SHEET_HEAD + b'<row r="2000000"><c r="A2000000"><v>1</v></c></row>' + SHEET_TAIL])
    )
    assert refuse(far).code == "too_many_rows"


def test_a_deep_compression_ratio_is_refused() -> None:
    # 30 MB of one repeated cell packs 1000 times smaller than it inflates.
    cell = b"<c><v>1</v></c>"
    content = workbook(
        iter([SHEET_HEAD, b'<row r="2">', cell * (30_000_000 // len(cell)), b"</row>", SHEET_TAIL])
    )
    assert len(content) < 200_000
    assert refuse(content).code == "file_zip_bomb"


def test_a_shared_strings_bomb_is_refused() -> None:
    strings = b"".join(b"<si><t>%d</t></si>" % n for n in range(1_300_000))
    content = workbook(
        iter([SHEET_HEAD + SHEET_TAIL]),
        {
            "xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main">' + strings + b"</sst>"
        },
    )
    assert refuse(content).code == "file_too_many_strings"


def test_csv_with_an_endless_line_or_cell_is_refused() -> None:
    line = "Họ và tên;Ngày sinh\n".encode() + b"a" * (19 << 20)
    assert refuse(line, "ds.csv").code == "file_row_too_large"
    cell = "Họ và tên;Ngày sinh\n".encode() + b'"' + b"a" * 200_000 + b'"\n'
    assert refuse(cell, "ds.csv").code == "file_cell_too_large"


async def test_a_crafted_upload_fails_its_job_with_the_reason(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    r = await upload(factory.client, w.officer_a, workbook(endless_row(100 << 20)), wait=False)
    assert r.status_code == 202, r.text
    await runner.drain()
    job = (await factory.client.get(f"{API}/{r.json()['id']}", headers=w.officer_a)).json()
    assert job["status"] == "failed"
    assert [e["code"] for e in job["errors"]] == ["file_row_too_large"]
    # The reported file: refused at the upload, before any job.
    r = await upload(factory.client, w.officer_a, workbook(endless_row(240 << 20)))
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "file_zip_bomb"


async def test_a_validation_has_a_time_limit(
    factory: Factory, db: AsyncSession, runner: QueueRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await build_world(factory)
    monkeypatch.setattr(sources, "MAX_PASS_SECONDS", -1)
    r = await upload(factory.client, w.officer_a, xlsx_bytes([["Họ và tên"], ["An"]]))
    assert r.json()["status"] == "failed"
    assert [e["code"] for e in r.json()["errors"]] == ["validation_timeout"]
