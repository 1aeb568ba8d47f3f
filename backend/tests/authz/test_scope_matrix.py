"""The scope matrix: an officer never reaches a sibling subtree, through any endpoint.

Two union officers sit at sibling districts A and B of one province, each district with data.
Every endpoint whose path takes an id is called by one officer with the other's ids and must
answer 404 (not 403, which would confirm the id exists; not 422, which would mean validation ran
first). The same call with the officer's own ids must not be a 404, so the row proves the
route is reachable and the 404 really comes from the scope check.

The endpoints are discovered from the app: a new id-taking route fails
`test_scope_matrix[...]` until a row for it is added to MATRIX below. Rows for routes the app
does not serve (yet) are simply never collected.
"""

import itertools
import types
import typing
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import func, select

from tests.authz.routes import Endpoint, endpoints
from tests.factories import Factory
from unionhub.auth.models import MemberAccount, RoleAssignment
from unionhub.changes.webhook_models import WebhookDelivery, WebhookSubscription
from unionhub.core.audit import AuditEntry
from unionhub.enterprises.models import Enterprise
from unionhub.evaluations.models import EvaluationScheme
from unionhub.main import create_app
from unionhub.members.models import MemberChangeRequest, MemberPhoto
from unionhub.training.models import CourseKind
from unionhub.unions.models import Union

_seq = itertools.count(1)
AUTO = object()  # "synthesise a minimal valid body from the route's input model"


@dataclass
class Side:
    """One district's subtree, the ids in it, and its officer."""

    name: str
    district: str
    grassroots: str
    grassroots2: str
    group: str
    enterprise: str
    user: str  # holds a role only inside this district
    assignment: str  # that user's role assignment
    officer_user: str
    officer_assignment: str
    headers: dict[str, str]
    # member register data, built only for the endpoints that need it
    member: str = ""
    cadre_post: str = ""
    transfer_request: str = ""
    transfer_member: str = ""
    change_request: str = ""
    import_job: str = ""
    file_job: str = ""
    # strength evaluations, built only for the endpoints that need them
    round: str = ""
    evaluation: str = ""
    evidence: str = ""  # a file attached to that rating's first indicator
    # an integration client of the district, built only for the endpoints that need it,
    # with a webhook subscription and one delivery
    client: str = ""
    webhook: str = ""
    delivery: str = ""
    # a programme of the district, with a target allocated to its grassroots union
    programme: str = ""
    target: str = ""
    allocation: str = ""
    # training, built only for the endpoints that need it
    course: str = ""
    participant: str = ""
    qualification: str = ""
    spending: str = ""
    # periodic reports: a request of the district to its grassroots unions
    report_request: str = ""
    report: str = ""
    own_report: str = ""

    def ids(self) -> set[str]:
        ids = {
            self.district,
            self.grassroots,
            self.grassroots2,
            self.group,
            self.enterprise,
            self.user,
            self.assignment,
            self.officer_user,
            self.officer_assignment,
            self.member,
            self.cadre_post,
            self.transfer_request,
            self.transfer_member,
            self.change_request,
            self.client,
            self.webhook,
            self.delivery,
            self.import_job,
            self.file_job,
            self.round,
            self.evaluation,
            self.evidence,
            self.programme,
            self.target,
            self.allocation,
            self.course,
            self.participant,
            self.qualification,
            self.spending,
            self.report_request,
            self.report,
            self.own_report,
        }
        return ids - {""}


@dataclass
class World:
    province: Union
    a: Side
    b: Side


async def _side(factory: Factory, province: Union, name: str, tax_code: str) -> Side:
    district = await factory.union(province, name=f"Liên đoàn Lao động huyện {name}")
    grassroots = await factory.union(district, name=f"CĐCS Công ty {name} 1")
    grassroots2 = await factory.union(district, name=f"CĐCS Công ty {name} 2")
    group = await factory.union(grassroots, name=f"Tổ công đoàn {name}")
    enterprise = Enterprise(
        tax_code=tax_code,
        name=f"Công ty {name}",
        ownership="non_state_domestic",
        responsible_union_id=district.id,
        search_text=f"cong ty {name.lower()}",
        version=1,
    )
    factory.db.add(enterprise)
    await factory.db.flush()
    user = await factory.user("viewer", grassroots)
    officer = await factory.user("union_officer", district)
    assignment = await factory.db.scalar(
        select(RoleAssignment.id).where(RoleAssignment.user_id == user.id)
    )
    officer_assignment = await factory.db.scalar(
        select(RoleAssignment.id).where(RoleAssignment.user_id == officer.id)
    )
    return Side(
        name=name,
        district=str(district.id),
        grassroots=str(grassroots.id),
        grassroots2=str(grassroots2.id),
        group=str(group.id),
        enterprise=str(enterprise.id),
        user=str(user.id),
        assignment=str(assignment),
        officer_user=str(officer.id),
        officer_assignment=str(officer_assignment),
        headers=await factory.login(officer.username),
    )


