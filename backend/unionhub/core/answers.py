"""Answers kept while the tables they were read from are unchanged (docs/adr/0019).

`core.kept` keeps statements, never answers. This keeps an answer, for the few figures that
every officer of a scope asks for again and again (the overview, a programme's progress) and
that change only when the tables they read change; it never answers from what another caller
could not read (the key names the caller's scope) and never with figures a fresh read would not
give:

- Every statement that writes one of the tables (`unions` and the maintained counts, and what
  a programme's progress reads; migrations b8d4f2a6c1e3, c3e9a5d7f2b4) ends with
  `nextval('figures_stamp')`, a statement trigger. A writer has its transaction id before it
  writes, so before it bumps.
- A reader reads the stamp (`stamp`) in a statement of its own, before the statement of the
  figures; in the same statement, after the stamp, it reads the ids of the transactions then
  running in the database's other sessions (`Stamp.running`). A write bumped at or before
  the stamp has ended by then, or is one of those.
- The figures' statement carries its snapshot (`SNAPSHOT`); an answer read in several
  statements (a programme's progress) takes one (`snapshot`) before the first of them. The
  figures are kept (`put`), under the stamp read before them, only when every transaction
  in `running` had ended when that snapshot was taken (`ended`): then the figures see each
  write bumped at or before the stamp that committed. A later reader uses them (`get`) only
  at the same stamp.
- A reader whose own transaction has written keeps nothing (its figures see what it has not
  committed): `SNAPSHOT` is null then.

A snapshot alone cannot tell which writes it misses: a transaction whose id came after the
last one that ended is not listed in it, only beyond its xmax; hence the ids read beside the
stamp. Each process keeps its own answers; nothing is shared between processes or replicas,
each checks the stamp. Prepared (two-phase) transactions, which the application does not use,
are not seen by this.

Read once at a time (`wait`, `reading`): requests of one process that find nothing kept for
the same key at the same stamp while another of them is reading it wait for that read and use
what it keeps, instead of each reading it beside the others (twenty officers opening the
province's dashboard after a night's import: one read of a programme's progress, not twenty
taking the cores in turn). What a waiter gets is what it would have got arriving a moment
later; when the read keeps nothing (or fails, or its client leaves), each waiter reads itself.
"""

import asyncio
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from sqlalchemy import String, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession

# `is_called` is false only before the first bump (the migration bumps once at once). The
# running ids are read after the stamp: the subquery refers to it, so it runs for its row.
# Only this database's sessions: no other can write its tables. The stamp names the server's
# start and the sequence as well as its value: after a crash (a value handed out but not
# logged), a failover, a restore or the sequence made anew, a value can come again, but not
# from the same server start and sequence.
_STAMP = text(
    "SELECT s.stamp, ARRAY(SELECT a.backend_xid::text::bigint"
    " FROM pg_stat_get_activity(NULL) a WHERE a.backend_xid IS NOT NULL"
    " AND a.pid <> pg_backend_pid() AND s.stamp IS NOT NULL"
    " AND a.datid = (SELECT oid FROM pg_database WHERE datname = current_database())),"
    " pg_postmaster_start_time()::text || '/' || 'figures_stamp'::regclass::oid::text"
    " FROM (SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS stamp"
    " FROM figures_stamp) s"
)

# A column for the figures' statement: its snapshot (`xmin:xmax:xip,...`), or null when this
# transaction has an id (it wrote something the figures could see and others not).
SNAPSHOT = literal_column(
    "CASE WHEN pg_current_xact_id_if_assigned() IS NULL THEN pg_current_snapshot()::text END",
    String,
).label("snapshot")

_XID = 1 << 32


class Stamp(NamedTuple):
    value: int
    # The (32-bit) ids of the transactions running in other sessions just after it was read.
    running: tuple[int, ...]
    # The server's start and the sequence's oid: a value is compared only within them.
    source: str = ""


async def stamp(session: AsyncSession) -> Stamp:
    """The stamp now; read it before the statement whose answer is kept under it.

    Read it at most once per transaction, and before anything else there reads the sessions'
    activity: PostgreSQL reads the other sessions' state once per transaction and shows the
    same until it ends, so a second read could miss a writer that began in between."""
    value, running, source = (await session.execute(_STAMP)).one()
    return Stamp(int(value), tuple(int(x) for x in running), str(source))


async def snapshot(session: AsyncSession) -> str | None:
    """`SNAPSHOT` in a statement of its own: for an answer read in several statements, taken
    after `stamp` and before the first of them (each later statement's snapshot sees at least
    what this one does)."""
    found: str | None = (await session.execute(select(SNAPSHOT))).scalar_one()
    return found


def ended(running: tuple[int, ...], snapshot: str | None) -> bool:
    """Whether each of `running` (32-bit ids) had ended when `snapshot` (64-bit ids, as
    `pg_current_snapshot()::text` gives it) was taken: it is below the snapshot's xmax (in
    the 32-bit ids' circular order) and not listed as in progress. False for no snapshot."""
    if snapshot is None:
        return False
    _, xmax, xip = snapshot.split(":")
    top = int(xmax) % _XID
    in_progress = {int(x) % _XID for x in xip.split(",") if x}
    # `x` precedes `top` when it is less than half the id space behind it.
    return all(0 < (top - x) % _XID < _XID // 2 and x not in in_progress for x in running)


class Answers:
    """Answers under a key, each with the stamp it was read at; the least recently used
    dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, tuple[tuple[int, str], Any]] = OrderedDict()
        # The reads under way in this process (`reading`), by key and stamp.
        self._reading: dict[tuple[Hashable, tuple[int, str]], asyncio.Event] = {}

    def get(self, key: Hashable, at: Stamp) -> Any | None:
        """The answer kept under `key` if it was read at stamp `at`, else None."""
        kept = self._kept.get(key)
        if kept is None or kept[0] != (at.value, at.source):
            return None
        self._kept.move_to_end(key)
        return kept[1]

    async def wait(self, key: Hashable, at: Stamp) -> Any | None:
        """`get`; when nothing is kept and a request of this process is reading the answer
        under `key` at stamp `at` (`reading`), `get` again once that read has ended."""
        found = self.get(key, at)
        if found is None and (under_way := self._reading.get((key, (at.value, at.source)))):
            await under_way.wait()
            found = self.get(key, at)
        return found

    @contextmanager
    def reading(self, key: Hashable, at: Stamp) -> Iterator[None]:
        """Marks the read of the answer under `key` at stamp `at` (then `put`) as under way
        until the block ends, however it ends: `wait` waits for it meanwhile. Enter it with
        no `await` after the `wait` that found nothing, so no second read starts between."""
        mark = (key, (at.value, at.source))
        done = self._reading[mark] = asyncio.Event()
        try:
            yield
        finally:
            done.set()
            if self._reading.get(mark) is done:
                del self._reading[mark]

    def put(self, key: Hashable, at: Stamp, answer: Any, snapshot: str | None) -> None:
        """Keep `answer`, read after stamp `at` by a statement that ran in `snapshot`, if
        every transaction running as the stamp was read had ended by that snapshot; else drop
        what was kept under `key`."""
        if not ended(at.running, snapshot):
            self._kept.pop(key, None)
            return
        self._kept[key] = ((at.value, at.source), answer)
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)

    def clear(self) -> None:
        self._kept.clear()
