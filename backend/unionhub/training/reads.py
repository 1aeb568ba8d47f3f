"""What readers see of courses: the course with its kind, organiser, invited unions and the
roster counted per status (the organiser counts everyone, an invited union its own)."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Unprocessable
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.training import courses, roster
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
    """Courses the caller sees, filtered; `starts_from`..`starts_to` (both inclusive) keeps the
    courses overlapping that period, as a calendar's month asks for them."""
    start, end = filters.get("starts_from"), filters.get("starts_to")
    if start is not None and end is not None and end < start:
        raise Unprocessable(
            "starts_to",
            ErrorCode.PERIOD_REVERSED,
            "starts_to must not be before starts_from.",
            in_="query",
            params={"from": start, "to": end},
        )

    async def to_items(rows: list[Any]) -> list[CourseRead]:
        return await _reads(session, principal, [tuple(r) for r in rows])

    return await paginate(session, repo.courses_query(principal, **filters), page, to_items)


@dataclass
class RosterSheet:
    """What the roster's export and print show: the course, its session days, and per roster
    row the participant, name, card, union, attendance by day and posts held."""

    loaded: courses.LoadedCourse
    sessions: list[date]
    rows: list[Any]
    marks: dict[uuid.UUID, dict[date, bool]]
    posts: dict[uuid.UUID, list[str]]


async def roster_sheet(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID
) -> RosterSheet:
    """The organiser gets the whole roster, an invited union its own people (as `roster`).
    Posts are those held when the course started (today, for a course still to come)."""
    loaded = await courses.load(session, principal, course_id)
    rows = await repo.roster(session, principal, course_id, everyone=loaded.may_manage(principal))
    marks: dict[uuid.UUID, dict[date, bool]] = {}
    for a in await repo.attendance_of(session, [r[0].id for r in rows]):
        marks.setdefault(a.participant_id, {})[a.session_on] = a.present
    day = min(date.today(), loaded.course.starts_on)
    posts = await repo.posts_held(session, [r[0].member_id for r in rows], day)
    return RosterSheet(loaded, roster.session_days(loaded), rows, marks, posts)
