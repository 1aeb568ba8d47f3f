"""What both passes of an import are made of: a row, the importer interface, the errors
that end a pass, and the batch sizes."""

import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator
from datetime import date
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import ColumnElement, Text, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import FieldIssue, Params, jsonable_params
from unionhub.imports.headers import HeaderMap, Layout
from unionhub.imports.models import ImportJob
from unionhub.imports.xlsx_reader import Cell

BATCH_ROWS = 1_000
# The commit writes bigger batches: each COPY and its foreign key checks have a fixed cost.
COMMIT_BATCH_ROWS = 5_000
# Errors kept in the job row for the report; the count goes on beyond it.
MAX_STORED_ERRORS = 10_000

Problem = FieldIssue  # field, code, English message, params (the cell's value, limits)
Progress = Callable[[int, int], Awaitable[None]]


def any_of(column: Any, values: Iterable[str]) -> ColumnElement[bool]:
    """`column = ANY($1)` with one array parameter: a batch's 1,000 keys compile and plan as
    one value, where IN (...) would render 1,000 parameters."""
    clause: ColumnElement[bool] = column == any_(literal(list(values), ARRAY(Text)))
    return clause


class Row:
    """One data row: converted values, problems, and what the commit will do with it."""

    __slots__ = ("action", "changes", "errors", "number", "target_id", "values")

    def __init__(self, number: int) -> None:
        self.number = number
        self.values: dict[str, Any] = {}
        self.errors: list[Problem] = []
        self.action = "create"  # create | update | unchanged
        self.target_id: uuid.UUID | None = None
        self.changes: dict[str, Any] | None = None

    def fail(self, field: str, code: ErrorCode, message: str, params: Params | None = None) -> None:
        self.errors.append(FieldIssue(field, code, message, params))

    def failed(self) -> set[str]:
        """The fields that already have a problem."""
        return {p.field for p in self.errors}


class Importer(Protocol):
    """What one kind of import (members, enterprises) plugs into the passes."""

    kind: str
    layout: Layout
    permission: Permission

    def header_problems(self, header: HeaderMap) -> list[Problem]: ...

    def convert(self, header: HeaderMap, number: int, cells: list[Cell], today: date) -> Row | None:
        """A data row from its cells (pure; runs in a worker thread). None: a blank row."""

    async def begin(self, session: AsyncSession, principal: Principal, job: ImportJob) -> Any: ...

    async def check(
        self, session: AsyncSession, ctx: Any, rows: list[Row], header: HeaderMap
    ) -> None:
        """Database checks and in-file duplicates, in row order across batches."""

    def commit_keys(self, ctx: Any) -> Any:
        """After validation: what `preload` will want to know of the rows (spooled with
        them), or None."""

    async def preload(
        self,
        session: AsyncSession,
        ctx: Any,
        keys: Any,
        batches: Callable[[], Iterator[list[Row]]],
    ) -> None:
        """Commit pass only, before the first batch: look up at once what the checks of all
        batches will need. `keys` is what `commit_keys` gave at validation, if kept; else
        `batches()` reads the rows once more (blocking: use a thread)."""

    async def write(
        self, session: AsyncSession, ctx: Any, rows: list[Row], idle: Callable[[], Awaitable[None]]
    ) -> None:
        """Write error-free rows (commit pass only), awaiting `idle` once while the session's
        connection is free. May return before the database is done with the rows, so that
        the next batch is checked meanwhile: `finish` waits for them."""

    async def finish(self, session: AsyncSession, ctx: Any) -> None:
        """Wait for writes still running (raising their error); a no-op when none is."""

    async def complete(self, session: AsyncSession, ctx: Any) -> None:
        """Commit pass only, after the last batch is written, in the same transaction: what
        the importer writes once for the whole commit."""

    def summary(self, ctx: Any) -> dict[str, Any]: ...


@runtime_checkable
class WritesWhileChecking(Importer, Protocol):
    """An importer whose validation may write each batch as soon as it is checked, the file
    having had no error so far (engine.scan's `commit_if_clean`, docs/adr/0015). Its checks
    must answer as the validation's would although the batches before are written: they look
    past the records the pass itself wrote."""

    async def writes_while_checking(
        self, session: AsyncSession, ctx: Any, lookups: AsyncSession
    ) -> None:
        """Before the first batch: this pass may write (what the checks record - audit entries
        - waits until `stop_writing`, as a savepoint may undo the writes). The checks may read
        the register through `lookups`, a session of its own: on another connection, their
        queries run while a batch is written, and see the register without this pass's rows
        (as the validation alone would); the tests' sessions share one connection."""

    async def start_writing(self, session: AsyncSession, ctx: Any) -> None:
        """Before the first write (in the savepoint the writes may go back to)."""

    async def undo_writes(self, session: AsyncSession, ctx: Any) -> None:
        """The writes were undone (a row had an error): forget what they counted."""

    async def stop_writing(self, session: AsyncSession, ctx: Any) -> None:
        """The rest of the pass only validates: record what waited (see above)."""


class CheckedBatchByBatch:
    """The parts of an importer that checks each batch on its own and writes it at once:
    nothing to look up before the commit, nothing left running after a write."""

    def header_problems(self, header: HeaderMap) -> list[Problem]:
        return []

    def commit_keys(self, ctx: Any) -> None:
        return None

    async def preload(
        self,
        session: AsyncSession,
        ctx: Any,
        keys: Any,
        batches: Callable[[], Iterator[list[Row]]],
    ) -> None:
        """Nothing: each batch is checked by itself."""

    async def finish(self, session: AsyncSession, ctx: Any) -> None:
        """Nothing: `write` returns once its rows are written."""

    async def complete(self, session: AsyncSession, ctx: Any) -> None:
        """Nothing: each batch wrote all it had to."""


class FileProblem(Exception):
    """The file as a whole cannot be imported (no header, missing columns, too many rows)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["message"] if errors else "file problem")
        self.errors = errors


class Cancelled(Exception):
    """The job was cancelled while it ran."""


def file_error(
    code: ErrorCode,
    message: str,
    row: int | None = None,
    column: str | None = None,
    params: Params | None = None,
) -> dict[str, Any]:
    """A problem of the whole file (or its header row), as the job stores it."""
    return {
        "row": row,
        "column": column,
        "field": None,
        "code": code.value,
        "message": message,
        "params": jsonable_params(params),
    }
