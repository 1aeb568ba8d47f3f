"""Scope: an officer of a sibling district reaches no member of the other, through any route."""

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from tests.authz.routes import endpoints
from tests.factories import Factory
from tests.members.helpers import API, admit, build_world, problem
from unionhub.core.audit import AuditEntry
from unionhub.main import create_app
from unionhub.members.models import MemberChangeRequest

ACTION = {"effective_date": "2023-05-01", "reason": "Thử phạm vi"}
Ids = dict[str, str]
# (method, path) -> (path parameters, body) built from district A's ids.
CASES: dict[tuple[str, str], Callable[[Ids], tuple[Ids, Any]]] = {
    ("GET", "/api/v1/members/{member_id}"): lambda a: ({"member_id": a["member"]}, None),
    ("PATCH", "/api/v1/members/{member_id}"): lambda a: (
        {"member_id": a["member"]},
        {"occupation": "Thử"},
    ),
    ("GET", "/api/v1/members/{member_id}/history"): lambda a: ({"member_id": a["member"]}, None),
    ("POST", "/api/v1/members/{member_id}/reissue-card"): lambda a: (
        {"member_id": a["member"]},
        {},
    ),
    ("POST", "/api/v1/members/{member_id}/transfer"): lambda a: (
        {"member_id": a["member"]},
        {**ACTION, "to_union_id": a["b_grassroots"]},
    ),
    ("GET", "/api/v1/members/{member_id}/cadre-posts"): lambda a: (
        {"member_id": a["member"]},
        None,
    ),
    ("POST", "/api/v1/members/{member_id}/cadre-posts"): lambda a: (
        {"member_id": a["member"]},
        {"union_id": a["b_grassroots"], "post": "chair", "from_date": "2023-01-01"},
    ),
    ("PATCH", "/api/v1/members/cadre-posts/{post_id}"): lambda a: (
        {"post_id": a["post"]},
        {"full_time": True},
    ),
    ("POST", "/api/v1/members/cadre-posts/{post_id}/end"): lambda a: (
        {"post_id": a["post"]},
        {"to_date": "2023-06-01"},
    ),
    ("GET", "/api/v1/unions/{union_id}/cadres"): lambda a: ({"union_id": a["grassroots"]}, None),
    ("GET", "/api/v1/members/{member_id}/qualifications"): lambda a: (
        {"member_id": a["member"]},
        None,
    ),
    ("POST", "/api/v1/members/{member_id}/qualifications"): lambda a: (
        {"member_id": a["member"]},
        {"kind": "political_theory", "level": "so_cap", "issued_on": "2020-01-01"},
    ),
    **{
        (method, "/api/v1/members/{member_id}/qualifications/{qualification_id}"): (
            lambda a: (
                {"member_id": a["member"], "qualification_id": a["qualification"]},
                {"issuer": "Thử"},
            )
        )
        for method in ("PATCH", "DELETE")
    },
    **{
        ("GET", f"/api/v1/members/{{member_id}}/{card}"): (
            lambda a: ({"member_id": a["member"]}, None)
        )
        for card in ("card", "card.svg", "card.png")
    },
    ("GET", "/api/v1/members/{member_id}/certificates"): lambda a: (
        {"member_id": a["member"]},
        None,
    ),
    ("GET", "/api/v1/members/{member_id}/courses"): lambda a: (
        {"member_id": a["member"]},
        None,
    ),
    ("GET", "/api/v1/members/{member_id}/account"): lambda a: ({"member_id": a["member"]}, None),
    ("POST", "/api/v1/members/{member_id}/activation-code"): lambda a: (
        {"member_id": a["member"]},
        None,
    ),
    **{
        ("POST", f"/api/v1/members/{{member_id}}/account/{action}"): (
            lambda a: ({"member_id": a["member"]}, None)
        )
        for action in ("reset", "close", "reopen")
    },
    **{
        (method, f"/api/v1/members/{{member_id}}/{photo}"): (
            lambda a: ({"member_id": a["member"]}, None)
        )
        for method, photo in (("GET", "photo"), ("GET", "photo.jpg"), ("DELETE", "photo"))
    },
    **{
        ("POST", f"/api/v1/members/change-requests/{{request_id}}/{d}"): (
            lambda a: ({"request_id": a["change_request"]}, {})
        )
        for d in ("approve", "reject")
    },
    **{
        ("POST", f"/api/v1/members/transfers/{{request_id}}/{d}"): (
            lambda a: ({"request_id": a["request"]}, {})
        )
        for d in ("accept", "refuse", "cancel")
    },
    ("GET", "/api/v1/members/transfer-escalation/{union_id}"): lambda a: (
        {"union_id": a["grassroots"]},
        None,
    ),
    ("PUT", "/api/v1/members/transfer-escalation/{union_id}"): lambda a: (
        {"union_id": a["grassroots"]},
        {"days": 7},
    ),
    **{
        ("POST", f"/api/v1/members/{{member_id}}/{action}"): (
            lambda a: ({"member_id": a["member"]}, ACTION)
        )
        for action in ("suspend", "resume", "leave", "strike-off", "expel", "deceased", "rejoin")
    },
}


