"""The overview's figures kept between requests (`core.answers`, docs/adr/0019): kept only when
no transaction was writing as they were read, used again only while no table they come from
has changed, and never kept from a transaction that wrote itself.

These tests read through sessions of their own on the engine (not the rolled-back test
transaction, whose writes give it a transaction id: nothing read there is ever kept), against
what is committed in the test database; what they write is rolled back.
"""

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from tests.factories import Factory
from tests.members.helpers import admit
from unionhub.authz.principal import Principal
from unionhub.core.answers import SETTLED, Answers, Stamp, stamp
from unionhub.reports import service
from unionhub.reports.schemas import Overview

SYSTEM = Principal.system_actor("tests")
FIGURES_TABLES = [
    "unions",
    "member_count_totals",
    "member_flow_counts",
    "member_flow_rollups",
    "enterprise_counts",
]


@pytest.fixture
def figure_reads(engine: AsyncEngine) -> Iterator[list[str]]:
    """The overview's figures statements run on the engine while the test runs."""
    ran: list[str] = []
    service._ANSWERS.clear()

    def seen(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if "packed_0" in statement:
            ran.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    yield ran
    event.remove(engine.sync_engine, "before_cursor_execute", seen)


@pytest.fixture
async def writer(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A second connection whose transaction is rolled back at the end."""
    async with engine.connect() as conn:
        trans = await conn.begin()
        try:
            yield conn
        finally:
            if trans.is_active:
                await trans.rollback()


async def _overview(engine: AsyncEngine) -> Overview:
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        return await service.overview(session, SYSTEM)


@pytest.mark.parametrize("table", FIGURES_TABLES)
async def test_any_statement_writing_a_figures_table_moves_the_stamp(
    db: AsyncSession, table: str
) -> None:
    before = (await stamp(db)).value
    # No row changes: the statement trigger fires all the same.
    await db.execute(text(f"DELETE FROM {table} WHERE false"))
    assert (await stamp(db)).value > before


async def test_admitting_a_member_moves_the_stamp(db: AsyncSession, factory: Factory) -> None:
    district = await factory.union(await factory.union())
    grassroots = await factory.union(district)
    headers = await factory.headers_for("union_officer", district)
    before = (await stamp(db)).value
    await admit(factory, headers, grassroots)
    assert (await stamp(db)).value > before


async def test_quiet_only_with_no_transaction_in_progress(
    engine: AsyncEngine, writer: AsyncConnection
) -> None:
    async def read() -> Stamp:
        async with AsyncSession(engine) as reader:
            return await stamp(reader)

    assert (await read()).quiet
    # Another transaction has taken an id (the first thing a write does): not quiet, though
    # no transaction has ended since (its id is beyond every snapshot's xmax, not listed).
    await writer.execute(text("SELECT pg_current_xact_id()"))
    assert not (await read()).quiet
    await writer.rollback()
    assert (await read()).quiet


async def test_settled_only_when_the_reader_wrote_nothing(engine: AsyncEngine) -> None:
    async with engine.connect() as reader, reader.begin():
        assert (await reader.execute(text(f"SELECT {SETTLED}"))).scalar_one()
        await reader.execute(text("SELECT pg_current_xact_id()"))
        assert not (await reader.execute(text(f"SELECT {SETTLED}"))).scalar_one()


async def test_the_overview_is_read_once_while_nothing_changes(
    engine: AsyncEngine, figure_reads: list[str]
) -> None:
    first = await _overview(engine)
    again = await _overview(engine)
    assert again == first
    assert len(figure_reads) == 1


async def test_a_write_in_progress_keeps_every_overview_read_fresh(
    engine: AsyncEngine, writer: AsyncConnection, figure_reads: list[str]
) -> None:
    await _overview(engine)
    assert len(figure_reads) == 1
    # Another session founds a province federation and has not committed: the stamp has
    # moved, so the figures are read again; and while it runs, what is read is not kept.
    async with AsyncSession(bind=writer, expire_on_commit=False) as session:
        factory = Factory(session, client=None)  # type: ignore[arg-type]
        province = await factory.union(name="Liên đoàn Lao động tỉnh chưa lưu")
        await session.flush()
        during = [await _overview(engine), await _overview(engine)]
    assert len(figure_reads) == 3
    assert all(o.root_union_id != province.id for o in during)
    assert all(o.unions_total == during[0].unions_total for o in during)
    # Rolled back: the next read is settled and kept.
    await writer.rollback()
    after = [await _overview(engine), await _overview(engine)]
    assert len(figure_reads) == 4
    assert after[0] == after[1] == during[0]


def test_answers_are_used_only_at_the_stamp_they_were_read_at() -> None:
    kept = Answers(2)
    kept.put("a", Stamp(7, True), "seven", settled=True)
    assert kept.get("a", Stamp(7, True)) == "seven"
    assert kept.get("a", Stamp(8, True)) is None
    # Read while a transaction was in progress, or after the reader wrote: not kept, and what
    # was kept under the key is dropped.
    kept.put("a", Stamp(8, False), "eight", settled=True)
    assert kept.get("a", Stamp(7, True)) is None
    assert kept.get("a", Stamp(8, True)) is None
    kept.put("a", Stamp(9, True), "nine", settled=False)
    assert kept.get("a", Stamp(9, True)) is None
    # The least recently used goes first.
    kept.put("a", Stamp(1, True), "a1", settled=True)
    kept.put("b", Stamp(1, True), "b1", settled=True)
    assert kept.get("a", Stamp(1, True)) == "a1"
    kept.put("c", Stamp(1, True), "c1", settled=True)
    assert kept.get("b", Stamp(1, True)) is None
    assert kept.get("a", Stamp(1, True)) == "a1" and kept.get("c", Stamp(1, True)) == "c1"
