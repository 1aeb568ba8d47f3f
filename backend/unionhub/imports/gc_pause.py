"""The cyclic garbage collector held off while an import pass runs.

A pass allocates tens of millions of objects (cells, rows, their values, the records it
writes) and keeps a batch or two of them alive at a time: the collector's young passes keep
promoting live rows, and its full passes walk them all, again and again. Measured on a
one-pass import of 100,000 members: 4.9 of the worker's 11.5 CPU seconds were collections
(twenty full ones), and the same pass with the collector off left 360 objects in cycles for
it to collect afterwards, the process's peak memory unchanged. Objects still go the moment
their last reference does (reference counting is not paused); only cycles wait for the end
of the pass.

Several passes may run at once in a worker (and threads of a pass call this too): the
collector is off while any of them runs, and back on (if it was on before the first) when
the last one ends.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Hold the cyclic collector off for the `with` block (see the module docstring)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
