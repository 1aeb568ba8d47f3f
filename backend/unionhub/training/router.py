"""Training API: course kinds, courses with their rosters, and a member's qualifications."""

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from unionhub.auth.dependencies import IfMatch, MemberSelf, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.core.pagination import Page, PageParams, json_response, page_params
from unionhub.core.schemas import Day
from unionhub.training import compliance as indicators
from unionhub.training import courses, due, qualifications, reads, roster, spending
from unionhub.training import repository as repo
from unionhub.training.models import CourseStatus, ParticipantStatus, SpendingStatus
from unionhub.training.schemas import (
    AttendanceEntry,
    AttendanceRead,
    CertificateRead,
    Compliance,
    CompliancePerson,
    CourseCreate,
    CourseHistoryRow,
    CourseKindCreate,
    CourseKindRead,
    CourseRead,
    CourseUpdate,
    DueRow,
    IndicatorCode,
    MemberIds,
    MemberQualifications,
    MyTraining,
    NominationDecisions,
    ParticipantRead,
    QualificationCreate,
    QualificationRead,
    QualificationUpdate,
    RequirementRead,
    ResultsEntry,
    SpendingCreate,
    SpendingRead,
    SpendingSuggestion,
    SpendingTransitionBody,
    SpendingUpdate,
    TrainingTodo,
)

router = APIRouter(prefix="/api/v1/training", tags=["training"])
qualifications_router = APIRouter(
    prefix="/api/v1/members/{member_id:uuid}/qualifications", tags=["training"]
)
certificates_router = APIRouter(prefix="/api/v1/members/{member_id:uuid}", tags=["training"])

Reader = Annotated[Principal, Depends(require(Permission.TRAINING_READ))]
Manager = Annotated[Principal, Depends(require(Permission.TRAINING_MANAGE))]
Nominator = Annotated[Principal, Depends(require(Permission.TRAINING_NOMINATE))]
RulesManager = Annotated[Principal, Depends(require(Permission.TRAINING_RULES_MANAGE))]
SpendingWriter = Annotated[Principal, Depends(require(Permission.SPENDING_WRITE))]
MemberReader = Annotated[Principal, Depends(require(Permission.MEMBERS_READ))]
MemberWriter = Annotated[Principal, Depends(require(Permission.MEMBERS_WRITE))]
_WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412, 422)


# ------------------------------------------------------------------ course kinds


@router.get(
    "/course-kinds",
    operation_id="training-course-kinds-list",
    response_model=list[CourseKindRead],
    responses=problem_responses(401, 403),
    summary="Course kinds, and the qualification each gives on completion",
)
async def list_kinds(principal: Reader, session: SessionDep) -> list[CourseKindRead]:
    return [CourseKindRead.model_validate(k) for k in await repo.list_kinds(session)]


@router.post(
    "/course-kinds",
    operation_id="training-course-kinds-create",
    response_model=CourseKindRead,
    status_code=201,
    responses=problem_responses(401, 403, 422),
    summary="Add a course kind (federation-wide rule)",
)
async def create_kind(
    body: CourseKindCreate, principal: RulesManager, session: SessionDep
) -> CourseKindRead:
    return CourseKindRead.model_validate(await courses.create_kind(session, principal, body))


# ------------------------------------------------------------------ courses


@router.get(
    "/courses",
    operation_id="training-courses-list",
    response_model=Page[CourseRead],
    responses=problem_responses(401, 403, 422),
    summary="Courses you can see: organised in your subtree or inviting your union",
)
async def list_courses(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    union_id: Annotated[
        uuid.UUID | None, Query(description="Only courses organised by this union or under it")
    ] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: Annotated[list[CourseStatus] | None, Query()] = None,
    kind_id: uuid.UUID | None = None,
    starts_from: Annotated[
        Day | None,
        Query(description="Courses ending on or after this day (with `starts_to`: a period)"),
    ] = None,
    starts_to: Annotated[
        Day | None,
        Query(
            description="Courses starting on or before this day: with `starts_from`, the courses"
            " overlapping the period (a calendar's month); not before `starts_from`"
        ),
    ] = None,
) -> Page[CourseRead]:
    filters = {
        "union_id": union_id,
        "year": year,
        "status": [s.value for s in status] if status else None,
        "kind_id": kind_id,
        "starts_from": starts_from,
        "starts_to": starts_to,
    }
    return await reads.list_courses(session, principal, filters, page)


