"""A member's own account: activation (and its abuse), sign-in, their own data only, their
card, identity changes through the union, and a transfer request in the union's inbox."""

from datetime import UTC, datetime, timedelta
from typing import Any

from joserfc import jwt
from joserfc.jwk import KeySet
from sqlalchemy import func, select, update

from tests.factories import Factory
from tests.members.helpers import World, admit, build_world, problem
from unionhub.auth.models import RefreshToken
from unionhub.core.audit import AuditEntry
from unionhub.members.models import MemberActivationCode

ME = "/api/v1/me"
PASSWORD = "Doanvien-2026"


async def activate(factory: Factory, **body: Any) -> Any:
    return await factory.client.post(f"{ME}/activate", json=body)


async def sign_in(factory: Factory, username: str, password: str = PASSWORD) -> dict[str, Any]:
    r = await factory.client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}
    )
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def member_with_account(
    factory: Factory, w: World, username: str = "an.nguyen"
) -> tuple[dict[str, Any], dict[str, str]]:
    """A member of grassroots A, activated with their identity data and signed in."""
    member = await admit(factory, w.officer_a, w.grassroots_a, email="an@example.vn")
    r = await activate(
        factory,
        personal_id=member["personal_id"],
        card_number=member["card_number"].lower(),  # as typed: case does not matter
        date_of_birth=member["date_of_birth"],
        username=username,
        password=PASSWORD,
    )
    assert r.status_code == 201, r.text
    assert r.json() == {
        "member_id": member["id"],
        "username": username,
        "full_name": member["full_name"],
    }
    return member, bearer(await sign_in(factory, username))


async def test_a_member_signs_in_sees_only_their_data_gets_their_card_and_asks_for_a_transfer(
    factory: Factory,
) -> None:
    """The issue's "done when": sign in, own data only, the card, a transfer request that
    appears in the union's transfer inbox (and is decided there as any other)."""
    w = await build_world(factory)
    neighbour = await admit(factory, w.officer_a, w.grassroots_a, full_name="Trần Thị Bình")
    member, me = await member_with_account(factory, w)

    who = (await factory.client.get("/api/v1/auth/me", headers=me)).json()
    assert who["kind"] == "member" and who["member_id"] == member["id"]
    assert who["roles"] == [] and who["permissions"] == []

    r = await factory.client.get(f"{ME}/member", headers=me)
    assert r.status_code == 200, r.text
    mine = r.json()
    assert mine["id"] == member["id"] and mine["full_name"] == "Nguyễn Văn An"
    # Their own data, unmasked.
    assert mine["personal_id"] == member["personal_id"] and mine["pii_masked"] is False
    assert mine["union_name"] == w.grassroots_a.name

    # Nobody else's: the register, a neighbour, their union, the officers' inboxes.
    for url in (
        "/api/v1/members",
        f"/api/v1/members/{neighbour['id']}",
        f"/api/v1/members/{member['id']}",
        f"/api/v1/members/{neighbour['id']}/card",
        f"/api/v1/unions/{w.grassroots_a.id}",
        "/api/v1/members/transfers",
        "/api/v1/members/change-requests",
        "/api/v1/users",
        "/api/v1/audit",
    ):
        r = await factory.client.get(url, headers=me)
        assert r.status_code in (403, 404), f"{url}: {r.status_code} {r.text}"
        assert neighbour["full_name"] not in r.text and neighbour["personal_id"] not in r.text

    history = (await factory.client.get(f"{ME}/member/history", headers=me)).json()
    assert history["member_id"] == member["id"]
    assert [e["event_type"] for e in history["events"]] == ["admitted"]
    assert history["periods"][0]["union_name"] == w.grassroots_a.name

    training = (await factory.client.get(f"{ME}/training", headers=me)).json()
    assert training["qualifications"]["member_id"] == member["id"]
    assert training["courses"] == []

    # The card, verifiable offline with the published keys (an independent JOSE library).
    r = await factory.client.get(f"{ME}/card", headers=me)
    assert r.status_code == 200, r.text
    card = r.json()
    assert card["card_number"] == member["card_number"]
    keys = KeySet.import_key_set((await factory.client.get("/.well-known/jwks.json")).json())
    claims = jwt.decode(card["token"], keys, algorithms=["ES256"]).claims
    assert claims["sub"] == member["id"] and claims["cn"] == member["card_number"]
    svg = await factory.client.get(f"{ME}/card.svg", headers=me)
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.lstrip().startswith("<svg")

    # A new employer in another district: the member asks to move there.
    r = await factory.client.get(
        f"{ME}/transfer-destinations", params={"q": "may my tho"}, headers=me
    )
    assert [d["id"] for d in r.json()["items"]] == [str(w.grassroots_b.id)]
    r = await factory.client.post(
        f"{ME}/transfer-requests",
        json={"to_union_id": str(w.grassroots_b.id), "reason": "Chuyển sang Công ty May Mỹ Tho"},
        headers=me,
    )
    assert r.status_code == 201, r.text
    request = r.json()
    assert request["status"] == "pending" and request["member_id"] == member["id"]
    assert request["from_union_id"] == str(w.grassroots_a.id)
    # A second one while it waits is refused.
    again = await factory.client.post(
        f"{ME}/transfer-requests", json={"to_union_id": str(w.grassroots_b.id)}, headers=me
    )
    assert problem(again, 409)["code"] == "transfer_pending"

    # In the inbox of the member's union (outgoing) and of the receiving union (incoming).
    out = await factory.client.get(
        "/api/v1/members/transfers", params={"direction": "outgoing"}, headers=w.officer_a
    )
    assert [t["id"] for t in out.json()["items"]] == [request["id"]]
    inbox = await factory.client.get(
        "/api/v1/members/transfers",
        params={"direction": "incoming", "status": "pending"},
        headers=w.officer_b,
    )
    assert [t["id"] for t in inbox.json()["items"]] == [request["id"]]
    assert inbox.json()["items"][0]["member_name"] == "Nguyễn Văn An"
    r = await factory.client.post(
        f"/api/v1/members/transfers/{request['id']}/accept", json={}, headers=w.officer_b
    )
    assert r.status_code == 200, r.text
    # The member sees the outcome in their own account.
    mine = (await factory.client.get(f"{ME}/member", headers=me)).json()
    assert mine["union_id"] == str(w.grassroots_b.id)
    (listed,) = (await factory.client.get(f"{ME}/transfer-requests", headers=me)).json()
    assert listed["status"] == "accepted"


