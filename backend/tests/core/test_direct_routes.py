"""The member list, search and detail served by `auth.direct_routes` answer exactly what their
FastAPI routes answer: the same statuses, bodies and headers, the same order of checks (401
before 422), the same session handling."""

import uuid
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tests.conftest import client_for
from tests.factories import Factory
from tests.members.helpers import API, admit, build_world
from unionhub.auth.direct_routes import DirectRoute, serve_directly
from unionhub.main import create_app


@pytest.fixture(scope="module")
def framework_app() -> FastAPI:
    """The application without its direct routes: every request through FastAPI."""
    app = create_app()
    app.router.routes[:] = [r for r in app.router.routes if not isinstance(r, DirectRoute)]
    return app


@pytest.fixture
async def framework(
    framework_app: FastAPI, db: AsyncSession, connection: AsyncConnection
) -> AsyncIterator[AsyncClient]:
    async with client_for(framework_app, db, connection) as c:
        yield c


def test_the_hot_reads_are_served_directly(app: FastAPI) -> None:
    first = app.router.routes[:2]
    assert all(isinstance(r, DirectRoute) for r in first)
    assert [r.route.operation_id for r in first] == ["members-list", "members-get"]  # type: ignore[attr-defined]


def test_only_a_get_with_a_caller_can_be_served_directly() -> None:
    app = create_app()
    with pytest.raises(ValueError, match="not a GET"):
        serve_directly(app, "members-create")
    with pytest.raises(ValueError, match="no route"):
        serve_directly(app, "members-nothing")


async def test_direct_answers_are_the_framework_answers(
    factory: Factory, framework: AsyncClient
) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a, full_name="Nguyễn Thị Thu Hà")
    await admit(factory, w.officer_a, w.grassroots_a2, full_name="Trần Văn Bình")
    requests = [
        (API, w.officer_a),
        (f"{API}?q=nguyen%20thi&size=5", w.officer_a),
        (f"{API}?q=binh&status=active&status=suspended", w.grassroots_officer_a),
        (f"{API}?union_id={w.grassroots_a.id}&sort=-name", w.officer_a),
        (f"{API}?reveal_pii=true", w.admin),  # audited
        (f"{API}?reveal_pii=true", w.viewer_a),  # 403: no members:pii
        (f"{API}?size=0&page=x&gender=other", w.officer_a),  # 422, every field
        (f"{API}?size=0", {}),  # 401 before 422
        (f"{API}?size=0", {"Authorization": "Bearer nonsense"}),
        (f"{API}?union_id={w.grassroots_b.id}", w.officer_a),  # 404: out of scope
        (f"{API}/{m['id']}", w.officer_a),
        (f"{API}/{m['id']}?reveal_pii=true", w.admin),
        (f"{API}/{m['id']}", w.officer_b),  # 404
        (f"{API}/{uuid.uuid4()}?reveal_pii=maybe", w.officer_a),  # 422
    ]
    for path, headers in requests:
        sent = {**headers, "X-Request-ID": "same-request"}
        direct = await factory.client.get(path, headers=sent)
        through = await framework.get(path, headers=sent)
        assert (direct.status_code, direct.json()) == (through.status_code, through.json()), path
        assert direct.headers == through.headers, path


async def test_other_methods_stay_with_the_framework(
    factory: Factory, framework: AsyncClient
) -> None:
    w = await build_world(factory)
    for method in ("HEAD", "PUT", "DELETE"):
        sent = {**w.officer_a, "X-Request-ID": "same-request"}
        direct = await factory.client.request(method, API, headers=sent)
        through = await framework.request(method, API, headers=sent)
        assert direct.status_code == through.status_code == 405
        assert direct.headers == through.headers
