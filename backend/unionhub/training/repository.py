"""Every SQL statement of the training domain, built on the scope helper.

Qualifications are scoped by their member's union. A course is visible to whoever sees its
organising union, and to the unions it invites and the unions under them (`scope.reaches`);
roster rows are visible to the organiser's side and to whoever sees the participant's union.
"""

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Row,
    and_,
    case,
    cast,
    delete,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import (
    in_scope,
    reaches,
    subtree_by_child,
    subtree_ids,
    union_ids_as_of,
)
from unionhub.core.kept import Kept
from unionhub.core.pagination import AnySelect
from unionhub.members.models import CadreAssignment, CadrePost, Member
from unionhub.training.models import (
    CONFIRMATION_CUTOFF,
    INDICATOR_KINDS,
    LEVELS,
    RANK_OVERRIDE,
    Attendance,
    Course,
    CourseInvitation,
    CourseKind,
    CourseStatus,
    Evidence,
    Participant,
    ParticipantResult,
    ParticipantStatus,
    PostRequirement,
    Qualification,
    QualificationFacts,
    QualificationKind,
    Spending,
    SpendingStatus,
    top_rank,
)
from unionhub.unions.models import Union, UnionLevel, UnionPeriod

P = Permission
READ = P.TRAINING_READ
# Leaders of a union: the posts the political-theory target counts.
LEADER_POSTS = (CadrePost.CHAIR.value, CadrePost.VICE_CHAIR.value)


# ------------------------------------------------------------------ qualification rules in SQL


def rank_of(kind: Any, level: Any) -> Any:
    """SQL: the rank of (kind, level) as `models.rank` gives it."""
    whens = []
    for k, levels in LEVELS.items():
        for i, lv in enumerate(levels, start=1):
            whens.append((and_(kind == k.value, level == lv), RANK_OVERRIDE.get((k, lv), i)))
    return case(*whens, else_=0)


def counting(q: Any = Qualification) -> Any:
    """SQL: the record counts towards the current level (see models.counts)."""
    return or_(
        q.evidence == Evidence.DIPLOMA.value,
        and_(q.issued_on.is_not(None), q.issued_on < CONFIRMATION_CUTOFF),
    )


# ------------------------------------------------------------------ members and qualifications


async def member_in_scope(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> tuple[Member, str] | None:
    """The member and their union's path, if the caller may read the member."""
    stmt = (
        select(Member, Union.path)
        .join(Union, Union.id == Member.union_id)
        .where(Member.id == member_id, in_scope(principal, Member.union_id, P.MEMBERS_READ))
    )
    if for_update:
        stmt = stmt.with_for_update(of=Member)
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1]) if row else None


async def qualifications_of(session: AsyncSession, member_id: uuid.UUID) -> list[Qualification]:
    stmt = (
        select(Qualification)
        .where(Qualification.member_id == member_id)
        .order_by(
            Qualification.issued_on.desc().nulls_last(),
            Qualification.created_at.desc(),
            Qualification.id,
        )
    )
    return list((await session.scalars(stmt)).all())


