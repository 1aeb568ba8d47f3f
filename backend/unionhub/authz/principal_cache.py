"""A short-lived, per-process cache of signed-in callers' principals.

Loading the principal (the user, the open sign-in session, the roles with their union paths)
is one statement per request; for reads that are themselves one or two statements it is a
large share of the work. So a principal is kept for `PRINCIPAL_CACHE_SECONDS` (5 s) under its
(user, sign-in session) key.

Staleness is bounded two ways:
- every write in this process that changes what a principal holds (a role granted or removed,
  a user deactivated, a sign-in ended, a union moved, which rewrites the paths roles are
  labelled with) calls `forget_all()`, so this process sees it on the next request;
- in another process (a second uvicorn worker, a second replica) the entry expires within
  `PRINCIPAL_CACHE_SECONDS`: that is the documented bound on how long a removed role or an
  ended sign-in can still read there.
"""

import time
import uuid

from unionhub.authz.principal import Principal

_MAX_ENTRIES = 10_000
_entries: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, Principal]] = {}
_generation = 0


def get(user_id: uuid.UUID, session_id: uuid.UUID, ttl: float) -> Principal | None:
    if ttl <= 0:
        return None
    found = _entries.get((user_id, session_id))
    if found is None:
        return None
    stored_at, principal = found
    if time.monotonic() - stored_at > ttl:
        _entries.pop((user_id, session_id), None)
        return None
    return principal


def generation() -> int:
    """Bumped by `forget_all`: a principal read before a forget must not be stored after it."""
    return _generation


def put(principal: Principal, ttl: float, read_at_generation: int) -> None:
    if ttl <= 0 or principal.session_id is None or read_at_generation != _generation:
        return
    if len(_entries) >= _MAX_ENTRIES:
        _entries.clear()
    _entries[(principal.user_id, principal.session_id)] = (time.monotonic(), principal)


def forget_all() -> None:
    """Drop every cached principal (after a change of roles, sessions, users or union paths)."""
    global _generation
    _generation += 1
    _entries.clear()
