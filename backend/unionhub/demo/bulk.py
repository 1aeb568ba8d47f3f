"""Bulk writing for the demo registers: PostgreSQL COPY on the session's own connection.

A million members cannot go through the ORM one object at a time (minutes of Python per
hundred thousand rows); COPY in the binary protocol takes them in seconds and stays inside the
caller's transaction, so a failed load still leaves nothing behind.
"""

import time
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

Row = Sequence[Any]
BATCH_ROWS = 20_000


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

    def extend(self, table: str, rows: Iterable[Row]) -> None:
        self.rows[table].extend(rows)

    def pending(self, table: str) -> int:
        return len(self.rows[table])

    async def flush_if_full(self, table: str, limit: int = BATCH_ROWS) -> None:
        if len(self.rows[table]) >= limit:
            await self.flush()

    async def flush(self) -> None:
        for table, columns in self.columns.items():
            rows = self.rows[table]
            if rows:
                started = time.perf_counter()
                await self.driver.copy_records_to_table(table, records=rows, columns=columns)
                self.seconds[table] += time.perf_counter() - started
                self.counts[table] += len(rows)
                self.rows[table] = []


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
