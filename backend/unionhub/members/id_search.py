"""Searches by an identifier (a personal ID, an old ID card number, a phone): limited, audited.

A search that names a full identifier tells whoever types it whether that person is on the
register, and when it is answered for masked numbers it is a way to unmask them one guess at
a time (issue 8: about a thousand guesses recovered a masked personal ID). So: a search by a
digit string long enough to be an identifier counts against a per-user limit kept in
PostgreSQL (the same for every replica), and each one is written to the audit log, with the
number shown masked and a keyed fingerprint to tell repeated searches for one number apart.
Whether such a search can match personal IDs at all is decided in members.repository (only
in the unions where the caller holds members:pii).
"""

import hashlib
import hmac
import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core import audit, ratelimit
from unionhub.core.config import get_settings
from unionhub.core.db import CommitFirst
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import TooManyRequests
from unionhub.members.masking import mask_digits

# 9 digits: the old ID card (CMND); 10: a mobile number; 12: the personal ID (CCCD).
IDENTIFIER_MIN_DIGITS = 9
_SEPARATORS = re.compile(r"[\s.\-]")


def identifier_in(q: str | None) -> str | None:
    """The digits of `q` when it is a search by an identifier, else None."""
    if not q:
        return None
    compact = _SEPARATORS.sub("", q)
    if compact.isascii() and compact.isdigit() and len(compact) >= IDENTIFIER_MIN_DIGITS:
        return compact
    return None


def fingerprint(identifier: str) -> str:
    """Keyed hash: equal for equal numbers, useless for guessing them without the secret."""
    key = get_settings().jwt_secret.encode()
    return hmac.new(key, identifier.encode(), hashlib.sha256).hexdigest()[:16]


def for_audit(q: str | None) -> str | None:
    """`q` as it may be written to the audit log: identifiers masked."""
    identifier = identifier_in(q)
    return mask_digits(identifier) if identifier else q


class SearchesThrottled(CommitFirst, TooManyRequests):
    """Too many identifier searches; the count and the audit entry are kept (CommitFirst)."""


async def check(session: AsyncSession, principal: Principal, q: str | None) -> str | None:
    """Count an identifier search against the caller's limit (429 past it, audited).

    Returns the identifier (None when `q` is no identifier search).
    """
    identifier = identifier_in(q)
    if identifier is None or principal.system:
        return identifier
    s = get_settings()
    wait = await ratelimit.hit(
        session,
        f"id_search:{principal.user_id}",
        s.id_search_limit,
        timedelta(seconds=s.id_search_window_seconds),
        datetime.now(UTC),
    )
    if wait is not None:
        await record(session, principal, identifier, found=None, refused=True)
        raise SearchesThrottled(
            f"Too many searches by ID or phone number. Try again in {wait} seconds.",
            code=ErrorCode.TOO_MANY_IDENTIFIER_SEARCHES,
            params={"retry_after": wait},
            headers={"Retry-After": str(wait)},
            extra={"retry_after": wait},
        )
    return identifier


async def record(
    session: AsyncSession,
    principal: Principal,
    identifier: str,
    *,
    found: int | None,
    refused: bool = False,
    action: str | None = None,
) -> None:
    """Audit one identifier search (masked number, fingerprint, how many members it found)."""
    await audit.record(
        session,
        principal,
        action or ("member.id_search_refused" if refused else "member.id_search"),
        "member",
        None,
        union_id=_home_union(principal),
        after={
            "query": mask_digits(identifier),
            "fingerprint": fingerprint(identifier),
            **({} if found is None else {"found": found}),
        },
    )


async def refuse_hidden_holder(
    session: AsyncSession, principal: Principal, personal_id: str
) -> None:
    """A personal ID typed for a new or edited member belongs to someone outside what the
    caller may see. Telling them "already on the register" would confirm that the person is a
    member elsewhere (issue 8: an oracle a guesser can query), so the answer is neutral
    (personal_id_unusable), the attempt counts against the identifier-search limit like a
    search, and it is audited. The caller has rolled the request's writes back: only the
    count and the audit entry are kept (the error is a CommitFirst)."""
    await check(session, principal, personal_id)
    await record(session, principal, personal_id, found=None, action="member.personal_id_refused")


def _home_union(principal: Principal) -> uuid.UUID | None:
    """The caller's highest union: whoever audits that subtree sees their searches."""
    if not principal.assignments:
        return None
    return min(principal.assignments, key=lambda a: a.union_path.count(".")).union_id