async def get_qualification(
    session: AsyncSession, member_id: uuid.UUID, qualification_id: uuid.UUID
) -> Qualification | None:
    stmt = (
        select(Qualification)
        .where(Qualification.id == qualification_id, Qualification.member_id == member_id)
        .with_for_update()
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def course_qualification(
    session: AsyncSession, member_id: uuid.UUID, course_id: uuid.UUID
) -> Qualification | None:
    stmt = select(Qualification).where(
        Qualification.member_id == member_id, Qualification.course_id == course_id
    )
    return (await session.execute(stmt.limit(1))).scalar_one_or_none()


# ------------------------------------------------------------------ course kinds


async def list_kinds(session: AsyncSession) -> list[CourseKind]:
    stmt = select(CourseKind).order_by(CourseKind.code)
    return list((await session.scalars(stmt)).all())


async def kind_by_code(session: AsyncSession, code: str) -> CourseKind | None:
    return (
        await session.execute(select(CourseKind).where(CourseKind.code == code))
    ).scalar_one_or_none()


# ------------------------------------------------------------------ courses


def course_visible(principal: Principal) -> Any:
    invited = exists().where(
        CourseInvitation.course_id == Course.id,
        reaches(principal, CourseInvitation.union_id, READ),
    )
    return or_(in_scope(principal, Course.organiser_union_id, READ), invited)


def _course_columns() -> tuple[Any, ...]:
    return (Course, CourseKind, Union.name, Union.path)


async def get_course(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, *, for_update: bool = False
) -> Row[Course, CourseKind, str, str] | None:
    """(course, its kind, organiser name, organiser path) if the caller may see the course."""
    stmt = (
        select(*_course_columns())
        .join(CourseKind, CourseKind.id == Course.kind_id)
        .join(Union, Union.id == Course.organiser_union_id)
        .where(Course.id == course_id, course_visible(principal))
    )
    if for_update:
        stmt = stmt.with_for_update(of=Course)
    row: Row[Course, CourseKind, str, str] | None = (await session.execute(stmt)).one_or_none()
    return row


def courses_query(
    principal: Principal,
    *,
    union_id: uuid.UUID | None,
    year: int | None,
    status: list[str] | None,
    kind_id: uuid.UUID | None,
    starts_from: date | None,
    starts_to: date | None,
) -> AnySelect:
    where: list[Any] = [course_visible(principal)]
    if union_id is not None:
        where.append(Course.organiser_union_id.in_(subtree_ids(union_id)))
    if year is not None:
        where.append(func.extract("year", Course.starts_on) == year)
    if status:
        where.append(Course.status.in_(status))
    if kind_id is not None:
        where.append(Course.kind_id == kind_id)
    if starts_from is not None:
        where.append(Course.ends_on >= starts_from)
    if starts_to is not None:
        where.append(Course.starts_on <= starts_to)
    return (
        select(*_course_columns())
        .join(CourseKind, CourseKind.id == Course.kind_id)
        .join(Union, Union.id == Course.organiser_union_id)
        .where(*where)
        .order_by(Course.starts_on.desc(), Course.title, Course.id)
    )


async def invitations(
    session: AsyncSession, course_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[uuid.UUID, str, str]]]:
    """(union id, name, path) of each course's invited unions."""
    out: dict[uuid.UUID, list[tuple[uuid.UUID, str, str]]] = {c: [] for c in course_ids}
    if not course_ids:
        return out
    stmt = (
        select(CourseInvitation.course_id, CourseInvitation.union_id, Union.name, Union.path)
        .join(Union, Union.id == CourseInvitation.union_id)
        .where(CourseInvitation.course_id.in_(course_ids))
        .order_by(Union.name)
    )
    for cid, uid, name, path in (await session.execute(stmt)).all():
        out[cid].append((uid, name, path))
    return out


async def roster_counts(
    session: AsyncSession,
    principal: Principal,
    course_ids: list[uuid.UUID],
    managed: set[uuid.UUID],
) -> dict[uuid.UUID, dict[str, int]]:
    """Roster rows per status (and `completed`) of each course: all rows of the courses the
    caller organises (`managed`), the rows of unions in the caller's scope otherwise."""
    out: dict[uuid.UUID, dict[str, int]] = {c: {} for c in course_ids}
    if not course_ids:
        return out
    visible = or_(
        Participant.course_id.in_(list(managed)) if managed else literal(False),
        in_scope(principal, Participant.union_id, READ),
    )
    stmt = (
        select(
            Participant.course_id,
            Participant.status,
            func.count(),
            func.count().filter(Participant.result == ParticipantResult.COMPLETED.value),
        )
        .where(Participant.course_id.in_(course_ids), visible)
        .group_by(Participant.course_id, Participant.status)
    )
    for cid, status, n, done in (await session.execute(stmt)).all():
        out[cid][status] = int(n)
        if done:
            out[cid]["completed"] = out[cid].get("completed", 0) + int(done)
    return out


async def replace_invitations(
    session: AsyncSession, course_id: uuid.UUID, union_ids: list[uuid.UUID]
) -> None:
    await session.execute(delete(CourseInvitation).where(CourseInvitation.course_id == course_id))
    for uid in dict.fromkeys(union_ids):
        session.add(CourseInvitation(course_id=course_id, union_id=uid))
    await session.flush()


# ------------------------------------------------------------------ roster


