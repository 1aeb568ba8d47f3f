"""What import work needs outside a request: its database sessions and the principal it acts as.

The work itself runs as procrastinate tasks (unionhub.imports.tasks) in `unionhub worker`
processes; the web process only defers it (core.queue). A task opens sessions of its own
from `sessions()`: production's come from the application's session maker, while the tests,
whose data lives in one uncommitted transaction on one connection, install savepoint sessions
on that connection with `use_sessions`. Everything else - the task, the progress updates, the
separate transactions for progress and for the work - is the same code in both.
"""

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth.repository import load_actor
from unionhub.authz.principal import Principal
from unionhub.core.db import use_work_sessions, work_sessions

SessionFactory = Callable[[], AsyncSession]


def sessions() -> SessionFactory:
    """Where background work (and a streamed export) opens its sessions (core.db)."""
    return work_sessions()


def get_session_factory() -> SessionFactory:
    """The same, as a request dependency."""
    return work_sessions()


def use_sessions(factory: SessionFactory) -> AbstractContextManager[None]:
    """Tests: background work opens its sessions from `factory` inside the block."""
    return use_work_sessions(factory)


def lock_of(job_id: uuid.UUID) -> str:
    """The queue lock of an import job: one waiting and one running task per job at most."""
    return f"import:{job_id}"


async def actor(session: AsyncSession, user_id: uuid.UUID | None) -> Principal | None:
    """Who the work acts as: the uploader with their current roles (None if deactivated);
    jobs started by the command line act as the system."""
    if user_id is None:
        return Principal.system_actor()
    return await load_actor(session, user_id)
