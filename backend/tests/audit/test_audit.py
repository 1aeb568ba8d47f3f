"""The audit log: every write leaves an entry, and each caller reads only their scope's."""

from datetime import UTC, datetime, timedelta

from tests.factories import Factory

AUDIT = "/api/v1/audit"
USERS = "/api/v1/users"


def _new_user(union_id: object, username: str) -> dict[str, object]:
    return {
        "username": username,
        "full_name": "Huỳnh Văn Kiệt",
        "password": "MatKhau2024x",
        "roles": [{"role": "viewer", "union_id": str(union_id)}],
    }


async def test_a_write_is_audited_with_before_after_and_request_id(factory: Factory) -> None:
    root = await factory.union()
    a = await factory.union(root)
    b = await factory.union(root)
    officer = await factory.user("union_officer", a)
    h = await factory.login(officer.username)

    r = await factory.client.post(USERS, json=_new_user(a.id, "kiet.huynh"), headers=h)
    assert r.status_code == 201
    created_rid = r.headers["x-request-id"]
    user_id = r.json()["id"]
    r = await factory.client.patch(
        f"{USERS}/{user_id}",
        json={"full_name": "Huỳnh Tấn Kiệt"},
        headers={**h, "X-Request-ID": "edit-from-test-42"},
    )
    assert r.status_code == 200
    assert r.headers["x-request-id"] == "edit-from-test-42"

    r = await factory.client.get(AUDIT, params={"entity_id": user_id}, headers=h)
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == 2
    edit, create = page["items"]  # newest first
    assert edit["action"] == "user.update"
    assert edit["request_id"] == "edit-from-test-42"
    assert edit["actor_id"] == str(officer.id)
    assert edit["actor_username"] == officer.username
    assert edit["entity_type"] == "user"
    assert edit["union_id"] == str(a.id)
    assert edit["before"]["full_name"] == "Huỳnh Văn Kiệt"
    assert edit["after"]["full_name"] == "Huỳnh Tấn Kiệt"
    assert edit["after"]["version"] == 2

    assert create["action"] == "user.create"
    assert create["request_id"] == created_rid
    assert create["before"] is None
    assert create["after"]["username"] == "kiet.huynh"
    assert create["after"]["roles"] == [{"role": "viewer", "union_id": str(a.id)}]
    assert "password_hash" not in create["after"]
    assert "MatKhau" not in r.text

    # A sibling subtree's officer sees none of it.
    hb = await factory.headers_for("union_officer", b)
    r = await factory.client.get(AUDIT, params={"size": 200}, headers=hb)
    assert r.status_code == 200
    assert user_id not in {e["entity_id"] for e in r.json()["items"]}
    r = await factory.client.get(AUDIT, params={"entity_id": user_id}, headers=hb)
    assert r.json()["total"] == 0


async def test_filters(factory: Factory) -> None:
    root = await factory.union()
    a = await factory.union(root)
    officer = await factory.user("union_officer", a)
    h = await factory.login(officer.username)
    for name in ("first.user", "second.user"):
        r = await factory.client.post(USERS, json=_new_user(a.id, name), headers=h)
        assert r.status_code == 201
    user_id = r.json()["id"]
    r = await factory.client.put(
        f"{USERS}/{user_id}/password", json={"password": "KhacHan2025x"}, headers=h
    )
    assert r.status_code == 204

    async def actions(**params: str | int) -> list[str]:
        r = await factory.client.get(AUDIT, params=params, headers=h)
        assert r.status_code == 200, r.text
        return [e["action"] for e in r.json()["items"]]

    assert await actions(action="user.") == ["user.set_password", "user.create", "user.create"]
    assert await actions(action="user.set_") == ["user.set_password"]
    assert await actions(action="user_") == []  # "_" is not a wildcard
    assert await actions(entity_type="user", actor_id=str(officer.id), size=1) == [
        "user.set_password"
    ]
    # The factory founded both unions; the province's founding is outside this officer's scope.
    r = await factory.client.get(AUDIT, params={"entity_type": "union"}, headers=h)
    assert [(e["action"], e["entity_id"]) for e in r.json()["items"]] == [
        ("union.found", str(a.id))
    ]
    assert await actions(union_id=str(a.id), entity_id=user_id) == [
        "user.set_password",
        "user.create",
    ]
    now = datetime.now(UTC)
    assert len(await actions(**{"from": (now - timedelta(hours=1)).isoformat()})) == 4
    assert await actions(**{"from": (now + timedelta(hours=1)).isoformat()}) == []
    assert await actions(to="2000-01-01T00:00:00") == []

    r = await factory.client.get(AUDIT, params={"from": "yesterday"}, headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "from"


async def test_sign_ins_are_for_admins_only(factory: Factory) -> None:
    root = await factory.union()
    a = await factory.union(root)
    admin = await factory.headers_for("admin", root)
    officer = await factory.user("federation_officer", root)
    h = await factory.login(officer.username)
    r = await factory.client.post(
        "/api/v1/auth/token", data={"username": officer.username, "password": "Wrong-pass-1"}
    )
    assert r.status_code == 401

    r = await factory.client.get(AUDIT, params={"action": "auth."}, headers=admin)
    entries = r.json()["items"]
    assert {e["action"] for e in entries} == {"auth.login", "auth.login_failed"}
    assert all(e["union_id"] is None for e in entries)
    assert officer.username in {e["actor_username"] for e in entries}

    # The provincial officer sees all union-scoped entries, but not the sign-ins.
    r = await factory.client.get(AUDIT, params={"action": "auth."}, headers=h)
    assert r.json()["total"] == 0
    r = await factory.client.post(USERS, json=_new_user(a.id, "scoped.one"), headers=h)
    assert r.status_code == 201
    r = await factory.client.get(AUDIT, headers=h)
    assert [e["action"] for e in r.json()["items"]] == ["user.create", "union.found", "union.found"]


async def test_viewer_may_not_read_the_audit_log(factory: Factory) -> None:
    root = await factory.union()
    h = await factory.headers_for("viewer", root)
    r = await factory.client.get(AUDIT, headers=h)
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"
    r = await factory.client.get(AUDIT)
    assert r.status_code == 401
