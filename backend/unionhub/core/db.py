"""Engine, session factory and the request-scoped session dependency."""

from collections.abc import AsyncIterator
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import MetaData, cast, func
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import DateTime, UserDefinedType

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


_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None


def get_engine() -> AsyncEngine:
    global _engine, _sessionmaker
    if _engine is None:
        settings = get_settings()
        _engine = create_async_engine(
            settings.database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_pre_ping=True,
            # asyncpg prepares every statement; a generic plan for a scoped search once made
            # PostgreSQL run the trigram scan per union. Custom plans cost a little planning
            # time and keep the plan fitted to the actual scope and search text.
            connect_args={"server_settings": {"plan_cache_mode": "force_custom_plan"}},
        )
        _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    return _engine


def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    get_engine()
    assert _sessionmaker is not None
    return _sessionmaker


async def dispose_engine() -> None:
    global _engine, _sessionmaker
    if _engine is not None:
        await _engine.dispose()
    _engine = None
    _sessionmaker = None


async def get_session() -> AsyncIterator[AsyncSession]:
    """One session per request; committed once after the endpoint returns.

    Declared with ``Depends(get_session, scope="function")`` so the commit runs before the
    response is sent: a failed commit becomes an error response, never a 2xx.
    """
    async with get_sessionmaker()() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


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
