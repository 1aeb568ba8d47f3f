"""Answers kept while the tables they were read from are unchanged (docs/adr/0019).

`core.kept` keeps statements, never answers. This keeps an answer, for the few figures that
every officer of a scope asks for again and again (the overview) and that change only when the
tables they read change; it never answers from what another caller could not read (the key
names the caller's scope) and never with figures a fresh read would not give:

- Every statement that writes one of the tables (`unions` and the maintained counts; migration
  b8d4f2a6c1e3) ends with `nextval('figures_stamp')`, a statement trigger.
- A reader reads the stamp (`stamp`) in a statement of its own, before the statement of the
  figures, and in the same statement, after the stamp, whether any other session holds a
  transaction id (`quiet`). A writer takes its id before it writes and bumps the stamp after,
  so when none holds one, every write bumped at or before the stamp has ended, and the
  figures' snapshot (taken later) sees each one that committed.
- The figures' statement carries `SETTLED`: true when the reader's own transaction has
  written nothing. Only figures read quiet and settled are kept (`put`), under the stamp read
  before them; a later reader uses them (`get`) only at the same stamp.

A snapshot alone cannot tell this: a writer whose id came after the last transaction that ended
is not listed in a snapshot (its id is not below the snapshot's xmax), only beyond it.
So under a steady stream of writes most reads are fresh reads (nothing is kept while someone
is writing), and a quiet register answers from memory. Each process keeps its own answers;
nothing is shared between processes or replicas, each checks the stamp.
"""

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, NamedTuple

from sqlalchemy import Boolean, literal_column, text
from sqlalchemy.ext.asyncio import AsyncSession

# `is_called` is false only before the first bump (the migration bumps once at once). The
# activity is read after the stamp: the subquery refers to it, so it runs for the stamp's row.
_STAMP = text(
    "SELECT s.stamp, NOT EXISTS (SELECT FROM pg_stat_get_activity(NULL) a"
    " WHERE a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid() AND s.stamp IS NOT NULL)"
    " FROM (SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS stamp"
    " FROM figures_stamp) s"
)

# A column for the figures' statement: this transaction has no id (it wrote nothing the
# figures could see and others not).
SETTLED = literal_column("(pg_current_xact_id_if_assigned() IS NULL)", Boolean).label("settled")


class Stamp(NamedTuple):
    value: int
    # No other session held a transaction id just after the stamp was read.
    quiet: bool


async def stamp(session: AsyncSession) -> Stamp:
    """The stamp now; read it before the statement whose answer is kept under it."""
    value, quiet = (await session.execute(_STAMP)).one()
    return Stamp(int(value), bool(quiet))


class Answers:
    """Answers under a key, each with the stamp it was read at; the least recently used
    dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()

    def get(self, key: Hashable, at: Stamp) -> Any | None:
        """The answer kept under `key` if it was read at stamp `at`, else None."""
        kept = self._kept.get(key)
        if kept is None or kept[0] != at.value:
            return None
        self._kept.move_to_end(key)
        return kept[1]

    def put(self, key: Hashable, at: Stamp, answer: Any, settled: bool) -> None:
        """Keep `answer`, read after stamp `at` by a statement that was `settled`, if no
        transaction was in progress as the stamp was read."""
        if not (at.quiet and settled):
            self._kept.pop(key, None)
            return
        self._kept[key] = (at.value, answer)
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)

    def clear(self) -> None:
        self._kept.clear()