async def test_member_sign_in_uses_the_same_refresh_rotation(factory: Factory) -> None:
    w = await build_world(factory)
    await member_with_account(factory, w, "rotating")
    pair = await sign_in(factory, "rotating")
    r = await factory.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert r.status_code == 200, r.text
    new = r.json()
    assert (await factory.client.get(f"{ME}/member", headers=bearer(new))).status_code == 200
    # The spent token, presented after the grace window, ends the whole sign-in.
    await factory.db.execute(
        update(RefreshToken)
        .values(used_at=datetime.now(UTC) - timedelta(minutes=5))
        .where(RefreshToken.used_at.is_not(None))
    )
    r = await factory.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert problem(r, 401)["code"] == "token_reused"
    r = await factory.client.get(f"{ME}/member", headers=bearer(new))
    assert problem(r, 401)["code"] == "session_ended"


async def test_contact_data_changes_at_once_identity_data_waits_for_the_union(
    factory: Factory,
) -> None:
    w = await build_world(factory)
    member, me = await member_with_account(factory, w)
    r = await factory.client.patch(
        f"{ME}/member",
        json={"phone": "0987 654 321", "full_name": "Nguyễn Văn Ân", "note": "Sai dấu trong tên"},
        headers=me,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["member"]["phone"] == "0987654321"  # applied now
    assert body["member"]["full_name"] == "Nguyễn Văn An"  # not yet
    req = body["change_request"]
    assert req["status"] == "pending" and req["changes"] == {"full_name": "Nguyễn Văn Ân"}
    assert req["current"] == {"full_name": "Nguyễn Văn An"}
    # One waiting request at a time.
    r = await factory.client.patch(f"{ME}/member", json={"ethnicity": "Kinh"}, headers=me)
    assert problem(r, 409)["code"] == "change_request_pending"
    # Invalid identity data is refused at once, on the field.
    r = await factory.client.patch(f"{ME}/member", json={"personal_id": "123"}, headers=me)
    assert problem(r, 422)["errors"][0]["field"] == "personal_id"

    # The officers' inbox; the viewer and the other district do not decide.
    inbox = await factory.client.get(
        "/api/v1/members/change-requests", params={"status": "pending"}, headers=w.officer_a
    )
    assert [i["id"] for i in inbox.json()["items"]] == [req["id"]]
    other = await factory.client.get("/api/v1/members/change-requests", headers=w.officer_b)
    assert other.json()["items"] == []
    url = f"/api/v1/members/change-requests/{req['id']}"
    assert (
        await factory.client.post(f"{url}/approve", json={}, headers=w.officer_b)
    ).status_code == 404
    assert (
        await factory.client.post(f"{url}/approve", json={}, headers=w.viewer_a)
    ).status_code == 403
    assert (await factory.client.post(f"{url}/approve", json={}, headers=me)).status_code == 403
    r = await factory.client.post(f"{url}/approve", json={"note": "Đúng CCCD"}, headers=w.officer_a)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved"
    mine = (await factory.client.get(f"{ME}/member", headers=me)).json()
    assert mine["full_name"] == "Nguyễn Văn Ân"
    r = await factory.client.post(f"{url}/reject", json={}, headers=w.officer_a)
    assert problem(r, 409)["code"] == "change_request_not_pending"
    # The record's history names the request; a rejected one changes nothing.
    history = (await factory.client.get(f"{ME}/member/history", headers=me)).json()
    assert any(e["details"].get("change_request_id") == req["id"] for e in history["events"])
    r = await factory.client.patch(f"{ME}/member", json={"date_of_birth": "1990-06-12"}, headers=me)
    second = r.json()["change_request"]
    r = await factory.client.post(
        f"/api/v1/members/change-requests/{second['id']}/reject",
        json={"note": "Không khớp CCCD"},
        headers=w.grassroots_officer_a,
    )
    assert r.json()["status"] == "rejected"
    mine = (await factory.client.get(f"{ME}/member", headers=me)).json()
    assert mine["date_of_birth"] == member["date_of_birth"]
    (latest, _) = (await factory.client.get(f"{ME}/change-requests", headers=me)).json()
    assert latest["decision_note"] == "Không khớp CCCD"


async def _audited(factory: Factory, action: str) -> int:
    return int(
        await factory.db.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
        )
        or 0
    )


