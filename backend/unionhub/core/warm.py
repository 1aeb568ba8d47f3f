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
"""

import gc
from collections.abc import Iterable

# Requests finished after which the survivors are frozen; the last one for a process whose
# caches have seen most endpoints. Three freezes in all, each a full collection (~30-60 ms
# on one request's tail, after its answer has been sent).
MARKS = (100, 1_000, 10_000)


class WarmFreezer:
    """Counts requests (EdgeMiddleware calls `started` and `finished`) and freezes at the marks."""

    def __init__(self, marks: Iterable[int] = MARKS) -> None:
        self.marks = sorted(marks)
        self.done = 0
        self.in_flight = 0
        self.freezes = 0

    def started(self) -> None:
        self.in_flight += 1

    def finished(self) -> None:
        self.in_flight -= 1
        self.done += 1
        if not self.marks or self.done < self.marks[0]:
            return
        if self.in_flight and self.done < 2 * self.marks[0]:
            return  # wait for an idle moment
        while self.marks and self.marks[0] <= self.done:
            self.marks.pop(0)
        gc.collect()
        gc.freeze()
        self.freezes += 1
