"""Webhook jobs: the dispatcher every few seconds, one job per delivery attempt."""

import logging
import uuid

from unionhub.changes import webhooks
from unionhub.core import queue as jobs
from unionhub.core.db import get_sessionmaker
from unionhub.core.queue import queue

log = logging.getLogger("unionhub.webhooks")


async def dispatch_once() -> int:
    """Turn new events into deliveries and queue the due ones; returns how many were queued."""
    async with get_sessionmaker()() as session:
        due = await webhooks.dispatch(session)
        await session.commit()
    for delivery_id in due:
        await jobs.defer(
            webhooks.DELIVER, lock=f"webhook:{delivery_id}", delivery_id=str(delivery_id)
        )
    return len(due)


@queue.periodic(cron="* * * * * */5", periodic_id="webhooks-dispatch")
@queue.task(name="webhooks.dispatch", queueing_lock="webhooks.dispatch", pass_context=False)
async def dispatch_task(timestamp: int) -> None:
    await dispatch_once()


@queue.task(name=webhooks.DELIVER, pass_context=False)
async def deliver_task(delivery_id: str) -> None:
    """One attempt, committed; a retry is queued for its time."""
    did = uuid.UUID(delivery_id)
    async with get_sessionmaker()() as session:
        await webhooks.deliver(session, did)
        await session.commit()
        delay = await webhooks.next_attempt_delay(session, did)
    if delay is not None:
        await jobs.defer(
            webhooks.DELIVER, lock=f"webhook:{did}", delay_seconds=delay, delivery_id=delivery_id
        )
