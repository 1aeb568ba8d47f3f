"""Fixed-window counters in PostgreSQL, so a limit holds across every replica of the API."""

import math
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, String, case, literal
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base


class RateLimit(Base):
    """Hits on `key` since `window_start`."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    hits: Mapped[int] = mapped_column(Integer)


async def count_hit(
    session: AsyncSession, key: str, window: timedelta, now: datetime
) -> tuple[int, datetime]:
    """Count one hit on `key`: (hits in the current window, when that window started).

    One statement (insert or update, row-locked by PostgreSQL), so simultaneous hits on two
    replicas both count.
    """
    expired = RateLimit.window_start <= literal(now - window, DateTime(timezone=True))
    stmt = (
        pg_insert(RateLimit)
        .values(key=key, window_start=now, hits=1)
        .on_conflict_do_update(
            index_elements=[RateLimit.key],
            set_={
                "window_start": case((expired, now), else_=RateLimit.window_start),
                "hits": case((expired, 1), else_=RateLimit.hits + 1),
            },
        )
        .returning(RateLimit.window_start, RateLimit.hits)
    )
    started, hits = (await session.execute(stmt)).one()
    return int(hits), started


async def hit(
    session: AsyncSession, key: str, limit: int, window: timedelta, now: datetime
) -> int | None:
    """Count one hit on `key`; None while within `limit` per `window`, else the seconds until
    the window ends (for Retry-After)."""
    hits, started = await count_hit(session, key, window, now)
    if hits <= limit:
        return None
    return max(1, math.ceil((started + window - now).total_seconds()))
