"""Engine, session factory and the request-scoped session dependency."""

import asyncio
import functools
import json
import typing
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime
from enum import StrEnum
from operator import itemgetter
from typing import Any, TypeVar

import asyncpg  # type: ignore[import-untyped]
import orjson
from sqlalchemy import ARRAY, MetaData, cast, event, func, text
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import NullPool, PoolProxiedConnection
from sqlalchemy.types import DateTime, UserDefinedType
from sqlalchemy.util import await_only, greenlet_spawn

from unionhub.core.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {datetime: DateTime(timezone=True)}


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


T = TypeVar("T")


class StatementKind(StrEnum):
    """What a request's statements do, for their time limit (`statement_timeout`)."""

    LIST = "list"  # lists, details, edits: the web app's default
    REPORT = "report"  # indicators, periodic reports, an exact count asked for
    EXPORT = "export"  # a spreadsheet of a whole scope


# A runaway statement is cancelled (57014, answered 503) instead of holding a pooled connection
# and a core for minutes. Workers and commands run without a limit (their jobs are long).
STATEMENT_TIMEOUT_MS = {
    StatementKind.LIST: 5_000,
    StatementKind.REPORT: 30_000,
    StatementKind.EXPORT: 300_000,
}
_default_kind: StatementKind | None = None


def limit_statements_by_default(kind: StatementKind) -> None:
    """The time limit of every connection the engine opens from now on (set by the web app
    before its first request: a connection setting, so it costs no round trip per request)."""
    global _default_kind
    _default_kind = kind


async def statement_timeout(session: AsyncSession, kind: StatementKind) -> None:
    """The time limit for the rest of this transaction's statements (`SET LOCAL`): a report
    or an export raises the web app's short default."""
    ms = STATEMENT_TIMEOUT_MS[kind]
    await session.execute(text(f"SET LOCAL statement_timeout = {int(ms)}"))


async def serial_plans(session: AsyncSession, *, generic: bool = False) -> None:
    """No parallel workers for the rest of this transaction's statements (`SET LOCAL`): for a
    few small reads of some thousands of index rows each, where starting workers on a busy
    machine costs more than they save (the overview at 5M members on 2 cores: its admissions
    by month 21 ms with two workers, 7 ms without; issue 9).

    `generic`: and generic plans (`plan_cache_mode`), for a transaction whose statements
    read only small tables or one index range per key, so no value can make another plan
    better (docs/adr/0018): each connection plans such a statement once, not at every
    execution."""
    if generic:
        await session.execute(_SERIAL_GENERIC)
    else:
        await session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


_SERIAL_GENERIC = text(
    "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
    "set_config('plan_cache_mode', 'force_generic_plan', true)"
)


_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None
_probe_engine: AsyncEngine | None = None
_generic_engine: AsyncEngine | None = None


def get_engine() -> AsyncEngine:
    global _engine, _sessionmaker
    if _engine is None:
        settings = get_settings()
        # asyncpg prepares every statement; a generic plan for a scoped search once made
        # PostgreSQL run the trigram scan per union. Custom plans cost a little planning time
        # and keep the plan fitted to the actual scope and search text.
        _engine = _new_engine(
            settings.database_url,
            settings.db_pool_size,
            settings.db_max_overflow,
            "force_custom_plan",
        )
        _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    return _engine


def get_generic_engine() -> AsyncEngine:
    """A second, smaller pool whose connections keep a statement's generic plan
    (`plan_cache_mode = force_generic_plan`): PostgreSQL plans a prepared statement once per
    connection and reuses the plan, instead of planning it again for every execution as the
    application's connections do. Only for the statements whose plan cannot depend on their
    values (`fetch_driver(generic=True)`; docs/adr/0018): there, planning is all it saves (a
    large scope's full-name search: 0.6-0.9 of its 2 ms on the slower bench machine)."""
    global _generic_engine
    if _generic_engine is None:
        settings = get_settings()
        size = settings.db_generic_pool_size
        _generic_engine = _new_engine(settings.database_url, size, size, "force_generic_plan")
    return _generic_engine


