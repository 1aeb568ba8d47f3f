"""Health checks, the OpenAPI document, request ids and the shape of framework errors."""

from collections import Counter
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient

from tests.authz.routes import endpoints
from tests.factories import Factory
from tests.unions.helpers import API, build_tree

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


async def test_health_checks(client: AsyncClient) -> None:
    r = await client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    r = await client.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ok", "database": "ok"}


async def test_openapi_operation_ids_are_unique_and_present(client: AsyncClient) -> None:
    r = await client.get("/api/v1/openapi.json")
    assert r.status_code == 200, r.text
    doc: dict[str, Any] = r.json()
    ids: list[str] = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            assert op.get("operationId"), f"{method.upper()} {path} has no operationId"
            ids.append(op["operationId"])
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, dupes
    assert {
        "unions-list",
        "unions-get",
        "unions-found",
        "unions-update",
        "unions-move",
        "unions-merge",
        "unions-dissolve",
        "unions-history",
        "unions-tree",
    } <= set(ids)
    # every operation declares its problem responses with the problem+json media type
    for path, item in doc["paths"].items():
        if not path.startswith("/api/v1/unions"):
            continue
        for method, op in item.items():
            assert "422" in op["responses"], (method, path)
            assert "application/problem+json" in op["responses"]["422"]["content"], (method, path)


def test_every_route_has_an_operation_id(app: FastAPI) -> None:
    routes = [e for e in endpoints(app) if e.route.include_in_schema]
    # the enumeration itself must see the routers' endpoints, or this test checks nothing
    assert {"unions-get", "unions-tree", "auth-token"} <= {e.operation_id for e in routes}
    ids = [e.operation_id for e in routes]
    assert all(ids), [str(e) for e in routes if not e.operation_id]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, dupes


async def test_request_id_is_echoed_or_made(factory: Factory) -> None:
    c = factory.client
    r = await c.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"
    r = await c.get("/healthz")
    made = r.headers["X-Request-ID"]
    assert len(made) == 32 and made != (await c.get("/healthz")).headers["X-Request-ID"]
    # an over-long id is replaced, not echoed
    r = await c.get("/healthz", headers={"X-Request-ID": "x" * 200})
    assert len(r.headers["X-Request-ID"]) == 32
    # problems carry the same id, so a user's report can be found in the logs
    t = await build_tree(factory)
    r = await c.get(API, params={"size": 0}, headers={**t.admin, "X-Request-ID": "req-42"})
    assert r.status_code == 422
    assert r.headers["X-Request-ID"] == "req-42" and r.json()["request_id"] == "req-42"


async def test_framework_errors_are_problems(client: AsyncClient) -> None:
    r = await client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "not_found"
    r = await client.delete(f"{API}")
    assert r.status_code == 405
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "method_not_allowed"
    r = await client.get(API)
    assert r.status_code == 401 and r.json()["code"] == "not_authenticated"