async def _created(
    factory: Factory, url: str, body: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    r = await factory.client.post(url, json=body, headers=headers)
    assert r.status_code in (200, 201), f"matrix setup {url}: {r.status_code} {r.text}"
    out: dict[str, Any] = r.json()
    return out


async def _members(factory: Factory, side: Side, admin: dict[str, str], serial: int) -> None:
    """A member with a cadre post, and a second one with a transfer request pending inside
    the district (asked by a grassroots officer, who does not manage the receiving union)."""
    m = "/api/v1/members"
    ids = []
    for n in (1, 2):
        member = await _created(
            factory,
            m,
            {
                "full_name": f"Nguyễn Văn Thành Viên {serial}{n}",
                "date_of_birth": "1990-05-12",
                "gender": "male",
                "personal_id": f"0820900{serial}{n}{serial}{n}{serial}",
                "union_id": side.grassroots,
                "admission_date": "2020-01-01",
            },
            admin,
        )
        ids.append(member["id"])
    side.member, side.transfer_member = ids
    # A card photo, so reading and removing it with the district's own ids is not a 404.
    factory.db.add(
        MemberPhoto(
            member_id=uuid.UUID(side.member),
            content=b"\xff\xd8\xff\xd9",
            sha256="0" * 64,
            width=1,
            height=1,
            size=4,
        )
    )
    await factory.db.flush()
    post = await _created(
        factory,
        f"{m}/{side.member}/cadre-posts",
        {
            "union_id": side.grassroots,
            "post": "executive_member",
            "from_date": "2020-02-01",
        },
        admin,
    )
    side.cadre_post = post["id"]
    grassroots = await factory.db.get(Union, uuid.UUID(side.grassroots))
    assert grassroots is not None
    gro = await factory.headers_for("grassroots_officer", grassroots)
    result = await _created(
        factory,
        f"{m}/{side.transfer_member}/transfer",
        {
            "effective_date": date.today().isoformat(),
            "to_union_id": side.grassroots2,
            "reason": "Chuyển công tác",
        },
        gro,
    )
    assert result["request"] is not None, f"the transfer did not wait for acceptance: {result}"
    side.transfer_request = result["request"]["id"]


async def _change_request(factory: Factory, side: Side) -> None:
    """An identity change the district's member asked for in their own account."""
    req = MemberChangeRequest(
        member_id=uuid.UUID(side.member),
        union_id=uuid.UUID(side.grassroots),
        changes={"ethnicity": "Kinh"},
        status="pending",
    )
    factory.db.add(req)
    await factory.db.flush()
    side.change_request = str(req.id)


async def _import_job(factory: Factory, side: Side) -> None:
    """An import job of the district, uploaded by a colleague (so the officer's own audit
    trail stays empty until the calls under test)."""
    district = await factory.db.get(Union, uuid.UUID(side.district))
    assert district is not None
    colleague = await factory.headers_for("union_officer", district)
    content = "Họ và tên;Ngày sinh;Giới tính;Số định danh cá nhân;Ngày vào công đoàn;Đơn vị\n"
    content += "Nguyễn Văn Ma Trận;12/05/1990;Nam;082090000001;01/01/2020;KHONG-CO\n"
    r = await factory.client.post(
        "/api/v1/imports",
        headers=colleague,
        files={"file": ("ma-tran.csv", content.encode(), "text/csv")},
        data={"kind": "members"},
    )
    assert r.status_code == 202, f"matrix setup import: {r.status_code} {r.text}"
    side.import_job = r.json()["id"]


async def _file_job(factory: Factory, side: Side) -> None:
    """A file the district's user asked for (a file job is its asker's alone)."""
    r = await factory.client.post(
        "/api/v1/members/export-jobs", params={"format": "csv"}, headers=side.headers
    )
    assert r.status_code == 202, f"matrix setup file job: {r.status_code} {r.text}"
    side.file_job = r.json()["id"]


async def _evaluations(factory: Factory, side: Side) -> None:
    """A 2020 round of the district (opened by a colleague) and its grassroots unit's rating."""
    district = await factory.db.get(Union, uuid.UUID(side.district))
    assert district is not None
    colleague = await factory.headers_for("union_officer", district)
    scheme_id = await factory.db.scalar(
        select(EvaluationScheme.id).where(EvaluationScheme.code == "HD1294-TLD-2019")
    )
    round_ = await _created(
        factory,
        "/api/v1/evaluation-rounds",
        {"year": 2020, "scheme_id": str(scheme_id), "owner_union_id": side.district},
        colleague,
    )
    side.round = round_["id"]
    r = await factory.client.get(
        "/api/v1/evaluations",
        params={"round_id": side.round, "union_id": side.grassroots},
        headers=colleague,
    )
    assert r.status_code == 200, r.text
    (item,) = r.json()["items"]
    side.evaluation = item["id"]
    r = await factory.client.post(
        f"/api/v1/evaluations/{side.evaluation}/evidence",
        files={"file": ("bien-ban.pdf", PDF, "application/pdf")},
        data={"indicator": "1.1"},  # every variant of the 2019 scheme has it
        headers=colleague,
    )
    assert r.status_code == 201, f"matrix setup evidence: {r.status_code} {r.text}"
    side.evidence = r.json()["id"]


# A minimal file that passes the evidence check (a pdf by its signature).
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def _client(factory: Factory, side: Side) -> None:
    """An integration client of the district, registered by a colleague."""
    district = await factory.db.get(Union, uuid.UUID(side.district))
    assert district is not None
    colleague = await factory.headers_for("union_officer", district)
    created = await _created(
        factory,
        "/api/v1/clients",
        {
            "name": f"LGSP {side.name}",
            "organisation": "Sở Thông tin",
            "contact": "0277 3851 234",
            "purpose": "Nghị định 47/2020",
            "union_id": side.district,
            "permissions": ["unions:read"],
        },
        colleague,
    )
    side.client = created["id"]
    # Its subscription as rows (a subscription through the API resolves its URL's host).
    sub = WebhookSubscription(
        client_id=uuid.UUID(side.client),
        url="https://lgsp.example.vn/hook",
        event_types=[],
        secret="whsec_dGVzdA==",
        version=1,
    )
    factory.db.add(sub)
    await factory.db.flush()
    delivery = WebhookDelivery(
        subscription_id=sub.id,
        event_id=f"evt_1_{side.name}",
        event_type="union.update",
        payload={},
        status="failed",
    )
    factory.db.add(delivery)
    await factory.db.flush()
    side.webhook, side.delivery = str(sub.id), str(delivery.id)


async def _programmes(factory: Factory, side: Side) -> None:
    """A programme of the district (added by a colleague) with a target allocated to its
    grassroots union."""
    district = await factory.db.get(Union, uuid.UUID(side.district))
    assert district is not None
    colleague = await factory.headers_for("union_officer", district)
    programme = await _created(
        factory,
        "/api/v1/programmes",
        {
            "union_id": side.district,
            "number": f"{next(_seq)}/CTr",
            "title": "Chương trình phát triển đoàn viên",
            "term_start": "2020-01-01",
            "planned_end": "2025-12-31",
            "targets": [
                {
                    "title": "Kết nạp 10 đoàn viên",
                    "indicator_key": "new_members",
                    "kind": "cumulative",
                    "target_value": "10",
                }
            ],
        },
        colleague,
    )
    side.programme = programme["id"]
    side.target = programme["targets"][0]["id"]
    allocation = await _created(
        factory,
        f"/api/v1/programmes/{side.programme}/targets/{side.target}/allocations",
        {"union_id": side.grassroots, "value": "4"},
        colleague,
    )
    side.allocation = allocation["id"]


async def _training(factory: Factory, side: Side) -> None:
    """A running course of the district (planned by a colleague) with the side's member on its
    roster, and a qualification record of that member."""
    district = await factory.db.get(Union, uuid.UUID(side.district))
    assert district is not None
    colleague = await factory.headers_for("union_officer", district)
    kind_id = await factory.db.scalar(select(CourseKind.id).where(CourseKind.code == "UW-BASIC"))
    course = await _created(
        factory,
        "/api/v1/training/courses",
        {
            "kind_id": str(kind_id),
            "title": f"Bồi dưỡng nghiệp vụ {side.name}",
            "organiser_union_id": side.district,
            "starts_on": "2024-03-04",
            "ends_on": "2024-03-05",
            "status": "running",
        },
        colleague,
    )
    side.course = course["id"]
    (row,) = await _created(
        factory,
        f"/api/v1/training/courses/{side.course}/participants",
        {"member_ids": [side.member]},
        colleague,
    )
    side.participant = row["id"]
    q = await _created(
        factory,
        f"/api/v1/members/{side.member}/qualifications",
        {"kind": "it", "level": "basic"},
        colleague,
    )
    side.qualification = q["id"]
    spent = await _created(
        factory,
        "/api/v1/finance/spending",
        {
            "union_id": side.grassroots,
            "year": 2023,
            "total_spend": 100_000_000,
            "training_spend": 10_000_000,
            "source": "Báo cáo quyết toán",
        },
        colleague,
    )
    side.spending = spent["id"]


async def _reports(factory: Factory, side: Side) -> None:
    """A report request of the district (sent by a colleague) to its grassroots unions."""
    district = await factory.db.get(Union, uuid.UUID(side.district))
    assert district is not None
    colleague = await factory.headers_for("union_officer", district)
    templates = await factory.client.get("/api/v1/report-templates", headers=colleague)
    request = await _created(
        factory,
        "/api/v1/report-requests",
        {
            "union_id": side.district,
            "template_id": templates.json()[0]["id"],
            "period_from": "2026-01-01",
            "period_to": "2026-03-31",
            "deadline": "2026-04-15",
        },
        colleague,
    )
    side.report_request = request["id"]
    side.own_report = request["own_report_id"]
    reports = await factory.client.get(
        "/api/v1/reports",
        params={"request_id": request["id"], "union_id": side.grassroots},
        headers=colleague,
    )
    side.report = reports.json()["items"][0]["id"]


async def build_world(
    factory: Factory,
    *,
    members: bool = False,
    imports: bool = False,
    evaluations: bool = False,
    clients: bool = False,
    programmes: bool = False,
    files: bool = False,
    training: bool = False,
    reports: bool = False,
    change_requests: bool = False,
) -> World:
    province = await factory.union(name="Liên đoàn Lao động tỉnh Đồng Tháp")
    a = await _side(factory, province, "Cái Bè", "0100109106")
    b = await _side(factory, province, "Mỹ Tho", "0300588569")
    if evaluations:
        await _evaluations(factory, a)
        await _evaluations(factory, b)
    if members:
        admin = await factory.headers_for("admin", province)
        await _members(factory, a, admin, 1)
        await _members(factory, b, admin, 2)
        if change_requests:
            await _change_request(factory, a)
            await _change_request(factory, b)
    if imports:
        await _import_job(factory, a)
        await _import_job(factory, b)
    if clients:
        await _client(factory, a)
        await _client(factory, b)
    if programmes:
        await _programmes(factory, a)
        await _programmes(factory, b)
    if files:
        await _file_job(factory, a)
        await _file_job(factory, b)
    if training:
        await _training(factory, a)
        await _training(factory, b)
    if reports:
        await _reports(factory, a)
        await _reports(factory, b)
    return World(province, a, b)


def _needs_training(path: str) -> bool:
    training = path.startswith(("/api/v1/training", "/api/v1/finance"))
    return (
        training
        or "/qualifications" in path
        or path.endswith("/certificates")
        or path.endswith("/courses")
    )


def _needs_members(path: str) -> bool:
    return "/members" in path or path.endswith("/cadres") or _needs_training(path)


def _needs_evaluations(path: str) -> bool:
    return path.startswith("/api/v1/evaluation")


def _needs_programmes(path: str) -> bool:
    return path.startswith("/api/v1/programmes")


def _needs_reports(path: str) -> bool:
    return path.startswith(("/api/v1/report-requests", "/api/v1/reports/"))


# --- bodies ---------------------------------------------------------------------------------

_BY_NAME: dict[str, Callable[[], Any]] = {
    "code": lambda: f"MX-{next(_seq)}",
    "username": lambda: f"mx{next(_seq)}",
    "password": lambda: "Matrix-Passw0rd-2026",
    "new_password": lambda: "Matrix-Passw0rd-2026",
    "role": lambda: "viewer",
    "email": lambda: f"mx{next(_seq)}@example.vn",
    "phone": lambda: "0273 3822 111",
    "commune_code": lambda: "28435",
    "tax_code": lambda: "0100109106",
    "total_workers": lambda: 50,
    "female_workers": lambda: 20,
}
_UUID_BY_NAME: dict[str, str] = {
    "union_id": "district",
    "parent_id": "district",
    "new_parent_id": "grassroots2",
    "target_id": "grassroots2",
    "enterprise_id": "enterprise",
    "user_id": "user",
    "responsible_union_id": "district",
}


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X; Annotated[X, ...] -> X."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0])
    return annotation


def synthesize(annotation: Any, side: Side, name: str = "") -> Any:
    """A minimal valid value for a body field, using `side`'s ids for references."""
    if name in _BY_NAME:
        return _BY_NAME[name]()
    t = _unwrap(annotation)
    origin = typing.get_origin(t)
    if isinstance(t, type) and issubclass(t, BaseModel):
        return {
            key: synthesize(field.annotation, side, key)
            for key, field in t.model_fields.items()
            if field.is_required()
        }
    if t is uuid.UUID:
        return getattr(side, _UUID_BY_NAME.get(name, "district"))
    if t is date or name.endswith(("_on", "_date")):
        return "2020-06-01"
    if isinstance(t, type) and issubclass(t, Enum):
        return next(iter(t)).value
    if origin is typing.Literal:
        return typing.get_args(t)[0]
    if t is bool:
        return False
    if t is int:
        return 1
    if origin in (list, tuple, set):
        return []
    if origin is dict or t is dict:
        return {}
    if name.endswith("decision_no"):
        return "1/QĐ-MX"
    return f"Giá trị thử {next(_seq)}"


# --- the matrix -----------------------------------------------------------------------------


@dataclass
class Req:
    params: dict[str, str]
    body: Any = None
    # A multipart upload (file fields, form fields) instead of a JSON body.
    files: dict[str, Any] | None = None
    form: dict[str, str] | None = None

    def send(self, endpoint: "Endpoint", own: "Side") -> dict[str, Any]:
        if self.files is not None:
            return {"files": self.files, "data": self.form}
        return {"json": _body(endpoint, self, own)}


# A case builds the request from (own side, other side). Called with (own, foreign) it is the
# call that must be refused with 404; called with (own, own) it is the control.
Case = tuple[str, Callable[[Side, Side], Req]]


def _decision(**extra: Any) -> dict[str, Any]:
    return {"effective_date": "2020-06-01", "decision_no": "1/QĐ-MX", **extra}


U = "/api/v1/unions/{union_id}"
USR = "/api/v1/users/{user_id}"
ENT = "/api/v1/enterprises/{enterprise_id}"
MEM = "/api/v1/members/{member_id}"
IMP = "/api/v1/imports/{job_id}"
FJ = "/api/v1/file-jobs/{job_id}"
RND = "/api/v1/evaluation-rounds/{round_id}"
EVA = "/api/v1/evaluations/{evaluation_id}"
CLI = "/api/v1/clients/{client_id}"
PRG = "/api/v1/programmes/{programme_id}"
PRT = PRG + "/targets/{target_id}"
PRA = PRG + "/allocations/{allocation_id}"
CRS = "/api/v1/training/courses/{course_id}"
QUA = "/api/v1/members/{member_id}/qualifications"
SPD = "/api/v1/finance/spending/{spending_id}"
RRQ = "/api/v1/report-requests/{request_id}"
REP = "/api/v1/reports/{report_id}"

MATRIX: dict[tuple[str, str], list[Case]] = {
    ("GET", RRQ): [("request", lambda o, f: Req({"request_id": f.report_request}))],
    ("GET", f"{RRQ}/status"): [("request", lambda o, f: Req({"request_id": f.report_request}))],
    ("GET", REP): [
        ("report", lambda o, f: Req({"report_id": f.report})),
        ("own report", lambda o, f: Req({"report_id": f.own_report})),
    ],
    ("POST", f"{REP}/generate"): [("report", lambda o, f: Req({"report_id": f.report}))],
    ("PATCH", f"{REP}/values"): [("report", lambda o, f: Req({"report_id": f.report}, AUTO))],
    ("POST", f"{REP}/submit"): [("report", lambda o, f: Req({"report_id": f.report}))],
    ("POST", f"{REP}/return"): [
        ("report", lambda o, f: Req({"report_id": f.report}, {"comment": "Bổ sung"}))
    ],
    ("POST", f"{REP}/approve"): [("report", lambda o, f: Req({"report_id": f.report}))],
    ("POST", f"{REP}/consolidate"): [("report", lambda o, f: Req({"report_id": f.own_report}))],
    ("POST", f"{REP}/export-jobs"): [("report", lambda o, f: Req({"report_id": f.report}))],
    ("GET", U): [("union", lambda o, f: Req({"union_id": f.grassroots}))],
    ("PATCH", U): [
        ("union", lambda o, f: Req({"union_id": f.grassroots}, {"address": "Ấp Ma Trận"})),
        ("district", lambda o, f: Req({"union_id": f.district}, {"address": "Ấp Ma Trận"})),
        (
            "rename",
            lambda o, f: Req(
                {"union_id": f.grassroots}, {"name": "Tên mới", "decision_no": "1/QĐ-MX"}
            ),
        ),
    ],
    ("GET", f"{U}/history"): [("union", lambda o, f: Req({"union_id": f.group}))],
    ("GET", f"{U}/whereabouts"): [("union", lambda o, f: Req({"union_id": f.group}))],
    ("POST", f"{U}/move"): [
        ("union", lambda o, f: Req({"union_id": f.group}, _decision(new_parent_id=o.grassroots2))),
        (
            "new parent",
            lambda o, f: Req({"union_id": o.group}, _decision(new_parent_id=f.grassroots2)),
        ),
    ],
    ("POST", f"{U}/merge"): [
        ("union", lambda o, f: Req({"union_id": f.grassroots}, _decision(target_id=o.grassroots2))),
        (
            "target",
            lambda o, f: Req({"union_id": o.grassroots}, _decision(target_id=f.grassroots2)),
        ),
    ],
    ("POST", f"{U}/dissolve"): [
        ("union", lambda o, f: Req({"union_id": f.group}, _decision())),
    ],
    ("GET", USR): [
        ("user", lambda o, f: Req({"user_id": f.user})),
        ("officer", lambda o, f: Req({"user_id": f.officer_user})),
    ],
    ("PATCH", USR): [
        ("user", lambda o, f: Req({"user_id": f.user}, {"full_name": "Trần Thị Ma Trận"})),
    ],
    ("POST", f"{USR}/roles"): [
        (
            "user",
            lambda o, f: Req({"user_id": f.user}, {"role": "viewer", "union_id": o.grassroots2}),
        ),
        (
            "union",
            lambda o, f: Req({"user_id": o.user}, {"role": "viewer", "union_id": f.grassroots2}),
        ),
    ],
    ("DELETE", f"{USR}/roles/{{assignment_id}}"): [
        ("user", lambda o, f: Req({"user_id": f.user, "assignment_id": f.assignment})),
        ("assignment", lambda o, f: Req({"user_id": o.user, "assignment_id": f.assignment})),
    ],
    # The brief named POST; the users router serves PUT. Both rows: whichever exists is run.
    ("PUT", f"{USR}/password"): [("user", lambda o, f: Req({"user_id": f.user}, AUTO))],
    ("POST", f"{USR}/password"): [("user", lambda o, f: Req({"user_id": f.user}, AUTO))],
    ("GET", ENT): [("enterprise", lambda o, f: Req({"enterprise_id": f.enterprise}))],
    ("PATCH", ENT): [
        (
            "enterprise",
            lambda o, f: Req({"enterprise_id": f.enterprise}, {"address": "Ấp Ma Trận"}),
        ),
        (
            "responsible union",
            lambda o, f: Req({"enterprise_id": o.enterprise}, {"responsible_union_id": f.district}),
        ),
    ],
    ("GET", f"{ENT}/surveys"): [
        ("enterprise", lambda o, f: Req({"enterprise_id": f.enterprise})),
    ],
    ("POST", f"{ENT}/surveys"): [
        ("enterprise", lambda o, f: Req({"enterprise_id": f.enterprise}, AUTO)),
    ],
    ("POST", f"{ENT}/found-union"): [
        ("enterprise", lambda o, f: Req({"enterprise_id": f.enterprise}, AUTO)),
        (
            "parent",
            lambda o, f: Req(
                {"enterprise_id": o.enterprise},
                {**synthesize(_found_union_model(), o), "parent_id": f.district},
            ),
        ),
    ],
    # --- member register -----------------------------------------------------------------
    ("GET", f"{U}/cadres"): [("union", lambda o, f: Req({"union_id": f.grassroots}))],
    ("GET", MEM): [("member", lambda o, f: Req({"member_id": f.member}))],
    ("PATCH", MEM): [
        ("member", lambda o, f: Req({"member_id": f.member}, {"occupation": "Công nhân may"})),
    ],
    ("GET", f"{MEM}/history"): [("member", lambda o, f: Req({"member_id": f.member}))],
    ("GET", f"{MEM}/account"): [("member", lambda o, f: Req({"member_id": f.member}))],
    ("POST", f"{MEM}/activation-code"): [("member", lambda o, f: Req({"member_id": f.member}))],
    **{
        ("POST", f"{MEM}/account/{action}"): [("member", lambda o, f: Req({"member_id": f.member}))]
        for action in ("reset", "close", "reopen")
    },
    ("GET", f"{MEM}/photo"): [("member", lambda o, f: Req({"member_id": f.member}))],
    ("GET", f"{MEM}/photo.jpg"): [("member", lambda o, f: Req({"member_id": f.member}))],
    ("DELETE", f"{MEM}/photo"): [("member", lambda o, f: Req({"member_id": f.member}))],
    ("PUT", f"{MEM}/photo"): [
        (
            "member",
            lambda o, f: Req(
                {"member_id": f.member}, files={"file": ("anh.jpg", b"not a photo", "image/jpeg")}
            ),
        )
    ],
    **{
        ("POST", f"/api/v1/members/change-requests/{{request_id}}/{action}"): [
            ("request", lambda o, f: Req({"request_id": f.change_request}, {})),
        ]
        for action in ("approve", "reject")
    },
    **{
        ("POST", f"{MEM}/{action}"): [("member", lambda o, f: Req({"member_id": f.member}, AUTO))]
        for action in (
            "suspend",
            "resume",
            "leave",
            "strike-off",
            "expel",
            "deceased",
            "rejoin",
            "reissue-card",
        )
    },
    ("POST", f"{MEM}/transfer"): [
        (
            "member",
            lambda o, f: Req(
                {"member_id": f.member},
                {"effective_date": "2021-01-01", "to_union_id": o.grassroots2},
            ),
        ),
    ],
    ("GET", f"{MEM}/cadre-posts"): [("member", lambda o, f: Req({"member_id": f.member}))],
    ("POST", f"{MEM}/cadre-posts"): [
        (
            "member",
            lambda o, f: Req(
                {"member_id": f.member},
                {"union_id": o.grassroots, "post": "vice_chair", "from_date": "2021-01-01"},
            ),
        ),
    ],
    ("PATCH", "/api/v1/members/cadre-posts/{post_id}"): [
        ("post", lambda o, f: Req({"post_id": f.cadre_post}, {"full_time": True})),
    ],
    ("POST", "/api/v1/members/cadre-posts/{post_id}/end"): [
        ("post", lambda o, f: Req({"post_id": f.cadre_post}, {"to_date": "2021-01-01"})),
    ],
    # --- spreadsheet imports -------------------------------------------------------------
    ("GET", IMP): [("job", lambda o, f: Req({"job_id": f.import_job}))],
    ("DELETE", IMP): [("job", lambda o, f: Req({"job_id": f.import_job}))],
    ("GET", f"{IMP}/errors.xlsx"): [("job", lambda o, f: Req({"job_id": f.import_job}))],
    ("POST", f"{IMP}/commit"): [
        ("job", lambda o, f: Req({"job_id": f.import_job}, {"valid_only": True})),
    ],
    # --- files built by workers (a file job is its asker's alone) -------------------------
    ("GET", FJ): [("file", lambda o, f: Req({"job_id": f.file_job}))],
    ("GET", f"{FJ}/download"): [("file", lambda o, f: Req({"job_id": f.file_job}))],
    # --- strength evaluations -----------------------------------------------------------
    ("GET", RND): [("round", lambda o, f: Req({"round_id": f.round}))],
    ("POST", f"{RND}/publish"): [("round", lambda o, f: Req({"round_id": f.round}))],
    ("GET", f"{RND}/export.xlsx"): [("round", lambda o, f: Req({"round_id": f.round}))],
    ("POST", f"{RND}/import"): [
        (
            "round",
            lambda o, f: Req(
                {"round_id": f.round},
                files={"file": ("xep-loai.csv", "Mã công đoàn;Xếp loại\n".encode(), "text/csv")},
            ),
        ),
    ],
    ("POST", f"{RND}/reopen"): [
        ("round", lambda o, f: Req({"round_id": f.round}, {"reason": "Sửa kết quả"})),
    ],
    # a district's part of a round: another's round, or another district under one's own round
    ("GET", f"{RND}/parts"): [("round", lambda o, f: Req({"round_id": f.round}))],
    **{
        (method, f"{RND}/parts/{{union_id}}{suffix}"): [
            (
                "round",
                lambda o, f, body=body: Req({"round_id": f.round, "union_id": o.district}, body),
            ),
            (
                "union",
                lambda o, f, body=body: Req({"round_id": o.round, "union_id": f.district}, body),
            ),
        ]
        for method, suffix, body in (
            ("PUT", "", {}),
            ("POST", "/publish", None),
            ("POST", "/reopen", {"reason": "Lý do"}),
        )
    },
    ("GET", EVA): [("evaluation", lambda o, f: Req({"evaluation_id": f.evaluation}))],
    ("GET", f"{EVA}/history"): [("evaluation", lambda o, f: Req({"evaluation_id": f.evaluation}))],
    ("PATCH", EVA): [
        ("evaluation", lambda o, f: Req({"evaluation_id": f.evaluation}, {"self_note": "Ghi chú"})),
    ],
    ("POST", f"{EVA}/submit"): [
        ("evaluation", lambda o, f: Req({"evaluation_id": f.evaluation}, {}))
    ],
    ("POST", f"{EVA}/approve"): [
        ("evaluation", lambda o, f: Req({"evaluation_id": f.evaluation}, {})),
    ],
    **{
        ("POST", f"{EVA}/{action}"): [
            ("evaluation", lambda o, f: Req({"evaluation_id": f.evaluation}, {"reason": "Lý do"})),
        ]
        for action in ("return", "reopen")
    },
    ("GET", f"{EVA}/evidence"): [("evaluation", lambda o, f: Req({"evaluation_id": f.evaluation}))],
    ("POST", f"{EVA}/evidence"): [
        (
            "evaluation",
            lambda o, f: Req(
                {"evaluation_id": f.evaluation},
                files={"file": ("bien-ban.pdf", PDF, "application/pdf")},
                form={"indicator": "1.1"},
            ),
        ),
    ],
    **{
        (method, f"{EVA}/evidence/{{evidence_id}}"): [
            (
                "evidence",
                lambda o, f: Req({"evaluation_id": f.evaluation, "evidence_id": f.evidence}),
            ),
            (
                "evidence of another rating",
                lambda o, f: Req({"evaluation_id": o.evaluation, "evidence_id": f.evidence}),
            ),
        ]
        for method in ("GET", "DELETE")
    },
    # --- member e-cards --------------------------------------------------------------------
    **{
        ("GET", f"{MEM}/{suffix}"): [("member", lambda o, f: Req({"member_id": f.member}))]
        for suffix in ("card", "card.svg", "card.png")
    },
    # --- integration clients -------------------------------------------------------------
    ("GET", CLI): [("client", lambda o, f: Req({"client_id": f.client}))],
    ("PATCH", CLI): [("client", lambda o, f: Req({"client_id": f.client}, {"contact": "0909"}))],
    **{
        ("POST", f"{CLI}/{action}"): [("client", lambda o, f: Req({"client_id": f.client}, {}))]
        for action in ("rotate", "revoke")
    },
    ("GET", f"{CLI}/webhooks"): [("client", lambda o, f: Req({"client_id": f.client}))],
    ("POST", f"{CLI}/webhooks"): [
        ("client", lambda o, f: Req({"client_id": f.client}, {"url": "https://10.0.0.8/x"})),
    ],
    ("PATCH", f"{CLI}/webhooks/{{subscription_id}}"): [
        ("client", lambda o, f: Req({"client_id": f.client, "subscription_id": o.webhook}, {})),
        ("webhook", lambda o, f: Req({"client_id": o.client, "subscription_id": f.webhook}, {})),
    ],
    ("GET", f"{CLI}/webhooks/{{subscription_id}}/deliveries"): [
        ("client", lambda o, f: Req({"client_id": f.client, "subscription_id": o.webhook})),
        ("webhook", lambda o, f: Req({"client_id": o.client, "subscription_id": f.webhook})),
    ],
    ("POST", f"{CLI}/webhooks/{{subscription_id}}/deliveries/{{delivery_id}}/redeliver"): [
        (
            "client",
            lambda o, f: Req(
                {"client_id": f.client, "subscription_id": o.webhook, "delivery_id": o.delivery}
            ),
        ),
        (
            "delivery",
            lambda o, f: Req(
                {"client_id": o.client, "subscription_id": o.webhook, "delivery_id": f.delivery}
            ),
        ),
    ],
    # --- programmes and targets -----------------------------------------------------------
    ("GET", PRG): [("programme", lambda o, f: Req({"programme_id": f.programme}))],
    ("GET", f"{PRG}/progress"): [("programme", lambda o, f: Req({"programme_id": f.programme}))],
    ("PATCH", PRG): [
        ("programme", lambda o, f: Req({"programme_id": f.programme}, {"title": "Chương trình"})),
    ],
    ("DELETE", PRG): [("programme", lambda o, f: Req({"programme_id": f.programme}))],
    ("POST", f"{PRG}/targets"): [
        (
            "programme",
            lambda o, f: Req(
                {"programme_id": f.programme},
                {
                    "title": "Thành lập 2 CĐCS",
                    "indicator_key": "cdcs_founded",
                    "kind": "cumulative",
                    "target_value": "2",
                },
            ),
        ),
    ],
    ("PATCH", PRT): [
        (
            "target",
            lambda o, f: Req({"programme_id": f.programme, "target_id": f.target}, {"title": "X"}),
        ),
        (
            "mixed",
            lambda o, f: Req({"programme_id": f.programme, "target_id": o.target}, {"title": "X"}),
        ),
    ],
    ("DELETE", PRT): [
        ("target", lambda o, f: Req({"programme_id": f.programme, "target_id": f.target})),
    ],
    ("POST", f"{PRT}/allocations"): [
        (
            "target",
            lambda o, f: Req(
                {"programme_id": f.programme, "target_id": f.target},
                {"union_id": o.grassroots2, "value": "1"},
            ),
        ),
    ],
    ("POST", f"{PRT}/allocations/proportional"): [
        (
            "target",
            lambda o, f: Req(
                {"programme_id": f.programme, "target_id": f.target}, {"base": "members"}
            ),
        ),
    ],
    ("PATCH", PRA): [
        (
            "allocation",
            lambda o, f: Req(
                {"programme_id": f.programme, "allocation_id": f.allocation}, {"value": "2"}
            ),
        ),
    ],
    ("DELETE", PRA): [
        (
            "allocation",
            lambda o, f: Req({"programme_id": f.programme, "allocation_id": f.allocation}),
        ),
    ],
    ("POST", f"{PRA}/hand-over"): [
        (
            "allocation",
            lambda o, f: Req(
                {"programme_id": f.programme, "allocation_id": f.allocation},
                {"effective_date": "2021-01-01", "successors": [], "note": "Giải thể"},
            ),
        ),
    ],
    # --- training --------------------------------------------------------------------------
    ("GET", CRS): [("course", lambda o, f: Req({"course_id": f.course}))],
    ("PATCH", CRS): [
        ("course", lambda o, f: Req({"course_id": f.course}, {"note": "Ghi chú"})),
        (
            "invited union",
            lambda o, f: Req({"course_id": o.course}, {"invited_union_ids": [f.grassroots]}),
        ),
    ],
    **{
        ("GET", f"{CRS}/{part}"): [("course", lambda o, f: Req({"course_id": f.course}))]
        for part in ("participants", "nominations", "attendance", "results")
    },
    **{
        ("POST", f"{CRS}/{part}"): [
            ("course", lambda o, f: Req({"course_id": f.course}, {"member_ids": [o.member]})),
            ("member", lambda o, f: Req({"course_id": o.course}, {"member_ids": [f.member]})),
        ]
        for part in ("participants", "nominations")
    },
    ("POST", f"{CRS}/nominations/decisions"): [
        ("course", lambda o, f: Req({"course_id": f.course}, {"accept": []})),
    ],
    ("PUT", f"{CRS}/attendance"): [
        (
            "course",
            lambda o, f: Req(
                {"course_id": f.course}, {"session_on": "2024-03-04", "present": [o.participant]}
            ),
        ),
    ],
    ("PUT", f"{CRS}/results"): [
        (
            "course",
            lambda o, f: Req(
                {"course_id": f.course},
                {"results": [{"participant_id": o.participant, "result": "completed"}]},
            ),
        ),
    ],
    ("GET", f"{CRS}/roster.xlsx"): [("course", lambda o, f: Req({"course_id": f.course}))],
    ("POST", f"{CRS}/roster/import"): [
        (
            "course",
            lambda o, f: Req(
                {"course_id": f.course},
                files={
                    "file": (
                        "hoc-vien.csv",
                        "Số thẻ đoàn viên;Họ và tên;Kết quả\n".encode(),
                        "text/csv",
                    )
                },
            ),
        ),
    ],
    ("GET", f"{MEM}/certificates"): [("member", lambda o, f: Req({"member_id": f.member}))],
    ("GET", f"{MEM}/courses"): [("member", lambda o, f: Req({"member_id": f.member}))],
    ("GET", SPD): [("spending", lambda o, f: Req({"spending_id": f.spending}))],
    ("GET", "/api/v1/finance/spending/suggestion/{union_id}/{year}"): [
        ("union", lambda o, f: Req({"union_id": f.grassroots, "year": "2023"})),
    ],
    ("PATCH", SPD): [
        ("spending", lambda o, f: Req({"spending_id": f.spending}, {"source": "Sửa"})),
    ],
    ("POST", f"{SPD}/{{action}}"): [
        ("spending", lambda o, f: Req({"spending_id": f.spending, "action": "submit"})),
    ],
    ("GET", QUA): [("member", lambda o, f: Req({"member_id": f.member}))],
    ("POST", QUA): [
        ("member", lambda o, f: Req({"member_id": f.member}, {"kind": "it", "level": "basic"})),
    ],
    ("PATCH", f"{QUA}/{{qualification_id}}"): [
        (
            "member",
            lambda o, f: Req(
                {"member_id": f.member, "qualification_id": f.qualification}, {"note": "Sửa"}
            ),
        ),
        (
            "qualification",
            lambda o, f: Req(
                {"member_id": o.member, "qualification_id": f.qualification}, {"note": "Sửa"}
            ),
        ),
    ],
    ("DELETE", f"{QUA}/{{qualification_id}}"): [
        (
            "member",
            lambda o, f: Req({"member_id": f.member, "qualification_id": f.qualification}),
        ),
        (
            "qualification",
            lambda o, f: Req({"member_id": o.member, "qualification_id": f.qualification}),
        ),
    ],
    ("GET", "/api/v1/members/transfer-escalation/{union_id}"): [
        ("union", lambda o, f: Req({"union_id": f.grassroots}))
    ],
    ("PUT", "/api/v1/members/transfer-escalation/{union_id}"): [
        ("union", lambda o, f: Req({"union_id": f.grassroots}, {"days": 10}))
    ],
    **{
        ("POST", f"/api/v1/members/transfers/{{request_id}}/{action}"): [
            ("request", lambda o, f: Req({"request_id": f.transfer_request}, {})),
        ]
        for action in ("accept", "refuse", "cancel")
    },
}


def _found_union_model() -> Any:
    from unionhub.enterprises.schemas import FoundUnion

    return FoundUnion


_APP: FastAPI = create_app()
# Path parameters that are not ids of anything scoped: the template's kind (members or
# enterprises) is the same file for everyone.
NOT_IDS = {
    ("GET", "/api/v1/imports/templates/{kind}.xlsx"),
    ("GET", "/api/v1/imports/templates/{kind}.csv"),
    # Evaluation schemes are the federation's rules, read by every reader; no union owns one.
    ("GET", "/api/v1/evaluation-schemes/{scheme_id}"),
    # Report templates likewise: the federation's forms, read by every reader.
    ("GET", "/api/v1/report-templates/{template_id}"),
    # Webhook subscriptions and deliveries belong to the integration client that made them,
    # not to a union: people have none (403 clients_only), and another client's answer 404
    # (tests/changes/test_webhooks.py).
    ("GET", "/api/v1/webhooks/{subscription_id}"),
    ("PATCH", "/api/v1/webhooks/{subscription_id}"),
    ("GET", "/api/v1/webhooks/{subscription_id}/deliveries"),
    ("POST", "/api/v1/webhooks/deliveries/{delivery_id}/redeliver"),
    # An indicator's key names a definition of the catalogue; its union_id (a query
    # parameter) goes through the scope: tests/indicators/test_hand_count.py.
    ("GET", "/api/v1/indicators/{key}"),
    ("GET", "/api/v1/indicators/{key}/records"),
}
ID_ENDPOINTS = [e for e in endpoints(_APP) if e.path_params and e.key not in NOT_IDS]
# A member's own account (/api/v1/me) has no list of anyone's: test_a_member_account_...
ME = "/api/v1/me/"
LIST_ENDPOINTS = [
    e
    for e in endpoints(_APP)
    if e.method == "GET"
    and not e.path_params
    and e.path.startswith("/api/v1/")
    and not e.path.startswith(ME)
]


def test_the_route_discovery_sees_the_routers() -> None:
    # Guards the guard: if discovery saw nothing, every test below would pass vacuously.
    keys = {e.key for e in ID_ENDPOINTS}
    assert ("GET", U) in keys and ("POST", f"{U}/merge") in keys
    assert ("GET", "/api/v1/unions") in {e.key for e in LIST_ENDPOINTS}


def _body(endpoint: Endpoint, req: Req, side: Side) -> Any:
    if req.body is AUTO:
        assert endpoint.body_type is not None, f"{endpoint} takes no body"
        return synthesize(endpoint.body_type, side)
    return req.body


async def _writes_by(factory: Factory, side: Side) -> int:
    return int(
        await factory.db.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.actor_id == uuid.UUID(side.officer_user))
        )
        or 0
    )


