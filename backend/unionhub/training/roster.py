"""A course's roster: the organiser adds people directly or decides on the nominations the
invited unions send (within the seats); attendance per session in bulk; results, and for a
course kind that qualifies, the qualification record each completion creates.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import within
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.members.models import Member
from unionhub.training import audited, courses, qualifications
from unionhub.training import repository as repo
from unionhub.training.courses import LoadedCourse
from unionhub.training.models import (
    CourseStatus,
    Evidence,
    Participant,
    ParticipantResult,
    ParticipantStatus,
    Qualification,
    QualificationSource,
)
from unionhub.training.schemas import (
    AttendanceEntry,
    AttendanceRead,
    AttendanceRow,
    NominationDecisions,
    ParticipantRead,
    ResultsEntry,
)

P = Permission
S = CourseStatus
PS = ParticipantStatus
CLOSED = (S.FINISHED.value, S.CANCELLED.value)


def to_read(row: Any) -> ParticipantRead:
    p: Participant = row[0]
    data = {c.key: getattr(p, c.key) for c in Participant.__table__.columns}
    return ParticipantRead.model_validate(
        {
            **data,
            "member_name": row[1],
            "member_card_number": row[2],
            "union_name": row[3],
            "sessions_attended": int(row[4] or 0),
        }
    )


async def roster(
    session: AsyncSession,
    principal: Principal,
    course_id: uuid.UUID,
    status: list[str] | None = None,
) -> list[ParticipantRead]:
    """The organiser sees the whole roster; an invited union sees its own people."""
    loaded = await courses.load(session, principal, course_id)
    rows = await repo.roster(
        session, principal, course_id, everyone=loaded.may_manage(principal), status=status
    )
    return [to_read(r) for r in rows]


def _check_open(loaded: LoadedCourse) -> None:
    if loaded.course.status in CLOSED:
        raise Conflict(
            f"The course is {loaded.course.status}; its roster is closed.",
            code=ErrorCode.COURSE_CLOSED,
            params={"status": loaded.course.status},
        )


def _check_seats(loaded: LoadedCourse, accepted: int, adding: int) -> None:
    seats = loaded.course.seats
    if seats is not None and accepted + adding > seats:
        raise Conflict(
            f"The course has {seats} seats: {accepted} are taken, {adding} more do not fit.",
            code=ErrorCode.SEATS_FULL,
            params={"seats": seats, "taken": accepted, "adding": adding},
        )


async def _members(
    session: AsyncSession, principal: Principal, member_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[Member, str]]:
    """The members, each of which the caller must see (404 for any other)."""
    found = await repo.members_with_paths(session, principal, member_ids)
    if any(mid not in found for mid in member_ids):
        raise NotFound("No member with this id.", code=ErrorCode.MEMBER_NOT_FOUND)
    return found


async def _audit_participant(
    session: AsyncSession,
    principal: Principal,
    action: str,
    p: Participant,
    before: dict[str, Any] | None,
) -> None:
    await audited.record(session, principal, action, "course_participant", p, p.union_id, before)


async def _rows(
    session: AsyncSession, course_id: uuid.UUID, participants: list[Participant]
) -> list[ParticipantRead]:
    await session.flush()
    rows = await repo.participant_rows(session, course_id, [p.id for p in participants])
    return [to_read(r) for r in rows]


async def add_participants(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, member_ids: list[uuid.UUID]
) -> list[ParticipantRead]:
    """The organiser enrols people directly (accepted); someone declined or withdrawn earlier
    is enrolled again, someone already on the roster is left as is."""
    loaded = await courses.load(session, principal, course_id, for_update=True)
    courses.must_manage(principal, loaded)
    _check_open(loaded)
    ids = list(dict.fromkeys(member_ids))
    found = await _members(session, principal, ids)
    existing = await repo.existing_members(session, course_id, ids)
    new = [m for m in ids if m not in existing or existing[m].status != PS.ACCEPTED.value]
    _check_seats(loaded, await repo.accepted_count(session, course_id), len(new))
    touched: list[Participant] = []
    for mid in new:
        member, _ = found[mid]
        if mid in existing:
            p = existing[mid]
            before = snapshot(p)
            p.status = PS.ACCEPTED.value
            p.version += 1
            await _audit_participant(session, principal, "accept", p, before)
        else:
            p = Participant(
                course_id=course_id,
                member_id=mid,
                union_id=member.union_id,
                status=PS.ACCEPTED.value,
                version=1,
            )
            session.add(p)
            await _audit_participant(session, principal, "add", p, None)
        touched.append(p)
    return await _rows(session, course_id, touched)


async def nominate(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, member_ids: list[uuid.UUID]
) -> list[ParticipantRead]:
    """An invited union (or one under it) puts its own people forward while the course is
    open for nominations; the organiser then accepts or declines each."""
    loaded = await courses.load(session, principal, course_id, for_update=True)
    ids = list(dict.fromkeys(member_ids))
    found = await _members(session, principal, ids)
    if loaded.course.status != S.OPEN.value:
        raise Conflict(
            "The course is not open for nominations.",
            code=ErrorCode.NOMINATIONS_CLOSED,
            params={"status": loaded.course.status},
        )
    invited = (await repo.invitations(session, [course_id]))[course_id]
    existing = await repo.existing_members(session, course_id, ids)
    touched: list[Participant] = []
    for i, mid in enumerate(ids):
        member, path = found[mid]
        if not principal.holds_at(path, P.TRAINING_NOMINATE):
            raise Forbidden(
                "Your role does not allow nominating this member.", code=ErrorCode.PERMISSION_DENIED
            )
        via = [uid for uid, _, ipath in invited if within(path, ipath)]
        if not via:
            raise Unprocessable(
                f"member_ids.{i}",
                ErrorCode.UNION_NOT_INVITED,
                "The member's union is not among the unions invited to this course.",
            )
        if mid in existing and existing[mid].status in (PS.NOMINATED.value, PS.ACCEPTED.value):
            continue
        if mid in existing:
            p = existing[mid]
            before = snapshot(p)
            p.status = PS.NOMINATED.value
            p.nominated_by_union_id = via[0]
            p.version += 1
            await _audit_participant(session, principal, "nominate", p, before)
        else:
            p = Participant(
                course_id=course_id,
                member_id=mid,
                union_id=member.union_id,
                nominated_by_union_id=via[0],
                status=PS.NOMINATED.value,
                version=1,
            )
            session.add(p)
            await _audit_participant(session, principal, "nominate", p, None)
        touched.append(p)
    return await _rows(session, course_id, touched)


async def decide(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, data: NominationDecisions
) -> list[ParticipantRead]:
    """The organiser accepts (within the seats) or declines nominations."""
    loaded = await courses.load(session, principal, course_id, for_update=True)
    courses.must_manage(principal, loaded)
    _check_open(loaded)
    both = set(data.accept) & set(data.decline)
    if both:
        raise Unprocessable(
            "decline",
            ErrorCode.ACCEPT_AND_DECLINE,
            "A nomination is either accepted or declined, not both.",
        )
    ids = list(dict.fromkeys([*data.accept, *data.decline]))
    rows = await repo.participants_for_update(session, course_id, ids)
    for field, group in (("accept", data.accept), ("decline", data.decline)):
        for i, pid in enumerate(group):
            p = rows.get(pid)
            if p is None:
                raise Unprocessable(
                    f"{field}.{i}", ErrorCode.PARTICIPANT_NOT_FOUND, "No such nomination."
                )
            if p.status != PS.NOMINATED.value:
                raise Conflict(
                    f"This person is {p.status}, not waiting for a decision.",
                    code=ErrorCode.NOT_NOMINATED,
                    params={"status": p.status},
                )
    _check_seats(loaded, await repo.accepted_count(session, course_id), len(data.accept))
    for status, group in ((PS.ACCEPTED, data.accept), (PS.DECLINED, data.decline)):
        for pid in group:
            p = rows[pid]
            before = snapshot(p)
            p.status = status.value
            p.decision_note = data.note
            p.version += 1
            action = "accept" if status == PS.ACCEPTED else "decline"
            await _audit_participant(session, principal, action, p, before)
    return await _rows(session, course_id, [rows[i] for i in ids])


def session_days(loaded: LoadedCourse) -> list[date]:
    """The days attendance is taken: the course's session dates, else every day of it."""
    c = loaded.course
    if c.session_dates:
        return sorted(c.session_dates)
    return [date.fromordinal(d) for d in range(c.starts_on.toordinal(), c.ends_on.toordinal() + 1)]


