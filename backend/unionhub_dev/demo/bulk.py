"""Bulk writing for the demo registers: PostgreSQL COPY on the session's own connection.

A million members cannot go through the ORM one object at a time (minutes of Python per
hundred thousand rows); COPY in the binary protocol takes them in seconds and stays inside the
caller's transaction, so a failed load still leaves nothing behind.
"""

import asyncio
import time
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Row = Sequence[Any]
BATCH_ROWS = 20_000

# Statement triggers that check a rule over the rows a statement wrote (table: trigger, the
# check of the whole table). While a bulk load's indexes are down each COPY batch would check
# against every row loaded so far without an index; the rule is checked once at the end.
CHECK_TRIGGERS = {
    "membership_periods": (
        "membership_periods_no_overlap_insert",
        "SELECT membership_periods_check_all()",
    ),
}


class Ids:
    """UUIDv7 strings in the layout of core.ids.uuid7, cheap enough for millions of rows.

    The millisecond starts at the load's clock and moves on every 4,096 ids, so ids stay in
    creation order like the ones the API issues; the random part comes from the given stream.
    asyncpg takes the 32-digit hex form as a uuid without building uuid.UUID objects.
    """

    def __init__(self, bits: Any) -> None:
        self._getrandbits = bits.getrandbits
        self._ms = time.time_ns() // 1_000_000
        self._counter = 0

    def __call__(self) -> str:
        self._counter += 1
        if self._counter > 0xFFF:
            self._counter = 0
            self._ms += 1
        value = (
            (self._ms << 80) | (0x7 << 76) | (self._counter << 64) | (0b10 << 62)
        ) | self._getrandbits(62)
        return f"{value:032x}"


async def raw_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, in the session's transaction."""
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    return raw.driver_connection


class Copier:
    """Buffers rows per table and COPYs them in batches, parents before children."""

    def __init__(self, driver: Any, columns: dict[str, Sequence[str]]) -> None:
        self.driver = driver
        self.columns = columns  # table -> column names, in flush order
        self.rows: dict[str, list[Row]] = {t: [] for t in columns}
        self.counts: dict[str, int] = dict.fromkeys(columns, 0)
        self.seconds: dict[str, float] = dict.fromkeys(columns, 0.0)

    def add(self, table: str, row: Row) -> None:
        self.rows[table].append(row)

    def full(self, table: str, limit: int = BATCH_ROWS) -> bool:
        return len(self.rows[table]) >= limit

    def take(self) -> dict[str, list[Row]]:
        """The rows buffered so far; the buffers start empty again."""
        batch, self.rows = self.rows, {t: [] for t in self.columns}
        return batch

    async def write(self, batch: dict[str, list[Row]]) -> None:
        for table, columns in self.columns.items():
            rows = batch.get(table)
            if rows:
                started = time.perf_counter()
                await self.driver.copy_records_to_table(table, records=rows, columns=columns)
                self.seconds[table] += time.perf_counter() - started
                self.counts[table] += len(rows)

    async def flush(self) -> None:
        await self.write(self.take())

    async def flush_if_full(self, table: str, limit: int = BATCH_ROWS) -> None:
        if self.full(table, limit):
            await self.flush()

    async def pipeline(self, batches: Iterator[dict[str, list[Row]]]) -> None:
        """COPY batches while the next one is drawn in a thread.

        Drawing rows is Python work and ingesting them is the server's, so the two overlap:
        the load takes about the longer of the two instead of their sum.
        """
        writing: asyncio.Task[None] | None = None
        try:
            while True:
                batch = await asyncio.to_thread(next, batches, None)
                if writing is not None:
                    await writing
                    writing = None
                if batch is None:
                    return
                writing = asyncio.create_task(self.write(batch))
        finally:
            if writing is not None and not writing.done():
                writing.cancel()


class IndexHold:
    """Drops the secondary indexes and the foreign-key, unique and exclusion constraints of
    tables about to receive millions of rows, and builds them again afterwards; the
    CHECK_TRIGGERS of these tables are disabled meanwhile and their checks run at the end.

    PostgreSQL builds an index over loaded rows many times faster than it maintains it row by
    row (see "Populating a Database" in its manual). Everything happens in the caller's
    transaction, and rebuilding checks every constraint again, so the result is the schema
    the migrations made and a failure leaves nothing behind. The tables stay locked until the
    transaction ends: only for loads into a database nobody else uses yet.
    """

    def __init__(self, driver: Any, tables: Sequence[str]) -> None:
        self.driver = driver
        self.tables = list(tables)
        self.rebuild: list[str] = []

    async def drop(self) -> None:
        constraints = await self.driver.fetch(
            "SELECT conrelid::regclass::text AS tbl, conname, contype, pg_get_constraintdef(oid) "
            "AS def FROM pg_constraint WHERE conrelid = ANY($1::regclass[]) "
            "AND contype IN ('f', 'u', 'x') ORDER BY contype DESC",
            self.tables,
        )
        indexes = await self.driver.fetch(
            "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def "
            "FROM pg_index i WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
            "AND c.conrelid = i.indrelid)",
            self.tables,
        )
        for c in constraints:
            await self.driver.execute(f'ALTER TABLE {c["tbl"]} DROP CONSTRAINT "{c["conname"]}"')
        for ix in indexes:
            await self.driver.execute(f"DROP INDEX {ix['name']}")
        # Indexes first, then unique/exclusion constraints, foreign keys last.
        self.rebuild = [ix["def"] for ix in indexes] + [
            f'ALTER TABLE {c["tbl"]} ADD CONSTRAINT "{c["conname"]}" {c["def"]}'
            for c in sorted(constraints, key=lambda c: c["contype"] == "f")
        ]
        for table in self.tables:
            if table in CHECK_TRIGGERS:
                trigger, check = CHECK_TRIGGERS[table]
                await self.driver.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
                self.rebuild += [f"ALTER TABLE {table} ENABLE TRIGGER {trigger}", check]

    async def restore(self) -> None:
        await self.driver.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for statement in self.rebuild:
            await self.driver.execute(statement)
        self.rebuild = []


async def reserve_card_numbers(session: AsyncSession, count: int) -> int:
    """Take `count` consecutive numbers from member_card_seq; returns the first."""
    if count <= 0:
        return 0
    last = await session.scalar(
        text("SELECT setval('member_card_seq', nextval('member_card_seq') + :n - 1)").bindparams(
            n=count
        )
    )
    return int(last or 0) - count + 1
