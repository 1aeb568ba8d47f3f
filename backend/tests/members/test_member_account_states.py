"""Officers' actions on a member's own account: reset (the member's sign-ins end and they
activate again), close and reopen; and the account closing by itself when the member leaves."""

from datetime import date
from typing import Any

from sqlalchemy import select

from tests.factories import Factory
from tests.members.helpers import World, act, admit, build_world, problem
from tests.members.test_member_accounts import (
    ME,
    PASSWORD,
    activate,
    bearer,
    member_with_account,
    sign_in,
)
from tests.training.helpers import COURSES, call, course
from unionhub.core.audit import AuditEntry
from unionhub.training.models import CourseKind


def _url(member: dict[str, Any], what: str = "") -> str:
    return f"/api/v1/members/{member['id']}/account{what}"


async def _account(factory: Factory, w: World, member: dict[str, Any]) -> dict[str, Any]:
    r = await factory.client.get(_url(member), headers=w.officer_a)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


async def _audited(factory: Factory, action: str) -> list[AuditEntry]:
    return list(
        (await factory.db.scalars(select(AuditEntry).where(AuditEntry.action == action))).all()
    )


async def test_a_reset_ends_the_members_sign_ins_and_they_activate_again(
    factory: Factory,
) -> None:
    w = await build_world(factory)
    member, me = await member_with_account(factory, w, "an.reset")
    pair = await sign_in(factory, "an.reset")
    shown = await _account(factory, w, member)
    assert shown["status"] == "active" and shown["last_sign_in_at"] is not None
    assert shown["activated_via"] == "identity"

    # Only officers who manage the member; a sibling district does not see them at all.
    assert (
        await factory.client.post(_url(member, "/reset"), headers=w.viewer_a)
    ).status_code == 403
    assert (
        await factory.client.post(_url(member, "/reset"), headers=w.officer_b)
    ).status_code == 404
    r = await factory.client.post(_url(member, "/reset"), headers=w.grassroots_officer_a)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "reset" and r.json()["status_reason"] == "officer"

    # The old access token, the old refresh token and the old password all stop working.
    assert problem(await factory.client.get(f"{ME}/member", headers=me), 401)
    r = await factory.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert problem(r, 401)["code"] == "session_ended"
    r = await factory.client.post(
        "/api/v1/auth/token", data={"username": "an.reset", "password": PASSWORD}
    )
    assert r.status_code == 401, r.text
    [entry] = await _audited(factory, "member_account.reset")
    assert str(entry.entity_id) == member["id"] and entry.after["status"] == "reset"

    # The union gives a new code; the member activates again, keeping their username.
    r = await factory.client.post(
        f"/api/v1/members/{member['id']}/activation-code", headers=w.officer_a
    )
    assert r.status_code == 201, r.text
    assert (await _account(factory, w, member))["code_expires_at"] is not None
    r = await activate(
        factory, code=r.json()["code"], username="an.reset", password="Moi-Mat-Khau-9"
    )
    assert r.status_code == 201, r.text
    me = bearer(await sign_in(factory, "an.reset", "Moi-Mat-Khau-9"))
    assert (await factory.client.get(f"{ME}/member", headers=me)).json()["id"] == member["id"]
    shown = await _account(factory, w, member)
    assert shown["status"] == "active" and shown["activated_via"] == "code"
    # Still one account of that member (the same users row, its history in one place).
    r = await activate(
        factory,
        personal_id=member["personal_id"],
        card_number=member["card_number"],
        date_of_birth=member["date_of_birth"],
        username="an.other",
        password=PASSWORD,
    )
    assert problem(r, 409)["code"] == "member_account_exists"


async def test_a_closed_account_signs_in_no_more_until_it_is_reopened(factory: Factory) -> None:
    w = await build_world(factory)
    member, me = await member_with_account(factory, w, "an.close")
    nobody = await admit(factory, w.officer_a, w.grassroots_a, full_name="Võ Thị Chưa Có")
    r = await factory.client.post(_url(nobody, "/close"), headers=w.officer_a)
    assert problem(r, 409)["code"] == "member_account_missing"
    r = await factory.client.post(_url(member, "/reopen"), headers=w.officer_a)
    assert problem(r, 409)["code"] == "member_account_not_closed"

    r = await factory.client.post(_url(member, "/close"), headers=w.officer_a)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "closed" and r.json()["status_changed_at"] is not None
    assert problem(await factory.client.get(f"{ME}/member", headers=me), 401)
    r = await factory.client.post(
        "/api/v1/auth/token", data={"username": "an.close", "password": PASSWORD}
    )
    assert r.status_code == 401
    # Closed is closed: no code, no reset, no activation around it, no second close.
    for what in ("/close", "/reset"):
        r = await factory.client.post(_url(member, what), headers=w.officer_a)
        assert problem(r, 409)["code"] == "member_account_closed"
    r = await factory.client.post(
        f"/api/v1/members/{member['id']}/activation-code", headers=w.officer_a
    )
    assert problem(r, 409)["code"] == "member_account_closed"
    r = await activate(
        factory,
        personal_id=member["personal_id"],
        card_number=member["card_number"],
        date_of_birth=member["date_of_birth"],
        username="an.around",
        password=PASSWORD,
    )
    assert problem(r, 409)["code"] == "member_account_closed"

    r = await factory.client.post(_url(member, "/reopen"), headers=w.officer_a)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "active"
    me = bearer(await sign_in(factory, "an.close"))
    assert (await factory.client.get(f"{ME}/member", headers=me)).status_code == 200
    assert len(await _audited(factory, "member_account.close")) == 1
    assert len(await _audited(factory, "member_account.reopen")) == 1


async def test_leaving_the_union_closes_the_account_and_it_stays_closed(factory: Factory) -> None:
    w = await build_world(factory)
    member, me = await member_with_account(factory, w, "an.leaves")
    r = await act(
        factory, w.officer_a, member["id"], "leave", date.today().isoformat(), reason="Nghỉ việc"
    )
    assert r.status_code == 200, r.text
    shown = await _account(factory, w, member)
    assert shown["status"] == "closed" and shown["status_reason"] == "member_exit"
    assert problem(await factory.client.get(f"{ME}/member", headers=me), 401)
    r = await factory.client.post(
        "/api/v1/auth/token", data={"username": "an.leaves", "password": PASSWORD}
    )
    assert r.status_code == 401
    [entry] = await _audited(factory, "member_account.close")
    assert entry.after["reason"] == "member_exit"
    # A member out of the union cannot have it reopened.
    r = await factory.client.post(_url(member, "/reopen"), headers=w.officer_a)
    assert problem(r, 409)["code"] == "status_not_allowed"


async def test_my_training_names_the_course_kind(factory: Factory) -> None:
    """The member's own training list says what kind of course it was, by name."""
    w = await build_world(factory)
    member, me = await member_with_account(factory, w, "an.learns")
    c = await course(factory, w.officer_a, w.district_a, title="Lớp cán bộ công đoàn 2024")
    url = f"{COURSES}/{c['id']}"
    await call(factory, "PATCH", url, w.officer_a, {"invited_union_ids": [str(w.grassroots_a.id)]})
    await call(
        factory,
        "POST",
        f"{url}/participants",
        w.officer_a,
        {"member_ids": [member["id"]]},
    )
    kind_name = await factory.db.scalar(
        select(CourseKind.name).where(CourseKind.code == "UW-BASIC")
    )
    training = (await factory.client.get(f"{ME}/training", headers=me)).json()
    [mine] = training["courses"]
    assert mine["title"] == "Lớp cán bộ công đoàn 2024"
    assert mine["kind_name"] == kind_name and kind_name
