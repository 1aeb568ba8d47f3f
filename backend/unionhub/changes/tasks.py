"""The change feed's retention: a daily job deletes events older than CHANGE_RETENTION_DAYS."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete

from unionhub.core.config import get_settings
from unionhub.core.db import get_sessionmaker
from unionhub.core.outbox import ChangeEvent
from unionhub.core.queue import queue


async def prune(now: datetime | None = None) -> int:
    """Delete the events past retention; returns how many."""
    horizon = (now or datetime.now(UTC)) - timedelta(days=get_settings().change_retention_days)
    async with get_sessionmaker()() as session:
        result = await session.execute(delete(ChangeEvent).where(ChangeEvent.at < horizon))
        await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


@queue.periodic(cron="17 3 * * *", periodic_id="changes-prune")
@queue.task(name="changes.prune", queueing_lock="changes.prune", pass_context=False)
async def prune_task(timestamp: int) -> None:
    await prune()
