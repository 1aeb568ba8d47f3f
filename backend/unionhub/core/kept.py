"""Statements kept by what they were built from, the least recently used dropped first.

Building a large statement and SQLAlchemy's cache key of it cost CPU on every request; the same
statement object reuses both (SQLAlchemy keeps its cache key and compiled form, the connection
keeps it prepared). Only statements are kept, never answers: every answer is read anew. The key
must name everything the statement was built from (the caller's scope included)."""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class Kept:
    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The statement kept under `key`, else `build()`'s, kept."""
        stmt = self._kept.get(key)
        if stmt is not None:
            self._kept.move_to_end(key)
            return stmt
        stmt = build()
        self._kept[key] = stmt
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return stmt

    def clear(self) -> None:
        self._kept.clear()
