"""Converting a large file's rows in a second process while this one reads and checks them.

A validation is single-threaded Python: reading the sheet, converting cells to values and the
register checks take turns on one core (about 6 s for 100,000 members: reading 1.8 s,
converting 2.5 s, checks 1.5 s; docs/benchmarks.md). Converting a row needs nothing but its
cells, so the reading side hands each batch's cells to one helper process and goes on reading
the next batch while the helper converts; the rows come back in the order they were read, so
the report (errors, their order, the rows skipped) is the serial one.

The helper is started once per worker process and reused (starting Python and importing the
converters costs about a second); until it answers, batches are converted here, as they are
when it has died (a crash, the memory limit: it inherits the worker's). Only importers whose
`convert` is pure (`convert_elsewhere`) and files of at least MIN_ROWS rows use it.
"""

import logging
import multiprocessing
import pickle
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from typing import Any

from unionhub.imports import gc_pause
from unionhub.imports.headers import HeaderMap
from unionhub.imports.rows import Importer
from unionhub.imports.xlsx_reader import Cell

log = logging.getLogger("unionhub.imports")

# Below this many rows (the upload's estimate) the helper would save less than it costs.
MIN_ROWS = 5_000

Items = list[tuple[int, list[Cell]]]
# A converted row as the spool keeps it: number, values, problems.
Converted = list[tuple[int, dict[str, Any], list[Any]]]

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_ready: "Future[None] | None" = None


@dataclass
class Pending:
    """A batch handed to the helper (`future`), or kept to be converted here (no future)."""

    future: "Future[bytes] | None"
    header: HeaderMap
    items: Items
    today: date


def _noop() -> None:
    return None


def convert_items(importer: Importer, header: HeaderMap, items: Items, today: date) -> bytes:
    """The rows of `items` (blank rows left out), as the spool keeps them, pickled: the
    helper's answer goes to the spool as it is, and is unpickled once for the checks. Runs in
    the helper, or here when the helper cannot."""
    out: Converted = []
    # The collector off, as in the worker's pass (gc_pause): the batch's rows are all alive.
    with gc_pause.paused():
        for number, cells in items:
            row = importer.convert(header, number, cells, today)
            if row is not None:
                out.append((row.number, row.values, row.errors))
        return pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)


def _start() -> tuple[ProcessPoolExecutor, "Future[None]"]:
    global _pool, _ready
    with _lock:
        if _pool is None or _ready is None:
            # spawn, not fork: the worker has threads and open database connections.
            spawn = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=spawn)
            _ready = _pool.submit(_noop)
        return _pool, _ready


def warm() -> None:
    """Start the helper now (a worker calls this when it starts), not at the first import."""
    _start()


def helper_pid(timeout: float = 120) -> int | None:
    """The helper's process id, once it runs (started if need be): for measurements."""
    pool, ready = _start()
    ready.result(timeout=timeout)
    return next(iter(pool._processes or {}), None)


def shutdown() -> None:
    """Stop the helper and wait for it to end. A process that exits normally does this by
    itself (concurrent.futures at exit); one that ends with `os._exit`, as pytest-xdist's
    workers do, must call it first, or the helper is left running."""
    global _pool, _ready
    with _lock:
        pool, _pool, _ready = _pool, None, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _reset(pool: ProcessPoolExecutor) -> None:
    global _pool, _ready
    with _lock:
        if _pool is pool:
            _pool, _ready = None, None
    pool.shutdown(wait=False, cancel_futures=True)


class Converter:
    """One pass's conversions: `submit` a batch's cells, later `result` its rows (in order)."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        self.pool, self.ready = _start()

    def submit(self, header: HeaderMap, items: Items, today: date) -> Pending:
        """Hand a batch to the helper (or keep it to convert here, if the helper is not
        ready: still starting, or gone)."""
        future: Future[bytes] | None = None
        if self.ready.done() and self.ready.exception() is None:
            try:
                future = self.pool.submit(convert_items, self.importer, header, items, today)
            except (BrokenProcessPool, RuntimeError):
                self._restart()
        return Pending(future, header, items, today)

    def _restart(self) -> None:
        """The helper is gone: a new one is started; until it answers, batches are converted
        here."""
        if self.pool is not _pool:
            self.pool, self.ready = _start()
            return
        log.warning("import conversion helper died; converting in the worker until a new one runs")
        _reset(self.pool)
        self.pool, self.ready = _start()

    def result(self, pending: Pending) -> bytes:
        """The rows of a submitted batch, pickled (waits for the helper)."""
        if pending.future is not None:
            try:
                return pending.future.result()
            except BrokenProcessPool:
                self._restart()
        return convert_items(self.importer, pending.header, pending.items, pending.today)


def for_pass(importer: Importer, estimated_rows: int) -> Converter | None:
    """A converter for a validation of `estimated_rows` rows, or None (convert here)."""
    if not getattr(importer, "convert_elsewhere", False) or estimated_rows < MIN_ROWS:
        return None
    return Converter(importer)
