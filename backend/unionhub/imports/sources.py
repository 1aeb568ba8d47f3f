"""Where a pass gets its rows: the uploaded file, read and converted batch by batch, or the
batches the validation spooled."""

import pickle
import time
from collections import deque
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from unionhub.core.error_codes import ErrorCode
from unionhub.imports import spool
from unionhub.imports.convert_pool import Converted, Converter, Pending
from unionhub.imports.headers import HEADER_SCAN_ROWS, Furniture, HeaderMap, Layout
from unionhub.imports.models import ImportJob
from unionhub.imports.readers import MAX_ROWS, FileRejected, Sniffed, open_rows
from unionhub.imports.rows import BATCH_ROWS, FileProblem, Importer, Row, file_error
from unionhub.imports.xlsx_reader import Cell

# Row numbers of the ignored rows (column numbering, footer) kept for the report.
MAX_LISTED_IGNORED = 100

# One pass over a file (reading, converting and checking its rows) ends here, whatever the
# file: 100,000 rows take about 10 s.
MAX_PASS_SECONDS = 300

# Batches read and handed to the converter before the caller gets the first of them.
READ_AHEAD = 2


class Source:
    """Reads and converts rows of the file, batch by batch (blocking; call in a thread)."""

    def __init__(
        self,
        content: bytes,
        sniffed: Sniffed,
        importer: Importer,
        today: date,
        spool_to: spool.SpoolWriter | None = None,
        converter: Converter | None = None,
    ) -> None:
        self.rows: Iterator[tuple[int, list[Cell]]] = open_rows(content, sniffed)
        self.importer = importer
        self.today = today
        self.header: HeaderMap | None = None
        self.count = 0
        self.seen = 0
        self.spool_to = spool_to
        self.sniffed = sniffed
        self.furniture = Furniture()
        # Rows below the header that are not data (numbering row, footer), by number.
        self.ignored: list[int] = []
        self.deadline = time.monotonic() + MAX_PASS_SECONDS
        # With a converter, batches are read ahead and converted in its helper process.
        self.converter = converter
        self.ahead: deque[Pending] = deque()
        self.read_error: BaseException | None = None
        self.read_all = False

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise FileProblem(
                [
                    file_error(
                        ErrorCode.VALIDATION_TIMEOUT,
                        f"Reading the file took longer than {MAX_PASS_SECONDS // 60} minutes; "
                        "split it into smaller files.",
                        params={"minutes": MAX_PASS_SECONDS // 60},
                    )
                ]
            )

    def batch(self, size: int = BATCH_ROWS) -> list[Row]:
        if self.converter is not None:
            return self._batch_converted(self.converter, size)
        while items := self._read_items(size):
            out: list[Row] = []
            assert self.header is not None
            for number, cells in items:
                row = self.importer.convert(self.header, number, cells, self.today)
                if row is not None:
                    self._count_row()
                    out.append(row)
            if out:  # a batch of blank rows only is not the end
                if self.spool_to is not None:
                    self.spool_to.add([(r.number, r.values, r.errors) for r in out])
                return out
        return []

    def _batch_converted(self, converter: Converter, size: int) -> list[Row]:
        """`batch` with the converting done by `converter`: the next batches are read and
        handed over before this one's rows are waited for, so reading, converting and the
        caller's checks run at once. The rows, the rows skipped and any error of the file come
        in the order the serial pass gives them (an error met while reading ahead is raised
        once the batches before it are returned)."""
        while True:
            while len(self.ahead) < READ_AHEAD and not self.read_all and self.read_error is None:
                try:
                    items = self._read_items(size)
                except Exception as exc:  # raised in turn, after the batches before it
                    self.read_error = exc
                    break
                if not items:
                    self.read_all = True
                    break
                assert self.header is not None
                self.ahead.append(converter.submit(self.header, items, self.today))
            if not self.ahead:
                if self.read_error is not None:
                    raise self.read_error
                return []
            pickled = converter.result(self.ahead.popleft())
            converted: Converted = pickle.loads(pickled)  # from our own helper process
            out: list[Row] = []
            for number, values, errors in converted:
                self._count_row()
                row = Row(number)
                row.values = values
                row.errors = errors
                out.append(row)
            if out:
                if self.spool_to is not None:
                    self.spool_to.add_pickled(pickled)
                return out

    def _read_items(self, size: int) -> list[tuple[int, list[Cell]]]:
        """The cells of the next `size` data rows (header and furniture dealt with)."""
        out: list[tuple[int, list[Cell]]] = []
        self._check_time()
        try:
            for seen, (number, cells) in enumerate(self.rows):
                if not seen & 0xFF:
                    self._check_time()
                if self.header is None:
                    self._find_header(number, cells)
                    continue
                if self.furniture(cells):
                    if len(self.ignored) < MAX_LISTED_IGNORED:
                        self.ignored.append(number)
                    continue
                out.append((number, cells))
                if len(out) >= size:
                    break
        except FileRejected as exc:
            raise FileProblem(
                [file_error(exc.code, exc.detail or exc.title, params=exc.params)]
            ) from None
        if self.header is None:
            raise FileProblem([_no_header(self.importer.layout, self.sniffed)])
        return out

    def _count_row(self) -> None:
        self.count += 1
        if self.count > MAX_ROWS:
            raise FileProblem(
                [
                    file_error(
                        ErrorCode.TOO_MANY_ROWS,
                        f"A file may hold at most {MAX_ROWS:,} rows.",
                        params={"max": MAX_ROWS},
                    )
                ]
            )

    def _find_header(self, number: int, cells: list[Cell]) -> None:
        self.seen += 1
        found = self.importer.layout.find_header(number, cells)
        if found is None:
            if self.seen >= HEADER_SCAN_ROWS:
                raise FileProblem([_no_header(self.importer.layout, self.sniffed)])
            return
        problems = [
            file_error(
                ErrorCode.MISSING_COLUMN,
                f"The column '{c.header}' is missing.",
                found.row,
                c.header,
                {"column": c.header},
            )
            for c in found.missing
        ]
        problems += [
            file_error(
                ErrorCode.DUPLICATE_COLUMN,
                f"The column '{h}' appears twice.",
                found.row,
                h,
                {"column": h},
            )
            for h in found.duplicates
        ]
        problems += [
            file_error(
                p.code,
                p.message,
                found.row,
                found.label(p.field, self.importer.layout.columns),
                p.params,
            )
            for p in self.importer.header_problems(found)
        ]
        if problems:
            raise FileProblem(problems)
        self.header = found
        if self.spool_to is not None:
            self.spool_to.add(found)


class Replay:
    """The batches a validation spooled, as Source gives them (blocking; call in a thread)."""

    def __init__(self, items: Iterator[Any]) -> None:
        self.items = items
        self.header: HeaderMap | None = next(items, None)

    def batch(self, size: int = BATCH_ROWS) -> list[Row]:
        rows: list[Row] = []
        while len(rows) < size:
            items = next(self.items, None)
            if not items:
                break
            for number, values, errors in items:
                row = Row(number)
                row.values = values
                row.errors = errors
                rows.append(row)
        return rows


def _replay(path: Path) -> Replay | None:
    items = spool.replay(path)
    return Replay(items) if items is not None else None


Reader = Callable[[], "Source | Replay"]


def commit_reader(
    job: ImportJob, sniffed: Sniffed, importer: Importer, path: Path | None
) -> Reader:
    """How the commit reads the rows (the preload may read them too): from the spool the
    validation left, or else from a spool made now (the file is converted once more), or
    else (no private spool directory) from the file each time. Blocking; call in a thread."""
    assert job.content is not None
    content = job.content
    today = date.today()
    if path is not None and not spool.available(path):
        writer = spool.SpoolWriter(path)
        source = Source(content, sniffed, importer, today, writer)
        try:
            while source.batch():
                pass
        except BaseException:
            writer.discard()
            raise
        writer.publish()
    if path is not None and spool.available(path):
        return lambda: _replay(path) or Source(content, sniffed, importer, today)
    return lambda: Source(content, sniffed, importer, today)


def batches_of(reader: Reader) -> Iterator[list[Row]]:
    source = reader()
    while rows := source.batch():
        yield rows


def _no_header(layout: Layout, sniffed: Sniffed) -> dict[str, Any]:
    where = "in the first rows"
    others = [s for s in sniffed.sheets if s != sniffed.sheet]
    if sniffed.sheet is not None:
        where = f"in the first rows of the sheet '{sniffed.sheet}'"
    message = (
        f"No header row was found {where}; use the template's headers: "
        + ", ".join(layout.headers[:6])
        + ", ..."
    )
    if others:
        message += " The workbook also has the sheets " + ", ".join(f"'{s}'" for s in others)
        message += ": choose the sheet that holds the list."
    return file_error(
        ErrorCode.HEADER_NOT_FOUND,
        message,
        params={
            "headers": ", ".join(layout.headers[:6]),
            "rows": HEADER_SCAN_ROWS,
            "sheet": sniffed.sheet,
            "other_sheets": ", ".join(others) if others else None,
        },
    )
