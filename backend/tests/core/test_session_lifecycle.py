"""The request's session (`core.db.get_session`, which the other tests replace by one on their
rolled-back transaction): it commits what the request did, begins and ends nothing when the
request did nothing, and a read on the driver (`fetch_driver`) leaves no transaction behind;
and the direct routes' `request_session`, which ends the same way and makes no session for a
request that reads on the driver only."""

import ipaddress
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import Integer, bindparam, delete, literal_column, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import QueuePool

from unionhub.core import audit
from unionhub.core import db as core_db
from unionhub.core.audit import AuditEntry
from unionhub.core.client_calls import ClientUsage
from unionhub.core.security import create_token
from unionhub.main import create_app


@pytest.fixture
async def own_pool(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0)
    monkeypatch.setattr(core_db, "_engine", engine)
    monkeypatch.setattr(
        core_db, "_sessionmaker", async_sessionmaker(engine, expire_on_commit=False)
    )
    yield engine
    await engine.dispose()


def _checked_out(engine: AsyncEngine) -> int:
    pool = engine.sync_engine.pool
    assert isinstance(pool, QueuePool)
    return pool.checkedout()


async def _run(work: Callable[[AsyncSession], Awaitable[None]]) -> None:
    sessions = core_db.get_session()
    session = await anext(sessions)
    await work(session)
    with pytest.raises(StopAsyncIteration):
        await anext(sessions)
    assert not session.in_transaction()


async def test_a_write_is_committed(own_pool: AsyncEngine) -> None:
    client_id = uuid.uuid4()

    async def write(session: AsyncSession) -> None:
        session.add(
            ClientUsage(client_id=client_id, requests=1, errors=0, last_seen_at=datetime.now(UTC))
        )

    await _run(write)
    found = await _requests_of(own_pool, client_id)
    assert found == 1


async def test_nothing_done_begins_nothing(own_pool: AsyncEngine) -> None:
    async def nothing(session: AsyncSession) -> None:
        return None

    await _run(nothing)
    assert _checked_out(own_pool) == 0


async def test_a_driver_read_leaves_no_transaction(own_pool: AsyncEngine) -> None:
    read = select(text("41 + 1 AS answer"))

    async def driver_read(session: AsyncSession) -> None:
        rows = await core_db.fetch_driver(session, read, {})
        assert rows[0]["answer"] == 42

    await _run(driver_read)
    assert _checked_out(own_pool) == 0
    async with own_pool.connect() as conn:
        raw = await conn.get_raw_connection()
        assert raw.driver_connection is not None
        assert not raw.driver_connection.is_in_transaction()


async def _backend_pid(session: AsyncSession) -> int:
    rows = await core_db.fetch_driver(session, select(text("pg_backend_pid() AS pid")), {})
    return int(rows[0]["pid"])


async def test_driver_reads_of_a_transaction_share_its_connection(
    own_pool: AsyncEngine, generic_pool: AsyncEngine
) -> None:
    # A list reads its unions, then its page: the second read takes the connection the first
    # one held (no second greenlet hop), and sees what the session wrote before it; so does a
    # read marked generic (not taken to the generic-plan pool inside a transaction).
    client_id = uuid.uuid4()
    async with core_db.get_sessionmaker()() as session:
        first = await _backend_pid(session)
        session.add(
            ClientUsage(client_id=client_id, requests=3, errors=0, last_seen_at=datetime.now(UTC))
        )
        await session.flush()
        for generic in (False, True):
            rows = await core_db.fetch_driver(
                session,
                select(ClientUsage.requests).where(ClientUsage.client_id == client_id),
                {},
                generic=generic,
            )
            assert [r["requests"] for r in rows] == [3]
        assert await _backend_pid(session) == first
        assert _checked_out(generic_pool) == 0
        await session.rollback()
        # A new transaction: the connection is taken from the session again, and reads
        # nothing of the rolled-back write.
        rows = await core_db.fetch_driver(
            session,
            select(ClientUsage.requests).where(ClientUsage.client_id == client_id),
            {},
        )
        assert rows == []
    assert _checked_out(own_pool) == 0


async def test_a_driver_read_after_an_invalidated_connection_takes_a_fresh_one(
    own_pool: AsyncEngine,
) -> None:
    async with core_db.get_sessionmaker()() as session:
        first = await _backend_pid(session)
        await (await session.connection()).invalidate()
        await session.rollback()
        second = await _backend_pid(session)
        assert second != first
    assert _checked_out(own_pool) == 0


