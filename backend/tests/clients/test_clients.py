"""Integration clients: registration within the registrar's subtree, the client-credentials
grant, what a client sees, rotation with overlap, revocation, rate limits, usage and
Idempotency-Key."""

import uuid

from sqlalchemy import select

from tests.clients.helpers import CLIENTS, TOKEN, client_body, client_token, register
from tests.factories import Factory
from tests.members.helpers import admit, build_world, member_body, problem
from unionhub.core.audit import AuditEntry


async def test_register_shows_the_secret_once_and_keeps_only_its_hash(factory: Factory) -> None:
    w = await build_world(factory)
    created = await register(factory, w.officer_a, w.district_a)
    assert created["client_id"] == created["id"]
    secret = created["client_secret"]
    assert secret.startswith("uhs_") and len(secret) > 40
    assert created["union_name"] == w.district_a.name
    assert created["status"] == "active" and created["usage"]["requests"] == 0
    r = await factory.client.get(f"{CLIENTS}/{created['id']}", headers=w.officer_a)
    assert r.status_code == 200 and "client_secret" not in r.json()
    assert secret not in r.text
    # nothing in the audit trail holds the secret or its hash
    entry = await factory.db.scalar(
        select(AuditEntry).where(AuditEntry.entity_id == uuid.UUID(created["id"]))
    )
    assert entry is not None and entry.action == "client.create"
    assert "secret_hash" not in str(entry.after) and "$argon2" not in str(entry.after)
    listed = await factory.client.get(CLIENTS, headers=w.officer_a)
    assert [c["id"] for c in listed.json()["items"]] == [created["id"]]
    # the sibling district sees neither the client nor its list entry
    assert (
        await factory.client.get(f"{CLIENTS}/{created['id']}", headers=w.officer_b)
    ).status_code == 404
    assert (await factory.client.get(CLIENTS, headers=w.officer_b)).json()["items"] == []


async def test_registration_stays_inside_the_registrars_subtree_and_grants(
    factory: Factory,
) -> None:
    w = await build_world(factory)
    r = await factory.client.post(CLIENTS, json=client_body(w.district_b), headers=w.officer_a)
    problem(r, 404)
    # a grassroots officer and a viewer do not register clients
    r = await factory.client.post(
        CLIENTS, json=client_body(w.grassroots_a), headers=w.grassroots_officer_a
    )
    assert problem(r, 403)["code"] == "permission_denied"
    r = await factory.client.post(
        CLIENTS,
        json=client_body(w.district_a, permissions=["members:pii", "members:read"]),
        headers=w.officer_a,
    )
    body = problem(r, 422)
    assert "pii_basis" in r.text or body["errors"], body
    r = await factory.client.post(
        CLIENTS,
        json=client_body(w.district_a, permissions=["users:manage"]),
        headers=w.officer_a,
    )
    problem(r, 422)


async def test_client_credentials_by_basic_or_form(factory: Factory) -> None:
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    r = await factory.client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": c["client_id"],
            "client_secret": c["client_secret"],
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and "refresh_token" not in body
    assert body["expires_in"] == 600 and body["scope"] == "members:read unions:read"
    r = await factory.client.post(
        TOKEN, data={"grant_type": "client_credentials"}, auth=(c["client_id"], "uhs_wrong")
    )
    assert problem(r, 401)["code"] == "invalid_client"
    r = await factory.client.post(
        TOKEN, data={"grant_type": "client_credentials"}, auth=(str(uuid.uuid4()), "uhs_x")
    )
    assert problem(r, 401)["code"] == "invalid_client"
    # the person's password flow still answers as before
    user = await factory.user("viewer", w.district_a)
    r = await factory.client.post(TOKEN, data={"username": user.username, "password": "Test@12345"})
    assert r.status_code == 200 and "refresh_token" in r.json()


async def test_a_client_reads_its_subtree_with_masked_personal_data(factory: Factory) -> None:
    w = await build_world(factory)
    member_a = await admit(factory, w.admin, w.grassroots_a, phone="0912 345 678")
    member_b = await admit(factory, w.admin, w.grassroots_b)
    c = await register(factory, w.officer_a, w.district_a)
    headers = await client_token(factory, c["client_id"], c["client_secret"])
    r = await factory.client.get("/api/v1/unions", params={"size": 200}, headers=headers)
    ids = {u["id"] for u in r.json()["items"]}
    assert str(w.district_a.id) in ids and str(w.grassroots_a.id) in ids
    assert str(w.district_b.id) not in ids and str(w.province.id) not in ids
    r = await factory.client.get(f"/api/v1/members/{member_a['id']}", headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["personal_id"].startswith("*********")
    assert (
        await factory.client.get(f"/api/v1/members/{member_b['id']}", headers=headers)
    ).status_code == 404
    # a write it was not granted
    r = await factory.client.post(
        "/api/v1/members", json=member_body(w.grassroots_a), headers=headers
    )
    assert problem(r, 403)["code"] == "permission_denied"
    # with members:pii (and its recorded basis) the same member is unmasked
    pii = await register(
        factory,
        w.officer_a,
        w.district_a,
        permissions=["members:read", "members:pii"],
        pii_basis="Thỏa thuận chia sẻ dữ liệu số 12/TT-LĐLĐ ngày 01/12/2026",
    )
    headers = await client_token(factory, pii["client_id"], pii["client_secret"])
    url = f"/api/v1/members/{member_a['id']}"
    r = await factory.client.get(url, params={"reveal_pii": True}, headers=headers)
    assert r.json()["personal_id"] == member_a_personal_id(member_a, r.json())
    # the client's read of personal data is in the audit trail, under the client's name
    entry = await factory.db.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "member.pii_read",
            AuditEntry.actor_username == f"client:{pii['id']}",
        )
    )
    assert entry is not None and entry.entity_id == uuid.UUID(member_a["id"])


