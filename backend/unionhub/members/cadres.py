"""Union cadres (cán bộ công đoàn): posts members hold in their union or a union above it.

A post is dated (`to_date` is the last day in it, empty while held), full-time or part-time,
and may be decided by a numbered decision. Foreign members may join a union but not hold a
post in it (Trade Union Law 2024, art. 5).
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz import scope
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    Unprocessable,
)
from unionhub.core.etag import check_version
from unionhub.members import lookups
from unionhub.members import repository as repo
from unionhub.members.models import IN_MEMBERSHIP, CadreAssignment, CadrePost, Member
from unionhub.members.schemas import CadreCreate, CadreEnd, CadreRead, CadreUpdate
from unionhub.members.service import raise_if
from unionhub.members.validation import Problem, fmt
from unionhub.unions.models import Union, UnionLevel, UnionStatus

P = Permission
C = CadrePost
GROUP_POSTS = frozenset({C.GROUP_LEADER.value, C.GROUP_DEPUTY.value})
# Posts one person holds at a time in a union.
SINGLE_HOLDER = frozenset({C.CHAIR.value, C.INSPECTION_CHAIR.value, C.GROUP_LEADER.value})
POST_ORDER = [
    C.CHAIR,
    C.VICE_CHAIR,
    C.STANDING_MEMBER,
    C.EXECUTIVE_MEMBER,
    C.INSPECTION_CHAIR,
    C.INSPECTION_MEMBER,
    C.GROUP_LEADER,
    C.GROUP_DEPUTY,
]


def _held_on(day: date) -> Any:
    return and_(
        CadreAssignment.from_date <= day,
        or_(CadreAssignment.to_date.is_(None), CadreAssignment.to_date >= day),
    )


def _read_query(day: date) -> Select[*tuple[Any, ...]]:
    return (
        select(
            CadreAssignment,
            Member.full_name,
            Member.card_number,
            Union.name,
            _held_on(day).label("current"),
            Member.education_level,
            Member.political_theory,
        )
        .join(Member, Member.id == CadreAssignment.member_id)
        .join(Union, Union.id == CadreAssignment.union_id)
    )


def _to_read(row: Any) -> CadreRead:
    post: CadreAssignment = row[0]
    data = {c.key: getattr(post, c.key) for c in CadreAssignment.__table__.columns}
    return CadreRead.model_validate(
        {
            **data,
            "member_name": row[1],
            "member_card_number": row[2],
            "union_name": row[3],
            "current": bool(row[4]),
            "education_level": row[5],
            "political_theory": row[6],
        }
    )


def _rank() -> Any:
    return case({p.value: i for i, p in enumerate(POST_ORDER)}, value=CadreAssignment.post)


async def union_cadres(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID, include_past: bool
) -> list[CadreRead]:
    """The posts of a union: those held today, or every post ever recorded."""
    if await lookups.union_in_scope(session, principal, union_id, P.MEMBERS_READ) is None:
        raise NotFound("No union with this id.", code=ErrorCode.UNION_NOT_FOUND)
    today = date.today()
    stmt = _read_query(today).where(CadreAssignment.union_id == union_id)
    if not include_past:
        stmt = stmt.where(_held_on(today))
    rows = await session.execute(
        stmt.order_by(_rank(), CadreAssignment.from_date.desc(), Member.search_name)
    )
    return [_to_read(r) for r in rows]


async def member_posts(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> list[CadreRead]:
    member = await repo.get_scoped(session, principal, member_id)
    rows = await session.execute(
        _read_query(date.today())
        .where(CadreAssignment.member_id == member.id)
        .order_by(CadreAssignment.from_date.desc(), _rank())
    )
    return [_to_read(r) for r in rows]


async def get_read(session: AsyncSession, post_id: uuid.UUID) -> CadreRead:
    row = (
        await session.execute(_read_query(date.today()).where(CadreAssignment.id == post_id))
    ).one()
    return _to_read(row)


def _dates(from_date: date, to_date: date | None, admitted: date) -> list[Problem]:
    problems: list[Problem] = []
    if from_date > date.today():
        problems.append(
            Problem(
                "from_date",
                ErrorCode.DATE_IN_FUTURE,
                "A post cannot start in the future; record it when it begins.",
                {"value": from_date, "today": date.today()},
            )
        )
    if from_date < admitted:
        problems.append(
            Problem(
                "from_date",
                ErrorCode.BEFORE_ADMISSION,
                f"The member was admitted on {fmt(admitted)}; a post cannot start before that.",
                {"value": from_date, "admitted": admitted},
            )
        )
    if to_date is not None and to_date < from_date:
        problems.append(
            Problem(
                "to_date",
                ErrorCode.BEFORE_FROM_DATE,
                "The last day in the post cannot be before its first day.",
                {"value": to_date, "from_date": from_date},
            )
        )
    return problems


async def _check_overlaps(
    session: AsyncSession,
    post_id: uuid.UUID | None,
    member_id: uuid.UUID,
    union_id: uuid.UUID,
    post: str,
    from_date: date,
    to_date: date | None,
) -> None:
    overlap = and_(
        CadreAssignment.union_id == union_id,
        CadreAssignment.post == post,
        or_(CadreAssignment.to_date.is_(None), CadreAssignment.to_date >= from_date),
        CadreAssignment.from_date <= (to_date or date.max),
    )
    if post_id is not None:
        overlap = and_(overlap, CadreAssignment.id != post_id)
    holders = list(
        (await session.execute(select(CadreAssignment.member_id).where(overlap))).scalars()
    )
    if member_id in holders:
        raise Conflict(
            "The member already holds this post in this union over these dates.",
            code=ErrorCode.POST_ALREADY_HELD,
        )
    if post in SINGLE_HOLDER and holders:
        raise Conflict(
            "Someone else holds this post in this union over these dates; end their post first.",
            code=ErrorCode.POST_TAKEN,
        )


async def create_post(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID, body: CadreCreate
) -> CadreRead:
    """Record a post held by a member in their union or a union above it."""
    member = await repo.get_scoped(session, principal, member_id, for_update=True)
    union = await lookups.union_in_scope(session, principal, body.union_id, P.MEMBERS_WRITE)
    if union is None:
        raise Unprocessable(
            "union_id",
            ErrorCode.UNION_NOT_FOUND,
            "No union with this id where you may manage cadres.",
        )
    if member.nationality != "VN":
        raise Unprocessable(
            "member_id",
            ErrorCode.FOREIGN_MEMBER_CANNOT_HOLD_POST,
            "A foreign member may belong to a union but cannot hold a post in "
            "it (Trade Union Law 2024).",
            in_="path",
        )
    if member.status not in IN_MEMBERSHIP:
        raise Conflict(
            f"A member who is {member.status} cannot hold a post.",
            code=ErrorCode.STATUS_NOT_ALLOWED,
            params={"status": member.status, "action": "hold_post"},
            extra={"member_status": member.status},
        )
    own = await scope.get_union_unscoped(
        session, member.union_id, reason="the union of a member read through the scope"
    )
    assert own is not None
    problems: list[Problem] = []
    if not scope.within(own.path, union.path):
        problems.append(
            Problem(
                "union_id",
                ErrorCode.MEMBER_NOT_UNDER_UNION,
                "The post's union must be the member's union or a union above it.",
            )
        )
    if union.status != UnionStatus.ACTIVE.value:
        problems.append(
            Problem("union_id", ErrorCode.UNION_INACTIVE, "The union is dissolved or merged.")
        )
    is_group = union.level == UnionLevel.UNION_GROUP.value
    if (body.post.value in GROUP_POSTS) != is_group:
        problems.append(
            Problem(
                "post",
                ErrorCode.POST_NOT_FOR_LEVEL,
                "Group leader and deputy are posts of a union group, and only they are.",
            )
        )
    problems += _dates(body.from_date, body.to_date, member.admission_date)
    raise_if(problems)
    await _check_overlaps(
        session, None, member.id, union.id, body.post.value, body.from_date, body.to_date
    )
    post = CadreAssignment(
        member_id=member.id,
        union_id=union.id,
        post=body.post.value,
        full_time=body.full_time,
        from_date=body.from_date,
        to_date=body.to_date,
        decision_no=body.decision_no,
        version=1,
    )
    session.add(post)
    await session.flush()
    await audit.record(
        session,
        principal,
        "cadre.create",
        "cadre_assignment",
        post.id,
        union_id=union.id,
        after=audit.snapshot(post),
    )
    await session.flush()
    return await get_read(session, post.id)


async def _load_for_write(
    session: AsyncSession, principal: Principal, post_id: uuid.UUID, if_match: int | None
) -> tuple[CadreAssignment, Member]:
    row = (
        await session.execute(
            select(CadreAssignment, Member)
            .join(Member, Member.id == CadreAssignment.member_id)
            .where(
                CadreAssignment.id == post_id,
                or_(
                    scope.in_scope(principal, CadreAssignment.union_id, P.MEMBERS_READ),
                    scope.in_scope(principal, Member.union_id, P.MEMBERS_READ),
                ),
            )
            .with_for_update(of=CadreAssignment)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No cadre post with this id.", code=ErrorCode.CADRE_POST_NOT_FOUND)
    post, member = row
    union = await scope.get_union_unscoped(
        session, post.union_id, reason="the union of a post read through the scope"
    )
    assert union is not None
    if not principal.holds_at(union.path, P.MEMBERS_WRITE):
        raise Forbidden(
            "Only an officer of the post's union may change it.", code=ErrorCode.PERMISSION_DENIED
        )
    check_version(post, if_match, "post")
    return post, member


async def update_post(
    session: AsyncSession,
    principal: Principal,
    post_id: uuid.UUID,
    body: CadreUpdate,
    if_match: int | None,
) -> CadreRead:
    """Correct a post's dates, decision or full-time flag."""
    post, member = await _load_for_write(session, principal, post_id, if_match)
    changes = body.model_dump(exclude_unset=True)
    for key in ("full_time", "from_date"):
        if key in changes and changes[key] is None:
            raise Unprocessable(key, ErrorCode.REQUIRED, "This field cannot be removed.")
    new_from = changes.get("from_date", post.from_date)
    new_to = changes.get("to_date", post.to_date)
    raise_if(
        _dates(new_from, new_to, member.admission_date)
        if {"from_date", "to_date"} & changes.keys()
        else []
    )
    await _check_overlaps(session, post.id, member.id, post.union_id, post.post, new_from, new_to)
    await _save(session, principal, post, changes, "cadre.update")
    return await get_read(session, post.id)