async def test_activation_refuses_neutrally_and_is_throttled(factory: Factory) -> None:
    w = await build_world(factory)
    member = await admit(factory, w.officer_a, w.grassroots_a)
    right = {
        "personal_id": member["personal_id"],
        "card_number": member["card_number"],
        "date_of_birth": member["date_of_birth"],
        "username": "guess.who",
        "password": PASSWORD,
    }
    wrongs = [
        {**right, "date_of_birth": "1990-05-13"},
        # Another last digit than the member's own (a fixed "9" was right one time in ten).
        {
            **right,
            "personal_id": member["personal_id"][:-1]
            + str((int(member["personal_id"][-1]) + 1) % 10),
        },
        {**right, "card_number": "ZZ00000000"},
        {"code": "ABCDE-FGHJK", "username": "guess.who", "password": PASSWORD},
    ]
    answers = []
    for body in wrongs:
        r = await activate(factory, **body)
        p = problem(r, 422)
        assert p["code"] == "activation_failed" and not p.get("errors"), p
        answers.append((p["detail"], sorted(p)))
    # The same answer whichever part was wrong: nothing tells which field missed.
    assert len(set(map(str, answers))) == 1
    assert await _audited(factory, "member_account.activation_failed") == 4
    # Three more failures on this card (5 in all) lock it: even the right data waits.
    for _ in range(3):
        await activate(factory, **wrongs[0])
    r = await activate(factory, **right)
    p = problem(r, 429)
    assert p["code"] == "too_many_attempts" and int(r.headers["Retry-After"]) > 0
    assert (
        await factory.client.post(
            "/api/v1/auth/token", data={"username": "guess.who", "password": PASSWORD}
        )
    ).status_code == 401


async def test_the_address_is_throttled_across_cards(factory: Factory) -> None:
    w = await build_world(factory)
    for n in range(10):
        r = await activate(factory, code=f"AAAAA-{n:05d}", username="bulk.guess", password=PASSWORD)
        assert problem(r, 422)["code"] == "activation_failed"
    member = await admit(factory, w.officer_a, w.grassroots_a)
    r = await activate(
        factory,
        personal_id=member["personal_id"],
        card_number=member["card_number"],
        date_of_birth=member["date_of_birth"],
        username="bulk.guess",
        password=PASSWORD,
    )
    assert problem(r, 429)["code"] == "too_many_attempts"


