"""Freezing the process's long-lived objects again once its caches are warm (issue 12).

The lifespan freezes what start-up built (`gc.freeze()`), but the caches filled by the first
requests come later: SQLAlchemy's compiled statements (the programme progress statement alone
is some 150,000 characters of SQL and thousands of expression objects), the kept statements,
the lru caches, the principal cache. After one progress request of each demo programme some
73,000 container objects are tracked outside the frozen set, nearly all SQLAlchemy statement
parts. Every full collection walks them all: on `GET /programmes/{id}/progress` of NQ-ĐH I a
full pass ran on one request in four and took 25-50 ms (the request's own allocations, 30
young collections a request, push enough survivors into the old generation to trigger it).

Frozen again once warm, those passes walk only what requests left behind. Measured in process
against the 1M-member database, 50 requests each after the warm-up (docs/benchmarks.md,
"Garbage collection after the warm-up"): NQ-ĐH I's GC time per request p95 43 → 5 ms, max
59 → 10 ms; CPU p95 85 → 45 ms; programme 05's 17-27 ms full passes gone.

The freeze happens at a few marks (requests finished), not once: caches keep filling as other
endpoints are first served. At each mark it waits for a moment with no request in flight, as
an object of a request still running that is frozen is never collected if it ends up in a
cycle; under a load that never pauses it freezes anyway at twice the mark (a bounded leak: a
few requests' worth, at most once a mark).

The marks pass early (10,000 requests are a few minutes of a busy server), and caches still
grow after them: each endpoint first served later compiles its statements then. After a whole
`make bench` (every scenario, some 200,000 requests) the full passes walked so much that they
took 190-290 ms each, one every one to three requests of a programme's progress read each time:
its p95 alone went from 160 to 350-390 ms (docs/benchmarks.md, "Full collections after the
marks"). So a full pass is also timed (a `gc.callbacks` hook, `watch`, while the app runs):
one longer than `SLOW_PASS_SECONDS` asks for another freeze, at the next idle moment (at the
latest `gap` requests later). That freeze first thaws what was frozen before
(`gc.unfreeze`), so one full pass over everything collects what earlier freezes kept from the
collector (a cache's evicted entries, a request's objects frozen under load) before all that
survives is frozen again: no leak builds up. It costs one long pass, at an idle moment,
instead of one every few requests. Slow passes ask again only `gap` requests after the last
freeze, and each such freeze doubles the gap: a process whose caches keep turning over pays a
pass like that more and more rarely.
"""

import gc
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("unionhub.warm")

# Requests finished after which the survivors are frozen; the last one for a process whose
# caches have seen most endpoints. Three freezes in all, each a full collection (~30-60 ms
# on one request's tail, after its answer has been sent).
MARKS = (100, 1_000, 10_000)
# A full collection longer than this (CPU seconds of its thread) asks for another freeze:
# what it walks has grown since the last one. A pass over what requests leave behind takes
# 1-20 ms on the bench machines.
SLOW_PASS_SECONDS = 0.03
# Requests after a freeze before a slow pass may ask for the next one (doubled after each).
REFREEZE_GAP = 1_000


class WarmFreezer:
    """Counts requests (EdgeMiddleware calls `started` and `finished`) and freezes at the marks,
    and after a slow full collection (`watch`)."""

    def __init__(
        self,
        marks: Iterable[int] = MARKS,
        *,
        slow_pass: float = SLOW_PASS_SECONDS,
        gap: int = REFREEZE_GAP,
        clock: Callable[[], float] = time.thread_time,
    ) -> None:
        self.marks = sorted(marks)
        self.done = 0
        self.in_flight = 0
        self.freezes = 0
        self.slow_pass = slow_pass
        self.gap = gap
        self.clock = clock
        # The request count from which a slow full pass wants a freeze (None: not asked).
        self.asked: int | None = None
        # `done` at the last freeze.
        self.last = 0
        self.thaws = 0
        self._pass_started = 0.0
        self._freezing = False

    def watch(self) -> None:
        """Time the full collections from now on (the app's lifespan, until `unwatch`)."""
        if self._on_collection not in gc.callbacks:
            gc.callbacks.append(self._on_collection)

    def unwatch(self) -> None:
        if self._on_collection in gc.callbacks:
            gc.callbacks.remove(self._on_collection)

    def _on_collection(self, phase: str, info: dict[str, Any]) -> None:
        # Called by the collector around every collection: kept to a comparison for the young
        # generations, which run dozens of times a request. A full pass is timed in the CPU
        # time of its thread: finalizers it runs may let other threads hold the GIL for a
        # while, which wall time would count as the collector's.
        if info["generation"] != 2 or self._freezing:
            return
        if phase == "start":
            self._pass_started = self.clock()
        elif self.asked is None and self.clock() - self._pass_started > self.slow_pass:
            self.asked = max(self.done, self.last + self.gap)

    def started(self) -> None:
        self.in_flight += 1

    def finished(self) -> None:
        self.in_flight -= 1
        self.done += 1
        # The earliest freeze due: (from, at the latest) of the next mark, of a slow pass's ask.
        due = []
        if self.marks:
            due.append((self.marks[0], 2 * self.marks[0]))
        if self.asked is not None:
            due.append((self.asked, self.asked + self.gap))
        if not due:
            return
        first, latest = min(due)
        if self.done < first or (self.in_flight and self.done < latest):
            return  # not yet, or waiting for an idle moment
        while self.marks and self.marks[0] <= self.done:
            self.marks.pop(0)
        thaw = self.asked is not None and self.asked <= self.done
        self._freeze(thaw)

    def _freeze(self, thaw: bool) -> None:
        started = self.clock()
        self._freezing = True
        try:
            if thaw:
                gc.unfreeze()
            gc.collect()
            gc.freeze()
        finally:
            self._freezing = False
        self.freezes += 1
        self.last = self.done
        if thaw:
            self.asked = None
            self.thaws += 1
            self.gap *= 2
            log.info(
                "full collections had grown slow: everything collected and frozen again "
                "(%d objects, %.0f ms of CPU, after %d requests)",
                gc.get_freeze_count(),
                (self.clock() - started) * 1000,
                self.done,
            )
