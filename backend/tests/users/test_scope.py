"""Who sees and who may change which accounts: subtrees, ranks and permissions."""

from tests.factories import PASSWORD, Factory
from tests.users.helpers import USERS, make_tree, new_user, sign_in
from unionhub.auth.models import RoleAssignment


async def test_sibling_officer_sees_nothing_of_the_other_subtree(factory: Factory) -> None:
    t = await make_tree(factory)
    ha = await factory.headers_for("union_officer", t.a)
    hb = await factory.headers_for("union_officer", t.b)
    r = await factory.client.post(USERS, json=new_user(t.b1, full_name="Phạm Văn Mỹ"), headers=hb)
    assert r.status_code == 201
    victim = r.json()
    url = f"{USERS}/{victim['id']}"
    assignment = victim["roles"][0]["id"]

    attempts = [
        await factory.client.get(url, headers=ha),
        await factory.client.patch(url, json={"full_name": "Bị sửa"}, headers=ha),
        await factory.client.post(
            f"{url}/roles", json={"role": "viewer", "union_id": str(t.a1.id)}, headers=ha
        ),
        await factory.client.delete(f"{url}/roles/{assignment}", headers=ha),
        await factory.client.put(f"{url}/password", json={"password": "Hacked12345"}, headers=ha),
    ]
    for r in attempts:
        assert r.status_code == 404, r.text
        assert r.json()["code"] == "user_not_found"

    r = await factory.client.get(USERS, params={"size": 200}, headers=ha)
    assert victim["id"] not in {u["id"] for u in r.json()["items"]}
    r = await factory.client.get(USERS, params={"union_id": str(t.b1.id)}, headers=ha)
    assert r.json()["total"] == 0
    r = await factory.client.get(USERS, params={"q": "pham van my"}, headers=ha)
    assert r.json()["total"] == 0

    # Nothing happened to the account.
    r = await factory.client.get(url, headers=hb)
    assert r.json() == victim
    assert await sign_in(factory.client, victim["username"], "MatKhau2024x") == 200


async def test_granting_is_bounded_by_own_rank_and_scope(factory: Factory) -> None:
    t = await make_tree(factory)
    h = await factory.headers_for("union_officer", t.a)

    for role in ("federation_officer", "admin"):
        r = await factory.client.post(USERS, json=new_user(t.a1, role), headers=h)
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "role_above_own"
    # A sibling's union and the province above are both invisible to this officer.
    for union in (t.b1, t.root):
        r = await factory.client.post(USERS, json=new_user(union, "viewer"), headers=h)
        assert r.status_code == 404
        assert r.json()["code"] == "union_not_found"

    r = await factory.client.post(USERS, json=new_user(t.a1, "viewer"), headers=h)
    assert r.status_code == 201
    user = r.json()
    r = await factory.client.post(
        f"{USERS}/{user['id']}/roles",
        json={"role": "federation_officer", "union_id": str(t.a.id)},
        headers=h,
    )
    assert r.status_code == 403
    assert r.json()["code"] == "role_above_own"
    r = await factory.client.post(
        f"{USERS}/{user['id']}/roles", json={"role": "viewer", "union_id": str(t.b.id)}, headers=h
    )
    assert r.status_code == 404
    r = await factory.client.get(f"{USERS}/{user['id']}", headers=h)
    assert len(r.json()["roles"]) == 1 and r.json()["version"] == 1

    r = await factory.client.get(USERS, params={"q": "Trần"}, headers=h)
    assert r.json()["total"] == 1  # nothing was created by the refused requests


async def test_visible_but_not_manageable_union_or_user_answers_403(factory: Factory) -> None:
    t = await make_tree(factory)
    # Officer at A who may also read (not manage) the whole province.
    officer = await factory.user("union_officer", t.a)
    factory.db.add(RoleAssignment(user_id=officer.id, role="viewer", union_id=t.root.id))
    await factory.db.flush()
    h = await factory.login(officer.username)

    r = await factory.client.post(USERS, json=new_user(t.b1, "viewer"), headers=h)
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"

    # A user who outranks the officer at A: visible, but not theirs to change.
    boss = await factory.user("federation_officer", t.a)
    r = await factory.client.get(f"{USERS}/{boss.id}", headers=h)
    assert r.status_code == 200
    r = await factory.client.patch(f"{USERS}/{boss.id}", json={"full_name": "X"}, headers=h)
    assert r.status_code == 403
    r = await factory.client.put(
        f"{USERS}/{boss.id}/password", json={"password": "Hacked12345"}, headers=h
    )
    assert r.status_code == 403
    assert await sign_in(factory.client, boss.username, PASSWORD) == 200

    # A user who also works in the sibling subtree: visible through A, managed by neither alone.
    shared = await factory.user("viewer", t.a1)
    factory.db.add(RoleAssignment(user_id=shared.id, role="viewer", union_id=t.b1.id))
    await factory.db.flush()
    r = await factory.client.patch(f"{USERS}/{shared.id}", json={"is_active": False}, headers=h)
    assert r.status_code == 403
    r = await factory.client.get(f"{USERS}/{shared.id}", headers=h)
    assert r.json()["is_active"] is True


async def test_viewer_and_grassroots_officer_cannot_create(factory: Factory) -> None:
    t = await make_tree(factory)
    hv = await factory.headers_for("viewer", t.a)
    r = await factory.client.post(USERS, json=new_user(t.a1, "viewer"), headers=hv)
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    assert (await factory.client.get(USERS, headers=hv)).status_code == 403

    hg = await factory.headers_for("grassroots_officer", t.a1)
    r = await factory.client.post(USERS, json=new_user(t.a1, "viewer"), headers=hg)
    assert r.status_code == 403
    # ...but a grassroots officer can read the accounts of their union.
    r = await factory.client.get(USERS, headers=hg)
    assert r.status_code == 200 and r.json()["total"] == 1
