"""A person's qualification records and the current level of each kind derived from them.

The member's former single fields (education level, political-theory level) are set to the
derived levels after every change here (the member API no longer writes them), so lists and
exports that read them stay right.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import own_member, own_member_id
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.members.models import EducationLevel, Member
from unionhub.training import audited
from unionhub.training import repository as repo
from unionhub.training.models import (
    Course,
    CourseKind,
    Evidence,
    Participant,
    ParticipantResult,
    ParticipantStatus,
    Qualification,
    QualificationKind,
    QualificationSource,
    counts,
    is_level,
    rank,
)
from unionhub.training.schemas import (
    CertificateRead,
    CourseHistoryRow,
    CurrentLevel,
    MemberQualifications,
    MyCourse,
    MyTraining,
    QualificationCreate,
    QualificationRead,
    QualificationUpdate,
)

K = QualificationKind
# Professional levels as the member's single education field names them.
_EDUCATION_OF_PROFESSIONAL = {
    "intermediate": EducationLevel.VOCATIONAL.value,
    "college": EducationLevel.COLLEGE.value,
    "university": EducationLevel.UNIVERSITY.value,
    "master": EducationLevel.MASTER.value,
    "doctorate": EducationLevel.DOCTORATE.value,
}


def current_levels(records: list[Qualification], as_of: date) -> dict[str, Qualification]:
    """The highest counting record of each kind held on `as_of` (the earliest one among
    equals). A record issued after `as_of` is not held yet: the due list and the indicators
    do not count it either (a training recorded by year only is dated the 31 December of that
    year, which may be ahead of today)."""
    best: dict[str, Qualification] = {}
    for q in sorted(records, key=lambda r: (r.issued_on is None, r.issued_on, r.created_at)):
        if not holds(q, as_of):
            continue
        held = best.get(q.kind)
        if held is None or rank(q.kind, q.level) > rank(held.kind, held.level):
            best[q.kind] = q
    return best


def holds(q: Qualification, as_of: date) -> bool:
    """The record counts towards the current level on `as_of` (see `current_levels`)."""
    return counts(q.evidence, q.issued_on) and (q.issued_on is None or q.issued_on <= as_of)


def to_read(q: Qualification) -> QualificationRead:
    data = {c.key: getattr(q, c.key) for c in Qualification.__table__.columns}
    return QualificationRead.model_validate({**data, "counts": holds(q, date.today())})


def _summary(member_id: uuid.UUID, records: list[Qualification]) -> MemberQualifications:
    best = current_levels(records, date.today())
    current = [
        CurrentLevel(kind=K(k), level=best[k].level, qualification_id=best[k].id)
        for k in K
        if k.value in best
    ]
    return MemberQualifications(
        member_id=member_id, current=current, records=[to_read(q) for q in records]
    )


async def sync_member(session: AsyncSession, member: Member) -> None:
    """Set the member's education and political-theory fields to the levels derived from the
    records (none without a counting record): the member API no longer writes them, they are
    what the member and cadre lists show and filter on."""
    best = current_levels(await repo.qualifications_of(session, member.id), date.today())
    education = None
    if K.PROFESSIONAL.value in best:
        education = _EDUCATION_OF_PROFESSIONAL[best[K.PROFESSIONAL.value].level]
    elif K.GENERAL_EDUCATION.value in best:
        education = best[K.GENERAL_EDUCATION.value].level
    theory = best[K.POLITICAL_THEORY.value].level if K.POLITICAL_THEORY.value in best else None
    if (member.education_level, member.political_theory) != (education, theory):
        member.education_level = education
        member.political_theory = theory
        member.version += 1
    await session.flush()


@dataclass
class _Target:
    member: Member
    union_path: str


async def _member(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID, *, write: bool
) -> _Target:
    found = await repo.member_in_scope(session, principal, member_id, for_update=write)
    if found is None:
        raise NotFound("No member with this id.", code=ErrorCode.MEMBER_NOT_FOUND)
    member, path = found
    if write and not principal.holds_at(path, Permission.MEMBERS_WRITE):
        raise Forbidden(
            "Your role does not allow changing this member's records.",
            code=ErrorCode.PERMISSION_DENIED,
        )
    return _Target(member, path)


async def list_for_member(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> MemberQualifications:
    """Every record of the member (newest first) and the current level of each kind."""
    await _member(session, principal, member_id, write=False)
    return _summary(member_id, await repo.qualifications_of(session, member_id))


async def certificates(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> list[CertificateRead]:
    """The certificates a person received from courses, newest first. The issuer is the
    course's provider, else its organising union (as on the qualification it gives)."""
    await _member(session, principal, member_id, write=False)
    return [
        CertificateRead(
            participant_id=p.id,
            course_id=p.course_id,
            course_title=title,
            course_kind_name=kind_name,
            certificate_no=p.certificate_no,
            certificate_date=p.certificate_date,
            issuer=provider or organiser,
            result=ParticipantResult(p.result) if p.result else None,
        )
        for p, title, kind_name, provider, organiser in await repo.certificates_of(
            session, member_id
        )
    ]