async def attendance(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID
) -> AttendanceRead:
    loaded = await courses.load(session, principal, course_id)
    rows = await repo.roster(
        session,
        principal,
        course_id,
        everyone=loaded.may_manage(principal),
        status=[PS.ACCEPTED.value],
    )
    ids = [r[0].id for r in rows]
    marks: dict[uuid.UUID, AttendanceRow] = {
        i: AttendanceRow(participant_id=i, present_on=[], absent_on=[]) for i in ids
    }
    for a in await repo.attendance_of(session, ids):
        (
            marks[a.participant_id].present_on if a.present else marks[a.participant_id].absent_on
        ).append(a.session_on)
    return AttendanceRead(
        sessions=session_days(loaded),
        rows=list(marks.values()),
        version=loaded.course.attendance_version,
    )


def _session_marks(day: date, marks: dict[uuid.UUID, bool]) -> dict[str, Any]:
    return {
        "session_on": day.isoformat(),
        "present": sorted(str(pid) for pid, here in marks.items() if here),
        "absent": sorted(str(pid) for pid, here in marks.items() if not here),
    }


@dataclass(frozen=True)
class _Sheet:
    """The attendance sheet as check_version sees it: the course's attendance version."""

    version: int


async def record_attendance(
    session: AsyncSession,
    principal: Principal,
    course_id: uuid.UUID,
    data: AttendanceEntry,
    if_match: int | None = None,
) -> AttendanceRead:
    """One session's attendance for many people at once (entered again, it replaces).

    `if_match` is the sheet's version from the caller's read: the course row is locked, so of
    two officers saving the same sheet the second gets 412 and writes nothing."""
    loaded = await courses.load(session, principal, course_id, for_update=True)
    courses.must_manage(principal, loaded)
    check_version(_Sheet(loaded.course.attendance_version), if_match, "attendance sheet")
    if loaded.course.status not in (S.RUNNING.value, S.FINISHED.value):
        raise Conflict(
            "Attendance is taken once the course is running.",
            code=ErrorCode.COURSE_NOT_RUNNING,
            params={"status": loaded.course.status},
        )
    if data.session_on not in session_days(loaded):
        raise Unprocessable(
            "session_on", ErrorCode.NOT_A_SESSION, "The course has no session that day."
        )
    both = set(data.present) & set(data.absent)
    if both:
        raise Unprocessable("absent", ErrorCode.PRESENT_AND_ABSENT, "Someone is present or absent.")
    ids = list(dict.fromkeys([*data.present, *data.absent]))
    rows = await repo.participants_for_update(session, course_id, ids)
    for field, group in (("present", data.present), ("absent", data.absent)):
        for i, pid in enumerate(group):
            if pid not in rows or rows[pid].status != PS.ACCEPTED.value:
                raise Unprocessable(
                    f"{field}.{i}",
                    ErrorCode.PARTICIPANT_NOT_FOUND,
                    "No accepted participant with this id.",
                )
    marks = {pid: True for pid in data.present} | {pid: False for pid in data.absent}
    earlier = {
        a.participant_id: a.present
        for a in await repo.attendance_of(session, ids)
        if a.session_on == data.session_on
    }
    await repo.upsert_attendance(session, data.session_on, marks)
    loaded.course.attendance_version += 1
    # Who was marked what, before and after (participant ids): the entry answers "who marked
    # this person absent on that day", not only how many were there.
    await audit.record(
        session,
        principal,
        "course.attendance",
        "course",
        course_id,
        union_id=loaded.course.organiser_union_id,
        before=_session_marks(data.session_on, earlier) if earlier else None,
        after=_session_marks(data.session_on, marks),
    )
    await session.flush()
    return await attendance(session, principal, course_id)