def _new_engine(url: str, pool_size: int, max_overflow: int, plan_cache_mode: str) -> AsyncEngine:
    settings = get_settings()
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        # A request that waits longer answers 503 with Retry-After (core.errors), not 500.
        pool_timeout=settings.db_pool_timeout,
        # No ping per checkout (a round trip on every request): connections are replaced
        # after pool_recycle, a connection whose socket the server closed is replaced at
        # checkout (`_replace_closed`, no round trip), and the first statement of a request
        # is retried once on a fresh connection if its connection turns out dead
        # (`retry_on_dead_connection`).
        pool_recycle=settings.db_pool_recycle_seconds,
        # The connection returned last is taken next (the floor's asyncpg pool does the
        # same): a request reads on the server process that served the one before, whose
        # caches are warm, instead of waking each pooled backend in turn (issue 9).
        pool_use_lifo=True,
        connect_args={"server_settings": _server_settings(plan_cache_mode)},
        # jsonb columns (a member's trainings: 50 per page) read with orjson.
        json_deserializer=json_loads,
    )
    event.listen(engine.sync_engine, "checkout", _replace_closed)
    return engine


def json_loads(text: str) -> Any:
    """orjson's parser; the standard library's for what orjson refuses and PostgreSQL may hold
    (an integer beyond 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _replace_closed(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """Pool checkout: a connection that cannot serve a request is discarded and another one
    taken, without a round trip (both checks read the driver's own state):

    - its socket is already closed (server restart, idle timeout, a terminated backend);
    - the server holds it inside a transaction nobody owns. A cancel (a client gone, a
      statement timeout, `pg_cancel_backend`) that lands while asyncpg opens or ends a
      transaction can leave the server in one that SQLAlchemy never started, so the return
      to the pool rolls nothing back; every later request on that connection then failed
      with "cannot use Connection.transaction() in a manually started transaction" (seen in
      `make bench`: one pooled connection in six answering 500 until the process restarted).
    """
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is None:
        return
    if driver.is_closed():
        raise DisconnectionError("the pooled connection was closed by the server")
    if driver.is_in_transaction():
        raise DisconnectionError("the pooled connection is inside a transaction nobody owns")


def is_dead_connection(exc: BaseException) -> bool:
    """The statement failed because its connection is gone (not because of the statement)."""
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


async def retry_on_dead_connection(session: AsyncSession, run: Callable[[], Awaitable[T]]) -> T:
    """Run the first statement(s) of a request; if the connection died under them (the socket
    closed while it sat in the pool and nothing noticed), roll back, which returns the dead
    connection, and run them once more on a fresh one. Only for reads at the start of a
    request: nothing has been written that the rollback could lose."""
    try:
        return await run()
    except DBAPIError as exc:
        if not is_dead_connection(exc):
            raise
        await session.rollback()
        return await run()


def _server_settings(plan_cache_mode: str) -> dict[str, str]:
    out = {"plan_cache_mode": plan_cache_mode, "jit": "off"}
    if _default_kind is not None:
        out["statement_timeout"] = str(STATEMENT_TIMEOUT_MS[_default_kind])
    return out


def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    get_engine()
    assert _sessionmaker is not None
    return _sessionmaker


# Where background work opens its sessions: the application's session maker, except in tests,
# whose data lives in one uncommitted transaction on one connection (use_work_sessions).
_work_factory: Callable[[], AsyncSession] | None = None


def work_sessions() -> Callable[[], AsyncSession]:
    """The session factory of background work (queue tasks, a streamed export)."""
    return _work_factory if _work_factory is not None else get_sessionmaker()


@contextmanager
def use_work_sessions(factory: Callable[[], AsyncSession]) -> Iterator[None]:
    """Tests: background work opens its sessions from `factory` inside the block."""
    global _work_factory
    previous, _work_factory = _work_factory, factory
    try:
        yield
    finally:
        _work_factory = previous


async def dispose_engine() -> None:
    global _engine, _sessionmaker, _probe_engine, _generic_engine
    for engine in (_engine, _probe_engine, _generic_engine):
        if engine is not None:
            await engine.dispose()
    _engine = None
    _sessionmaker = None
    _probe_engine = None
    _generic_engine = None


async def database_answers(limit_seconds: float = 3.0) -> bool:
    """Whether PostgreSQL answers `SELECT 1` within `limit_seconds`, on a connection of its
    own: a readiness probe must not queue behind requests for the application's pool (busy is
    not down), nor take one of its connections.
    """
    global _probe_engine
    if _probe_engine is None:
        _probe_engine = create_async_engine(
            get_settings().database_url, poolclass=NullPool, connect_args={"timeout": limit_seconds}
        )
    try:
        async with asyncio.timeout(limit_seconds), _probe_engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError):
        return False
    return True


class CommitFirst(Exception):
    """Mixin for errors whose request's writes must be kept although the answer is an error:
    a refusal that is counted (a throttle) or audited."""


def _sessions(
    make: Callable[[], AsyncSession],
) -> Callable[[], AsyncGenerator[AsyncSession]]:
    """A request-scoped session dependency over `make` (see `get_session`)."""

    async def sessions() -> AsyncGenerator[AsyncSession]:
        session = make()
        try:
            yield session
            # A session that began nothing (a request that read nothing, or read only on the
            # driver before any statement of the session) has nothing to commit: SQLAlchemy
            # begins a transaction on any change (an object added, a statement run), so
            # `in_transaction()` is true whenever there is. Each commit or close is a greenlet
            # hop of its own (issue 9).
            if session.in_transaction():
                await session.commit()
        except CommitFirst:
            await session.commit()
            raise
        except BaseException:
            await session.rollback()
            raise
        finally:
            # Committed or rolled back, the session holds no connection and nothing to
            # release: closing it would only detach its objects, which go with it.
            if session.in_transaction():
                await session.close()

    return sessions


get_session = _sessions(lambda: get_sessionmaker()())
get_session.__doc__ = """One session per request; committed once after the endpoint returns.

