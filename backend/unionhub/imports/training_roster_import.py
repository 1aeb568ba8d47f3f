"""Importing a course's roster and results from a spreadsheet in the layout of its export:
card number, attendance per session, result, score, certificate number and date.

An import job on the queue, like the round results import (`sheet_import`, on the register
imports' `engine.scan`): a dry run that reports every problem by row and column, and an
all-or-nothing commit that writes only when every row passes.

Each row is matched to a member by card number (within the caller's scope). A member not on
the roster is enrolled (accepted, within the seats) while the course is not finished; someone
nominated, declined or withdrawn must be decided on the course page first. Attendance and
results are taken only once the course is running. An empty cell leaves the value as it is,
so the export imports back unchanged. The writes go through the roster's own service
functions (`training.roster`): the same checks, audit entries and qualification records as
entering them on the course page.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict
from unionhub.imports import sheet_import, values
from unionhub.imports.headers import Column, HeaderMap, Layout
from unionhub.imports.models import ImportJob, ImportKind
from unionhub.imports.rows import CheckedBatchByBatch, Row
from unionhub.imports.training_roster_export import PARTICIPANT_STATUS, RESULT, session_header
from unionhub.imports.values import CellError
from unionhub.imports.xlsx_reader import Cell
from unionhub.training import courses, roster
from unionhub.training import repository as training_repo
from unionhub.training.courses import LoadedCourse
from unionhub.training.models import CourseStatus, ParticipantStatus
from unionhub.training.schemas import AttendanceEntry, ResultEntry, ResultsEntry

MANAGE = Permission.TRAINING_MANAGE
S = CourseStatus
RESULT_FIELDS = ("result", "score", "certificate_no", "certificate_date")
_RESULTS = values.folded_map(
    RESULT, {"đạt": "completed", "không đạt": "not_completed", "chưa hoàn thành": "not_completed"}
)
_PRESENT = {values.fold_key(v) for v in ("x", "có", "có mặt", "1", "c")}
_ABSENT = {values.fold_key(v) for v in ("vắng", "v", "k", "không", "vắng mặt", "0")}
_MARKS = "x (có mặt), vắng"


def session_key(day: date) -> str:
    return f"session_{day.isoformat()}"


def layout_for(sessions: list[date]) -> Layout:
    """The export's columns (only the card number, the sessions and the results are read)."""
    return Layout(
        (
            Column("card_number", "Số thẻ đoàn viên", ("so the", "ma doan vien"), required=True),
            Column("full_name", "Họ và tên", ("ho ten", "hoc vien"), width=30),
            Column("union_name", "Công đoàn", ("don vi", "cong doan co so"), width=40),
            Column("post", "Chức vụ"),
            Column("status", "Tình trạng", ("trang thai",)),
            *(
                Column(
                    session_key(d),
                    session_header(d),
                    (f"ngay {d.strftime('%d/%m/%Y')}", d.strftime("%d/%m/%Y")),
                )
                for d in sessions
            ),
            Column("attended", "Số buổi có mặt", kind="general"),
            Column("result", "Kết quả", ("ket qua hoc tap", "xep loai")),
            Column("score", "Điểm", ("diem so", "diem trung binh"), kind="general"),
            Column("certificate_no", "Số chứng chỉ", ("so giay chung nhan", "so hieu")),
            Column("certificate_date", "Ngày cấp chứng chỉ", ("ngay cap", "ngay cap chung chi")),
        )
    )


def score(value: Cell) -> Decimal | None:
    """A score from 0 to 100, with two decimals."""
    found = values.decimal(value, 100)
    return None if found is None else found.quantize(Decimal("0.01"))


def mark(value: Cell) -> bool | None:
    """An attendance cell: present, absent, or None when blank."""
    if value is None:
        return None
    key = values.fold_key(str(value))
    if not key:
        return None
    if key in _PRESENT:
        return True
    if key in _ABSENT:
        return False
    raise CellError(ErrorCode.INVALID_CHOICE, f"Write one of: {_MARKS}.", {"expected": _MARKS})


@dataclass
class Known:
    """A roster row as it stands: who, status, attendance and results."""

    participant_id: uuid.UUID
    status: str
    marks: dict[date, bool]
    results: dict[str, Any]


@dataclass
class Context:
    principal: Principal
    loaded: LoadedCourse
    file_name: str
    roster: dict[uuid.UUID, Known] = field(default_factory=dict)
    accepted: int = 0
    adding: int = 0
    seen: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(
        default_factory=lambda: {"added": 0, "updated": 0, "unchanged": 0}
    )


