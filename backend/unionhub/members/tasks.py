"""The queue task of the member counts: the subtree sums folded (docs/adr/0020)."""

import logging

from unionhub.core.db import work_sessions
from unionhub.core.queue import queue
from unionhub.members import subtree

log = logging.getLogger("unionhub.members")


@queue.periodic(cron="* * * * *", periodic_id="members-subtree-fold")
@queue.task(name="members.subtree_fold", queueing_lock="members.subtree_fold", pass_context=False)
async def fold_subtree_sums(timestamp: int) -> None:
    async with work_sessions()() as session:
        taken = await subtree.fold(session)
        await session.commit()
    if taken:
        log.info("subtree sums folded", extra={"rows": taken})
