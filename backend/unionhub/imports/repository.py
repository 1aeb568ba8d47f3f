"""Queries on import jobs, built on the caller's scope."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, text, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from unionhub.auth.models import User
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope
from unionhub.imports.models import ImportJob, ImportKind, ImportStatus

# The job list never carries the file or the report.
SUMMARY_COLUMNS = [
    c for c in ImportJob.__table__.c if c.key not in ("content", "errors", "heartbeat_at")
]
RUNNING = [ImportStatus.VALIDATING.value, ImportStatus.COMMITTING.value]
REGISTERS = [ImportKind.MEMBERS.value, ImportKind.ENTERPRISES.value]


# Who else may follow a job: those who may write what it imports at the job's union.
FOLLOWERS: dict[ImportKind, Permission] = {
    ImportKind.MEMBERS: Permission.MEMBERS_WRITE,
    ImportKind.ENTERPRISES: Permission.ENTERPRISES_WRITE,
    ImportKind.TRAINING_ROSTER: Permission.TRAINING_MANAGE,
    ImportKind.ROUND_RESULTS: Permission.EVALUATIONS_APPRAISE,
}


def visible(principal: Principal) -> ColumnElement[bool]:
    """Jobs the caller started, and jobs of unions where they may write the same records."""
    if principal.is_admin:
        return true()
    own = ImportJob.created_by == principal.user_id
    others = [
        and_(ImportJob.kind == kind.value, in_scope(principal, ImportJob.union_id, permission))
        for kind, permission in FOLLOWERS.items()
    ]
    return or_(own, *others)


async def get_visible(
    session: AsyncSession,
    principal: Principal,
    job_id: uuid.UUID,
    *,
    for_update: bool = False,
    with_content: bool = False,
) -> ImportJob | None:
    """The job if the caller may see it. The uploaded file (up to 20 MB) is loaded only when
    asked for: progress polling must stay cheap."""
    stmt = select(ImportJob).where(ImportJob.id == job_id, visible(principal))
    if not with_content:
        stmt = stmt.options(defer(ImportJob.content))
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


def list_query(principal: Principal, kind: str | None, status: list[str] | None) -> Select[Any]:
    """The jobs' summaries with who started each (a name, for the recent-imports list)."""
    stmt = (
        select(*SUMMARY_COLUMNS, User.full_name.label("created_by_name"))
        .outerjoin(User, User.id == ImportJob.created_by)
        .where(visible(principal))
    )
    # Without a kind, the registers' jobs: a sheet's job belongs to its course's or round's
    # screen.
    stmt = stmt.where(ImportJob.kind == kind if kind else ImportJob.kind.in_(REGISTERS))
    if status:
        stmt = stmt.where(ImportJob.status.in_(status))
    return stmt


async def count(session: AsyncSession, stmt: Select[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


async def list_page(
    session: AsyncSession,
    principal: Principal,
    kind: str | None,
    status: list[str] | None,
    offset: int,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    """One page of the jobs the caller may see, newest first, and how many there are."""
    stmt = list_query(principal, kind, status)
    total = await count(session, stmt)
    rows = await session.execute(
        stmt.order_by(ImportJob.created_at.desc(), ImportJob.id.desc()).offset(offset).limit(limit)
    )
    return [dict(r._mapping) for r in rows], total


async def set_progress(
    session: AsyncSession, job_id: uuid.UUID, done: int, total: int
) -> str | None:
    """Record progress; returns the job's status (so a cancelled job can stop).

    The commit does not wait for the disk: a progress figure lost in a crash is harmless,
    while a flush per batch would also flush the import's own pending WAL, a hundred times.
    """
    await session.execute(text("SET LOCAL synchronous_commit = off"))
    status: str | None = await session.scalar(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(done_rows=done, total_rows=total, heartbeat_at=func.now())
        .returning(ImportJob.status)
    )
    return status


async def locked_status(session: AsyncSession, job_id: uuid.UUID) -> str | None:
    """The job's status, locking its row until the transaction ends."""
    with session.no_autoflush:
        status: str | None = await session.scalar(
            select(ImportJob.status)
            .where(ImportJob.id == job_id)
            .with_for_update()
            .execution_options(populate_existing=False)
        )
    return status


async def mark_failed(
    session: AsyncSession,
    job_id: uuid.UUID,
    errors: list[dict[str, Any]],
    status: str,
    running: str,
) -> None:
    """End a job that is still `running` with `errors` (a finished job is left alone)."""
    await session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status == running)
        .values(
            status=status, errors=errors, error_count=len(errors), finished_at=datetime.now(UTC)
        )
    )


async def set_cancelled(session: AsyncSession, job_id: uuid.UUID) -> None:
    await session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status.in_(RUNNING))
        .values(status=ImportStatus.CANCELLED.value, finished_at=datetime.now(UTC))
    )


async def silent_running(session: AsyncSession, before: datetime) -> list[tuple[uuid.UUID, str]]:
    """Validating or committing jobs with no sign of life since `before` (recovery)."""
    rows = await session.execute(
        select(ImportJob.id, ImportJob.status)
        .where(
            ImportJob.status.in_(RUNNING),
            func.coalesce(ImportJob.heartbeat_at, ImportJob.created_at) < before,
        )
        .order_by(ImportJob.created_at)
        .limit(100)
    )
    return [(r[0], r[1]) for r in rows]


async def touch_running(session: AsyncSession, job_id: uuid.UUID, status: str) -> bool:
    """Record a sign of life of a job still in `status`; False if it is not any more."""
    found = await session.scalar(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status == status)
        .values(heartbeat_at=func.now())
        .returning(ImportJob.id)
    )
    return found is not None


async def lock_running(session: AsyncSession, job_id: uuid.UUID, status: str) -> ImportJob | None:
    """The job, locked, if it is still in `status` (without its file)."""
    stmt = (
        select(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status == status)
        .options(defer(ImportJob.content))
        .with_for_update()
    )
    return (await session.execute(stmt)).scalar_one_or_none()
