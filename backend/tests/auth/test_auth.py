"""Sign-in, tokens, refresh rotation with reuse detection, sign-out and throttling."""

import asyncio
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select, update

from tests.factories import PASSWORD, Factory
from unionhub.auth.models import AuthSession, RefreshToken
from unionhub.core.config import get_settings
from unionhub.core.security import create_token, decode_token

TOKEN = "/api/v1/auth/token"
REFRESH = "/api/v1/auth/refresh"
ME = "/api/v1/auth/me"


async def _sign_in(client: AsyncClient, username: str, password: str = PASSWORD) -> dict[str, Any]:
    r = await client.post(TOKEN, data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_sign_in_and_me_lists_roles_and_permissions(factory: Factory) -> None:
    root = await factory.union(name="Liên đoàn Lao động tỉnh Tiền Giang")
    district = await factory.union(root, name="Liên đoàn Lao động huyện Cái Bè")
    user = await factory.user("union_officer", district, username="officer.caibe")

    # Usernames are matched without regard to case or surrounding spaces.
    pair = await _sign_in(factory.client, "  Officer.CaiBe ")
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == 15 * 60

    r = await factory.client.get(ME, headers=_bearer(pair["access_token"]))
    assert r.status_code == 200, r.text
    me = r.json()
    assert me["id"] == str(user.id)
    assert me["username"] == "officer.caibe"
    assert me["roles"] == [
        {
            "id": me["roles"][0]["id"],
            "role": "union_officer",
            "union_id": str(district.id),
            "union_name": "Liên đoàn Lao động huyện Cái Bè",
        }
    ]
    assert {"users:manage", "unions:write", "audit:read"} <= set(me["permissions"])


async def test_viewer_me_lists_only_read_permissions(factory: Factory) -> None:
    root = await factory.union()
    user = await factory.user("viewer", root)
    pair = await _sign_in(factory.client, user.username)
    r = await factory.client.get(ME, headers=_bearer(pair["access_token"]))
    assert sorted(r.json()["permissions"]) == [
        "enterprises:read",
        "evaluations:read",
        "members:read",
        "reports:read",
        "training:read",
        "unions:read",
    ]


async def test_wrong_password_and_unknown_user_answer_the_same_401(factory: Factory) -> None:
    root = await factory.union()
    user = await factory.user("viewer", root)
    wrong = await factory.client.post(
        TOKEN, data={"username": user.username, "password": "Wrong-pass-123"}
    )
    unknown = await factory.client.post(
        TOKEN, data={"username": "nobody.here", "password": "Wrong-pass-123"}
    )
    for r in (wrong, unknown):
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.json()["code"] == "invalid_credentials"
        assert "access_token" not in r.text
    # Same message for both, so the answer does not reveal which accounts exist.
    assert wrong.json()["detail"] == unknown.json()["detail"]


async def test_repeated_failures_lock_the_account_with_retry_after(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = get_settings()
    # The slowdown sleeps; this test is about the lock, so keep it out of the way.
    monkeypatch.setattr(settings, "login_slowdown_after", 100)
    root = await factory.union()
    user = await factory.user("viewer", root)
    bad = {"username": user.username, "password": "Wrong-pass-123"}

    for _ in range(settings.login_lock_after):
        r = await factory.client.post(TOKEN, data=bad)
        assert r.status_code == 401, r.text

    r = await factory.client.post(TOKEN, data=bad)
    assert r.status_code == 429
    assert r.json()["code"] == "too_many_attempts"
    retry_after = int(r.headers["retry-after"])
    assert 0 < retry_after <= settings.login_max_lock_seconds
    # While locked even the right password is refused.
    r = await factory.client.post(TOKEN, data={"username": user.username, "password": PASSWORD})
    assert r.status_code == 429


async def test_deactivated_user_cannot_sign_in(factory: Factory) -> None:
    root = await factory.union()
    user = await factory.user("viewer", root, active=False)
    r = await factory.client.post(TOKEN, data={"username": user.username, "password": PASSWORD})
    assert r.status_code == 401
    assert r.json()["code"] == "invalid_credentials"


async def test_garbage_expired_and_wrong_type_tokens_are_rejected(factory: Factory) -> None:
    root = await factory.union()
    user = await factory.user("viewer", root)
    pair = await _sign_in(factory.client, user.username)

    r = await factory.client.get(ME)
    assert r.status_code == 401
    assert r.json()["code"] == "not_authenticated"

    expired, _, _ = create_token(
        subject=user.id,
        token_type="access",
        session_id=uuid.uuid4(),
        ttl=timedelta(seconds=-30),
    )
    for token in ("not-a-jwt", pair["access_token"][:-4] + "AAAA", expired, pair["refresh_token"]):
        r = await factory.client.get(ME, headers=_bearer(token))
        assert r.status_code == 401, token
        assert r.json()["code"] == "token_invalid"


async def test_an_access_token_used_before_is_refused_once_it_expires(factory: Factory) -> None:
    # Verified access tokens are kept per process (core.security): the expiry still counts.
    root = await factory.union()
    user = await factory.user("viewer", root)
    pair = await _sign_in(factory.client, user.username)
    sid = decode_token(pair["access_token"], "access")["sid"]
    short, _, expires = create_token(
        subject=user.id, token_type="access", session_id=sid, ttl=timedelta(seconds=1)
    )
    r = await factory.client.get(ME, headers=_bearer(short))
    assert r.status_code == 200

    await asyncio.sleep(max(0.0, expires.timestamp() + 1.1 - time.time()))
    r = await factory.client.get(ME, headers=_bearer(short))
    assert r.status_code == 401
    assert r.json()["code"] == "token_invalid"


async def test_refresh_rotates_and_reuse_ends_the_whole_sign_in(factory: Factory) -> None:
    root = await factory.union()
    user = await factory.user("viewer", root)
    first = await _sign_in(factory.client, user.username)

    r = await factory.client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (
        await factory.client.get(ME, headers=_bearer(second["access_token"]))
    ).status_code == 200

    # Within the grace period a spent token still works once more (two tabs racing)...
    r = await factory.client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text

    # ...but later, presenting the spent token looks like theft...
    await factory.db.execute(
        update(RefreshToken)
        .where(RefreshToken.used_at.is_not(None))
        .values(used_at=RefreshToken.used_at - timedelta(minutes=1))
    )
    await factory.db.flush()
    r = await factory.client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 401
    assert r.json()["code"] == "token_reused"
    # ...so every token of that sign-in stops working, including the newest pair.
    r = await factory.client.post(REFRESH, json={"refresh_token": second["refresh_token"]})
    assert r.status_code == 401
    r = await factory.client.get(ME, headers=_bearer(second["access_token"]))
    assert r.status_code == 401
    assert r.json()["code"] == "session_ended"


async def test_a_replay_in_the_grace_window_gets_the_same_pair_not_a_new_branch(
    factory: Factory,
) -> None:
    root = await factory.union()
    user = await factory.user("viewer", root)
    first = await _sign_in(factory.client, user.username)
    r = await factory.client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    owner = r.json()

    # A stolen copy of the spent token replayed a moment later (inside the grace window)...
    r = await factory.client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    thief = r.json()
    # ...gets the very refresh token the owner already holds, not one of its own:
    assert thief["refresh_token"] == owner["refresh_token"]
    assert (await factory.client.get(ME, headers=_bearer(thief["access_token"]))).status_code == 200
    # the sign-in is still one chain: two refresh tokens issued in all, one of them live
    tokens = (
        (
            await factory.db.execute(
                select(RefreshToken).join(AuthSession).where(AuthSession.user_id == user.id)
            )
        )
        .scalars()
        .all()
    )
    assert len(tokens) == 2 and sum(t.used_at is None for t in tokens) == 1

    # The thief rotates first; when the owner refreshes later with the same token, it is
    # spent: the reuse ends the whole sign-in, thief's tokens included.
    r = await factory.client.post(REFRESH, json={"refresh_token": thief["refresh_token"]})
    assert r.status_code == 200
    thief_next = r.json()
    await factory.db.execute(
        update(RefreshToken)
        .where(RefreshToken.used_at.is_not(None))
        .values(used_at=RefreshToken.used_at - timedelta(minutes=1))
    )
    await factory.db.flush()
    r = await factory.client.post(REFRESH, json={"refresh_token": owner["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "token_reused"
    r = await factory.client.get(ME, headers=_bearer(thief_next["access_token"]))
    assert r.status_code == 401


async def test_a_replay_after_the_chain_moved_on_is_refused(factory: Factory) -> None:
    root = await factory.union()
    user = await factory.user("viewer", root)
    first = await _sign_in(factory.client, user.username)
    second = (
        await factory.client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    ).json()
    r = await factory.client.post(REFRESH, json={"refresh_token": second["refresh_token"]})
    assert r.status_code == 200
    # first's successor is spent too: nothing to hand out, and no new branch either
    r = await factory.client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 401 and r.json()["code"] == "token_invalid"


async def test_refresh_with_the_http_only_cookie(factory: Factory) -> None:
    root = await factory.union()
    user = await factory.user("viewer", root)
    await _sign_in(factory.client, user.username)
    cookie = factory.client.cookies.get("uh_refresh")
    assert cookie

    r = await factory.client.post(REFRESH)
    assert r.status_code == 200, r.text
    pair = r.json()
    assert (await factory.client.get(ME, headers=_bearer(pair["access_token"]))).status_code == 200
    # The cookie rotated with the token.
    assert factory.client.cookies.get("uh_refresh") == pair["refresh_token"] != cookie


async def test_refresh_without_any_token_is_401(client: AsyncClient) -> None:
    r = await client.post(REFRESH)
    assert r.status_code == 401
    assert r.json()["code"] == "token_missing"
    r = await client.post(REFRESH, json={"refresh_token": "garbage"})
    assert r.status_code == 401
    assert r.json()["code"] == "token_invalid"


async def test_logout_ends_the_sign_in(factory: Factory) -> None:
    root = await factory.union()
    user = await factory.user("viewer", root)
    pair = await _sign_in(factory.client, user.username)
    other = await _sign_in(factory.client, user.username)

    r = await factory.client.post("/api/v1/auth/logout", headers=_bearer(pair["access_token"]))
    assert r.status_code == 204
    r = await factory.client.get(ME, headers=_bearer(pair["access_token"]))
    assert r.status_code == 401
    assert r.json()["code"] == "session_ended"
    r = await factory.client.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
    assert r.status_code == 401
    # Another sign-in of the same user (another device) is untouched.
    assert (await factory.client.get(ME, headers=_bearer(other["access_token"]))).status_code == 200
