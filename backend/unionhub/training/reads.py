"""What readers see of courses: the course with its kind, organiser, invited unions and the
roster counted per status (the organiser counts everyone, an invited union its own)."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.training import courses
from unionhub.training import repository as repo
from unionhub.training.models import Course, CourseKind
from unionhub.training.schemas import CourseRead, InvitedUnion


async def _reads(
    session: AsyncSession, principal: Principal, rows: list[tuple[Course, CourseKind, str, str]]
) -> list[CourseRead]:
    ids = [r[0].id for r in rows]
    managed = {
        c.id for c, _, _, path in rows if principal.holds_at(path, Permission.TRAINING_MANAGE)
    }
    invited = await repo.invitations(session, ids)
    counts = await repo.roster_counts(session, principal, ids, managed)
    out = []
    for course, kind, organiser_name, _ in rows:
        data: dict[str, Any] = {c.key: getattr(course, c.key) for c in Course.__table__.columns}
        out.append(
            CourseRead.model_validate(
                {
                    **data,
                    "kind_code": kind.code,
                    "kind_name": kind.name,
                    "qualification_kind": kind.qualification_kind,
                    "qualification_level": kind.qualification_level,
                    "organiser_union_name": organiser_name,
                    "invited": [
                        InvitedUnion(union_id=u, union_name=n) for u, n, _ in invited[course.id]
                    ],
                    "counts": counts[course.id],
                    "may_manage": course.id in managed,
                }
            )
        )
    return out


async def get_course(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID
) -> CourseRead:
    loaded = await courses.load(session, principal, course_id)
    row = (loaded.course, loaded.kind, loaded.organiser_name, loaded.organiser_path)
    (read,) = await _reads(session, principal, [row])
    return read


async def list_courses(
    session: AsyncSession,
    principal: Principal,
    filters: dict[str, Any],
    page: PageParams,
) -> Page[CourseRead]:
    async def to_items(rows: list[Any]) -> list[CourseRead]:
        return await _reads(session, principal, [tuple(r) for r in rows])

    return await paginate(session, repo.courses_query(principal, **filters), page, to_items)