@pytest.mark.parametrize("direction", ["A->B", "B->A"])
@pytest.mark.parametrize("endpoint", ID_ENDPOINTS, ids=str)
async def test_scope_matrix(factory: Factory, endpoint: Endpoint, direction: str) -> None:
    cases = MATRIX.get(endpoint.key)
    assert cases, (
        f"{endpoint} takes an id but has no row in tests/authz/test_scope_matrix.py MATRIX: "
        "add one (a caller from a sibling subtree must get 404)"
    )
    world = await build_world(
        factory,
        members=_needs_members(endpoint.path),
        imports=endpoint.path.startswith("/api/v1/imports/"),
        evaluations=_needs_evaluations(endpoint.path),
        clients=endpoint.path.startswith("/api/v1/clients/"),
        programmes=_needs_programmes(endpoint.path),
        files=endpoint.path.startswith("/api/v1/file-jobs/"),
        training=_needs_training(endpoint.path),
        reports=_needs_reports(endpoint.path),
        change_requests="/change-requests/" in endpoint.path,
    )
    own, foreign = (world.a, world.b) if direction == "A->B" else (world.b, world.a)
    for label, build in cases:
        req = build(own, foreign)
        assert set(req.params) == set(endpoint.path_params), (label, req.params)
        url = endpoint.path.format(**req.params)
        r = await factory.client.request(
            endpoint.method, url, headers=own.headers, **req.send(endpoint, own)
        )
        assert r.status_code == 404, f"{endpoint} [{label}] as {own.name}: {r.status_code} {r.text}"
        assert r.headers["content-type"].startswith("application/problem+json")
        assert not foreign.ids() & set(r.text.split('"')), f"{endpoint} [{label}] echoed an id"
    assert await _writes_by(factory, own) == 0, f"{endpoint}: a refused call wrote something"
    # Control: the first case with the officer's own ids reaches the endpoint.
    label, build = cases[0]
    req = build(own, own)
    r = await factory.client.request(
        endpoint.method,
        endpoint.path.format(**req.params),
        headers=own.headers,
        **req.send(endpoint, own),
    )
    assert r.status_code != 404 and r.status_code < 500, (
        f"control {endpoint} [{label}] with own ids: {r.status_code} {r.text}"
    )