async def test_a_one_time_code_works_once_and_not_after_it_expires(factory: Factory) -> None:
    w = await build_world(factory)
    member = await admit(factory, w.officer_a, w.grassroots_a)
    url = f"/api/v1/members/{member['id']}/activation-code"
    # Only officers who manage the member issue one.
    assert (await factory.client.post(url, headers=w.viewer_a)).status_code == 403
    assert (await factory.client.post(url, headers=w.officer_b)).status_code == 404
    first = (await factory.client.post(url, headers=w.officer_a)).json()
    r = await factory.client.post(url, headers=w.grassroots_officer_a)
    assert r.status_code == 201, r.text
    code = r.json()["code"]
    assert len(code) == 11 and code[5] == "-"
    # Only its keyed hash is stored.
    stored = (await factory.db.scalars(select(MemberActivationCode.code_hash))).all()
    assert code not in stored and code.replace("-", "") not in stored
    account = (
        await factory.client.get(f"/api/v1/members/{member['id']}/account", headers=w.officer_a)
    ).json()
    assert account["has_account"] is False and account["code_expires_at"] is not None

    # A newer code replaces the earlier one.
    r = await activate(factory, code=first["code"], username="code.user", password=PASSWORD)
    assert problem(r, 422)["code"] == "activation_failed"
    r = await activate(
        factory, code=code.lower().replace("-", " "), username="code.user", password=PASSWORD
    )
    assert r.status_code == 201, r.text
    assert await _audited(factory, "member_account.activate") == 1
    me = bearer(await sign_in(factory, "code.user"))
    assert (await factory.client.get(f"{ME}/member", headers=me)).json()["id"] == member["id"]
    account = (
        await factory.client.get(f"/api/v1/members/{member['id']}/account", headers=w.officer_a)
    ).json()
    assert account["has_account"] is True and account["username"] == "code.user"
    assert account["activated_via"] == "code"
    # Spent: a second use fails like any wrong code; a member with an account gets no code.
    r = await activate(factory, code=code, username="code.user2", password=PASSWORD)
    assert problem(r, 422)["code"] == "activation_failed"
    assert problem(await factory.client.post(url, headers=w.officer_a), 409)["code"] == (
        "member_account_exists"
    )
    # Identity data of a member who has an account: said only once they proved who they are.
    r = await activate(
        factory,
        personal_id=member["personal_id"],
        card_number=member["card_number"],
        date_of_birth=member["date_of_birth"],
        username="code.user3",
        password=PASSWORD,
    )
    assert problem(r, 409)["code"] == "member_account_exists"

    other = await admit(factory, w.officer_a, w.grassroots_a, full_name="Lê Văn Cũ")
    late = (
        await factory.client.post(
            f"/api/v1/members/{other['id']}/activation-code", headers=w.officer_a
        )
    ).json()
    await factory.db.execute(
        update(MemberActivationCode).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    )
    r = await activate(factory, code=late["code"], username="late.user", password=PASSWORD)
    assert problem(r, 422)["code"] == "activation_failed"


async def test_activation_asks_for_a_strong_password_and_a_free_username(factory: Factory) -> None:
    w = await build_world(factory)
    member, _ = await member_with_account(factory, w, "taken.name")
    other = await admit(factory, w.officer_a, w.grassroots_a, full_name="Phạm Thị Dung")
    body = {
        "personal_id": other["personal_id"],
        "card_number": other["card_number"],
        "date_of_birth": other["date_of_birth"],
        "username": "taken.name",
        "password": PASSWORD,
    }
    r = await activate(factory, **{**body, "password": "onlyletters"})
    assert problem(r, 422)["errors"][0]["field"] == "password"
    r = await activate(factory, **body)
    assert problem(r, 422)["errors"][0]["code"] == "username_taken"
    r = await activate(factory, username="no.data", password=PASSWORD)
    assert problem(r, 422)["errors"][0]["code"] == "required"
    # Member accounts are not officers' accounts: not in the user list, no role to grant.
    users = (
        await factory.client.get("/api/v1/users", params={"size": 200}, headers=w.admin)
    ).json()
    assert "taken.name" not in {u["username"] for u in users["items"]}
    assert member["id"]


async def test_officers_have_no_own_member_record(factory: Factory) -> None:
    w = await build_world(factory)
    for url in (f"{ME}/member", f"{ME}/card", f"{ME}/training", f"{ME}/transfer-requests"):
        r = await factory.client.get(url, headers=w.officer_a)
        assert problem(r, 403)["code"] == "member_account_only"
