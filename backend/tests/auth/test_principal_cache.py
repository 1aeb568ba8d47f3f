"""The signed-in principal is read once and reused for a few seconds per process: a change made
here applies at once, one made elsewhere within PRINCIPAL_CACHE_SECONDS (the documented bound)."""

import asyncio
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.members.helpers import API, build_world
from unionhub.auth.models import RoleAssignment
from unionhub.core.config import get_settings
from unionhub.core.db import retry_on_dead_connection


async def test_a_role_removed_by_another_process_stops_reading_within_the_bound(
    factory: Factory, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "principal_cache_seconds", 0.5)
    w = await build_world(factory)
    headers = await factory.headers_for("union_officer", w.district_a)
    assert (await factory.client.get(API, headers=headers)).status_code == 200
    # Another process (here: straight SQL, which no cache hears of) removes every role.
    user = (await factory.client.get("/api/v1/auth/me", headers=headers)).json()
    await db.execute(delete(RoleAssignment).where(RoleAssignment.user_id == user["id"]))
    await db.flush()
    assert (await factory.client.get(API, headers=headers)).status_code == 200
    await asyncio.sleep(0.6)
    assert (await factory.client.get(API, headers=headers)).status_code == 403


async def test_signing_out_here_ends_the_token_at_once(factory: Factory) -> None:
    w = await build_world(factory)
    headers = await factory.headers_for("union_officer", w.district_a)
    assert (await factory.client.get(API, headers=headers)).status_code == 200
    r = await factory.client.post("/api/v1/auth/logout", headers=headers)
    assert r.status_code in (200, 204), r.text
    r = await factory.client.get(API, headers=headers)
    assert r.status_code == 401
    assert r.json()["code"] == "session_ended"


class _Dead(Exception):
    pass


async def test_a_dead_connection_is_retried_once(db: AsyncSession) -> None:
    calls: list[int] = []

    async def first_fails() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise DBAPIError("SELECT 1", {}, _Dead("gone"), connection_invalidated=True)
        return "answer"

    assert await retry_on_dead_connection(db, first_fails) == "answer"
    assert len(calls) == 2

    async def broken_statement() -> Any:
        raise DBAPIError("SELECT x", {}, _Dead("no column x"))

    with pytest.raises(DBAPIError):
        await retry_on_dead_connection(db, broken_statement)