_LIST_PARAMS: dict[str, list[dict[str, Any]]] = {
    "/api/v1/unions": [
        {"size": 200},
        {"size": 200, "status": ["active", "dissolved", "merged"]},
        {"size": 200, "q": "huyen"},
    ],
    "/api/v1/unions/search": [
        {"q": "huyen", "limit": 50},
        {"q": "cd", "limit": 50},
        {"q": "cong doan", "limit": 50, "as_of": "2020-01-01"},
    ],
    "/api/v1/unions/tree": [
        {"depth": 10},
        {"depth": 10, "as_of": "2020-01-01"},
        {"depth": 10, "include_inactive": True},
    ],
    "/api/v1/evaluations": [{"size": 200}, {"size": 200, "year": 2020}],
    "/api/v1/evaluation-rounds": [{"size": 200}],
    "/api/v1/evaluations/summary": [{"year": 2020}, {"year": 2020, "group_by": "child"}],
    "/api/v1/training/compliance": [{}, {"as_of": "2024-06-01", "year": 2023}],
    "/api/v1/training/compliance/people": [
        {"indicator": "cadres_union_work", "as_of": "2024-06-01", "size": 200},
    ],
}
# Deliberate exceptions: lists that name unions outside the caller's subtree, and the only
# fields they may show. A member can be transferred to any union in the federation, so the
# picker of destinations is federation-wide, reduced to what identifies a union.
FEDERATION_WIDE: dict[str, set[str]] = {
    "/api/v1/members/transfer-destinations": {"id", "code", "name", "parent_name"},
}
# Lists that must show the caller's own rows (so "no foreign rows" is not true of an empty page).
_OWN_ROWS: dict[str, Callable[[Side], set[str]]] = {
    "/api/v1/unions": lambda s: {s.district, s.grassroots, s.group},
    "/api/v1/unions/tree": lambda s: {s.district, s.grassroots, s.group},
    "/api/v1/users": lambda s: {s.user},
    "/api/v1/enterprises": lambda s: {s.enterprise},
    "/api/v1/evaluations": lambda s: {s.evaluation},
    "/api/v1/evaluation-rounds": lambda s: {s.round},
    "/api/v1/clients": lambda s: {s.client},
    "/api/v1/programmes": lambda s: {s.programme},
    "/api/v1/training/courses": lambda s: {s.course},
    "/api/v1/finance/spending": lambda s: {s.spending},
    "/api/v1/training/compliance/people": lambda s: {s.member},
}


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS, ids=str)
async def test_lists_hold_no_foreign_rows(factory: Factory, endpoint: Endpoint) -> None:
    world = await build_world(
        factory,
        members=_needs_members(endpoint.path),
        evaluations=_needs_evaluations(endpoint.path),
        clients=endpoint.path.startswith("/api/v1/clients"),
        programmes=_needs_programmes(endpoint.path),
        training=_needs_training(endpoint.path),
    )
    for own, foreign in ((world.a, world.b), (world.b, world.a)):
        for params in _LIST_PARAMS.get(endpoint.path, [{}]):
            r = await factory.client.get(endpoint.path, params=params, headers=own.headers)
            assert r.status_code == 200, f"{endpoint} {params} as {own.name}: {r.text}"
            tokens = set(r.text.split('"'))
            leaked = foreign.ids() & tokens
            if endpoint.path in FEDERATION_WIDE:
                fields = FEDERATION_WIDE[endpoint.path]
                items = r.json()["items"]
                assert all(set(i) <= fields for i in items), f"{endpoint} shows more than {fields}"
                leaked -= {foreign.district, foreign.grassroots, foreign.grassroots2, foreign.group}
            assert not leaked, f"{endpoint} {params} shows {foreign.name}'s rows to {own.name}"
            expected = _OWN_ROWS.get(endpoint.path)
            if expected and "q" not in params:
                assert expected(own) <= tokens, f"{endpoint} {params} lacks {own.name}'s rows"