async def course_history(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> list[CourseHistoryRow]:
    """Every course a person in the caller's scope was on, with the result: the training
    history on their page (what they see of themselves in `own_training`)."""
    await _member(session, principal, member_id, write=False)
    return [
        CourseHistoryRow(
            course_id=p.course_id,
            title=title,
            kind_name=kind_name,
            starts_on=starts,
            ends_on=ends,
            course_status=status,
            status=ParticipantStatus(p.status),
            result=ParticipantResult(p.result) if p.result else None,
            certificate_no=p.certificate_no,
            certificate_date=p.certificate_date,
        )
        for p, title, kind_name, starts, ends, status in await repo.courses_of(session, member_id)
    ]


async def _audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    q: Qualification,
    union_id: uuid.UUID,
    before: dict[str, object] | None,
    *,
    deleted: bool = False,
) -> None:
    await audited.record(
        session, principal, action, "qualification", q, union_id, before, deleted=deleted
    )


async def create(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID, data: QualificationCreate
) -> Qualification:
    target = await _member(session, principal, member_id, write=True)
    q = Qualification(
        member_id=member_id,
        **data.model_dump(),
        source=QualificationSource.MANUAL.value,
        version=1,
    )
    session.add(q)
    await _audit(session, principal, "create", q, target.member.union_id, None)
    await sync_member(session, target.member)
    return q


async def _load(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    qualification_id: uuid.UUID,
    if_match: int | None,
) -> tuple[_Target, Qualification]:
    target = await _member(session, principal, member_id, write=True)
    q = await repo.get_qualification(session, member_id, qualification_id)
    if q is None:
        raise NotFound("No qualification with this id.", code=ErrorCode.QUALIFICATION_NOT_FOUND)
    check_version(q, if_match, "qualification")
    return target, q


async def update(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    qualification_id: uuid.UUID,
    data: QualificationUpdate,
    if_match: int | None,
) -> Qualification:
    target, q = await _load(session, principal, member_id, qualification_id, if_match)
    given = data.model_dump(exclude_unset=True)
    level = given.get("level", q.level)
    if not is_level(q.kind, level):
        raise Unprocessable(
            "level", ErrorCode.INVALID_LEVEL, f"{level} is not a level of {q.kind}."
        )
    evidence = given.get("evidence", q.evidence)
    issued_on = given.get("issued_on", q.issued_on)
    if evidence == Evidence.CONFIRMATION.value and issued_on is None:
        raise Unprocessable(
            "issued_on",
            ErrorCode.CONFIRMATION_NEEDS_DATE,
            "A confirmation certificate needs its issue date.",
        )
    if not given:
        return q
    before = snapshot(q)
    for field, value in given.items():
        setattr(q, field, value.value if hasattr(value, "value") else value)
    q.version += 1
    await _audit(session, principal, "update", q, target.member.union_id, before)
    await sync_member(session, target.member)
    return q


async def delete(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    qualification_id: uuid.UUID,
    if_match: int | None,
) -> None:
    target, q = await _load(session, principal, member_id, qualification_id, if_match)
    before = snapshot(q)
    await session.delete(q)
    await _audit(session, principal, "delete", q, target.member.union_id, before, deleted=True)
    await sync_member(session, target.member)


async def own_training(session: AsyncSession, principal: Principal) -> MyTraining:
    """A member's own training history: qualification records with the current levels, and the
    courses they were on with the results."""
    member_id = own_member_id(principal)
    rows = await session.execute(
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
        .where(own_member(principal, Participant.member_id))
        .order_by(Course.starts_on.desc(), Course.id)
    )
    courses = [
        MyCourse(
            course_id=p.course_id,
            title=title,
            kind_name=kind_name,
            starts_on=starts,
            ends_on=ends,
            course_status=status,
            status=ParticipantStatus(p.status),
            result=ParticipantResult(p.result) if p.result else None,
            certificate_no=p.certificate_no,
            certificate_date=p.certificate_date,
        )
        for p, title, kind_name, starts, ends, status in rows
    ]
    records = await repo.qualifications_of(session, member_id)
    return MyTraining(qualifications=_summary(member_id, records), courses=courses)
