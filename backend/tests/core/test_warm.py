"""Freezing the warm caches (core.warm, issue 12): at the marks, once each, at an idle moment
(or at twice the mark under a load that never pauses), counted by the edge middleware; and
after a slow full collection, everything thawed, collected and frozen again."""

import gc

import pytest
from httpx import ASGITransport, AsyncClient
from starlette.types import Receive, Scope, Send

from unionhub.core.config import get_settings
from unionhub.core.middleware import EdgeMiddleware
from unionhub.core.warm import WarmFreezer
from unionhub.main import create_app, lifespan


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """gc.collect and gc.freeze recorded instead of run (the test process stays unfrozen)."""
    seen: list[str] = []
    monkeypatch.setattr(gc, "collect", lambda *a: seen.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: seen.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: seen.append("unfreeze"))
    return seen


def run(freezer: WarmFreezer, requests: int) -> None:
    for _ in range(requests):
        freezer.started()
        freezer.finished()


def test_freezes_once_at_each_mark(calls: list[str]) -> None:
    freezer = WarmFreezer(marks=(3, 10))
    run(freezer, 2)
    assert calls == []
    run(freezer, 1)
    assert calls == ["collect", "freeze"]
    run(freezer, 6)
    assert freezer.freezes == 1
    run(freezer, 1)
    assert freezer.freezes == 2 and calls == ["collect", "freeze"] * 2
    run(freezer, 50)
    assert freezer.freezes == 2 and freezer.marks == []


def test_waits_for_no_request_in_flight_but_not_past_twice_the_mark(calls: list[str]) -> None:
    freezer = WarmFreezer(marks=(4,))
    freezer.started()  # a long request, still running throughout
    run(freezer, 4)
    assert calls == []  # at the mark, but a request is in flight
    run(freezer, 3)
    assert calls == []
    run(freezer, 1)  # twice the mark: frozen anyway
    assert freezer.freezes == 1
    freezer.finished()
    run(freezer, 20)
    assert freezer.freezes == 1

    idle = WarmFreezer(marks=(4,))
    idle.started()
    run(idle, 4)
    idle.finished()  # the first idle moment past the mark
    assert idle.freezes == 1


async def test_the_edge_counts_answers_and_errors(calls: list[str]) -> None:
    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/boom":
            raise RuntimeError("boom")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    freezer = WarmFreezer(marks=(3,))
    app = EdgeMiddleware(endpoint, trusted=(), max_bytes=1024, freezer=freezer)
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as c:
        assert (await c.get("/")).status_code == 200
        assert (await c.get("/boom")).status_code == 500
        assert freezer.in_flight == 0 and freezer.done == 2 and calls == []
        assert (await c.get("/")).status_code == 200
        assert (await c.get("/")).status_code == 200
    assert freezer.in_flight == 0 and freezer.done == 4
    assert freezer.freezes == 1 and calls == ["collect", "freeze"]


def test_the_app_freezes_outside_tests_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def freezer() -> WarmFreezer | None:
        edge = next(m for m in create_app().user_middleware if m.cls is EdgeMiddleware)
        return edge.kwargs["freezer"]

    assert freezer() is None
    monkeypatch.setattr(get_settings(), "environment", "development")
    assert isinstance(freezer(), WarmFreezer)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def full_pass(freezer: WarmFreezer, clock: Clock, seconds: float, generation: int = 2) -> None:
    """A collection of `generation` taking `seconds`, as the collector reports it."""
    freezer._on_collection("start", {"generation": generation, "collected": 0})
    clock.now += seconds
    freezer._on_collection("stop", {"generation": generation, "collected": 0})


def test_a_slow_full_pass_after_the_marks_thaws_collects_and_freezes_again(
    calls: list[str],
) -> None:
    clock = Clock()
    freezer = WarmFreezer(marks=(3,), slow_pass=0.03, gap=10, clock=clock)
    run(freezer, 3)
    assert calls == ["collect", "freeze"] and freezer.marks == []
    run(freezer, 20)
    # Young collections, and a full one that is quick, ask for nothing.
    full_pass(freezer, clock, 0.5, generation=1)
    full_pass(freezer, clock, 0.02)
    run(freezer, 5)
    assert freezer.freezes == 1 and freezer.asked is None
    # A slow full pass: at the next request's end (nothing in flight), everything is thawed,
    # collected and frozen again.
    full_pass(freezer, clock, 0.2)
    run(freezer, 1)
    assert calls == ["collect", "freeze", "unfreeze", "collect", "freeze"]
    assert freezer.freezes == 2 and freezer.thaws == 1 and freezer.asked is None


def test_slow_passes_ask_again_only_a_growing_gap_after_a_freeze(calls: list[str]) -> None:
    clock = Clock()
    freezer = WarmFreezer(marks=(), slow_pass=0.03, gap=10, clock=clock)
    # Not in the first `gap` requests of the process (the marks' time).
    full_pass(freezer, clock, 0.2)
    run(freezer, 9)
    assert freezer.thaws == 0
    run(freezer, 1)
    assert freezer.thaws == 1 and freezer.gap == 20 and freezer.last == 10
    # Slow again at once: the next freeze waits for 20 requests after the last.
    full_pass(freezer, clock, 0.2)
    run(freezer, 19)
    assert freezer.thaws == 1
    run(freezer, 1)
    assert freezer.thaws == 2 and freezer.gap == 40 and freezer.done == 30


def test_a_slow_pass_waits_for_an_idle_moment_but_not_past_the_gap(calls: list[str]) -> None:
    clock = Clock()
    freezer = WarmFreezer(marks=(), slow_pass=0.03, gap=10, clock=clock)
    run(freezer, 10)
    freezer.started()  # a long request, in flight throughout
    full_pass(freezer, clock, 0.2)
    run(freezer, 9)
    assert calls == []
    run(freezer, 1)  # the gap: frozen anyway
    assert calls == ["unfreeze", "collect", "freeze"]


def test_its_own_collection_asks_for_nothing(
    monkeypatch: pytest.MonkeyPatch, calls: list[str]
) -> None:
    clock = Clock()
    freezer = WarmFreezer(marks=(), slow_pass=0.03, gap=10, clock=clock)

    def slow_collect(*args: object) -> int:
        calls.append("collect")
        full_pass(freezer, clock, 1.0)  # the thawed pass walks everything: slow by design
        return 0

    monkeypatch.setattr(gc, "collect", slow_collect)
    run(freezer, 10)
    full_pass(freezer, clock, 0.2)
    run(freezer, 1)
    assert freezer.thaws == 1 and freezer.asked is None
    run(freezer, 100)
    assert freezer.thaws == 1


async def test_the_app_times_full_collections_while_it_runs(
    monkeypatch: pytest.MonkeyPatch, calls: list[str]
) -> None:
    monkeypatch.setattr(get_settings(), "environment", "development")
    app = create_app()
    freezer = app.state.freezer
    assert isinstance(freezer, WarmFreezer)
    assert freezer._on_collection not in gc.callbacks
    monkeypatch.setattr("unionhub.main.queue.close", _nothing)
    monkeypatch.setattr("unionhub.main.dispose_engine", _nothing)
    async with lifespan(app):
        assert freezer._on_collection in gc.callbacks
    assert freezer._on_collection not in gc.callbacks


async def _nothing() -> None:
    return None
