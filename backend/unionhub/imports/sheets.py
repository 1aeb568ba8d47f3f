"""Writing tables as .xlsx or .csv, streamed: templates, exports and error reports."""

import csv
import io
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import date, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool

from unionhub.core.attachments import attachment
from unionhub.imports.headers import Column
from unionhub.imports.values import FORMULA_START
from unionhub.imports.xlsx_reader import Cell
from unionhub.imports.xlsx_writer import STYLE_HEADER, ColumnFormat, XlsxStreamWriter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


def formats(columns: Sequence[Column]) -> list[ColumnFormat]:
    return [ColumnFormat(width=c.width, kind=c.kind) for c in columns]


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    # A cell starting with = + - @ runs as a formula when Excel opens the CSV; the apostrophe
    # keeps it text (and the importer drops it again).
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_chunk(rows: Sequence[Sequence[Cell]], *, bom: bool = False) -> bytes:
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8")


class TableStream:
    """A title block (if any: lines of text, then an empty row), the header, then batches of
    rows, as bytes of one format. `numbered`: the first column is the row number (STT)."""

    def __init__(
        self,
        fmt: str,
        headers: Sequence[str],
        columns: Sequence[ColumnFormat],
        sheet_name: str = "Sheet1",
        *,
        title: Sequence[str] = (),
        numbered: bool = True,
    ) -> None:
        self.fmt = fmt
        self.headers = list(headers)
        self.title = list(title)
        self.numbered = numbered
        above = len(self.title) + 1 if self.title else 0
        self.xlsx = (
            XlsxStreamWriter(columns, sheet_name, frozen_rows=above + 1) if fmt == "xlsx" else None
        )

    def start(self) -> bytes:
        block: list[list[Cell]] = [[line] for line in self.title]
        if block:
            block.append([])
        if self.xlsx is None:
            return csv_chunk([*block, self.headers], bom=True)
        out = self.xlsx.start()
        if block:
            # The union and the list's name in bold, the rest plain.
            out += self.xlsx.add(block[:2], style=STYLE_HEADER) + self.xlsx.add(block[2:], style=0)
        return out + self.xlsx.header(self.headers)

    def add(self, rows: Sequence[Sequence[Cell]]) -> bytes:
        if self.xlsx is None:
            return csv_chunk(rows)
        return self.xlsx.add(rows)

    def finish(self) -> bytes:
        return self.xlsx.finish() if self.xlsx is not None else b""


async def stream_batches(
    table: TableStream,
    batches: AsyncIterator[Sequence[Any]],
    to_cells: Callable[[Any], list[Cell]],
) -> AsyncIterator[bytes]:
    """Bytes of the whole table, rows numbered in the first (STT) column. Turning rows into
    cells, encoding and compressing run in a worker thread, off the event loop."""
    numbered = 0

    def render(rows: Sequence[Any]) -> bytes:
        nonlocal numbered
        cells = []
        for row in rows:
            out = to_cells(row)
            if table.numbered:
                numbered += 1
                out[0] = numbered
            cells.append(out)
        return table.add(cells)

    yield table.start()
    async for rows in batches:
        chunk = await run_in_threadpool(render, rows)
        if chunk:
            yield chunk
    yield await run_in_threadpool(table.finish)


def disposition(file_name: str) -> dict[str, str]:
    return {"Content-Disposition": attachment(file_name)}