def member_a_personal_id(created: dict[str, object], read: dict[str, object]) -> object:
    # The admin's answer to the admission shows the number unmasked.
    assert "*" not in str(created["personal_id"])
    return created["personal_id"]


async def test_revoke_is_immediate(factory: Factory) -> None:
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    headers = await client_token(factory, c["client_id"], c["client_secret"])
    assert (await factory.client.get("/api/v1/unions", headers=headers)).status_code == 200
    r = await factory.client.post(
        f"{CLIENTS}/{c['id']}/revoke", headers={**w.officer_a, "If-Match": '"1"'}
    )
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    r = await factory.client.get("/api/v1/unions", headers=headers)
    assert problem(r, 401)["code"] == "client_revoked"
    r = await factory.client.post(
        TOKEN, data={"grant_type": "client_credentials"}, auth=(c["client_id"], c["client_secret"])
    )
    assert problem(r, 401)["code"] == "invalid_client"


async def test_rotation_keeps_the_old_secret_for_the_overlap_only(factory: Factory) -> None:
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    r = await factory.client.post(f"{CLIENTS}/{c['id']}/rotate", headers=w.officer_a)
    assert r.status_code == 200, r.text
    rotated = r.json()
    assert rotated["client_secret"] != c["client_secret"]
    assert rotated["previous_secret_valid_until"] is not None
    await client_token(factory, c["client_id"], c["client_secret"])  # still inside the overlap
    await client_token(factory, c["client_id"], rotated["client_secret"])
    r = await factory.client.post(
        f"{CLIENTS}/{c['id']}/rotate", json={"overlap_hours": 0}, headers=w.officer_a
    )
    newest = r.json()["client_secret"]
    for old in (c["client_secret"], rotated["client_secret"]):
        r = await factory.client.post(
            TOKEN, data={"grant_type": "client_credentials"}, auth=(c["client_id"], old)
        )
        assert problem(r, 401)["code"] == "invalid_client"
    await client_token(factory, c["client_id"], newest)


async def test_rate_limit_answers_429_with_headers_and_usage_counts(factory: Factory) -> None:
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a, rate_limit_per_minute=3)
    headers = await client_token(factory, c["client_id"], c["client_secret"])
    r = await factory.client.get("/api/v1/unions", headers=headers)
    assert r.headers["ratelimit-limit"] == "3" and r.headers["ratelimit-remaining"] == "2"
    assert (
        await factory.client.get(f"/api/v1/unions/{w.district_b.id}", headers=headers)
    ).status_code == 404
    assert (await factory.client.get("/api/v1/unions", headers=headers)).status_code == 200
    r = await factory.client.get("/api/v1/unions", headers=headers)
    body = problem(r, 429)
    assert body["code"] == "rate_limited"
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert r.headers["ratelimit-remaining"] == "0"
    read = (await factory.client.get(f"{CLIENTS}/{c['id']}", headers=w.officer_a)).json()
    assert read["usage"]["requests"] == 4 and read["usage"]["errors"] == 2
    assert read["usage"]["last_seen_at"] is not None


async def test_idempotency_key_replays_the_first_answer(factory: Factory) -> None:
    w = await build_world(factory)
    c = await register(
        factory, w.officer_a, w.district_a, permissions=["members:read", "members:write"]
    )
    headers = await client_token(factory, c["client_id"], c["client_secret"])
    body = member_body(w.grassroots_a)
    keyed = {**headers, "Idempotency-Key": f"admit-{uuid.uuid4()}"}
    first = await factory.client.post("/api/v1/members", json=body, headers=keyed)
    assert first.status_code == 201, first.text
    again = await factory.client.post("/api/v1/members", json=body, headers=keyed)
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotency-replayed"] == "true"
    other = await factory.client.post(
        "/api/v1/members", json={**body, "full_name": "Lê Thị Khác"}, headers=keyed
    )
    err = problem(other, 422)
    assert err["errors"][0]["code"] == "idempotency_key_reused"
    # a client's edit must be conditional
    r = await factory.client.patch(
        f"/api/v1/members/{first.json()['id']}", json={"occupation": "Kỹ sư"}, headers=headers
    )
    assert problem(r, 428)["code"] == "if_match_required"
    # the member the client admitted names the client as the actor
    entry = await factory.db.scalar(
        select(AuditEntry).where(
            AuditEntry.entity_id == uuid.UUID(first.json()["id"]),
            AuditEntry.action == "member.admit",
        )
    )
    assert entry is not None and entry.actor_username == f"client:{c['id']}"


async def test_a_clients_account_cannot_sign_in(factory: Factory) -> None:
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    r = await factory.client.post(
        TOKEN, data={"username": f"client:{c['id']}", "password": c["client_secret"]}
    )
    assert r.status_code in (401, 422)
