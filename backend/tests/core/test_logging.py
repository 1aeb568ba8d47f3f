"""Every log line written while serving a request carries that request's id."""

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter
from httpx import ASGITransport, AsyncClient

from unionhub.core.logging import JsonFormatter, RequestIdFilter, configure_logging
from unionhub.main import create_app

work = logging.getLogger("unionhub.test_work")


@contextmanager
def captured_lines() -> Iterator[list[dict[str, Any]]]:
    """JSON log lines as the production handler writes them (filter and formatter); the list
    fills when the block ends."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    ours = logging.getLogger("unionhub")
    level = ours.level
    root.addHandler(handler)
    ours.setLevel(logging.INFO)
    lines: list[dict[str, Any]] = []
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        ours.setLevel(level)
        lines.extend(json.loads(line) for line in buffer.getvalue().splitlines())


def _app_with_probe_routes() -> Any:
    app = create_app()
    router = APIRouter()

    @router.get("/api/v1/_test/boom")
    async def boom() -> None:
        work.warning("about to fail")
        raise RuntimeError("boom")

    @router.get("/api/v1/_test/thread")
    def in_a_thread() -> dict[str, str]:  # sync: FastAPI runs it in a worker thread
        work.warning("working in a thread")
        return {"ok": "yes"}

    app.include_router(router)
    return app


async def _requests(app: Any) -> None:
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as c:
        r = await c.get("/api/v1/_test/boom", headers={"X-Request-ID": "req-boom"})
        assert r.status_code == 500 and r.json()["request_id"] == "req-boom"
        assert r.json()["code"] == "internal_error"
        r = await c.get("/api/v1/_test/thread", headers={"X-Request-ID": "req-thread"})
        assert r.status_code == 200 and r.headers["x-request-id"] == "req-thread"
        r = await c.get("/healthz", headers={"X-Request-ID": "req-health"})
        assert r.status_code == 200


async def test_request_id_on_access_and_error_lines() -> None:
    app = _app_with_probe_routes()
    with captured_lines() as lines:
        await _requests(app)
    assert lines, "nothing was logged"

    def of(rid: str) -> list[dict[str, Any]]:
        return [line for line in lines if line.get("request_id") == rid]

    boom = of("req-boom")
    assert {"msg": "about to fail"}.items() <= boom[0].items()
    tracebacks = [line for line in boom if "exc" in line]
    assert tracebacks and "RuntimeError: boom" in tracebacks[0]["exc"]
    access = [line for line in boom if line["logger"] == "unionhub.access"]
    assert access and access[0]["status"] == 500 and access[0]["path"] == "/api/v1/_test/boom"

    thread = of("req-thread")
    assert any(line["msg"] == "working in a thread" for line in thread)
    assert any(line["logger"] == "unionhub.access" and line["status"] == 200 for line in thread)
    assert any(line["logger"] == "unionhub.access" for line in of("req-health"))
    # no line of these requests lost its id
    ours = [line for line in lines if line["logger"].startswith("unionhub")]
    assert all(line["request_id"] for line in ours), [
        line for line in ours if not line["request_id"]
    ]


def test_uvicorn_lines_go_through_the_same_handler() -> None:
    configure_logging("INFO", True)
    try:
        server = logging.getLogger("uvicorn.error")
        assert server.handlers == [] and server.propagate
        (handler,) = logging.getLogger().handlers
        assert isinstance(handler.formatter, JsonFormatter)
        assert any(isinstance(f, RequestIdFilter) for f in handler.filters)
    finally:
        configure_logging("WARNING", True)
