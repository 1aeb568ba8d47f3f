"""Route order never matters: typed path parameters keep fixed paths from reaching `{id}` routes.

The app here holds every API route with path parameters before every route without (each
group in the reverse of create_app()'s order), so a fixed path (/members/export, /unions/tree)
comes after the `{id}` route beside it, whatever order create_app() includes them in.
"""

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from tests.factories import Factory
from tests.members.helpers import admit, build_world
from unionhub.core.errors import install_error_handlers
from unionhub.main import create_app


@pytest.fixture
def app() -> FastAPI:
    flipped = FastAPI()
    install_error_handlers(flipped)
    contexts = [c for c in iter_route_contexts(create_app().routes) if c.path]
    # Stable: the `{id}` routes first, the fixed paths after them.
    for ctx in sorted(reversed(contexts), key=lambda c: "{" not in (c.path or "")):
        route = ctx.original_route
        if not isinstance(route, APIRoute):
            continue
        flipped.add_api_route(
            ctx.path,
            route.endpoint,
            methods=sorted(ctx.methods or ()),
            response_model=route.response_model,
            status_code=route.status_code,
            response_class=route.response_class,
            operation_id=ctx.operation_id,
        )
    return flipped


def test_the_fixed_paths_now_come_last(app: FastAPI) -> None:
    paths = [r.path for r in app.routes if isinstance(r, APIRoute)]
    assert paths.index("/api/v1/members/export") > paths.index("/api/v1/members/{member_id:uuid}")
    assert paths.index("/api/v1/unions/tree") > paths.index("/api/v1/unions/{union_id:uuid}")


async def test_fixed_paths_and_id_paths_both_answer(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    member = await admit(factory, w.officer_a, w.grassroots_a)

    r = await c.get("/api/v1/members/export", headers=w.officer_a, params={"format": "pdf"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "format"
    r = await c.get(f"/api/v1/members/{member['id']}", headers=w.officer_a)
    assert r.status_code == 200 and r.json()["full_name"] == member["full_name"]
    for fixed in (
        "/api/v1/members/transfers",
        "/api/v1/members/transfer-destinations",
        "/api/v1/unions/tree",
        "/api/v1/enterprises/unionization-gap",
    ):
        r = await c.get(fixed, headers=w.officer_a)
        assert r.status_code == 200, (fixed, r.text)


async def test_a_malformed_id_names_no_resource(factory: Factory) -> None:
    w = await build_world(factory)
    for path in ("/api/v1/members/not-a-uuid", "/api/v1/unions/12", "/api/v1/users/x/roles"):
        r = await factory.client.get(path, headers=w.officer_a)
        assert r.status_code == 404, (path, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
