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
grow after them: each endpoint first served later compiles its statements then. Late in a
whole `make bench` (every scenario, tens of thousands of requests) the full passes took
190-290 ms each, about one every five requests of a programme's progress read each time: its
p95 alone went from 160 to 350-390 ms (docs/benchmarks.md, "Full collections after the
marks"). So every `check_every` requests (at an idle moment, at the latest twice as many
later) the objects a full pass would walk are counted (`gc.get_objects(2)`: those the
collector tracks outside the frozen set); more than `grown` of them and they are collected
and frozen too (one pass over them, on one request's tail).

Frozen objects that later become cyclic garbage (a cache's evicted entries, a request's
objects frozen under load) are never collected while frozen. So when the frozen set has
grown to twice what it was after the last thaw, such a freeze thaws it first
(`gc.unfreeze()`): its one pass walks everything and collects what the freezes before held
back (with a thaw at every such freeze, the requests that met one in a bench run took 0.3-0.4
s). The garbage held frozen is thus at most about the size of what lives, and these long
passes come further apart as the caches settle.
"""

import gc
import logging
from collections.abc import Callable, Iterable

log = logging.getLogger("unionhub.warm")

# Requests finished after which the survivors are frozen; the last one for a process whose
# caches have seen most endpoints. Three freezes in all, each a full collection (~30-60 ms
# on one request's tail, after its answer has been sent).
MARKS = (100, 1_000, 10_000)
# Requests between two counts of what a full pass walks.
CHECK_EVERY = 1_000
# Objects tracked outside the frozen set above which they are frozen too: what a full pass
# walks beside what it collects (after a whole bench run, 190-290 ms passes, unfrozen).
GROWN_OBJECTS = 100_000


def _tracked() -> int:
    return len(gc.get_objects(2))


def _frozen() -> int:
    return gc.get_freeze_count()


class WarmFreezer:
    """Counts requests (EdgeMiddleware calls `started` and `finished`) and freezes at the marks,
    and again when what a full collection walks has grown (`check_every`, `grown`)."""

    def __init__(
        self,
        marks: Iterable[int] = MARKS,
        *,
        check_every: int = CHECK_EVERY,
        grown: int = GROWN_OBJECTS,
        tracked: Callable[[], int] = _tracked,
        frozen: Callable[[], int] = _frozen,
    ) -> None:
        self.marks = sorted(marks)
        self.done = 0
        self.in_flight = 0
        self.freezes = 0
        self.thaws = 0
        self.check_every = check_every
        self.grown = grown
        self.tracked = tracked
        self.frozen = frozen
        self.next_check = check_every
        # The frozen set's size after the last thaw (or the first freeze here).
        self.settled: int | None = None

    def started(self) -> None:
        self.in_flight += 1

    def finished(self) -> None:
        self.in_flight -= 1
        self.done += 1
        # What is due first, from when and at the latest: the next mark, the next count.
        due = [(self.next_check, self.next_check + self.check_every)]
        if self.marks:
            due.append((self.marks[0], 2 * self.marks[0]))
        first, latest = min(due)
        if self.done < first or (self.in_flight and self.done < latest):
            return  # not yet, or waiting for an idle moment
        if self.marks and self.marks[0] <= self.done:
            while self.marks and self.marks[0] <= self.done:
                self.marks.pop(0)
            self._freeze(thaw=False)
            return
        self.next_check = self.done + self.check_every
        walked = self.tracked()
        if walked > self.grown:
            thaw = self.settled is not None and self.frozen() > 2 * self.settled
            self._freeze(thaw)
            log.info(
                "%d objects outside the frozen set: collected and frozen%s (%d frozen, after "
                "%d requests)",
                walked,
                ", everything thawed first" if thaw else "",
                self.frozen(),
                self.done,
            )

    def _freeze(self, thaw: bool) -> None:
        if thaw:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.freezes += 1
        if thaw or self.settled is None:
            self.settled = self.frozen()
        if thaw:
            self.thaws += 1