def test_every_member_route_taking_an_id_has_a_case() -> None:
    mine = {
        e.key
        for e in endpoints(create_app())
        if e.path_params and (e.path.startswith(API) or e.path.endswith("/cadres"))
    }
    # The photo upload is multipart (a JSON body fails validation first): its sibling 404 is
    # in tests/members/test_member_photos.py and the scope matrix.
    assert mine - {("PUT", f"{API}/{{member_id}}/photo")} == set(CASES)


async def _district_a(factory: Factory) -> tuple[Any, Ids]:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a, full_name="Nguyễn Văn An")
    post = await factory.client.post(
        f"{API}/{m['id']}/cadre-posts",
        json={"union_id": str(w.grassroots_a.id), "post": "chair", "from_date": "2023-01-01"},
        headers=w.officer_a,
    )
    other = await admit(factory, w.grassroots_officer_a, w.grassroots_a)
    req = await factory.client.post(
        f"{API}/{other['id']}/transfer",
        json={"to_union_id": str(w.grassroots_a2.id), "effective_date": "2023-03-01"},
        headers=w.grassroots_officer_a,
    )
    qualification = await factory.client.post(
        f"{API}/{m['id']}/qualifications",
        json={"kind": "political_theory", "level": "so_cap", "issued_on": "2020-01-01"},
        headers=w.officer_a,
    )
    assert qualification.status_code == 201, qualification.text
    change = MemberChangeRequest(
        member_id=uuid.UUID(m["id"]),
        union_id=w.grassroots_a.id,
        changes={"ethnicity": "Kinh"},
        status="pending",
    )
    factory.db.add(change)
    await factory.db.flush()
    ids = {
        "change_request": str(change.id),
        "qualification": qualification.json()["id"],
        "member": m["id"],
        "post": post.json()["id"],
        "request": req.json()["request"]["id"],
        "grassroots": str(w.grassroots_a.id),
        "b_grassroots": str(w.grassroots_b.id),
    }
    return w, ids


async def _audit_count(factory: Factory) -> int:
    return int(await factory.db.scalar(select(func.count()).select_from(AuditEntry)) or 0)


async def test_sibling_officer_gets_404_everywhere(factory: Factory) -> None:
    w, a = await _district_a(factory)
    before = await _audit_count(factory)
    for (method, path), build in CASES.items():
        params, body = build(a)
        r = await factory.client.request(
            method, path.format(**params), json=body, headers=w.officer_b
        )
        assert r.status_code == 404, f"{method} {path}: {r.status_code} {r.text}"
        assert "No " in problem(r, 404)["detail"]
    assert await _audit_count(factory) == before, "a refused call wrote something"
    # Control: the same calls by A's own officer reach the member.
    r = await factory.client.get(f"{API}/{a['member']}", headers=w.officer_a)
    assert r.status_code == 200


async def test_lists_show_no_foreign_members(factory: Factory) -> None:
    w, a = await _district_a(factory)
    b = await admit(factory, w.officer_b, w.grassroots_b, full_name="Nguyễn Văn Bình")
    await factory.client.post(
        f"{API}/{b['id']}/cadre-posts",
        json={"union_id": str(w.grassroots_b.id), "post": "chair", "from_date": "2023-01-01"},
        headers=w.officer_b,
    )
    for params in (
        {},
        {"q": "nguyen"},
        {"as_of": "2023-06-01"},
        {"status": "active"},
        {"is_cadre": True},
        {"reveal_pii": True},
    ):
        r = await factory.client.get(API, params={"size": 200, **params}, headers=w.officer_b)
        assert r.status_code == 200, r.text
        assert [m["full_name"] for m in r.json()["items"]] == ["Nguyễn Văn Bình"], params
    r = await factory.client.get(API, params={"union_id": a["grassroots"]}, headers=w.officer_b)
    assert problem(r, 404)["code"] == "union_not_found"
    r = await factory.client.get(f"{API}/transfers", headers=w.officer_b)
    assert r.json()["items"] == []
    r = await factory.client.get(f"{API}/transfers", headers=w.officer_a)
    assert [t["id"] for t in r.json()["items"]] == [a["request"]]