async def test_a_failed_driver_read_outside_a_transaction_raises_as_sqlalchemy(
    own_pool: AsyncEngine,
) -> None:
    # Outside a transaction the read runs on a connection of its own from the pool, returned at
    # once, also when the statement fails; the error is SQLAlchemy's, with the driver's inside.
    async with core_db.get_sessionmaker()() as session:
        with pytest.raises(DBAPIError) as failed:
            await core_db.fetch_driver(session, select(text("1 / 0 AS x")), {})
        assert "division by zero" in str(failed.value.orig)
        assert not failed.value.connection_invalidated
        assert not session.in_transaction()
        assert _checked_out(own_pool) == 0
        assert await _backend_pid(session) > 0
    assert _checked_out(own_pool) == 0


async def test_reads_in_one_connection_share_a_pooled_connection(own_pool: AsyncEngine) -> None:
    # A name search reads its union set, then its matches: one checkout for both, returned at
    # the block's end, and no transaction begun.
    async with core_db.get_sessionmaker()() as session:
        async with core_db.one_connection(session):
            first = await _backend_pid(session)
            assert _checked_out(own_pool) == 1
            assert await _backend_pid(session) == first
            assert not session.in_transaction()
        assert _checked_out(own_pool) == 0
    async with own_pool.connect() as conn:
        raw = await conn.get_raw_connection()
        assert raw.driver_connection is not None
        assert not raw.driver_connection.is_in_transaction()


async def test_a_failed_read_in_one_connection_keeps_the_connection_usable(
    own_pool: AsyncEngine,
) -> None:
    async with core_db.get_sessionmaker()() as session:
        async with core_db.one_connection(session):
            first = await _backend_pid(session)
            with pytest.raises(DBAPIError) as failed:
                await core_db.fetch_driver(session, select(text("1 / 0 AS x")), {})
            assert "division by zero" in str(failed.value.orig)
            assert not failed.value.connection_invalidated
            assert await _backend_pid(session) == first
        assert _checked_out(own_pool) == 0
        # Returned to the pool, not discarded: the next read takes the same server process.
        assert await _backend_pid(session) == first
    assert _checked_out(own_pool) == 0


async def test_a_session_read_inside_one_connection_takes_the_held_connection_back_first(
    own_pool: AsyncEngine,
) -> None:
    # A pool of one: a read that runs in the session (a list of statuses is rendered by
    # SQLAlchemy per execution) would wait for a second connection (the pool's timeout) while
    # the block held the first; the block gives it back first.
    listed = select(literal_column("1").label("x")).where(
        literal_column("2").in_(bindparam("xs", expanding=True))
    )
    async with core_db.get_sessionmaker()() as session:
        async with core_db.one_connection(session):
            first = await _backend_pid(session)
            rows = await core_db.fetch_driver(session, listed, {"xs": [1, 2]})
            assert [r["x"] for r in rows] == [1]
            assert session.in_transaction()
            assert await _backend_pid(session) == first
            await session.rollback()
        assert _checked_out(own_pool) == 0


@pytest.fixture
async def generic_pool(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AsyncEngine]:
    """The generic-plan pool, of one connection, built as the application builds it."""
    engine = core_db._new_engine(database_url, 1, 0, "force_generic_plan")
    monkeypatch.setattr(core_db, "_generic_engine", engine)
    yield engine
    await engine.dispose()


_PLANS = select(text("current_setting('plan_cache_mode') AS plans, pg_backend_pid() AS pid"))


async def test_a_generic_read_runs_on_the_pool_that_keeps_generic_plans(
    own_pool: AsyncEngine, generic_pool: AsyncEngine
) -> None:
    # Inside a block holding the application pool's only connection: the generic read gives it
    # back first (no second connection held), and the block's next read takes it again.
    async with core_db.get_sessionmaker()() as session:
        async with core_db.one_connection(session):
            first = await _backend_pid(session)
            assert _checked_out(own_pool) == 1
            rows = await core_db.fetch_driver(session, _PLANS, {}, generic=True)
            assert rows[0]["plans"] == "force_generic_plan"
            assert rows[0]["pid"] != first
            assert _checked_out(own_pool) == 0
            assert _checked_out(generic_pool) == 0
            assert await _backend_pid(session) == first
        assert not session.in_transaction()
    assert _checked_out(own_pool) == 0