class RosterImporter(CheckedBatchByBatch):
    """Plugs a course's roster into the import passes (see `imports.rows.Importer`)."""

    kind = ImportKind.TRAINING_ROSTER.value
    permission = MANAGE

    def __init__(self, loaded: LoadedCourse, file_name: str) -> None:
        self.loaded = loaded
        self.file_name = file_name
        self.sessions = roster.session_days(loaded)
        self.layout = layout_for(self.sessions)

    def convert(self, header: HeaderMap, number: int, cells: list[Cell], today: date) -> Row | None:
        raw = {
            col.key: cells[pos]
            for pos, col in header.positions.items()
            if pos < len(cells) and cells[pos] is not None and str(cells[pos]).strip() != ""
        }
        if not raw:
            return None
        row = Row(number)
        v = row.values
        try:
            card = values.digits(raw.get("card_number"), 20)
            v["card_number"] = card.upper() if card else None
        except CellError as exc:
            v["card_number"] = None
            row.fail("card_number", exc.code, exc.message, exc.params_with(raw["card_number"]))
        else:
            if v["card_number"] is None:
                row.fail("card_number", ErrorCode.REQUIRED, "This value is required.")
        v["marks"] = {}
        for day in self.sessions:
            key = session_key(day)
            try:
                found = mark(raw.get(key))
            except CellError as exc:
                row.fail(key, exc.code, exc.message, exc.params_with(raw[key]))
                continue
            if found is not None:
                v["marks"][day] = found
        converters: dict[str, Callable[[Cell], Any]] = {
            "result": lambda c: values.choice(c, _RESULTS, RESULT),
            "score": score,
            "certificate_no": lambda c: values.text(c, 64),
            "certificate_date": values.day,
        }
        v["results"] = {}
        for key, convert in converters.items():
            if key not in raw:
                continue
            try:
                found = convert(raw[key])
            except CellError as exc:
                row.fail(key, exc.code, exc.message, exc.params_with(raw[key]))
                continue
            if found is not None:
                v["results"][key] = found
        return row

    async def begin(self, session: AsyncSession, principal: Principal, job: ImportJob) -> Context:
        ctx = Context(principal, self.loaded, self.file_name)
        course_id = self.loaded.course.id
        rows = await training_repo.roster(session, principal, course_id, everyone=True)
        marks = await training_repo.attendance_of(session, [r[0].id for r in rows])
        by_participant: dict[uuid.UUID, dict[date, bool]] = {}
        for a in marks:
            by_participant.setdefault(a.participant_id, {})[a.session_on] = a.present
        for r in rows:
            p = r[0]
            ctx.roster[p.member_id] = Known(
                p.id,
                p.status,
                by_participant.get(p.id, {}),
                {k: getattr(p, k) for k in RESULT_FIELDS},
            )
            if p.status == ParticipantStatus.ACCEPTED.value:
                ctx.accepted += 1
        return ctx

    async def check(
        self, session: AsyncSession, ctx: Context, rows: list[Row], header: HeaderMap
    ) -> None:
        cards = [r.values["card_number"] for r in rows if r.values.get("card_number")]
        found = await training_repo.members_by_card(session, ctx.principal, cards)
        for row in rows:
            self._check(ctx, row, found)

    def _check(
        self, ctx: Context, row: Row, found: dict[str, tuple[uuid.UUID, uuid.UUID, str]]
    ) -> None:
        v = row.values
        card = v["card_number"]
        if card is None:
            return
        if card in ctx.seen:
            row.fail(
                "card_number",
                ErrorCode.DUPLICATE_IN_FILE,
                f"The card {card} is already on row {ctx.seen[card]}.",
                {"value": card, "first_row": ctx.seen[card]},
            )
            return
        ctx.seen[card] = row.number
        member = found.get(card)
        if member is None:
            row.fail(
                "card_number",
                ErrorCode.MEMBER_CARD_NOT_FOUND,
                f"No member you can see has the card {card}.",
                {"value": card},
            )
            return
        v["member_id"] = member[0]
        status = ctx.loaded.course.status
        known = ctx.roster.get(member[0])
        if known is None:
            if status == S.FINISHED.value:
                row.fail(
                    "card_number",
                    ErrorCode.NOT_ON_ROSTER,
                    "Not on the roster, and the course is finished.",
                    {"value": card},
                )
                return
            seats = ctx.loaded.course.seats
            if seats is not None and ctx.accepted + ctx.adding + 1 > seats:
                row.fail(
                    "card_number",
                    ErrorCode.SEATS_FULL,
                    f"The course has {seats} seats.",
                    {
                        "value": card,
                        "seats": seats,
                        "taken": ctx.accepted + ctx.adding,
                        "adding": 1,
                    },
                )
                return
        elif known.status != ParticipantStatus.ACCEPTED.value:
            row.fail(
                "card_number",
                ErrorCode.PARTICIPANT_NOT_ACCEPTED,
                f"This person is {known.status} on the roster, not accepted.",
                {"value": card, "status": PARTICIPANT_STATUS.get(known.status, known.status)},
            )
            return
        given = [session_key(d) for d in v["marks"]] + list(v["results"])
        if given and status not in (S.RUNNING.value, S.FINISHED.value):
            row.fail(
                given[0],
                ErrorCode.COURSE_NOT_RUNNING,
                "Attendance and results are recorded once the course is running.",
                {"status": status},
            )
            return
        if row.errors:
            return
        if known is None:
            ctx.adding += 1
            row.action = "create"
            return
        row.target_id = known.participant_id
        changed = any(known.marks.get(d) != m for d, m in v["marks"].items()) or any(
            known.results.get(k) != x for k, x in v["results"].items()
        )
        row.action = "update" if changed else "unchanged"

    async def write(
        self,
        session: AsyncSession,
        ctx: Context,
        rows: list[Row],
        idle: Callable[[], Awaitable[None]],
    ) -> None:
        await idle()
        course_id = ctx.loaded.course.id
        new = [r.values["member_id"] for r in rows if r.action == "create"]
        if new:
            for p in await roster.add_participants(session, ctx.principal, course_id, new):
                ctx.roster[p.member_id] = Known(p.id, p.status.value, {}, {})
        todo = [r for r in rows if r.action != "unchanged"]
        ctx.counts["unchanged"] += len(rows) - len(todo)
        for day in self.sessions:
            present = [
                ctx.roster[r.values["member_id"]].participant_id
                for r in todo
                if r.values["marks"].get(day) is True
            ]
            absent = [
                ctx.roster[r.values["member_id"]].participant_id
                for r in todo
                if r.values["marks"].get(day) is False
            ]
            if present or absent:
                marks = AttendanceEntry(session_on=day, present=present, absent=absent)
                await roster.record_attendance(session, ctx.principal, course_id, marks)
        results: list[ResultEntry] = []
        for r in todo:
            if not r.values["results"]:
                continue
            known = ctx.roster[r.values["member_id"]]
            merged = {**known.results, **r.values["results"]}
            results.append(
                ResultEntry(
                    participant_id=known.participant_id,
                    result=merged.get("result"),
                    score=merged.get("score"),
                    certificate_no=merged.get("certificate_no"),
                    certificate_date=merged.get("certificate_date"),
                )
            )
        for at in range(0, len(results), 2000):
            batch = ResultsEntry(results=results[at : at + 2000])
            await roster.record_results(session, ctx.principal, course_id, batch)
        for r in todo:
            ctx.counts["added" if r.action == "create" else "updated"] += 1
        await session.flush()

    def summary(self, ctx: Context) -> dict[str, Any]:
        return {"counts": dict(ctx.counts)}


# ------------------------------------------------------------------ the kind of import


async def load(
    session: AsyncSession,
    principal: Principal,
    course_id: uuid.UUID,
    file_name: str,
    committing: bool,
) -> sheet_import.Loaded:
    """The course's importer, if the caller manages the course and its roster is open (the
    commit locks the course)."""
    loaded = await courses.load(session, principal, course_id, for_update=committing)
    courses.must_manage(principal, loaded)
    if loaded.course.status == S.CANCELLED.value:
        raise Conflict(
            "The course is cancelled; its roster is closed.",
            code=ErrorCode.COURSE_CLOSED,
            params={"status": loaded.course.status},
        )
    return sheet_import.Loaded(RosterImporter(loaded, file_name), loaded.course.organiser_union_id)


SHEET = sheet_import.SheetKind(
    kind=ImportKind.TRAINING_ROSTER.value,
    permission=MANAGE,
    load=load,
    action="course.roster_import",
    entity="course",
)