async def end_post(
    session: AsyncSession,
    principal: Principal,
    post_id: uuid.UUID,
    body: CadreEnd,
    if_match: int | None,
) -> CadreRead:
    """End a post held today: `to_date` is the last day in it."""
    post, _ = await _load_for_write(session, principal, post_id, if_match)
    if post.to_date is not None and post.to_date < date.today():
        raise Conflict(
            f"The post already ended on {fmt(post.to_date)}.",
            code=ErrorCode.POST_ENDED,
            params={"ended": post.to_date},
        )
    if body.to_date > date.today():
        raise Unprocessable(
            "to_date",
            ErrorCode.DATE_IN_FUTURE,
            "A post cannot be ended in the future; record it when it ends.",
            params={"value": body.to_date, "today": date.today()},
        )
    if body.to_date < post.from_date:
        raise Unprocessable(
            "to_date",
            ErrorCode.BEFORE_FROM_DATE,
            f"The post began on {fmt(post.from_date)}; it cannot end before.",
            params={"value": body.to_date, "from_date": post.from_date},
        )
    changes: dict[str, Any] = {"to_date": body.to_date}
    if body.decision_no:
        changes["decision_no"] = body.decision_no
    await _save(session, principal, post, changes, "cadre.end")
    return await get_read(session, post.id)


async def _save(
    session: AsyncSession,
    principal: Principal,
    post: CadreAssignment,
    changes: dict[str, Any],
    action: str,
) -> None:
    diff = {k: v for k, v in changes.items() if getattr(post, k) != v}
    if not diff:
        return
    before = audit.snapshot(post)
    for key, value in diff.items():
        setattr(post, key, value)
    post.version += 1
    await session.flush()
    await session.refresh(post)
    await audit.record(
        session,
        principal,
        action,
        "cadre_assignment",
        post.id,
        union_id=post.union_id,
        before=before,
        after=audit.snapshot(post),
    )
    await session.flush()
