"""Account management through the API: create, read, list, edit, roles, passwords."""

import pytest

from tests.factories import PASSWORD, Factory
from tests.users.helpers import USERS, make_tree, new_user, sign_in
from unionhub.core.config import get_settings


async def test_officer_creates_a_user_who_can_then_sign_in(factory: Factory) -> None:
    t = await make_tree(factory)
    h = await factory.headers_for("union_officer", t.a)
    body = new_user(t.a1, username="  Tran.Bich ")
    r = await factory.client.post(USERS, json=body, headers=h)
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["username"] == "tran.bich"
    assert user["email"] == "bich.tran@example.vn"
    assert user["is_active"] is True
    assert user["version"] == 1
    assert [(x["role"], x["union_name"]) for x in user["roles"]] == [
        ("grassroots_officer", "Công đoàn cơ sở Công ty Cái Bè")
    ]
    assert "password" not in r.text and "password_hash" not in r.text
    assert r.headers["etag"] == '"1"'
    assert r.headers["location"] == f"{USERS}/{user['id']}"

    r = await factory.client.get(f"{USERS}/{user['id']}", headers=h)
    assert r.status_code == 200
    assert r.json() == user
    assert await sign_in(factory.client, "tran.bich", "MatKhau2024x") == 200


async def test_list_filters_and_accent_free_search(factory: Factory) -> None:
    t = await make_tree(factory)
    h = await factory.headers_for("union_officer", t.a)
    made = []
    for name, role, union in [
        ("Trần Thị Bích", "grassroots_officer", t.a1),
        ("Nguyễn Văn Đức", "viewer", t.a1),
        ("Lê Văn Cường", "viewer", t.a),
    ]:
        r = await factory.client.post(USERS, json=new_user(union, role, full_name=name), headers=h)
        assert r.status_code == 201, r.text
        made.append(r.json())

    async def names(**params: str | int) -> list[str]:
        r = await factory.client.get(USERS, params=params, headers=h)
        assert r.status_code == 200, r.text
        return sorted(u["full_name"] for u in r.json()["items"])

    assert await names(q="nguyen van duc") == ["Nguyễn Văn Đức"]
    # The officer made by the factory is "Nguyễn Văn Thử".
    assert await names(q="VĂN") == ["Lê Văn Cường", "Nguyễn Văn Thử", "Nguyễn Văn Đức"]
    assert await names(q=made[0]["username"]) == ["Trần Thị Bích"]
    assert await names(role="viewer") == ["Lê Văn Cường", "Nguyễn Văn Đức"]
    assert await names(union_id=str(t.a1.id)) == ["Nguyễn Văn Đức", "Trần Thị Bích"]
    assert await names(q="100%") == []

    r = await factory.client.patch(f"{USERS}/{made[1]['id']}", json={"is_active": False}, headers=h)
    assert r.status_code == 200
    assert await names(is_active="false") == ["Nguyễn Văn Đức"]

    r = await factory.client.get(USERS, params={"size": 2, "page": 1}, headers=h)
    page = r.json()
    # The three new users and the officer himself.
    assert (page["total"], page["pages"], len(page["items"])) == (4, 2, 2)