async def _qualify(
    session: AsyncSession, loaded: LoadedCourse, p: Participant
) -> Qualification | None:
    """Create, update or remove the qualification the participant's result gives."""
    kind = loaded.kind
    course = loaded.course
    existing = await repo.course_qualification(session, p.member_id, course.id)
    completed = p.result == ParticipantResult.COMPLETED.value
    if kind.qualification_kind is None or kind.qualification_level is None:
        return None
    if not completed:
        if existing is not None and existing.source == QualificationSource.COURSE.value:
            await session.delete(existing)
        p.qualification_id = None
        return None
    q = existing
    if q is None:
        q = Qualification(
            member_id=p.member_id,
            kind=kind.qualification_kind,
            level=kind.qualification_level,
            evidence=Evidence.DIPLOMA.value,
            source=QualificationSource.COURSE.value,
            course_id=course.id,
            note=course.title[:1000],
            version=1,
        )
        session.add(q)
    else:
        q.version += 1
    q.issuer = (course.provider or loaded.organiser_name)[:255]
    q.certificate_no = p.certificate_no
    q.issued_on = p.certificate_date or course.ends_on
    await session.flush()
    p.qualification_id = q.id
    return q


async def record_results(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, data: ResultsEntry
) -> list[ParticipantRead]:
    """Results of accepted participants: completed or not, score, certificate. Completing a
    course whose kind qualifies creates the qualification record (and keeps it in step when
    the result is corrected)."""
    loaded = await courses.load(session, principal, course_id, for_update=True)
    courses.must_manage(principal, loaded)
    if loaded.course.status not in (S.RUNNING.value, S.FINISHED.value):
        raise Conflict(
            "Results are recorded once the course is running.",
            code=ErrorCode.COURSE_NOT_RUNNING,
            params={"status": loaded.course.status},
        )
    ids = [r.participant_id for r in data.results]
    if len(set(ids)) != len(ids):
        raise Unprocessable(
            "results", ErrorCode.DUPLICATE_PARTICIPANT, "One result per participant."
        )
    rows = await repo.participants_for_update(session, course_id, ids)
    for i, entry in enumerate(data.results):
        p = rows.get(entry.participant_id)
        if p is None or p.status != PS.ACCEPTED.value:
            raise Unprocessable(
                f"results.{i}.participant_id",
                ErrorCode.PARTICIPANT_NOT_FOUND,
                "No accepted participant with this id.",
            )
    for entry in data.results:
        p = rows[entry.participant_id]
        before = snapshot(p)
        p.result = entry.result.value if entry.result else None
        p.score = entry.score
        p.certificate_no = entry.certificate_no
        p.certificate_date = entry.certificate_date
        p.version += 1
        q = await _qualify(session, loaded, p)
        await _audit_participant(session, principal, "result", p, before)
        member = await session.get(Member, p.member_id, with_for_update=True)
        assert member is not None
        await qualifications.sync_member(session, member)
        if q is not None:
            await audit.record(
                session,
                principal,
                "qualification.from_course",
                "qualification",
                q.id,
                union_id=p.union_id,
                after=snapshot(q),
            )
    return await _rows(session, course_id, list(rows.values()))