async def test_a_statement_on_the_generic_pool_is_planned_once(generic_pool: AsyncEngine) -> None:
    # PostgreSQL builds one generic plan for the prepared statement and reuses it, whatever the
    # values (pg_prepared_statements counts the plans of the connection's statements).
    probe = select(literal_column("1").label("x")).where(
        bindparam("a", type_=Integer) > bindparam("b", type_=Integer)
    )
    async with core_db.get_sessionmaker()() as session:
        for a in (2, 3, 4, 5, 6, 7):
            rows = await core_db.fetch_driver(session, probe, {"a": a, "b": 1}, generic=True)
            assert [r["x"] for r in rows] == [1]
        sql = core_db.driver_statement(probe, generic_pool.dialect)
        assert sql is not None
        counts = await core_db.fetch_driver(
            session,
            select(text("generic_plans, custom_plans FROM pg_prepared_statements")).where(
                text("statement = :sql")
            ),
            {"sql": sql.sql},
            generic=True,
        )
        assert [(r["generic_plans"], r["custom_plans"]) for r in counts] == [(6, 0)]
        assert not session.in_transaction()


# The hot read path's session (`core.db.request_session`, served by `auth.direct_routes`): the
# same ends as `get_session`, and no session made for a request that reads on the driver only.


@pytest.fixture
def made(own_pool: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> list[AsyncSession]:
    """The sessions the application's session maker makes (it counts them)."""
    maker = core_db.get_sessionmaker()
    sessions: list[AsyncSession] = []

    def counting(**kw: object) -> AsyncSession:
        session = maker(**kw)  # type: ignore[arg-type]
        sessions.append(session)
        return session

    monkeypatch.setattr(core_db, "get_sessionmaker", lambda: counting)
    return sessions


async def _run_request(work: Callable[[AsyncSession], Awaitable[None]]) -> AsyncSession:
    sessions = core_db.request_session()
    session = await anext(sessions)
    await work(session)
    with pytest.raises(StopAsyncIteration):
        await anext(sessions)
    assert not session.in_transaction()
    return session


async def test_a_request_reading_on_the_driver_makes_no_session(
    own_pool: AsyncEngine, made: list[AsyncSession]
) -> None:
    read = select(text("41 + 1 AS answer"))

    async def search(session: AsyncSession) -> None:
        assert session.bind is own_pool
        async with core_db.one_connection(session):
            assert (await core_db.fetch_driver(session, read, {}))[0]["answer"] == 42
            assert (await core_db.fetch_driver(session, read, {}))[0]["answer"] == 42
        assert not session.in_transaction()

    await _run_request(search)
    assert made == []
    assert _checked_out(own_pool) == 0


async def test_a_request_session_is_made_when_needed_and_committed(
    own_pool: AsyncEngine, made: list[AsyncSession]
) -> None:
    client_id = uuid.uuid4()

    async def write(session: AsyncSession) -> None:
        session.info["kept"] = "before"
        session.add(
            ClientUsage(client_id=client_id, requests=1, errors=0, last_seen_at=datetime.now(UTC))
        )
        # Made by the write, with what `info` held; `info` is the made session's from then on.
        assert len(made) == 1
        assert made[0].info["kept"] == "before"
        session.info["kept"] = "after"
        assert made[0].info["kept"] == "after"
        assert session.in_transaction()

    await _run_request(write)
    found = await _requests_of(own_pool, client_id)
    assert found == 1
    assert _checked_out(own_pool) == 0


async def _fail_after_writing(failure: BaseException, made: list[AsyncSession]) -> uuid.UUID:
    client_id = uuid.uuid4()
    sessions = core_db.request_session()
    session = await anext(sessions)
    session.add(
        ClientUsage(client_id=client_id, requests=1, errors=0, last_seen_at=datetime.now(UTC))
    )
    await session.flush()
    with pytest.raises(type(failure)):
        await sessions.athrow(failure)
    assert len(made) == 1
    return client_id


async def _requests_of(engine: AsyncEngine, client_id: uuid.UUID) -> int | None:
    async with engine.connect() as conn:
        found = (
            await conn.execute(
                select(ClientUsage.requests).where(ClientUsage.client_id == client_id)
            )
        ).scalar()
        await conn.execute(delete(ClientUsage).where(ClientUsage.client_id == client_id))
        await conn.commit()
    return found


async def test_a_request_session_rolls_back_on_an_error(
    own_pool: AsyncEngine, made: list[AsyncSession]
) -> None:
    client_id = await _fail_after_writing(ValueError("refused"), made)
    assert await _requests_of(own_pool, client_id) is None
    assert _checked_out(own_pool) == 0


async def test_a_request_session_commits_first_on_a_commit_first_error(
    own_pool: AsyncEngine, made: list[AsyncSession]
) -> None:
    class Counted(core_db.CommitFirst):
        pass

    client_id = await _fail_after_writing(Counted(), made)
    assert await _requests_of(own_pool, client_id) == 1
    assert _checked_out(own_pool) == 0


async def test_an_error_before_any_session_ends_nothing(
    own_pool: AsyncEngine, made: list[AsyncSession]
) -> None:
    sessions = core_db.request_session()
    await anext(sessions)
    with pytest.raises(ValueError):
        await sessions.athrow(ValueError("refused"))
    assert made == []


async def test_a_direct_route_makes_its_session_only_when_the_request_needs_one(
    own_pool: AsyncEngine, made: list[AsyncSession]
) -> None:
    # Served directly and not overridden: without a token the 401 needs no session; a token
    # of an ended sign-in (no principal cached) makes one to load the principal, and its 401
    # rolls it back and gives its connection back.
    token, _, _ = create_token(
        subject=uuid.uuid4(),
        token_type="access",
        session_id=uuid.uuid4(),
        ttl=timedelta(minutes=5),
    )
    transport = ASGITransport(app=create_app())
    async with AsyncClient(transport=transport, base_url="http://test") as client:
        r = await client.get("/api/v1/members", params={"q": "nguyen van an"})
        assert r.status_code == 401
        assert r.json()["code"] == "not_authenticated"
        assert made == []
        r = await client.get(
            "/api/v1/members",
            params={"q": "nguyen van an"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 401
        assert r.json()["code"] == "session_ended"
        assert len(made) == 1
        assert not made[0].in_transaction()
    assert _checked_out(own_pool) == 0


@dataclass(frozen=True)
class _Reader:
    user_id: uuid.UUID
    username: str
    system: bool
    client_ip: str | None


async def _entries_of(engine: AsyncEngine, entity_id: uuid.UUID) -> list[tuple[Any, ...]]:
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(
                    AuditEntry.action, AuditEntry.after, AuditEntry.client_ip, AuditEntry.actor_id
                ).where(AuditEntry.entity_id == entity_id)
            )
        ).all()
        await conn.execute(delete(AuditEntry).where(AuditEntry.entity_id == entity_id))
        await conn.commit()
    return [tuple(r) for r in rows]


async def test_a_personal_data_read_outside_a_transaction_is_audited_by_one_committed_insert(
    own_pool: AsyncEngine, made: list[AsyncSession]
) -> None:
    # The member page's reveal: its entry is one statement on the driver, committed by the
    # time `record_read` returns (read from another connection before the request ends),
    # with no session made and no transaction left open.
    member_id = uuid.uuid4()
    reader = _Reader(uuid.uuid4(), "reader", system=True, client_ip="10.1.2.3")
    sessions = core_db.request_session()
    session = await anext(sessions)
    await audit.record_read(
        session, reader, "member.pii_read", "member", member_id, union_id=None, after={"count": 1}
    )
    assert not session.in_transaction()
    assert await _entries_of(own_pool, member_id) == [
        ("member.pii_read", {"count": 1}, ipaddress.ip_address("10.1.2.3"), None)
    ]
    with pytest.raises(StopAsyncIteration):
        await anext(sessions)
    assert made == []
    assert _checked_out(own_pool) == 0


async def test_a_personal_data_read_inside_a_transaction_is_audited_with_it(
    own_pool: AsyncEngine,
) -> None:
    # A request that wrote first: the entry goes with its transaction, and a rollback takes
    # both back.
    member_id = uuid.uuid4()
    reader = _Reader(uuid.uuid4(), "reader", system=True, client_ip=None)
    async with core_db.get_sessionmaker()() as session:
        session.add(
            ClientUsage(client_id=member_id, requests=1, errors=0, last_seen_at=datetime.now(UTC))
        )
        await session.flush()
        await audit.record_read(
            session, reader, "member.pii_read", "member", member_id, union_id=None
        )
        assert session.in_transaction()
        await session.rollback()
    assert await _entries_of(own_pool, member_id) == []
    assert await _requests_of(own_pool, member_id) is None
    assert _checked_out(own_pool) == 0
