"""A member's membership periods never overlap (statement triggers, ADR 0014): an overlapping
insert or update is refused as the exclusion constraint refused it (SQLSTATE 23P01, the
constraint's name, hence the same API answer), adjacent periods are fine, and two
transactions adding overlapping periods for one member at once: the second is refused."""

import asyncio
import uuid
from datetime import date

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.factories import Factory
from tests.members.helpers import admit, build_world, refused

CONSTRAINT = "ex_membership_periods_no_overlap"
PROBE = "overlap_probe"
INSERT = text(
    "INSERT INTO membership_periods (id, member_id, union_id, status, valid_from, valid_to) "
    "SELECT gen_random_uuid(), m.id, m.union_id, 'active', :since, :until "
    "FROM members m WHERE m.id = :member"
)


async def _refused(db: AsyncSession, statement: text, **params: object) -> None:
    await refused(db, "23P01", CONSTRAINT, statement, **params)


async def test_an_overlapping_period_is_refused_an_adjacent_one_is_not(
    factory: Factory, db: AsyncSession
) -> None:
    w = await build_world(factory)
    m = uuid.UUID(
        (await admit(factory, w.officer_a, w.grassroots_a, admission_date="2020-01-15"))["id"]
    )
    # The open period from 2020-01-15: anything reaching past that day overlaps it.
    await _refused(db, INSERT, member=m, since=date(2021, 1, 1), until=None)
    await _refused(db, INSERT, member=m, since=date(2019, 1, 1), until=date(2020, 1, 16))
    # Ending the day the open one begins is adjacent ([) ranges), not overlapping.
    await db.execute(INSERT, {"member": m, "since": date(2019, 1, 1), "until": date(2020, 1, 15)})
    # Two new periods of one statement that overlap each other.
    both = text(
        "INSERT INTO membership_periods (id, member_id, union_id, status, valid_from, valid_to) "
        "SELECT gen_random_uuid(), m.id, m.union_id, 'active', d, d + 30 FROM members m, "
        "(VALUES (DATE '2010-01-01'), (DATE '2010-01-20')) v(d) WHERE m.id = :member"
    )
    await _refused(db, both, member=m)
    # An update that moves a period onto another.
    move = text(
        "UPDATE membership_periods SET valid_to = DATE '2020-02-01' "
        "WHERE member_id = :member AND valid_from = DATE '2019-01-01'"
    )
    await _refused(db, move, member=m)
    # Another member's periods do not count.
    other = uuid.UUID(
        (await admit(factory, w.officer_a, w.grassroots_a, admission_date="2020-01-15"))["id"]
    )
    await db.execute(
        INSERT, {"member": other, "since": date(2018, 1, 1), "until": date(2019, 6, 1)}
    )


async def test_the_whole_table_check_finds_what_a_bulk_load_let_in(
    factory: Factory, db: AsyncSession
) -> None:
    w = await build_world(factory)
    m = uuid.UUID(
        (await admit(factory, w.officer_a, w.grassroots_a, admission_date="2020-01-15"))["id"]
    )
    await db.execute(text("SELECT membership_periods_check_all()"))
    await db.execute(
        text("ALTER TABLE membership_periods DISABLE TRIGGER membership_periods_no_overlap_insert")
    )
    await db.execute(INSERT, {"member": m, "since": date(2021, 1, 1), "until": None})
    await _refused(db, text("SELECT membership_periods_check_all()"))


async def test_periods_are_not_written_outside_read_committed(
    factory: Factory, db: AsyncSession, engine: AsyncEngine
) -> None:
    w = await build_world(factory)
    m = uuid.UUID(
        (await admit(factory, w.officer_a, w.grassroots_a, admission_date="2020-01-15"))["id"]
    )
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            with pytest.raises(DBAPIError) as caught:
                await conn.execute(
                    INSERT, {"member": m, "since": date(2010, 1, 1), "until": date(2011, 1, 1)}
                )
    assert getattr(caught.value.orig, "sqlstate", None) == "0A000"


def _dsn(engine: AsyncEngine) -> str:
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


async def test_two_transactions_adding_overlapping_periods_one_is_refused(
    engine: AsyncEngine,
) -> None:
    # Two connections must both see the member, so it is committed: in a schema of its own
    # (tables shaped as the register's, the register's trigger function; its statements name
    # the tables unqualified, so the search path picks these), dropped at the end.
    dsn = _dsn(engine)
    settings = {"search_path": f"{PROBE}, public"}
    setup = await asyncpg.connect(dsn)
    member = uuid.uuid4()
    try:
        await setup.execute(
            f"CREATE SCHEMA {PROBE}; "
            f"CREATE TABLE {PROBE}.members (id uuid PRIMARY KEY, union_id uuid NOT NULL); "
            f"CREATE TABLE {PROBE}.membership_periods "
            "(LIKE public.membership_periods INCLUDING ALL); "
            f"CREATE TRIGGER no_overlap AFTER INSERT ON {PROBE}.membership_periods "
            "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
            "EXECUTE FUNCTION public.membership_periods_no_overlap()"
        )
        await setup.execute(f"INSERT INTO {PROBE}.members VALUES ($1, gen_random_uuid())", member)
        first = await asyncpg.connect(dsn, server_settings=settings)
        second = await asyncpg.connect(dsn, server_settings=settings)
        insert = (
            "INSERT INTO membership_periods "
            "(id, member_id, union_id, status, valid_from, valid_to) "
            "SELECT gen_random_uuid(), m.id, m.union_id, 'active', $2, $3 FROM members m "
            "WHERE m.id = $1"
        )
        try:
            t1, t2 = first.transaction(), second.transaction()
            await t1.start()
            await t2.start()
            await first.execute(insert, member, date(2010, 1, 1), date(2012, 1, 1))
            # The second writer waits for the member the first one locked, then sees its period.
            waiting = asyncio.create_task(
                second.execute(insert, member, date(2011, 1, 1), date(2013, 1, 1))
            )
            await asyncio.sleep(0.5)
            assert not waiting.done()
            await t1.commit()
            with pytest.raises(asyncpg.ExclusionViolationError) as caught:
                await waiting
            assert caught.value.constraint_name == CONSTRAINT
            await t2.rollback()
            # Without the clash, both commit.
            await second.execute(insert, member, date(2012, 1, 1), date(2013, 1, 1))
            periods = await first.fetch(
                "SELECT valid_from, valid_to FROM membership_periods ORDER BY valid_from"
            )
            assert [tuple(p) for p in periods] == [
                (date(2010, 1, 1), date(2012, 1, 1)),
                (date(2012, 1, 1), date(2013, 1, 1)),
            ]
        finally:
            await first.close()
            await second.close()
    finally:
        await setup.execute(f"DROP SCHEMA IF EXISTS {PROBE} CASCADE")
        await setup.close()
