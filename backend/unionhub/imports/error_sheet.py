"""The bad rows of an import as a workbook, with a "Lỗi" column saying (in Vietnamese, quoting
the offending cell) what is wrong.

Officers fix the rows in this file and upload it again. The rows are copied from the uploaded
file (re-read, streamed), so they are exactly as the officer wrote them.
"""

from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from typing import Any

from starlette.concurrency import run_in_threadpool

from unionhub.imports.messages import vietnamese
from unionhub.imports.models import ImportJob
from unionhub.imports.readers import open_rows
from unionhub.imports.service import SHEETS, importer_for, sniffed_of
from unionhub.imports.sheets import TableStream
from unionhub.imports.xlsx_reader import Cell
from unionhub.imports.xlsx_writer import ColumnFormat

ERROR_HEADER = "Lỗi"
_BATCH = 2_000


def _messages(job: ImportJob) -> tuple[dict[int, list[str]], list[str]]:
    by_row: dict[int, list[str]] = defaultdict(list)
    general: list[str] = []
    header_row = (job.result or {}).get("header_row")
    for err in job.errors or []:
        # In Vietnamese from the code and params: the stored message is the API's English.
        text = vietnamese(err["code"], err.get("params"), err.get("column"))
        row = err.get("row")
        if row is None or row == header_row:
            general.append(text)
        else:
            by_row[int(row)].append(text)
    return by_row, general


class _Reader:
    """Walks the uploaded file in a worker thread, picking the header and the bad rows."""

    def __init__(self, job: ImportJob, wanted: dict[int, list[str]]) -> None:
        assert job.content is not None
        self.rows: Iterator[tuple[int, list[Cell]]] = open_rows(job.content, sniffed_of(job))
        self.header_row = (job.result or {}).get("header_row")
        self.wanted = wanted
        self.header: list[Cell] | None = None

    def next_batch(self) -> list[list[Cell]]:
        out: list[list[Cell]] = []
        for number, cells in self.rows:
            if number == self.header_row:
                self.header = cells
            elif number in self.wanted:
                out.append([*cells, "; ".join(self.wanted[number])])
                if len(out) >= _BATCH:
                    break
        return out


async def error_workbook(job: ImportJob) -> AsyncIterator[bytes]:
    by_row, general = _messages(job)
    reader = _Reader(job, by_row)
    # The header row comes first in the file: read up to it before writing anything.
    first = await run_in_threadpool(reader.next_batch)
    # A file whose header was not found: a register's template headers (a sheet's columns
    # depend on its record: the file's own row 1 is all there is).
    fallback = (
        [] if job.kind in SHEETS else [c.header for c in importer_for(job.kind).layout.columns]
    )
    found = reader.header or fallback
    header: list[str] = [str(h) if h is not None else "" for h in found]
    width = max([len(header), *(len(r) - 1 for r in first)])
    header += [""] * (width - len(header))
    titles: list[Any] = [*header, ERROR_HEADER]
    columns = [ColumnFormat(width=18, kind="general")] * width + [ColumnFormat(60, "general")]
    table = TableStream("xlsx", [str(t) for t in titles], columns, "Lỗi")

    def pad(rows: list[list[Cell]]) -> list[list[Cell]]:
        out = []
        for r in rows:
            cells = r[:-1][:width]
            out.append([*cells, *([None] * (width - len(cells))), r[-1]])
        return out

    yield table.start()
    if general:
        yield table.add([[*([None] * width), "; ".join(general)]])
    batch = first
    while batch:
        yield await run_in_threadpool(table.add, pad(batch))
        batch = await run_in_threadpool(reader.next_batch)
    yield table.finish()