# --- a member's own account ------------------------------------------------------------------

# Routes anyone may call (signing in, activating, checking a card), the member's own, and the
# official administrative list (reference data with no union in it: a member picks their
# commune from it when changing their contact data).
_NOT_OFFICER = ("/api/v1/auth/", ME, "/api/v1/cards/verify", "/api/v1/places/")
OFFICER_ENDPOINTS = [
    e
    for e in endpoints(_APP)
    if e.path.startswith("/api/v1/") and not e.path.startswith(_NOT_OFFICER)
]
_PARAM_VALUES = {"kind": "members", "key": "new_members"}


async def _member_account(factory: Factory, side: Side) -> dict[str, str]:
    """The side's member, signed in to their own account."""
    user = await factory.user(username=f"doanvien{next(_seq)}")
    factory.db.add(
        MemberAccount(user_id=user.id, member_id=uuid.UUID(side.member), activated_via="identity")
    )
    await factory.db.flush()
    return await factory.login(user.username)


async def test_a_member_account_reaches_no_officer_route(factory: Factory) -> None:
    """Every officer route refuses a member signed in to their own account (403, or 404 for
    an id), even with their own member id and their own union's ids, and writes nothing."""
    world = await build_world(factory, members=True, clients=True)
    own = world.a
    me = await _member_account(factory, own)
    assert (await factory.client.get("/api/v1/me/member", headers=me)).status_code == 200
    by_name = {
        "member_id": own.member,
        "union_id": own.grassroots,
        "enterprise_id": own.enterprise,
        "request_id": own.transfer_request,
        "user_id": own.officer_user,
        "post_id": own.cadre_post,
        "client_id": own.client,
        "subscription_id": own.webhook,
        "delivery_id": own.delivery,
    }
    audited_before = await factory.db.scalar(select(func.count()).select_from(AuditEntry))
    refused: list[str] = []
    for endpoint in OFFICER_ENDPOINTS:
        params = {
            p: _PARAM_VALUES.get(p) or by_name.get(p) or own.grassroots
            for p in endpoint.path_params
        }
        body = {} if endpoint.method in ("POST", "PUT", "PATCH") else None
        r = await factory.client.request(
            endpoint.method, endpoint.path.format(**params), headers=me, json=body
        )
        if r.status_code not in (403, 404):
            refused.append(f"{endpoint}: {r.status_code} {r.text[:200]}")
    assert not refused, "a member account reached officer routes:\n" + "\n".join(refused)
    audited_after = await factory.db.scalar(select(func.count()).select_from(AuditEntry))
    assert audited_after == audited_before, "a refused call of a member account wrote something"