Declared with ``Depends(get_session, scope="function")`` so the commit runs before the
response is sent: a failed commit becomes an error response, never a 2xx. An error that
is a `CommitFirst` commits too; any other rolls everything back.
"""


class RequestSession:
    """The request's session on the hot read path (`auth.direct_routes`), made only when the
    request first needs one (`request_session`).

    A member list, search or detail reads on the driver (`fetch_driver`), which asks the
    session for three things only: its engine (`bind`), its `info` and whether it is in a
    transaction. Those are answered here without a session; anything else (a statement, an
    object added, `sync_session`) makes the `AsyncSession` then, from the application's
    session maker, with what `info` holds so far, and goes to it from then on. Making an
    `AsyncSession` and the ORM `Session` inside it was about 4% of a grassroots name search's
    CPU in the server process, for a session such a request never used (issue 9).

    It stands where an `AsyncSession` is expected (the caller's `Caller.session`): the
    methods the request's end calls (`in_transaction`, `commit`, `rollback`, `close`) do
    nothing while no session was made, as they would on a session that began nothing.
    """

    __slots__ = ("_bind", "_info", "_made", "_maker")

    def __init__(self, maker: async_sessionmaker[AsyncSession], bind: AsyncEngine) -> None:
        self._maker = maker
        self._bind = bind
        self._info: dict[Any, Any] = {}
        self._made: AsyncSession | None = None

    @property
    def made(self) -> AsyncSession:
        """The session, made now if the request had none yet."""
        if self._made is None:
            self._made = self._maker(info=self._info)
            self._info = self._made.info
        return self._made

    @property
    def bind(self) -> AsyncEngine:
        return self._bind

    @property
    def info(self) -> dict[Any, Any]:
        return self._info

    def in_transaction(self) -> bool:
        return self._made is not None and self._made.in_transaction()

    async def commit(self) -> None:
        if self._made is not None:
            await self._made.commit()

    async def rollback(self) -> None:
        if self._made is not None:
            await self._made.rollback()

    async def close(self) -> None:
        if self._made is not None:
            await self._made.close()

    def __getattr__(self, name: str) -> Any:
        # Anything else is the session's (made now). Its own slots are never forwarded: read
        # before `__init__` set them (a copy), they would make a session to look themselves up.
        if name in RequestSession.__slots__:
            raise AttributeError(name)
        return getattr(self.made, name)


def _request_session() -> AsyncSession:
    maker = get_sessionmaker()
    # Stands for the AsyncSession it makes when needed (see RequestSession).
    return typing.cast(AsyncSession, RequestSession(maker, get_engine()))


request_session = _sessions(_request_session)
request_session.__doc__ = """`get_session` with a `RequestSession`: the same commit, `CommitFirst`
and rollback, for a request that may need no session at all (`auth.direct_routes`)."""


class Ltree(UserDefinedType[str]):
    """PostgreSQL ltree (materialised path of the union tree), carried as text."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "LTREE"

    def bind_expression(self, bindvalue: Any) -> Any:
        return cast(bindvalue, self)


ischema_names["ltree"] = Ltree


def check_in(column: str, enum: type[StrEnum]) -> str:
    """The CHECK constraint text of a string column that holds one of `enum`'s values."""
    values = ", ".join(f"'{v.value}'" for v in enum)
    return f"{column} IN ({values})"


class DriverStatement:
    """A statement built once (the hot read path), compiled once for the driver: its SQL with
    `$n` placeholders and the order of its parameters. `fetch_driver` runs it on the asyncpg
    connection under the session, without SQLAlchemy's execution (a cache key computed over
    the whole statement, a cursor, result rows wrapped twice, a greenlet hop): on a one-row
    read that machinery cost more CPU than the statement (issue 9). Only for statements
    without expanding `IN` lists whose columns need no conversion beyond the driver's (jsonb
    is decoded by the connection's codec)."""

    def __init__(self, stmt: Any, dialect: Any) -> None:
        compiled = stmt.compile(dialect=dialect)
        if compiled.post_compile_params or compiled.literal_execute_params:
            raise ValueError("a statement with expanding parameters is not run on the driver")
        processors = compiled._bind_processors
        names = tuple(compiled.positiontup or ())
        for column in compiled._result_columns:
            type_ = column[3]
            # An array of values the driver returns as they are comes back as a list.
            if isinstance(type_, ARRAY):
                type_ = type_.item_type
            if type_._cached_result_processor(dialect, None) is not None:
                raise ValueError("a column that needs a conversion is not run on the driver")
        self.sql: str = compiled.string
        self.names = names
        self.values = dict(compiled.params)  # the statement's own bound values
        # The parameters' conversions, as SQLAlchemy applies them (an ARRAY's: a list).
        self.processors = tuple(processors.get(n) for n in names)

    def args(self, params: dict[str, Any]) -> list[Any]:
        values = self.values
        out = [params[n] if n in params else values[n] for n in self.names]
        for i, process in enumerate(self.processors):
            if process is not None and out[i] is not None:
                out[i] = process(out[i])
        return out


_driver_statements: dict[int, tuple[Any, DriverStatement | None]] = {}


def driver_statement(stmt: Any, dialect: Any) -> DriverStatement | None:
    """`DriverStatement` of a statement built once (kept for the process, by identity); None
    for a statement the driver cannot run as compiled (see `DriverStatement`)."""
    found = _driver_statements.get(id(stmt))
    if found is None or found[0] is not stmt:
        try:
            prepared: DriverStatement | None = DriverStatement(stmt, dialect)
        except ValueError:
            prepared = None
        found = (stmt, prepared)
        _driver_statements[id(stmt)] = found
    return found[1]


def row_reader(rows: typing.Sequence[Any], names: typing.Sequence[str]) -> Callable[[Any], Any]:
    """A function reading `names` (two or more) from each row of `rows`, rows of one statement,
    as a tuple. The driver's records are read by position, the names looked up once per shape
    of statement and kept (a page of 50 members reads 32 fields each: issue 9; a one-row page
    would pay the lookup for nothing); mappings (what SQLAlchemy returns where the driver
    cannot run a statement) by name."""
    if rows and isinstance(rows[0], asyncpg.Record):
        return _positions(tuple(rows[0].keys()), tuple(names))
    return itemgetter(*names)


@functools.lru_cache(maxsize=256)
def _positions(keys: tuple[str, ...], names: tuple[str, ...]) -> Callable[[Any], Any]:
    return itemgetter(*[keys.index(name) for name in names])


async def fetch_driver(
    session: AsyncSession, stmt: Any, params: dict[str, Any], *, generic: bool = False
) -> list[Any]:
    """The rows of `stmt` (built once; see `DriverStatement`) with `params`, as the driver's
    records (read by column name, as mappings are; mappings from SQLAlchemy for a statement
    the driver cannot run as compiled). Errors are raised as SQLAlchemy raises them
    (`DBAPIError` with the driver's error as `orig`), so the error handlers answer the same;
    a connection found dead is invalidated, not returned to the pool.

    Inside the session's transaction (it wrote, or set something for the transaction) the
    statement runs on the session's connection and sees what the session did. Outside one
    (a read that writes nothing: most requests) it runs on a connection taken from the
    engine's pool for this statement alone and returned at once: no transaction, so no BEGIN
    and COMMIT round trips, and none of the session's machinery (a session transaction, a
    `Connection`, a commit at the end: about 0.1 ms of CPU per request, issue 9). The
    connection is held for nothing but the statement, so a request never waits for a second
    connection while holding one. A session bound to a connection (the tests' rolled-back
    transaction) always reads on it.

    `generic`: the statement's plan cannot depend on its values (the same plan is the best
    for any of them), so outside a transaction it runs on a connection of the generic-plan
    pool (`get_generic_engine`), which plans it once and reuses the plan. A connection a
    `one_connection` block holds is given back first."""
    bind = session.bind
    shared: _Shared | None = session.info.get(_SHARED)
    if not isinstance(bind, AsyncEngine) or session.in_transaction():
        return await _fetch_in_session(session, stmt, params, shared)
    prepared = driver_statement(stmt, bind.dialect)
    if prepared is None:
        return await _fetch_in_session(session, stmt, params, shared)
    args = prepared.args(params)
    if generic:
        engine = get_generic_engine().sync_engine
        return await greenlet_spawn(_fetch_generic, engine, prepared, args, shared)
    if shared is not None and shared.raw is not None:
        return await _fetch_shared(bind.sync_engine, shared, prepared, args)
    return await greenlet_spawn(_fetch_pooled, bind.sync_engine, prepared, args, shared)


async def write_driver(session: AsyncSession, stmt: Any, params: dict[str, Any]) -> None:
    """Run one writing statement (built once, returning nothing) as `fetch_driver` runs a
    read: inside the session's transaction when there is one, so it commits or rolls back
    with it; otherwise alone on a pooled connection, outside any transaction, where the
    server commits it as it runs (a statement is its own transaction): it is written when
    this returns. Only for a write that stands alone outside a transaction (an entry of the
    audit log recording a read), never for one of several that must commit together."""
    await fetch_driver(session, stmt, params)


def _fetch_generic(
    engine: Engine, prepared: DriverStatement, args: list[Any], shared: "_Shared | None"
) -> list[Any]:
    """`fetch_driver(generic=True)` outside a transaction, in one greenlet hop: the connection
    a `one_connection` block holds given back, then `_fetch_pooled` on the generic-plan pool."""
    if shared is not None and shared.raw is not None:
        raw, shared.raw = shared.raw, None
        _give_back(raw, shared.clean)
        shared.clean = True
    return _fetch_pooled(engine, prepared, args)


def _fetch_pooled(
    engine: Engine, prepared: DriverStatement, args: list[Any], shared: "_Shared | None" = None
) -> list[Any]:
    """`fetch_driver` outside a transaction, in one greenlet hop: a pooled connection taken,
    the statement run on its driver connection, the connection returned (or, if the statement
    was interrupted or the connection died, discarded). Inside a `one_connection` block
    (`shared`) the connection is kept there for the block's next reads instead of returned."""
    raw = engine.raw_connection()
    keep = False
    try:
        rows = list(await_only(raw.driver_connection.fetch(prepared.sql, *args)))  # type: ignore[union-attr]
        if shared is not None:
            shared.raw, keep = raw, True
        return rows
    except Exception as error:
        translated = _as_sqlalchemy_error(engine.dialect, raw, error, prepared.sql, args)
        if translated is None:
            raise
        if translated.connection_invalidated:
            raw.invalidate(translated.orig)
        raise translated from error
    except BaseException:
        # Cancelled mid-statement (the client went away): the driver connection may still be
        # waiting for the server's answer; it is not handed to the next request.
        raw.invalidate()
        raise
    finally:
        if not keep:
            raw.close()


# session.info key: the `_Shared` of the `one_connection` block the session's request is in.
_SHARED = "unionhub.shared_connection"


class _Shared:
    """The pooled connection a `one_connection` block's reads share (None until the first),
    and whether it may go back to the pool (false while a statement runs on it, and after one
    that found it dead or was interrupted)."""

    __slots__ = ("clean", "raw")

    def __init__(self) -> None:
        self.raw: PoolProxiedConnection | None = None
        self.clean = True


@asynccontextmanager
async def one_connection(session: AsyncSession) -> AsyncIterator[None]:
    """Inside the block, `fetch_driver`'s reads outside a transaction share one pooled
    connection: the first takes it (in its greenlet hop, as alone), the next ones run on its
    driver connection straight away (no checkout, no greenlet hop), and the block's end
    returns it (issue 9: a name search reads its union set, then its matches). Only around
    reads that all go through `fetch_driver`: a statement of the session inside the block would
    take a second connection while this one is held, the wait that a connection per statement
    avoids. Nested blocks share the outer one's connection."""
    if session.info.get(_SHARED) is not None:
        yield
        return
    shared = _Shared()
    session.info[_SHARED] = shared
    try:
        yield
    finally:
        del session.info[_SHARED]
        if shared.raw is not None:
            await greenlet_spawn(_give_back, shared.raw, shared.clean)


def _give_back(raw: PoolProxiedConnection, clean: bool) -> None:
    if not clean:
        raw.invalidate()
    raw.close()


async def _fetch_shared(
    engine: Engine, shared: _Shared, prepared: DriverStatement, args: list[Any]
) -> list[Any]:
    """`fetch_driver` on the connection a `one_connection` block holds: errors as
    `_fetch_pooled` raises them; a connection found dead or left mid-statement is discarded at
    the block's end, not returned."""
    raw = shared.raw
    assert raw is not None
    shared.clean = False
    try:
        rows = list(await raw.driver_connection.fetch(prepared.sql, *args))  # type: ignore[union-attr]
    except Exception as error:
        translated = _as_sqlalchemy_error(engine.dialect, raw, error, prepared.sql, args)
        if translated is None:
            raise
        shared.clean = not translated.connection_invalidated
        raise translated from error
    shared.clean = True
    return rows


def _as_sqlalchemy_error(
    dialect: Any, raw: PoolProxiedConnection, error: Exception, sql: str, args: list[Any]
) -> DBAPIError | None:
    """The `DBAPIError` SQLAlchemy would raise for the driver's `error` on `raw` (its
    `connection_invalidated` set when the connection is dead), or None when `error` is none
    of the driver's."""
    adapted: Any = raw.dbapi_connection
    try:
        adapted._handle_exception(error)  # raises the DBAPI error SQLAlchemy would see
    except dialect.loaded_dbapi.Error as dbapi_error:
        dead = dialect.is_disconnect(dbapi_error, adapted, None)
        translated: DBAPIError = DBAPIError.instance(
            sql,
            args,
            dbapi_error,
            dialect.loaded_dbapi.Error,
            connection_invalidated=dead,
            dialect=dialect,
        )
        return translated
    except Exception:
        return None
    return None


async def _fetch_in_session(
    session: AsyncSession, stmt: Any, params: dict[str, Any], shared: "_Shared | None" = None
) -> list[Any]:
    """`fetch_driver` on the session's connection, in its transaction (begun if need be).
    A connection a `one_connection` block holds is given back first: the session takes its
    own, and a request never waits for a connection while holding one."""
    if shared is not None and shared.raw is not None:
        raw, shared.raw = shared.raw, None
        await greenlet_spawn(_give_back, raw, shared.clean)
        shared.clean = True
    # The session's connection and its pooled driver connection in one greenlet hop (two
    # awaits of the async API would take two).
    conn, raw = _held(session) or await _hold(session)
    dialect = conn.dialect
    prepared = driver_statement(stmt, dialect)
    if prepared is None:
        # Expanding parameters (a list of statuses): SQLAlchemy renders them per execution.
        connection = await session.connection()
        return list((await connection.execute(stmt, params)).mappings())
    driver: Any = raw.driver_connection
    args = prepared.args(params)
    try:
        return list(await driver.fetch(prepared.sql, *args))
    except Exception as error:
        translated = _as_sqlalchemy_error(dialect, raw, error, prepared.sql, args)
        if translated is None:
            raise
        if translated.connection_invalidated:
            await (await session.connection()).invalidate(translated.orig)
        raise translated from error


def _connection_and_raw(session: Session) -> tuple[Connection, PoolProxiedConnection]:
    connection = session.connection()
    return connection, connection.connection


# session.info key: (the session's transaction, its connection, the pooled connection) of the
# last `fetch_driver`, so the next one in the same transaction takes them without a greenlet
# hop (a list reads its unions, then its page: issue 9).
_HELD = "unionhub.driver_connection"


async def _hold(session: AsyncSession) -> tuple[Connection, PoolProxiedConnection]:
    conn, raw = await session.run_sync(_connection_and_raw)
    session.info[_HELD] = (session.sync_session.get_transaction(), conn, raw)
    return conn, raw


def _held(session: AsyncSession) -> tuple[Connection, PoolProxiedConnection] | None:
    """The connection `_hold` took, while the session's transaction that holds it lasts (a
    commit, rollback or close ends it) and it is neither closed nor invalidated."""
    held = session.info.get(_HELD)
    if held is None:
        return None
    transaction, conn, raw = held
    current = session.sync_session.get_transaction()
    if (
        current is None
        or current is not transaction
        or not current.is_active
        or conn.closed
        or conn.invalidated
    ):
        return None
    return conn, raw
