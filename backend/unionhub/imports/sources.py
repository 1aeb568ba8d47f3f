"""Where a pass gets its rows: the uploaded file, read and converted batch by batch, or the
batches the validation spooled."""

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from unionhub.imports import spool
from unionhub.imports.headers import HEADER_SCAN_ROWS, HeaderMap, Layout
from unionhub.imports.models import ImportJob
from unionhub.imports.readers import MAX_ROWS, FileRejected, Sniffed, open_rows
from unionhub.imports.rows import BATCH_ROWS, FileProblem, Importer, Row, file_error
from unionhub.imports.xlsx_reader import Cell


class Source:
    """Reads and converts rows of the file, batch by batch (blocking; call in a thread)."""

    def __init__(
        self,
        content: bytes,
        sniffed: Sniffed,
        importer: Importer,
        today: date,
        spool_to: spool.SpoolWriter | None = None,
    ) -> None:
        self.rows: Iterator[tuple[int, list[Cell]]] = open_rows(content, sniffed)
        self.importer = importer
        self.today = today
        self.header: HeaderMap | None = None
        self.count = 0
        self.seen = 0
        self.spool_to = spool_to

    def batch(self, size: int = BATCH_ROWS) -> list[Row]:
        out: list[Row] = []
        try:
            for number, cells in self.rows:
                if self.header is None:
                    self._find_header(number, cells)
                    continue
                row = self.importer.convert(self.header, number, cells, self.today)
                if row is None:
                    continue
                self.count += 1
                if self.count > MAX_ROWS:
                    raise FileProblem(
                        [file_error("too_many_rows", f"A file may hold at most {MAX_ROWS:,} rows.")]
                    )
                out.append(row)
                if len(out) >= size:
                    break
        except FileRejected as exc:
            raise FileProblem([file_error(exc.code, exc.detail or exc.title)]) from None
        if self.header is None:
            raise FileProblem([_no_header(self.importer.layout)])
        if self.spool_to is not None and out:
            self.spool_to.add([(r.number, r.values, r.errors) for r in out])
        return out

    def _find_header(self, number: int, cells: list[Cell]) -> None:
        self.seen += 1
        found = self.importer.layout.find_header(number, cells)
        if found is None:
            if self.seen >= HEADER_SCAN_ROWS:
                raise FileProblem([_no_header(self.importer.layout)])
            return
        problems = [
            file_error(
                "missing_column", f"The column '{c.header}' is missing.", found.row, c.header
            )
            for c in found.missing
        ]
        problems += [
            file_error("duplicate_column", f"The column '{h}' appears twice.", found.row, h)
            for h in found.duplicates
        ]
        problems += [
            file_error(code, message, found.row, found.label(fld, self.importer.layout.columns))
            for fld, code, message in self.importer.header_problems(found)
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


def _no_header(layout: Layout) -> dict[str, Any]:
    return file_error(
        "header_not_found",
        "No header row was found in the first rows; use the template's headers: "
        + ", ".join(layout.headers[:6])
        + ", ...",
    )
