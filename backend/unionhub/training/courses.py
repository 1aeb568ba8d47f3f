"""Courses: kinds as data, the course itself (organiser, dates, seats, audience, budget,
invited unions) and its status.

The organiser's officers (`training:manage` at the organising union or above) change the
course and its roster; the unions it invites, and those under them, see it and nominate.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.training import audited
from unionhub.training import repository as repo
from unionhub.training.models import Course, CourseKind, CourseStatus
from unionhub.training.schemas import CourseCreate, CourseKindCreate, CourseUpdate

P = Permission
S = CourseStatus
# Where a course may go from each status.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PLANNED.value: frozenset({S.OPEN.value, S.RUNNING.value, S.CANCELLED.value}),
    S.OPEN.value: frozenset({S.PLANNED.value, S.RUNNING.value, S.CANCELLED.value}),
    S.RUNNING.value: frozenset({S.FINISHED.value, S.CANCELLED.value}),
    S.FINISHED.value: frozenset({S.RUNNING.value}),
    S.CANCELLED.value: frozenset({S.PLANNED.value}),
}


@dataclass
class LoadedCourse:
    course: Course
    kind: CourseKind
    organiser_name: str
    organiser_path: str

    def may_manage(self, principal: Principal) -> bool:
        return principal.holds_at(self.organiser_path, P.TRAINING_MANAGE)


async def load(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, *, for_update: bool = False
) -> LoadedCourse:
    """The course if the caller may see it (404 otherwise)."""
    row = await repo.get_course(session, principal, course_id, for_update=for_update)
    if row is None:
        raise NotFound("No course with this id.", code=ErrorCode.COURSE_NOT_FOUND)
    return LoadedCourse(row[0], row[1], row[2], row[3])


def must_manage(principal: Principal, loaded: LoadedCourse) -> None:
    if not loaded.may_manage(principal):
        raise Forbidden(
            "Only the organising union's officers manage this course.",
            code=ErrorCode.PERMISSION_DENIED,
        )


# ------------------------------------------------------------------ kinds


async def create_kind(
    session: AsyncSession, principal: Principal, data: CourseKindCreate
) -> CourseKind:
    if await repo.kind_by_code(session, data.code) is not None:
        raise Unprocessable("code", ErrorCode.CODE_TAKEN, f"A course kind {data.code} exists.")
    kind = CourseKind(
        code=data.code,
        name=data.name,
        qualification_kind=data.qualification_kind.value if data.qualification_kind else None,
        qualification_level=data.qualification_level,
        active=True,
    )
    session.add(kind)
    await session.flush()
    await audit.record(
        session,
        principal,
        "course_kind.create",
        "course_kind",
        kind.id,
        union_id=None,
        after=snapshot(kind),
    )
    await session.flush()
    return kind


# ------------------------------------------------------------------ courses


async def _check_invited(
    session: AsyncSession, principal: Principal, union_ids: list[uuid.UUID]
) -> None:
    """Invited unions must be ones the organiser's officer sees (404 for any other)."""
    for uid in dict.fromkeys(union_ids):
        await get_union_in_scope(session, principal, uid, P.TRAINING_READ)


def _values(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in data.items():
        if k == "audience_posts" and v is not None:
            v = [p.value if hasattr(p, "value") else p for p in v]
        elif hasattr(v, "value"):
            v = v.value
        out[k] = v
    return out


def _check_sessions(course: Course) -> None:
    for i, day in enumerate(course.session_dates or []):
        if not course.starts_on <= day <= course.ends_on:
            raise Unprocessable(
                f"session_dates.{i}",
                ErrorCode.SESSION_OUTSIDE_COURSE,
                "A session lies between the course's first and last day.",
            )


async def _audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    course: Course,
    before: dict[str, Any] | None,
) -> None:
    await audited.record(
        session, principal, action, "course", course, course.organiser_union_id, before
    )


async def create(session: AsyncSession, principal: Principal, data: CourseCreate) -> Course:
    await get_union_in_scope(session, principal, data.organiser_union_id, P.TRAINING_MANAGE)
    kind = await session.get(CourseKind, data.kind_id)
    if kind is None or not kind.active:
        raise Unprocessable(
            "kind_id", ErrorCode.COURSE_KIND_NOT_FOUND, "No course kind with this id."
        )
    await _check_invited(session, principal, data.invited_union_ids)
    values = _values(data.model_dump(exclude={"invited_union_ids"}))
    values["session_dates"] = sorted(set(values["session_dates"]))
    course = Course(**values, version=1)
    _check_sessions(course)
    session.add(course)
    await session.flush()
    await repo.replace_invitations(session, course.id, data.invited_union_ids)
    await _audit(session, principal, "create", course, None)
    return course


async def update(
    session: AsyncSession,
    principal: Principal,
    course_id: uuid.UUID,
    data: CourseUpdate,
    if_match: int | None,
) -> LoadedCourse:
    loaded = await load(session, principal, course_id, for_update=True)
    must_manage(principal, loaded)
    check_version(loaded.course, if_match, "course")
    given = _values(data.model_dump(exclude_unset=True))
    if not given:
        return loaded
    c = loaded.course
    status = given.get("status")
    if status is not None and status != c.status and status not in TRANSITIONS[c.status]:
        raise Conflict(
            f"A course cannot go from {c.status} to {status}.",
            code=ErrorCode.COURSE_STATUS,
            params={"from": c.status, "to": status},
        )
    invited = given.pop("invited_union_ids", None)
    if invited is not None:
        await _check_invited(session, principal, invited)
    before = snapshot(c)
    for field, value in given.items():
        setattr(c, field, sorted(set(value)) if field == "session_dates" else value)
    if c.ends_on < c.starts_on:
        raise Unprocessable(
            "ends_on", ErrorCode.ENDS_BEFORE_START, "ends_on must not be before starts_on."
        )
    _check_sessions(c)
    if invited is not None:
        await repo.replace_invitations(session, c.id, invited)
    c.version += 1
    await _audit(session, principal, "update", c, before)
    return loaded