def _participant_columns() -> tuple[Any, ...]:
    attended = (
        select(func.count())
        .where(Attendance.participant_id == Participant.id, Attendance.present.is_(True))
        .correlate(Participant)
        .scalar_subquery()
    )
    return (Participant, Member.full_name, Member.card_number, Union.name, attended)


async def roster(
    session: AsyncSession,
    principal: Principal,
    course_id: uuid.UUID,
    *,
    everyone: bool,
    status: list[str] | None = None,
) -> list[Row[Participant, str, str | None, str, int]]:
    """The course's roster rows: all of them for the organiser (`everyone`), those of unions in
    the caller's scope otherwise; by union, then name."""
    where: list[Any] = [Participant.course_id == course_id]
    if not everyone:
        where.append(in_scope(principal, Participant.union_id, READ))
    if status:
        where.append(Participant.status.in_(status))
    stmt = (
        select(*_participant_columns())
        .join(Member, Member.id == Participant.member_id)
        .join(Union, Union.id == Participant.union_id)
        .where(*where)
        .order_by(Union.name, Member.search_name, Participant.id)
    )
    return list((await session.execute(stmt)).all())


async def participant_rows(
    session: AsyncSession, course_id: uuid.UUID, ids: list[uuid.UUID]
) -> list[Row[Participant, str, str | None, str, int]]:
    stmt = (
        select(*_participant_columns())
        .join(Member, Member.id == Participant.member_id)
        .join(Union, Union.id == Participant.union_id)
        .where(Participant.course_id == course_id, Participant.id.in_(ids))
        .order_by(Union.name, Member.search_name, Participant.id)
    )
    return list((await session.execute(stmt)).all())


async def participants_for_update(
    session: AsyncSession, course_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, Participant]:
    stmt = (
        select(Participant)
        .where(Participant.course_id == course_id, Participant.id.in_(ids))
        .with_for_update()
    )
    return {p.id: p for p in (await session.scalars(stmt)).all()}


async def existing_members(
    session: AsyncSession, course_id: uuid.UUID, member_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Participant]:
    stmt = select(Participant).where(
        Participant.course_id == course_id, Participant.member_id.in_(member_ids)
    )
    return {p.member_id: p for p in (await session.scalars(stmt)).all()}


async def members_with_paths(
    session: AsyncSession, principal: Principal, member_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[Member, str]]:
    """Members the caller may read, with their union's path."""
    stmt = (
        select(Member, Union.path)
        .join(Union, Union.id == Member.union_id)
        .where(Member.id.in_(member_ids), in_scope(principal, Member.union_id, P.MEMBERS_READ))
    )
    return {m.id: (m, path) for m, path in (await session.execute(stmt)).all()}