async def test_stale_if_match_answers_412_and_changes_nothing(factory: Factory) -> None:
    t = await make_tree(factory)
    h = await factory.headers_for("union_officer", t.a)
    user = (await factory.client.post(USERS, json=new_user(t.a1), headers=h)).json()
    url = f"{USERS}/{user['id']}"

    r = await factory.client.get(url, headers=h)
    etag = r.headers["etag"]
    r = await factory.client.patch(
        url, json={"full_name": "Trần Thị Bích Ngọc"}, headers={**h, "If-Match": etag}
    )
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == '"2"'
    assert r.json()["full_name"] == "Trần Thị Bích Ngọc"

    r = await factory.client.patch(
        url, json={"full_name": "Tên cũ đè lên", "email": None}, headers={**h, "If-Match": etag}
    )
    assert r.status_code == 412
    assert r.json()["code"] == "version_mismatch"
    r = await factory.client.get(url, headers=h)
    assert r.json()["full_name"] == "Trần Thị Bích Ngọc"
    assert r.json()["email"] == "bich.tran@example.vn"
    assert r.headers["etag"] == '"2"'

    r = await factory.client.patch(url, json={"email": None}, headers={**h, "If-Match": "abc"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"].lower() == "if-match"


async def test_invalid_input_is_422_with_field_codes(factory: Factory) -> None:
    t = await make_tree(factory)
    h = await factory.headers_for("union_officer", t.a)
    r = await factory.client.post(USERS, json=new_user(t.a1, username="dup.user"), headers=h)
    assert r.status_code == 201

    async def error(
        body: dict[str, object], method: str = "POST", url: str = USERS
    ) -> tuple[str, str]:
        r = await factory.client.request(method, url, json=body, headers=h)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        e = r.json()["errors"][0]
        return e["field"], e["code"]

    assert await error(new_user(t.a1, username="DUP.user")) == ("username", "username_taken")
    assert await error(new_user(t.a1, is_admin=True)) == ("is_admin", "unknown_field")
    assert await error(new_user(t.a1, password="abcdefghijk")) == ("password", "weak_password")
    assert await error(new_user(t.a1, password="abc12")) == ("password", "too_short")
    assert await error(new_user(t.a1, username="a b")) == ("username", "invalid_format")
    assert await error(new_user(t.a1, roles=[])) == ("roles", "too_short")
    assert await error(new_user(t.a1, full_name="   ")) == ("full_name", "required")
    grant = {"role": "viewer", "union_id": str(t.a1.id)}
    assert await error(new_user(t.a1, roles=[grant, grant])) == ("roles.1", "duplicate_role")
    assert await error(new_user(t.a1, roles=[{"role": "boss", "union_id": str(t.a1.id)}])) == (
        "roles.0.role",
        "invalid_choice",
    )

    user = (await factory.client.get(USERS, params={"q": "dup.user"}, headers=h)).json()["items"][0]
    url = f"{USERS}/{user['id']}"
    assert await error({"username": "renamed"}, "PATCH", url) == ("username", "unknown_field")
    assert await error({"full_name": None}, "PATCH", url) == ("full_name", "required")
    assert await error({"password": "short"}, "PUT", f"{url}/password") == (
        "password",
        "too_short",
    )


async def test_deactivating_ends_sign_ins_and_blocks_sign_in(factory: Factory) -> None:
    t = await make_tree(factory)
    officer = await factory.user("union_officer", t.a)
    h = await factory.login(officer.username)
    member = await factory.user("viewer", t.a1)
    hm = await factory.login(member.username)
    assert (await factory.client.get("/api/v1/auth/me", headers=hm)).status_code == 200

    r = await factory.client.patch(f"{USERS}/{member.id}", json={"is_active": False}, headers=h)
    assert r.status_code == 200
    assert r.json()["is_active"] is False
    r = await factory.client.get("/api/v1/auth/me", headers=hm)
    assert r.status_code == 401
    assert await sign_in(factory.client, member.username, PASSWORD) == 401

    r = await factory.client.patch(f"{USERS}/{officer.id}", json={"is_active": False}, headers=h)
    assert r.status_code == 409
    assert r.json()["code"] == "cannot_deactivate_self"
    assert (await factory.client.get("/api/v1/auth/me", headers=h)).status_code == 200


async def test_set_password_ends_the_users_sign_ins(factory: Factory) -> None:
    t = await make_tree(factory)
    h = await factory.headers_for("union_officer", t.a)
    member = await factory.user("viewer", t.a1)
    hm = await factory.login(member.username)

    r = await factory.client.put(
        f"{USERS}/{member.id}/password", json={"password": "MoiDoi20251"}, headers=h
    )
    assert r.status_code == 204
    assert (await factory.client.get("/api/v1/auth/me", headers=hm)).status_code == 401
    assert await sign_in(factory.client, member.username, PASSWORD) == 401
    assert await sign_in(factory.client, member.username, "MoiDoi20251") == 200


async def test_add_and_remove_roles(factory: Factory) -> None:
    t = await make_tree(factory)
    officer = await factory.user("union_officer", t.a)
    h = await factory.login(officer.username)
    user = (await factory.client.post(USERS, json=new_user(t.a1), headers=h)).json()
    url = f"{USERS}/{user['id']}"

    r = await factory.client.post(
        f"{url}/roles", json={"role": "union_officer", "union_id": str(t.a.id)}, headers=h
    )
    assert r.status_code == 201, r.text
    assert r.headers["etag"] == '"2"'
    roles = r.json()["roles"]
    # Topmost union first.
    assert [(x["role"], x["union_id"]) for x in roles] == [
        ("union_officer", str(t.a.id)),
        ("grassroots_officer", str(t.a1.id)),
    ]
    r = await factory.client.post(
        f"{url}/roles", json={"role": "union_officer", "union_id": str(t.a.id)}, headers=h
    )
    assert r.status_code == 409
    assert r.json()["code"] == "role_exists"

    r = await factory.client.delete(
        f"{url}/roles/{roles[0]['id']}", headers={**h, "If-Match": '"1"'}
    )
    assert r.status_code == 412
    r = await factory.client.delete(f"{url}/roles/{roles[0]['id']}", headers=h)
    assert r.status_code == 200
    assert [x["role"] for x in r.json()["roles"]] == ["grassroots_officer"]
    r = await factory.client.delete(f"{url}/roles/{roles[1]['id']}", headers=h)
    assert r.status_code == 409
    assert r.json()["code"] == "last_role"
    r = await factory.client.delete(f"{url}/roles/{roles[0]['id']}", headers=h)
    assert r.status_code == 404

    # The officer cannot strip their own last users:manage role...
    me = (await factory.client.get(f"{USERS}/{officer.id}", headers=h)).json()
    r = await factory.client.post(
        f"{USERS}/{officer.id}/roles", json={"role": "viewer", "union_id": str(t.a1.id)}, headers=h
    )
    assert r.status_code == 201
    r = await factory.client.delete(f"{USERS}/{officer.id}/roles/{me['roles'][0]['id']}", headers=h)
    assert r.status_code == 409
    assert r.json()["code"] == "own_last_manage_role"
    assert (await factory.client.get(f"{USERS}/{officer.id}", headers=h)).json()["version"] == 2


async def test_admin_manages_anyone_and_grants_admin(factory: Factory) -> None:
    t = await make_tree(factory)
    h = await factory.headers_for("admin", t.root)
    r = await factory.client.post(USERS, json=new_user(t.root, "admin"), headers=h)
    assert r.status_code == 201, r.text
    hb_user = await factory.user("federation_officer", t.b)
    r = await factory.client.patch(
        f"{USERS}/{hb_user.id}", json={"full_name": "Võ Thị Sáu"}, headers=h
    )
    assert r.status_code == 200
    assert r.json()["full_name"] == "Võ Thị Sáu"
    r = await factory.client.get(USERS, headers=h)
    assert r.json()["total"] == 3


async def test_password_reset_unlocks_and_keeps_the_callers_own_sign_in(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "login_slowdown_after", 100)
    t = await make_tree(factory)
    officer = await factory.user("union_officer", t.a)
    h = await factory.login(officer.username)
    member = await factory.user("viewer", t.a1)
    for _ in range(settings.login_lock_after + 1):
        status = await sign_in(factory.client, member.username, "Wrong-pass-123")
    assert status == 429

    r = await factory.client.put(
        f"{USERS}/{member.id}/password", json={"password": "MoiDoi20251"}, headers=h
    )
    assert r.status_code == 204
    assert await sign_in(factory.client, member.username, "MoiDoi20251") == 200

    # Changing one's own password ends other sign-ins but not the one making the change.
    other = await factory.login(officer.username)
    r = await factory.client.put(
        f"{USERS}/{officer.id}/password", json={"password": "CuaToi20251"}, headers=h
    )
    assert r.status_code == 204
    assert (await factory.client.get("/api/v1/auth/me", headers=h)).status_code == 200
    assert (await factory.client.get("/api/v1/auth/me", headers=other)).status_code == 401
