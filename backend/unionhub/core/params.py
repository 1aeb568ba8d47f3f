"""Request parameters without FastAPI's per-request walk of their declared types.

FastAPI (0.165) asks, on every request and for every declared query, header and cookie
parameter, whether the parameter's declared type is a sequence (`list[MemberStatus] | None`
is read with `getlist`; asked twice) and whether it is a model of parameters, by walking the
type: `typing.get_origin`, each member of a union, `issubclass` checks. The member list's 20
query parameters made that about a seventh of a name search's CPU (issue 9). The answers
depend on the declared type alone, so `install()` keeps them per type; a type that cannot be
a dictionary key is walked as before.
"""

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from fastapi.dependencies import utils

T = TypeVar("T")


def _per_type(walk: Callable[[Any], T]) -> Callable[[Any], T]:
    known = lru_cache(maxsize=4096)(walk)

    def answer(annotation: Any) -> T:
        try:
            return known(annotation)
        except TypeError:  # unhashable
            return walk(annotation)

    answer.__wrapped__ = walk  # type: ignore[attr-defined]
    return answer


def install() -> None:
    """Keep FastAPI's answers per type where it reads request parameters (idempotent)."""
    for name in ("field_annotation_is_sequence", "_get_model_type"):
        walk = getattr(utils, name)
        setattr(utils, name, _per_type(getattr(walk, "__wrapped__", walk)))