async def accepted_count(session: AsyncSession, course_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(
        Participant.course_id == course_id,
        Participant.status == ParticipantStatus.ACCEPTED.value,
    )
    return int(await session.scalar(stmt) or 0)


async def attendance_of(
    session: AsyncSession, participant_ids: list[uuid.UUID]
) -> list[Attendance]:
    if not participant_ids:
        return []
    stmt = (
        select(Attendance)
        .where(Attendance.participant_id.in_(participant_ids))
        .order_by(Attendance.session_on)
    )
    return list((await session.scalars(stmt)).all())


async def upsert_attendance(
    session: AsyncSession, session_on: date, marks: dict[uuid.UUID, bool]
) -> None:
    if not marks:
        return
    await session.execute(
        delete(Attendance).where(
            Attendance.participant_id.in_(list(marks)), Attendance.session_on == session_on
        )
    )
    session.add_all(
        Attendance(participant_id=pid, session_on=session_on, present=present)
        for pid, present in marks.items()
    )
    await session.flush()


# ------------------------------------------------------------------ compliance


def held_on(day: date) -> Any:
    """The post was held on `day` (`to_date` is the last day in it)."""
    return and_(
        CadreAssignment.from_date <= day,
        or_(CadreAssignment.to_date.is_(None), CadreAssignment.to_date >= day),
    )


def _rank_on(reached: Any, kind: QualificationKind, day: date) -> Any:
    """SQL: the rank held on `day` from a `QualificationFacts` array of first days per rank
    (0 without a counting record then, or without a facts row)."""
    top = top_rank(kind)
    return case(*[(reached[r] <= day, r) for r in range(top, 0, -1)], else_=0)


def _facts_on(facts: Any, as_of: date, term_start: date) -> dict[str, Any]:
    """A person's qualification facts on `as_of` from their `QualificationFacts` row (`facts`,
    outer-joined): the best counting professional (`prof`) and political-theory (`pt`) ranks
    held that day, and whether they were trained in union work between `term_start` and
    `as_of` (`uw`)."""
    prof, pt, _ = INDICATOR_KINDS
    trained = facts.union_work_on.op("&&", return_type=Boolean)(
        func.daterange(term_start, as_of, "[]")
    )
    return {
        "prof": _rank_on(facts.professional_on, prof, as_of),
        "pt": _rank_on(facts.political_theory_on, pt, as_of),
        "uw": func.coalesce(trained, False),
    }


def _person_facts(facts: Any, as_of: date, term_start: date) -> list[Any]:
    """`_facts_on` as labelled columns."""
    return [expr.label(name) for name, expr in _facts_on(facts, as_of, term_start).items()]


def _posts_held(principal: Principal, root_id: uuid.UUID, as_of: date) -> tuple[Any, Any, Any]:
    """(select, units, is-leader) of the posts held on `as_of` in unions under the root in the
    tree of that day and in the caller's scope then; the caller adds its columns."""
    units = subtree_by_child(root_id, as_of)
    leader = and_(
        CadreAssignment.post.in_(LEADER_POSTS), Union.level == UnionLevel.DIRECT_SUPERIOR.value
    )
    posts = (
        select()
        .select_from(CadreAssignment)
        .join(units, units.c.id == CadreAssignment.union_id)
        .join(Union, Union.id == CadreAssignment.union_id)
        .where(held_on(as_of), *_visible(principal, root_id, as_of, CadreAssignment.union_id))
    )
    return posts, units, leader


# The compliance statements, kept (`core.kept`): the bench's six days for a few callers.
_KEPT = Kept(64)


def _visible_key(principal: Principal) -> tuple[Any, ...]:
    """All `_visible` reads of the caller: a statement built for one caller answers for another
    with the same key."""
    return (principal.is_admin, tuple(a.union_id for a in principal.assignments))


def _visible(principal: Principal, root_id: uuid.UUID, as_of: date, union_id: Any) -> list[Any]:
    """The condition that `union_id` is in the caller's scope on `as_of`, for a union under
    the root in the tree of that day: none when the root is one of the caller's own unions
    (everything under it on a day is in their scope that day), which saves a second walk of
    the tree."""
    if sees_every_post(principal, root_id):
        return []
    return [union_id.in_(union_ids_as_of(principal, as_of))]


def sees_every_post(principal: Principal, root_id: uuid.UUID) -> bool:
    """Whether every post under the root on a day is in the caller's scope that day (an
    administrator, or the root one of the caller's own unions): `_visible` keeps them all."""
    return principal.is_admin or root_id in {a.union_id for a in principal.assignments}


def cadre_facts_query(
    principal: Principal, root_id: uuid.UUID, as_of: date, term_start: date
) -> Any:
    """One row per cadre holding a post on `as_of` in a union under the root in the tree of
    that day and in the caller's scope then: `member_id`, `full_time` (any of those posts),
    `ds_leader` (any a leader's post at a direct-superior union), and their qualification
    facts that day (`prof`, `pt`, `uw`: see `_person_facts`)."""
    return facts_of(cadres_on(principal, root_id, as_of).subquery("cadres"), as_of, term_start)


def cadres_on(
    principal: Principal, root_id: uuid.UUID, as_of: date, *, with_child: bool = False
) -> Any:
    """`cadre_facts_query`'s people without their facts: `member_id`, `full_time`,
    `ds_leader` (the same whatever the term start, so read once for several). With
    `with_child`, also `child_id`: the root's direct child the person counts under - that of
    a full-time post first, then the first by id, the root's own posts (NULL) last - from the
    same posts in the same pass (the posts the caller sees: all of them only when
    `sees_every_post`)."""
    posts, units, leader = _posts_held(principal, root_id, as_of)
    member = CadreAssignment.member_id
    stmt = posts.add_columns(
        member.label("member_id"),
        func.bool_or(CadreAssignment.full_time).label("full_time"),
        func.bool_or(leader).label("ds_leader"),
    ).group_by(member)
    if with_child:
        children = func.array_agg(
            aggregate_order_by(
                units.c.child_id,
                CadreAssignment.full_time.desc(),
                units.c.child_id.asc().nulls_last(),
            )
        )
        stmt = stmt.add_columns(children[1].label("child_id"))
    return stmt


def facts_of(cadres: Any, as_of: date, term_start: date) -> Any:
    """The people of `cadres` (a relation with `cadres_on`'s columns, and any others) with
    their qualification facts on `as_of` (`_person_facts`, `uw` since `term_start`)."""
    facts = aliased(QualificationFacts, name="qf")
    return (
        select(cadres, *_person_facts(facts, as_of, term_start))
        .select_from(cadres)
        .outerjoin(facts, facts.member_id == cadres.c.member_id)
    )


Rules = dict[Any, tuple[Callable[[Any], Any], Callable[[Any], Any]]]


def cadre_counts_query(
    principal: Principal, root_id: uuid.UUID, as_of: date, term_start: date, rules: Rules
) -> Any:
    """The cadre indicators counted in one statement: a row per direct child of the root
    (`whole` 0, `child_id`; the root's own posts have child_id NULL) and one for the whole
    subtree (`whole` 1), each with `<code>_num` and `<code>_den` per rule of `rules`
    (`(in the denominator, in the numerator)` on the names `cadre_facts_query` gives its
    columns). A person counts once per row: in the whole subtree once, whatever posts they
    hold in several children.

    The rules are evaluated per post held, on its holder's facts (one probe of
    `qualification_facts` per post), into a bit mask per post and rule side: a person is in a
    denominator when any of their posts is, in the numerator when any post is in the
    denominator and their qualifications count (the person's, the same on every post). The
    rules are written on the expressions themselves, not on columns of a subquery, so that a
    rank is only computed where a rule's condition asks for it (full-time posts, leaders'
    posts: 300 of 16,500) rather than for every post. The people are then counted distinct
    per child and over the whole subtree in one sorted pass (issue 11: a hash aggregate per
    person and child, then per row, cost a third more CPU)."""
    posts, units, leader = _posts_held(principal, root_id, as_of)
    facts = aliased(QualificationFacts, name="qf")
    post = SimpleNamespace(
        full_time=CadreAssignment.full_time,
        ds_leader=leader,
        **_facts_on(facts, as_of, term_start),
    )
    sides: list[tuple[str, Any]] = []
    for code, (inside, counted) in rules.items():
        base = inside(post)
        hit = counted(post) if base is True else and_(base, counted(post))
        sides += [(f"{code}_num", hit), (f"{code}_den", base)]
    bits = [(label, cond, 1 << i) for i, (label, cond) in enumerate(sides) if cond is not True]
    flags = sum((case((cond, bit), else_=0) for _, cond, bit in bits), literal(0))
    per_post = (
        posts.add_columns(
            CadreAssignment.member_id.label("member_id"),
            units.c.child_id.label("child_id"),
            flags.label("flags"),
        )
        .outerjoin(facts, facts.member_id == CadreAssignment.member_id)
        .subquery("posts")
    )
    bit_of = {label: bit for label, _, bit in bits}
    people = func.count(distinct(per_post.c.member_id))
    counts = [
        (
            people.filter(per_post.c.flags.op("&")(bit_of[label]) != 0)
            if label in bit_of
            else people
        ).label(label)
        for label, _ in sides
    ]
    return select(
        func.grouping(per_post.c.child_id).label("whole"), per_post.c.child_id, *counts
    ).group_by(func.grouping_sets(tuple_(per_post.c.child_id), tuple_()))


async def cadre_counts(
    session: AsyncSession,
    principal: Principal,
    root_id: uuid.UUID,
    as_of: date,
    term_start: date,
    rules: Rules,
) -> list[Row[Any]]:
    stmt = _KEPT.get(
        ("cadre_counts", _visible_key(principal), root_id, as_of, term_start, tuple(rules.items())),
        lambda: cadre_counts_query(principal, root_id, as_of, term_start, rules),
    )
    return list((await session.execute(stmt)).all())


async def spending_by_child(
    session: AsyncSession, principal: Principal, root_id: uuid.UUID, as_of: date, year: int
) -> list[tuple[uuid.UUID | None, int, int, int]]:
    """(child id, training spend, total spend, unions reporting) of the approved spending of
    `year` of the unions under the root in the tree of `as_of` (and in the caller's scope)."""
    stmt = _KEPT.get(
        ("spending_by_child", _visible_key(principal), root_id, as_of, year),
        lambda: _spending_by_child_query(principal, root_id, as_of, year),
    )
    return [(c, int(t or 0), int(a or 0), int(n)) for c, t, a, n in await session.execute(stmt)]


def _spending_by_child_query(
    principal: Principal, root_id: uuid.UUID, as_of: date, year: int
) -> AnySelect:
    units = subtree_by_child(root_id, as_of)
    return (
        select(
            units.c.child_id,
            func.sum(Spending.training_spend),
            func.sum(Spending.total_spend),
            func.count(),
        )
        .join(units, units.c.id == Spending.union_id)
        .where(
            Spending.year == year,
            Spending.status == SpendingStatus.APPROVED.value,
            *_visible(principal, root_id, as_of, Spending.union_id),
        )
        .group_by(units.c.child_id)
    )


async def children_names(
    session: AsyncSession, root_id: uuid.UUID, as_of: date
) -> list[tuple[uuid.UUID, str]]:
    """The root's direct children in the tree of `as_of`, with their names then."""
    live = and_(
        UnionPeriod.valid_from <= as_of,
        or_(UnionPeriod.valid_to.is_(None), UnionPeriod.valid_to > as_of),
    )
    stmt = (
        select(UnionPeriod.union_id, UnionPeriod.name)
        .where(UnionPeriod.parent_id == root_id, live)
        .order_by(UnionPeriod.name)
    )
    return [(u, n) for u, n in await session.execute(stmt)]


def people_query(
    principal: Principal, root_id: uuid.UUID, as_of: date, term_start: date, where: Any
) -> AnySelect:
    """The cadres behind the indicators, one row per person matching `where` (on the facts
    subquery's columns, see `people_columns`): facts, name, card number, union name."""
    facts = people_facts(principal, root_id, as_of, term_start)
    return (
        select(facts, Member.full_name, Member.card_number, Union.name)
        .join(Member, Member.id == facts.c.member_id)
        .join(Union, Union.id == Member.union_id)
        .where(where(facts.c))
        .order_by(Member.search_name, Member.id)
    )


def people_facts(principal: Principal, root_id: uuid.UUID, as_of: date, term_start: date) -> Any:
    return cadre_facts_query(principal, root_id, as_of, term_start).subquery("facts")


# ------------------------------------------------------------------ spending


def _course_budgets(union_id: Any, year: Any) -> AnySelect:
    """The budgets (actual, else planned) of the union's own courses starting in the year, not
    cancelled: the suggested training spend."""
    return select(
        func.coalesce(func.sum(func.coalesce(Course.actual_budget, Course.planned_budget)), 0)
    ).where(
        Course.organiser_union_id == union_id,
        Course.starts_on.between(func.make_date(year, 1, 1), func.make_date(year, 12, 31)),
        Course.status != "cancelled",
    )


async def suggested_training_spend(session: AsyncSession, union_id: uuid.UUID, year: int) -> int:
    return int(await session.scalar(_course_budgets(union_id, year)) or 0)


def _spending_columns() -> tuple[Any, ...]:
    parent = aliased(Union, name="parent")
    suggested = (
        _course_budgets(Spending.union_id, Spending.year).correlate(Spending).scalar_subquery()
    )
    parent_path = select(parent.path).where(parent.id == Union.parent_id).scalar_subquery()
    return (Spending, Union.name, suggested, parent_path, Union.path)


def spending_query(
    principal: Principal, union_id: uuid.UUID | None, year: int | None, status: list[str] | None
) -> AnySelect:
    where: list[Any] = [in_scope(principal, Spending.union_id, READ)]
    if union_id is not None:
        where.append(Spending.union_id.in_(subtree_ids(union_id)))
    if year is not None:
        where.append(Spending.year == year)
    if status:
        where.append(Spending.status.in_(status))
    return (
        select(*_spending_columns())
        .join(Union, Union.id == Spending.union_id)
        .where(*where)
        .order_by(Spending.year.desc(), Union.name, Spending.id)
    )


async def get_spending(
    session: AsyncSession, principal: Principal, spending_id: uuid.UUID, *, for_update: bool
) -> Row[Any] | None:
    stmt = (
        select(*_spending_columns())
        .join(Union, Union.id == Spending.union_id)
        .where(Spending.id == spending_id, in_scope(principal, Spending.union_id, READ))
    )
    if for_update:
        stmt = stmt.with_for_update(of=Spending)
    return (await session.execute(stmt)).one_or_none()


async def spending_exists(session: AsyncSession, union_id: uuid.UUID, year: int) -> bool:
    stmt = select(Spending.id).where(Spending.union_id == union_id, Spending.year == year)
    return (await session.scalar(stmt)) is not None


# ------------------------------------------------------------------ due for training


def due_query(
    principal: Principal,
    root_id: uuid.UUID | Sequence[uuid.UUID],
    as_of: date,
    *,
    overdue_only: bool,
) -> AnySelect:
    """Posts held on `as_of` under the root (or any of several roots: each post once) in
    today's tree and the caller's scope, whose holder lacks what an active post requirement
    asks, with the day it was due: one row per post and requirement, the longest overdue
    first."""
    roots = [root_id] if isinstance(root_id, uuid.UUID) else list(root_id)
    due_on = cast(
        CadreAssignment.from_date + func.make_interval(0, PostRequirement.within_months), Date
    )
    has_it = exists().where(
        Qualification.member_id == CadreAssignment.member_id,
        Qualification.kind == PostRequirement.kind,
        counting(),
        or_(Qualification.issued_on.is_(None), Qualification.issued_on <= as_of),
        rank_of(Qualification.kind, Qualification.level)
        >= rank_of(PostRequirement.kind, PostRequirement.min_level),
    )
    best = (
        select(Qualification.level)
        .where(
            Qualification.member_id == CadreAssignment.member_id,
            Qualification.kind == PostRequirement.kind,
            counting(),
            or_(Qualification.issued_on.is_(None), Qualification.issued_on <= as_of),
        )
        .order_by(rank_of(Qualification.kind, Qualification.level).desc())
        .limit(1)
        .correlate(CadreAssignment, PostRequirement)
        .scalar_subquery()
    )
    where: list[Any] = [
        PostRequirement.active.is_(True),
        CadreAssignment.post == func.any(PostRequirement.posts),
        or_(
            func.cardinality(PostRequirement.union_levels) == 0,
            Union.level == func.any(PostRequirement.union_levels),
        ),
        or_(PostRequirement.full_time_only.is_(False), CadreAssignment.full_time.is_(True)),
        held_on(as_of),
        or_(*(CadreAssignment.union_id.in_(subtree_ids(r)) for r in roots)),
        in_scope(principal, CadreAssignment.union_id, READ),
        ~has_it,
    ]
    if overdue_only:
        where.append(due_on < as_of)
    return (
        select(
            CadreAssignment,
            PostRequirement,
            Member.full_name,
            Member.card_number,
            Union.name,
            due_on.label("due_on"),
            best.label("current_level"),
        )
        .select_from(CadreAssignment)
        .join(PostRequirement, true())
        .join(Member, Member.id == CadreAssignment.member_id)
        .join(Union, Union.id == CadreAssignment.union_id)
        .where(*where)
        .order_by(due_on, Member.search_name, CadreAssignment.id, PostRequirement.code)
    )


async def list_requirements(session: AsyncSession) -> list[PostRequirement]:
    stmt = select(PostRequirement).order_by(PostRequirement.code)
    return list((await session.scalars(stmt)).all())


async def due_counts(session: AsyncSession, principal: Principal, as_of: date) -> tuple[int, int]:
    """(due, overdue): the rows of the due list under all of the caller's unions on `as_of`,
    and how many of them are past their due day (the officers' to-do line). One statement; a
    post under two of the caller's unions (a district and one of its grassroots unions) counts
    once."""
    roots = list(dict.fromkeys(a.union_id for a in principal.assignments))
    if not roots:
        return 0, 0
    rows = due_query(principal, roots, as_of, overdue_only=False).order_by(None).subquery()
    due, overdue = (
        await session.execute(select(func.count(), func.count().filter(rows.c.due_on < as_of)))
    ).one()
    return int(due), int(overdue)


async def todo_counts(session: AsyncSession, principal: Principal) -> dict[str, int]:
    """Open courses inviting the caller's unions (that it may nominate to), and nominations
    waiting on the courses it runs."""
    invited = exists().where(
        CourseInvitation.course_id == Course.id,
        reaches(principal, CourseInvitation.union_id, P.TRAINING_NOMINATE),
    )
    open_ = select(func.count()).where(Course.status == CourseStatus.OPEN.value, invited)
    waiting = (
        select(func.count())
        .select_from(Participant)
        .join(Course, Course.id == Participant.course_id)
        .where(
            Participant.status == ParticipantStatus.NOMINATED.value,
            Course.status.in_((CourseStatus.PLANNED.value, CourseStatus.OPEN.value)),
            in_scope(principal, Course.organiser_union_id, P.TRAINING_MANAGE),
        )
    )
    return {
        "open_for_nomination": int(await session.scalar(open_) or 0),
        "nominations_to_decide": int(await session.scalar(waiting) or 0),
    }


# ------------------------------------------------------------------ roster sheets, certificates


async def members_by_card(
    session: AsyncSession, principal: Principal, cards: list[str]
) -> dict[str, tuple[uuid.UUID, uuid.UUID, str]]:
    """Members the caller may read, by card number: (member id, union id, full name)."""
    if not cards:
        return {}
    stmt = select(Member.card_number, Member.id, Member.union_id, Member.full_name).where(
        Member.card_number.in_(cards), in_scope(principal, Member.union_id, P.MEMBERS_READ)
    )
    return {str(r[0]): (r[1], r[2], r[3]) for r in (await session.execute(stmt)).all()}


async def posts_held(
    session: AsyncSession, member_ids: list[uuid.UUID], day: date
) -> dict[uuid.UUID, list[str]]:
    """The posts each member holds on `day` (any union), highest first as listed."""
    out: dict[uuid.UUID, list[str]] = {}
    if not member_ids:
        return out
    stmt = (
        select(CadreAssignment.member_id, CadreAssignment.post)
        .where(CadreAssignment.member_id.in_(member_ids), held_on(day))
        .order_by(CadreAssignment.member_id, CadreAssignment.from_date)
    )
    for member_id, post in (await session.execute(stmt)).all():
        out.setdefault(member_id, []).append(post)
    return out


async def courses_of(
    session: AsyncSession, member_id: uuid.UUID
) -> list[Row[Participant, str, str, date, date, str]]:
    """Every course the member was on, newest first: the participant row, the course's title,
    kind name, first and last day and status."""
    stmt = (
        select(
            Participant,
            Course.title,
            CourseKind.name,
            Course.starts_on,
            Course.ends_on,
            Course.status,
        )
        .join(Course, Course.id == Participant.course_id)
        .join(CourseKind, CourseKind.id == Course.kind_id)
        .where(Participant.member_id == member_id)
        .order_by(Course.starts_on.desc(), Course.id)
    )
    return list((await session.execute(stmt)).all())


async def certificates_of(
    session: AsyncSession, member_id: uuid.UUID
) -> list[Row[Participant, str, str, str | None, str]]:
    """The member's course certificates (a roster row with a certificate number), newest
    first: the participant row, the course's title, kind name, provider and organiser's name."""
    stmt = (
        select(Participant, Course.title, CourseKind.name, Course.provider, Union.name)
        .join(Course, Course.id == Participant.course_id)
        .join(CourseKind, CourseKind.id == Course.kind_id)
        .join(Union, Union.id == Course.organiser_union_id)
        .where(Participant.member_id == member_id, Participant.certificate_no.is_not(None))
        .order_by(
            Participant.certificate_date.desc().nulls_last(), Course.ends_on.desc(), Course.id
        )
    )
    return list((await session.execute(stmt)).all())