@router.post(
    "/courses",
    operation_id="training-courses-create",
    response_model=CourseRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 422),
    summary="Plan a course of your union",
)
async def create_course(
    body: CourseCreate, principal: Manager, session: SessionDep, response: Response
) -> CourseRead:
    course = await courses.create(session, principal, body)
    response.headers["Location"] = f"{router.prefix}/courses/{course.id}"
    set_etag(response, course.version)
    return await reads.get_course(session, principal, course.id)


@router.get(
    "/courses/{course_id:uuid}",
    operation_id="training-courses-get",
    response_model=CourseRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="One course",
)
async def get_course(
    course_id: uuid.UUID, principal: Reader, session: SessionDep, response: Response
) -> CourseRead:
    read = await reads.get_course(session, principal, course_id)
    set_etag(response, read.version)
    return read


@router.patch(
    "/courses/{course_id:uuid}",
    operation_id="training-courses-update",
    response_model=CourseRead,
    responses=_WRITE_ERRORS,
    summary="Change a course, its invited unions or its status (If-Match)",
)
async def update_course(
    course_id: uuid.UUID,
    body: CourseUpdate,
    principal: Manager,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> CourseRead:
    loaded = await courses.update(session, principal, course_id, body, if_match)
    set_etag(response, loaded.course.version)
    return await reads.get_course(session, principal, course_id)


# ------------------------------------------------------------------ roster


@router.get(
    "/courses/{course_id:uuid}/participants",
    operation_id="training-participants-list",
    response_model=list[ParticipantRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="The roster (the organiser sees everyone, an invited union its own people)",
)
async def participants(
    course_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
    status: Annotated[list[ParticipantStatus] | None, Query()] = None,
) -> list[ParticipantRead]:
    wanted = [s.value for s in status] if status else None
    return await roster.roster(session, principal, course_id, wanted)


@router.post(
    "/courses/{course_id:uuid}/participants",
    operation_id="training-participants-add",
    response_model=list[ParticipantRead],
    responses=_WRITE_ERRORS,
    summary="Enrol people directly (the organiser; within the seats)",
)
async def add_participants(
    course_id: uuid.UUID, body: MemberIds, principal: Manager, session: SessionDep
) -> list[ParticipantRead]:
    return await roster.add_participants(session, principal, course_id, body.member_ids)


@router.get(
    "/courses/{course_id:uuid}/nominations",
    operation_id="training-nominations-list",
    response_model=list[ParticipantRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="Nominations waiting for the organiser's decision",
)
async def nominations(
    course_id: uuid.UUID, principal: Reader, session: SessionDep
) -> list[ParticipantRead]:
    return await roster.roster(session, principal, course_id, [ParticipantStatus.NOMINATED.value])


@router.post(
    "/courses/{course_id:uuid}/nominations",
    operation_id="training-nominations-create",
    response_model=list[ParticipantRead],
    responses=_WRITE_ERRORS,
    summary="Nominate your union's cadres or members (an invited union, while open)",
)
async def nominate(
    course_id: uuid.UUID, body: MemberIds, principal: Nominator, session: SessionDep
) -> list[ParticipantRead]:
    return await roster.nominate(session, principal, course_id, body.member_ids)


@router.post(
    "/courses/{course_id:uuid}/nominations/decisions",
    operation_id="training-nominations-decide",
    response_model=list[ParticipantRead],
    responses=_WRITE_ERRORS,
    summary="Accept (within the seats) or decline nominations",
)
async def decide(
    course_id: uuid.UUID, body: NominationDecisions, principal: Manager, session: SessionDep
) -> list[ParticipantRead]:
    return await roster.decide(session, principal, course_id, body)


@router.get(
    "/courses/{course_id:uuid}/attendance",
    operation_id="training-attendance-get",
    response_model=AttendanceRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="The sessions and who was present or absent at each",
)
async def attendance(
    course_id: uuid.UUID, principal: Reader, session: SessionDep, response: Response
) -> AttendanceRead:
    sheet = await roster.attendance(session, principal, course_id)
    set_etag(response, sheet.version)
    return sheet


@router.put(
    "/courses/{course_id:uuid}/attendance",
    operation_id="training-attendance-record",
    response_model=AttendanceRead,
    responses=_WRITE_ERRORS,
    summary="Record one session's attendance for many people (replaces that session's marks; "
    "If-Match: the sheet's ETag)",
)
async def record_attendance(
    course_id: uuid.UUID,
    body: AttendanceEntry,
    principal: Manager,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> AttendanceRead:
    sheet = await roster.record_attendance(session, principal, course_id, body, if_match)
    set_etag(response, sheet.version)
    return sheet


@router.get(
    "/courses/{course_id:uuid}/results",
    operation_id="training-results-list",
    response_model=list[ParticipantRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="Accepted participants with their results and certificates",
)
async def results(
    course_id: uuid.UUID, principal: Reader, session: SessionDep
) -> list[ParticipantRead]:
    return await roster.roster(session, principal, course_id, [ParticipantStatus.ACCEPTED.value])


@router.put(
    "/courses/{course_id:uuid}/results",
    operation_id="training-results-record",
    response_model=list[ParticipantRead],
    responses=_WRITE_ERRORS,
    summary="Record results; a completed qualifying course creates the qualification record",
)
async def record_results(
    course_id: uuid.UUID, body: ResultsEntry, principal: Manager, session: SessionDep
) -> list[ParticipantRead]:
    return await roster.record_results(session, principal, course_id, body)


# ------------------------------------------------------------------ compliance

UnionQuery = Annotated[
    uuid.UUID | None, Query(description="Default: the union of your (first) role")
]
AsOf = Annotated[date | None, Query(description="Default: today")]
TermStart = Annotated[
    date | None,
    Query(description="Union-work training counts from this day (default: the term's start)"),
]


@router.get(
    "/compliance",
    operation_id="training-compliance",
    response_model=Compliance,
    responses=problem_responses(401, 403, 404, 422),
    summary="The five cadre indicators under a union and per child union, on any day",
)
async def compliance(
    principal: Reader,
    session: SessionDep,
    union_id: UnionQuery = None,
    as_of: AsOf = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Spending year")] = None,
    term_start: TermStart = None,
) -> Response:
    return json_response(
        await indicators.compliance(
            session, principal, union_id, as_of or date.today(), year=year, term_start=term_start
        )
    )


@router.get(
    "/compliance/people",
    operation_id="training-compliance-people",
    response_model=Page[CompliancePerson],
    responses=problem_responses(401, 403, 404, 422),
    summary="The people behind a cadre indicator: its denominator, each marked if counted",
)
async def compliance_people(
    principal: Reader,
    session: SessionDep,
    indicator: IndicatorCode,
    page: Annotated[PageParams, Depends(page_params)],
    union_id: UnionQuery = None,
    as_of: AsOf = None,
    counted: Annotated[
        bool | None, Query(description="Only those in (true) or outside (false) the numerator")
    ] = None,
    term_start: TermStart = None,
) -> Page[CompliancePerson]:
    return await indicators.people(
        session,
        principal,
        union_id,
        as_of or date.today(),
        indicator,
        page,
        counted=counted,
        term_start=term_start,
    )


# ------------------------------------------------------------------ due for training


@router.get(
    "/requirements",
    operation_id="training-requirements-list",
    response_model=list[RequirementRead],
    responses=problem_responses(401, 403),
    summary="Post requirements: which post needs which qualification within how long",
)
async def requirements(principal: Reader, session: SessionDep) -> list[RequirementRead]:
    return [RequirementRead.model_validate(r) for r in await repo.list_requirements(session)]


@router.get(
    "/due",
    operation_id="training-due",
    response_model=Page[DueRow],
    responses=problem_responses(401, 403, 404, 422),
    summary="Cadres due for training under a union: requirement, due since, overdue by",
)
async def due_list(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    union_id: UnionQuery = None,
    as_of: AsOf = None,
    overdue_only: Annotated[bool, Query(description="Only those past the due day")] = False,
) -> Page[DueRow]:
    day = as_of or date.today()
    return await due.due_list(session, principal, union_id, day, page, overdue_only=overdue_only)


@router.get(
    "/todo",
    operation_id="training-todo",
    response_model=TrainingTodo,
    responses=problem_responses(401, 403),
    summary="What waits for you in training (overview and menu badge)",
)
async def todo(principal: Reader, session: SessionDep) -> TrainingTodo:
    return await due.todo(session, principal, date.today())


# ------------------------------------------------------------------ qualifications


@qualifications_router.get(
    "",
    operation_id="qualifications-list",
    response_model=MemberQualifications,
    responses=problem_responses(401, 403, 404, 422),
    summary="A person's qualification records and the current level of each kind",
)
async def member_qualifications(
    member_id: uuid.UUID, principal: MemberReader, session: SessionDep
) -> MemberQualifications:
    return await qualifications.list_for_member(session, principal, member_id)


@certificates_router.get(
    "/certificates",
    operation_id="certificates-list",
    response_model=list[CertificateRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="A person's course certificates (course, number, date, issuer), newest first",
)
async def member_certificates(
    member_id: uuid.UUID, principal: MemberReader, session: SessionDep
) -> list[CertificateRead]:
    return await qualifications.certificates(session, principal, member_id)


@certificates_router.get(
    "/courses",
    operation_id="member-courses-list",
    response_model=list[CourseHistoryRow],
    responses=problem_responses(401, 403, 404, 422),
    summary="A person's training history: every course they were on, with the result, newest first",
)
async def member_courses(
    member_id: uuid.UUID, principal: MemberReader, session: SessionDep
) -> list[CourseHistoryRow]:
    return await qualifications.course_history(session, principal, member_id)


@qualifications_router.post(
    "",
    operation_id="qualifications-create",
    response_model=QualificationRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 422),
    summary="Record a qualification (level, issuer, certificate, date, evidence)",
)
async def create_qualification(
    member_id: uuid.UUID,
    body: QualificationCreate,
    principal: MemberWriter,
    session: SessionDep,
    response: Response,
) -> QualificationRead:
    q = await qualifications.create(session, principal, member_id, body)
    set_etag(response, q.version)
    return qualifications.to_read(q)


@qualifications_router.patch(
    "/{qualification_id:uuid}",
    operation_id="qualifications-update",
    response_model=QualificationRead,
    responses=_WRITE_ERRORS,
    summary="Correct a qualification record (If-Match)",
)
async def update_qualification(
    member_id: uuid.UUID,
    qualification_id: uuid.UUID,
    body: QualificationUpdate,
    principal: MemberWriter,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> QualificationRead:
    q = await qualifications.update(session, principal, member_id, qualification_id, body, if_match)
    set_etag(response, q.version)
    return qualifications.to_read(q)


@qualifications_router.delete(
    "/{qualification_id:uuid}",
    operation_id="qualifications-delete",
    status_code=204,
    responses=_WRITE_ERRORS,
    summary="Delete a qualification record entered in error (If-Match)",
)
async def delete_qualification(
    member_id: uuid.UUID,
    qualification_id: uuid.UUID,
    principal: MemberWriter,
    session: SessionDep,
    if_match: IfMatch,
) -> Response:
    await qualifications.delete(session, principal, member_id, qualification_id, if_match)
    return Response(status_code=204)


# ------------------------------------------------------------------ spending

finance_router = APIRouter(prefix="/api/v1/finance/spending", tags=["training"])


@finance_router.get(
    "",
    operation_id="spending-list",
    response_model=Page[SpendingRead],
    responses=problem_responses(401, 403, 422),
    summary="Spending figures per union and year, in your scope",
)
async def list_spending(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    union_id: Annotated[
        uuid.UUID | None, Query(description="Only this union and the unions under it")
    ] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: Annotated[list[SpendingStatus] | None, Query()] = None,
) -> Page[SpendingRead]:
    wanted = [s.value for s in status] if status else None
    return await spending.list_spending(session, principal, union_id, year, wanted, page)


@finance_router.post(
    "",
    operation_id="spending-create",
    response_model=SpendingRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Enter a union's figures of a year (a draft)",
)
async def create_spending(
    body: SpendingCreate, principal: SpendingWriter, session: SessionDep, response: Response
) -> SpendingRead:
    s = await spending.create(session, principal, body)
    set_etag(response, s.version)
    return await spending.get(session, principal, s.id)


@finance_router.get(
    "/suggestion/{union_id}/{year}",
    operation_id="spending-suggestion",
    response_model=SpendingSuggestion,
    responses=problem_responses(401, 403, 404, 422),
    summary="The training spend a union's course budgets of a year suggest (before entering it)",
)
async def spending_suggestion(
    union_id: uuid.UUID,
    year: Annotated[int, Path(ge=2000, le=2100)],
    principal: Reader,
    session: SessionDep,
) -> SpendingSuggestion:
    return await spending.suggestion(session, principal, union_id, year)


@finance_router.get(
    "/{spending_id:uuid}",
    operation_id="spending-get",
    response_model=SpendingRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="One union's figures of one year",
)
async def get_spending(
    spending_id: uuid.UUID, principal: Reader, session: SessionDep, response: Response
) -> SpendingRead:
    read = await spending.get(session, principal, spending_id)
    set_etag(response, read.version)
    return read


@finance_router.patch(
    "/{spending_id:uuid}",
    operation_id="spending-update",
    response_model=SpendingRead,
    responses=_WRITE_ERRORS,
    summary="Change the figures while draft or returned (If-Match)",
)
async def update_spending(
    spending_id: uuid.UUID,
    body: SpendingUpdate,
    principal: SpendingWriter,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> SpendingRead:
    read = await spending.update(session, principal, spending_id, body, if_match)
    set_etag(response, read.version)
    return read


@finance_router.post(
    "/{spending_id:uuid}/{action}",
    operation_id="spending-transition",
    response_model=SpendingRead,
    responses=_WRITE_ERRORS,
    summary="submit (the union), approve or return (its direct superior) (If-Match)",
    description="Returning needs `comment`: it is stored as the figures' `review_comment` and "
    "the union's `note` is left as it is. The comment stays visible through resubmission and "
    "approval until the next return replaces it (earlier comments stay in the audit trail).",
)
async def spending_transition(
    spending_id: uuid.UUID,
    action: Literal["submit", "approve", "return"],
    principal: Reader,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
    body: SpendingTransitionBody | None = None,
) -> SpendingRead:
    comment = body.comment if body else None
    read = await spending.transition(session, principal, spending_id, action, if_match, comment)
    set_etag(response, read.version)
    return read


me_router = APIRouter(prefix="/api/v1/me", tags=["member self-service"])


@me_router.get(
    "/training",
    operation_id="me-training",
    response_model=MyTraining,
    responses=problem_responses(401, 403),
    summary="My training history: qualifications (with current levels) and courses",
)
async def my_training(principal: MemberSelf, session: SessionDep) -> MyTraining:
    return await qualifications.own_training(session, principal)
