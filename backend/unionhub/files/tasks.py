"""The queue task of file jobs that is not any one builder's: the hourly sweep of expired
files. (Each kind of file brings its own build task: imports.tasks for the exports.)"""

from unionhub.core.db import work_sessions
from unionhub.core.queue import queue
from unionhub.files import service


@queue.periodic(cron="17 * * * *", periodic_id="files-sweep")
@queue.task(name="files.sweep", queueing_lock="files.sweep")
async def sweep_files(timestamp: int) -> None:
    async with work_sessions()() as session:
        await service.sweep(session)
        await session.commit()
