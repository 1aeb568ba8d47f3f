"""Freezing the warm caches (core.warm, issue 12): at the marks, once each, at an idle moment
(or at twice the mark under a load that never pauses), counted by the edge middleware; and
when what a full collection walks has grown since, everything thawed, collected and frozen
again."""

import gc

import pytest
from httpx import ASGITransport, AsyncClient
from starlette.types import Receive, Scope, Send

from unionhub.core.config import get_settings
from unionhub.core.middleware import EdgeMiddleware
from unionhub.core.warm import WarmFreezer
from unionhub.main import create_app


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


def test_what_a_full_pass_walks_is_counted_and_frozen_when_grown(calls: list[str]) -> None:
    walked, frozen = [10], [1_000]
    freezer = WarmFreezer(
        marks=(3,),
        check_every=20,
        grown=100,
        tracked=lambda: walked[0],
        frozen=lambda: frozen[0],
    )
    run(freezer, 3)
    assert calls == ["collect", "freeze"] and freezer.settled == 1_000
    run(freezer, 17)  # the count at 20 requests: little outside the frozen set
    assert freezer.freezes == 1 and freezer.next_check == 40
    walked[0] = 500  # caches filled since (statements first compiled after the marks)
    run(freezer, 19)
    assert freezer.freezes == 1
    run(freezer, 1)
    assert calls == ["collect", "freeze"] * 2
    assert freezer.freezes == 2 and freezer.thaws == 0 and freezer.next_check == 60
    # The frozen set grown past twice its settled size: thawed first, so the one pass also
    # collects what the freezes before held back.
    frozen[0] = 2_001
    run(freezer, 20)
    assert calls[-3:] == ["unfreeze", "collect", "freeze"]
    assert freezer.thaws == 1 and freezer.settled == 2_001
    run(freezer, 20)  # grown again, but not to twice the new size: no thaw
    assert freezer.freezes == 4 and freezer.thaws == 1
    walked[0] = 10
    run(freezer, 100)
    assert freezer.freezes == 4


def test_a_count_waits_for_an_idle_moment_but_not_past_twice_its_gap(calls: list[str]) -> None:
    counted: list[int] = []

    def tracked() -> int:
        counted.append(freezer.done)
        return 1_000

    freezer = WarmFreezer(
        marks=(), check_every=10, grown=100, tracked=tracked, frozen=lambda: 1_000
    )
    run(freezer, 5)
    freezer.started()  # a long request, in flight throughout
    run(freezer, 14)
    assert counted == []
    run(freezer, 1)  # ten requests past the count's time: counted anyway
    assert counted == [20] and calls == ["collect", "freeze"]
    freezer.finished()


def test_the_count_is_the_objects_a_full_pass_walks() -> None:
    """Outside the frozen set: what `gc.freeze()` moved away is not counted."""
    freezer = WarmFreezer(marks=())
    kept = [[i] for i in range(50_000)]
    gc.collect()
    before = freezer.tracked()
    assert before >= 50_000
    gc.freeze()
    try:
        assert freezer.tracked() < before - 49_000
    finally:
        gc.unfreeze()
    assert len(kept) == 50_000
