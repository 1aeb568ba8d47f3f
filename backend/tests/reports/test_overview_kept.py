"""The overview's figures kept between requests (`core.answers`, docs/adr/0019): kept only
when every transaction running beside the stamp had ended by the figures' snapshot, used again
only while no table they come from has changed, and never kept from a transaction that wrote
itself. A programme's progress is kept the same way: every table it and the overview read must
move the stamp.

The tests of keeping read through sessions of their own on the engine (not the rolled-back test
transaction, whose writes give it a transaction id: nothing read there is ever kept), against
what is committed in the test database; what they write is rolled back.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Table, event, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.sql import visitors

from tests.factories import Factory
from tests.indicators.helpers import build_province
from tests.members.helpers import admit
from tests.programmes.test_progress_batched import API as PROGRAMMES
from tests.programmes.test_progress_batched import _body as every_indicator
from tests.training.cadres import BEFORE as CADRES_BEFORE
from tests.training.cadres import build_cadres
from unionhub.authz.permissions import Permission, Role
from unionhub.authz.principal import Assignment, Principal
from unionhub.core.answers import SNAPSHOT, Answers, Stamp, ended, stamp
from unionhub.core.config import get_settings
from unionhub.reports import service
from unionhub.reports.schemas import Overview
from unionhub.unions.models import Union

SYSTEM = Principal.system_actor("tests")
FIGURES_TABLES = [
    "unions",
    "member_count_totals",
    "member_flow_counts",
    "member_flow_rollups",
    "enterprise_counts",
    "member_subtree_totals",
    "member_subtree_flows",
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


async def test_every_table_the_figures_read_moves_the_stamp(db: AsyncSession) -> None:
    # The figures are kept until the stamp moves: a table they read without the trigger would
    # leave them stale. The tables come from the statements themselves, for an officer's
    # scope and for a scope over every union, with a root (the children's bars) and without.
    root = Union(id=uuid.uuid4(), path="1.2", name="LĐLĐ thử")
    officer = Principal(
        user_id=uuid.uuid4(),
        username="officer",
        full_name="Cán bộ",
        session_id=None,
        assignments=(Assignment(uuid.uuid4(), Role.UNION_OFFICER, root.id, "1.2", "LĐLĐ thử"),),
    )
    today = date.today()
    months = service._month_starts(today)
    read: set[str] = set()
    for principal, every in ((officer, frozenset()), (SYSTEM, frozenset(Permission))):
        for top in (root, None):
            stmt, _ = service._figures(principal, top, [], every, today, months)
            read |= {e.name for e in visitors.iterate(stmt) if isinstance(e, Table)}
    stamped = set(
        (
            await db.execute(
                text(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname = c.relname || '_figures_stamp' AND t.tgenabled = 'O'"
                )
            )
        ).scalars()
    )
    assert read == set(FIGURES_TABLES)
    assert read <= stamped


async def _scans(db: AsyncSession) -> dict[str, int]:
    """Scans of each table in this transaction so far (PostgreSQL's own counts)."""
    rows = await db.execute(
        text(
            "SELECT relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) "
            "FROM pg_stat_xact_user_tables"
        )
    )
    return {r[0]: int(r[1]) for r in rows}


async def _stamped(db: AsyncSession) -> set[str]:
    rows = await db.execute(
        text(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = c.relname || '_figures_stamp' AND t.tgenabled = 'O'"
        )
    )
    return set(rows.scalars())


async def test_every_table_a_kept_answer_is_read_from_moves_the_stamp(
    factory: Factory, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the overview and a programme's progress (a target on every indicator, for the
    # owner and a district, on a past day and today) read, as PostgreSQL counts the scans of
    # the request's transaction: each of those tables must bump the stamp, or a kept answer
    # would outlive a change to it. Nothing is kept here (the test's transaction has written).
    # A table with no row is not scanned (so not counted): the hand-counted province (members,
    # evaluations, enterprises) and the hand-counted cadres (posts, qualifications) together.
    w = await build_province(factory)
    c = await build_cadres(factory)
    asks: list[tuple[str, dict[str, str], dict[str, str]]] = []
    for owner, headers, unions, past in (
        (w.p, w.admin, (w.p, w.d2), "2020-12-31"),
        (c.province, c.headers, (c.province,), CADRES_BEFORE),
    ):
        r = await factory.client.post(
            PROGRAMMES, json=every_indicator(str(owner.id)), headers=headers
        )
        assert r.status_code == 201, r.text
        pid = r.json()["id"]
        asks += [("/api/v1/reports/overview", {}, headers)] + [
            (f"{PROGRAMMES}/{pid}/progress", {"union_id": str(u.id), **day}, headers)
            for u in unions
            for day in ({"as_of": past}, {})
        ]
    # Every request loads its principal (no cache), so the sign-in's tables are read by each
    # one, not by whichever request happens to come after the cache lapsed (5 s: a slow
    # machine got there mid-test).
    monkeypatch.setattr(get_settings(), "principal_cache_seconds", 0)
    read: set[str] = set()
    for path, params, headers in asks:
        before = await _scans(db)
        r = await factory.client.get(path, params=params, headers=headers)
        assert r.status_code == 200, r.text
        after = await _scans(db)
        read |= {t for t, n in after.items() if n > before.get(t, 0)}
    # The sign-in's tables are read before, not by the answers.
    read -= {"users", "role_assignments", "auth_sessions", "member_accounts", "rate_limits"}
    assert {
        "member_count_totals",
        "evaluations",
        "programme_targets",
        "qualification_facts",
    } <= read
    assert read <= await _stamped(db), read - await _stamped(db)


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


async def _snapshot(engine: AsyncEngine) -> str:
    async with engine.connect() as reader:
        return str((await reader.execute(text(f"SELECT {SNAPSHOT}"))).scalar_one())


async def test_a_transaction_running_beside_the_stamp_must_end_before_the_figures(
    engine: AsyncEngine, writer: AsyncConnection
) -> None:
    async def read() -> Stamp:
        async with AsyncSession(engine) as reader:
            return await stamp(reader)

    assert (await read()).running == ()
    # Another transaction has taken an id (the first thing a write does): it is read beside
    # the stamp, and a snapshot taken while it runs does not see its end, though no
    # transaction has ended since it began (its id is beyond the snapshot's xmax, not listed).
    xid = int((await writer.execute(text("SELECT pg_current_xact_id()::text"))).scalar_one())
    at = await read()
    assert at.running == (xid % 2**32,)
    assert not ended(at.running, await _snapshot(engine))
    await writer.rollback()
    assert ended(at.running, await _snapshot(engine))


async def test_no_snapshot_when_the_reader_wrote(engine: AsyncEngine) -> None:
    async with engine.connect() as reader, reader.begin():
        assert (await reader.execute(text(f"SELECT {SNAPSHOT}"))).scalar_one() is not None
        await reader.execute(text("SELECT pg_current_xact_id()"))
        assert (await reader.execute(text(f"SELECT {SNAPSHOT}"))).scalar_one() is None


@pytest.mark.parametrize(
    ("running", "snapshot", "expected"),
    [
        ((), "100:100:", True),
        ((99,), "100:100:", True),
        ((100,), "100:100:", False),  # at xmax: not ended
        ((101,), "100:100:", False),  # beyond it
        ((95,), "95:100:95,97", False),  # listed
        ((96,), "95:100:95,97", True),
        ((96, 97), "95:100:95,97", False),
        # 64-bit ids in the snapshot, 32-bit ones read beside the stamp.
        ((5,), f"{2**32 + 3}:{2**32 + 9}:{2**32 + 3}", True),
        ((3,), f"{2**32 + 3}:{2**32 + 9}:{2**32 + 3}", False),
        # Across the 32-bit wraparound: 2**32 - 2 precedes 2**32 + 4.
        ((2**32 - 2,), f"{2**32 + 4}:{2**32 + 4}:", True),
        ((6,), f"{2**32 + 4}:{2**32 + 4}:", False),
        ((), None, False),  # the reader wrote
    ],
)
def test_ended(running: tuple[int, ...], snapshot: str | None, expected: bool) -> None:
    assert ended(running, snapshot) is expected


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
    done = "10:10:"
    kept.put("a", Stamp(7, ()), "seven", done)
    assert kept.get("a", Stamp(7, ())) == "seven"
    assert kept.get("a", Stamp(8, ())) is None
    # The same value from another server start or another sequence (a crash, a restore, the
    # sequence made anew) is another stamp.
    assert kept.get("a", Stamp(7, (), "restarted")) is None
    # A transaction running beside the stamp had not ended by the figures' snapshot, or the
    # reader wrote: not kept, and what was kept under the key is dropped.
    kept.put("a", Stamp(8, (12,)), "eight", done)
    assert kept.get("a", Stamp(7, ())) is None
    assert kept.get("a", Stamp(8, (12,))) is None
    kept.put("a", Stamp(9, ()), "nine", None)
    assert kept.get("a", Stamp(9, ())) is None
    kept.put("a", Stamp(9, (9,)), "nine", done)
    assert kept.get("a", Stamp(9, (9,))) == "nine"
    # The least recently used goes first.
    kept.put("a", Stamp(1, ()), "a1", done)
    kept.put("b", Stamp(1, ()), "b1", done)
    assert kept.get("a", Stamp(1, ())) == "a1"
    kept.put("c", Stamp(1, ()), "c1", done)
    assert kept.get("b", Stamp(1, ())) is None
    assert kept.get("a", Stamp(1, ())) == "a1" and kept.get("c", Stamp(1, ())) == "c1"


async def test_requests_at_the_same_stamp_wait_for_the_read_under_way() -> None:
    kept = Answers(4)
    at, later = Stamp(7, ()), Stamp(8, ())
    release = asyncio.Event()

    async def read(answer: str | None) -> None:
        with kept.reading("a", at):
            await release.wait()
            if answer is None:
                raise RuntimeError("the read failed")
            kept.put("a", at, answer, "10:10:")

    reader = asyncio.create_task(read("seven"))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(kept.wait("a", at))
    await asyncio.sleep(0.05)
    # The waiter waits for the read; another stamp (or key) does not.
    assert not waiter.done()
    assert await kept.wait("a", later) is None
    assert await kept.wait("b", at) is None
    release.set()
    await reader
    assert await waiter == "seven"

    # A read that keeps nothing (failed, or a transaction ran beside its stamp): the waiter
    # gets nothing and reads itself; nothing is left marked as under way.
    kept.clear()
    release.clear()
    failing = asyncio.create_task(read(None))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(kept.wait("a", at))
    await asyncio.sleep(0.05)
    release.set()
    with pytest.raises(RuntimeError):
        await failing
    assert await waiter is None
    assert kept._reading == {}


async def test_overviews_asked_at_once_read_the_figures_once(
    engine: AsyncEngine, figure_reads: list[str]
) -> None:
    first, second, third = await asyncio.gather(
        _overview(engine), _overview(engine), _overview(engine)
    )
    assert first == second == third
    assert len(figure_reads) == 1
