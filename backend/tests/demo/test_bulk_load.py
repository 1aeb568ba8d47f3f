"""A demo load that takes the path of a million-member load (members written in bulk, their
indexes and constraints dropped and rebuilt) on the small data set, on an empty database (the
other register tests share one ordinary load: tests/demo/test_registers.py)."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.demo.test_registers import SCALE, SEED, _registers
from unionhub.members.models import Member
from unionhub_dev.demo import registers
from unionhub_dev.demo.generator import load_demo


async def _schema(db: AsyncSession) -> set[tuple[str, ...]]:
    tables = ["members", "membership_periods", "member_events"]
    indexes = await db.execute(
        text("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:t)"),
        {"t": tables},
    )
    constraints = await db.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid::regclass::text = ANY(:t)"
        ),
        {"t": tables},
    )
    triggers = await db.execute(
        text(
            "SELECT tgrelid::regclass::text, tgname, tgenabled::text FROM pg_trigger "
            "WHERE tgrelid::regclass::text = ANY(:t) AND NOT tgisinternal"
        ),
        {"t": tables},
    )
    return (
        {tuple(r) for r in indexes} | {tuple(r) for r in constraints} | {tuple(r) for r in triggers}
    )


async def test_a_bulk_load_rebuilds_the_same_indexes_and_constraints(
    db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await _schema(db)
    assert ("membership_periods", "membership_periods_no_overlap_insert", "O") in before
    # Take the path a million-member load takes, on the small data set.
    monkeypatch.setattr(registers, "BULK_MEMBERS", 1)
    await load_demo(SEED, SCALE, session=db)
    assert await _schema(db) == before
    expected = sum(_registers(SEED, SCALE).sizes.values())
    assert await db.scalar(select(func.count()).select_from(Member)) == expected
