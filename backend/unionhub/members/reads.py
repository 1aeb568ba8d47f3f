"""Read side of the register: the member list, one member, a member's history.

Personal data (personal ID, passport, phone) is masked unless the caller holds members:pii
for the member's union; every unmasked read is written to the audit log.
"""

import math
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission, permissions_of
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.db import fetch_driver, one_connection, row_reader
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Forbidden, NotFound, Unprocessable
from unionhub.core.pagination import PageParams, decode_cursor, encode_cursor
from unionhub.members import id_search, lookups, totals
from unionhub.members import repository as repo
from unionhub.members.masking import mask_email, mask_passport, mask_personal_id, mask_phone
from unionhub.members.models import MemberStatus
from unionhub.members.repository import MemberFilters
from unionhub.members.schemas import (
    MemberEventRead,
    MemberHistory,
    MemberRead,
    MembershipPeriodRead,
)

P = Permission


# MemberRead's fields in order: the member's columns, and what `repository.with_context` adds.
_ITEM_FIELDS = tuple(MemberRead.model_fields)
# What each field is read from: `pii_masked` is no column; its place is taken by `id` and the
# value set afterwards (a key keeps its place in the dict).
_READ_FROM = tuple("id" if name == "pii_masked" else name for name in _ITEM_FIELDS)
_MASKS = {
    "personal_id": mask_personal_id,
    "phone": mask_phone,
    "passport_no": mask_passport,
    "email": mask_email,
}
# Ids as text here: the driver's UUID type is not one the JSON encoder writes by itself, and a
# call back from it per id costs more (about four ids a row).
_UUID_FIELDS = tuple(
    name
    for name, field in MemberRead.model_fields.items()
    if uuid.UUID in (field.annotation, *getattr(field.annotation, "__args__", ()))
)


def items_of(
    rows: Sequence[Any], principal: Principal, *, reveal_pii: bool, own: bool = False
) -> list[dict[str, Any]]:
    """Page rows (member columns + context, of one statement) as the JSON of `MemberRead`s:
    built once, serialised once. A row is masked unless `reveal_pii` and the caller holds
    members:pii at the member's union, or it is the caller's own record (`own`: a member
    account). The fields are read by position (`row_reader`), not by name per field."""
    read = row_reader(rows, _READ_FROM)
    items = []
    for row in rows:
        reveal = own or (reveal_pii and principal.holds_at(row["union_path"], P.MEMBERS_PII))
        item: dict[str, Any] = dict(zip(_ITEM_FIELDS, read(row), strict=True))
        item["pii_masked"] = not reveal
        item["is_cadre"] = bool(item["is_cadre"])
        if not item["enterprise_id"]:
            item["enterprise_name"] = None
        for name in _UUID_FIELDS:
            value = item[name]
            if value is not None:
                item[name] = str(value)
        if not reveal:
            for name, mask in _MASKS.items():
                if item[name] is not None:  # None stays None
                    item[name] = mask(item[name])
        items.append(item)
    return items


def item_of(
    row: Any, principal: Principal, *, reveal_pii: bool, own: bool = False
) -> dict[str, Any]:
    """One row as `items_of` makes it."""
    return items_of([row], principal, reveal_pii=reveal_pii, own=own)[0]


async def list_members(
    session: AsyncSession,
    principal: Principal,
    filters: MemberFilters,
    page: PageParams,
    sort: str = "name",
    reveal_pii: bool = False,
    cursor: str | None = None,
    exact_total: bool = False,
) -> dict[str, Any]:
    """One page of the members in scope (the JSON of a `MemberPage`); masked unless
    `reveal_pii` (audited with the count). With `cursor` the page starts after the row it
    names (keyset) instead of at `page`. The total is exact for structural filters (from the
    maintained counts), for a full-name search in a large scope (every match is collected:
    members.search) and up to `repository.COUNT_CAP` matches; beyond, an estimate unless
    `exact_total` (members.totals)."""
    if reveal_pii and not principal.has(P.MEMBERS_PII):
        raise Forbidden(
            "Your role does not include the permission members:pii.",
            code=ErrorCode.PERMISSION_DENIED,
        )
    after = None
    if cursor is not None:
        if not repo.supports_cursor(sort):
            raise Unprocessable(
                "cursor",
                ErrorCode.CURSOR_INVALID,
                "Card-number order has no cursor; use page.",
                in_="query",
            )
        after = decode_cursor(cursor, repo.cursor_types(sort))
    offset = 0 if after is not None else page.offset
    if filters.union_id is not None:
        union = await lookups.union_in_scope(session, principal, filters.union_id, P.MEMBERS_READ)
        if union is None:
            raise NotFound("No union with this id.", code=ErrorCode.UNION_NOT_FOUND)
    identifier = await id_search.check(session, principal, filters.q)
    matched, over_cap = None, None
    if repo.has_bound_search(filters, after):
        # A name search by page: its union set and its matches, both statements built once,
        # on one pooled connection (no total from the counts: a name is no structural filter).
        async with one_connection(session):
            union_ids = await repo.resolve_union_set(
                session, principal, filters, every_as_none=True
            )
            matched, over_cap = await _bound_search(
                session, filters, union_ids, sort, offset, page.size + 1
            )
        structural = None
    else:
        # None: every union (an admin, or a scope that covers the whole register).
        union_ids = await repo.resolve_union_set(session, principal, filters, every_as_none=True)
        structural = await totals.structural_total(session, filters, union_ids)
    if structural is not None and repo.has_bound_page(filters, after):
        # The usual list (scope, status, gender, by page): its total from the counts, its page
        # from a statement built once.
        fence = structural <= repo.FENCE_BELOW
        query, params = repo.bound_page_query(
            filters, union_ids, sort, offset, page.size + 1, fence
        )
        found = await fetch_driver(session, query, params)
        total, exact = structural, True
    else:
        if matched is not None:
            total, exact, found = matched[0], True, matched[1]
        else:
            total, exact, found = await _total_and_page(
                session, principal, filters, union_ids, sort, offset, page.size + 1,
                structural=structural, cursor=after, exact_total=exact_total,
                counted=over_cap,
            )  # fmt: skip
    more = len(found) > page.size
    rows = found[: page.size]
    if not exact:
        total = max(total, offset + len(rows) + (1 if more else 0))
    items = items_of(rows, principal, reveal_pii=reveal_pii)
    if identifier is not None:
        await id_search.record(session, principal, identifier, found=total)
    revealed = [i["id"] for i in items if not i["pii_masked"]]
    if revealed:
        await audit.record_read(
            session,
            principal,
            "member.pii_read",
            "member",
            None,
            union_id=filters.union_id or _home_union(principal),
            after={
                "count": len(revealed),
                "member_ids": [str(i) for i in revealed],
                "page": page.page,
            },
        )
    next_cursor = (
        encode_cursor(repo.cursor_of(rows[-1], sort))
        if more and rows and repo.supports_cursor(sort)
        else None
    )
    return {
        "items": items,
        "total": total,
        "page": page.page,
        "size": page.size,
        "pages": math.ceil(total / page.size) if total else 0,
        "total_exact": exact,
        "next_cursor": next_cursor,
    }


async def _bound_search(
    session: AsyncSession,
    filters: MemberFilters,
    union_ids: list[uuid.UUID] | None,
    sort: str,
    offset: int,
    limit: int,
) -> tuple[tuple[int, list[Any]] | None, int | None]:
    """A name search in the scope (status, gender), by page number, from one statement built
    once that collects, counts and pages the matches: ((total, rows), None); or (None, the
    count) past the cap, when the page must be read in name order; or (None, None) past the
    last page (`_total_and_page` then answers both)."""
    query, params, cap, generic = repo.bound_search_query(filters, union_ids, sort, offset, limit)
    rows = await fetch_driver(session, query, params, generic=generic)
    if not rows:
        return ((0, rows), None) if offset == 0 else (None, None)
    counted = int(rows[0]["matched"])
    if cap is not None and counted > cap:
        return None, counted
    return (counted, rows), None


async def _total_and_page(
    session: AsyncSession,
    principal: Principal,
    filters: MemberFilters,
    union_ids: list[uuid.UUID] | None,
    sort: str,
    offset: int,
    limit: int,
    *,
    structural: int | None,
    cursor: list[Any] | None,
    exact_total: bool,
    counted: int | None = None,
) -> tuple[int, bool, list[Any]]:
    """(total, exact, rows of the page) of a list whose statement is built for the request:
    a name search, a filter the counts are not kept by, a past day or a cursor. `counted`:
    a name search's matches already counted past the cap (`repository.bound_search_query`)."""
    stmt = repo.filtered_query(
        principal, filters, union_ids=union_ids, every_union=union_ids is None
    )
    day = filters.today
    found: list[Any] | None = None
    counted_all = repo.counts_every_match(filters.q, union_ids)
    if counted is None:
        if repo.is_text_search(filters.q):
            cap = None if counted_all else repo.COUNT_CAP
            counted, found = await repo.matches_page(
                session, stmt, sort, offset, limit, day=day, cursor=cursor, cap=cap
            )
        elif structural is not None:
            counted = structural
        else:
            counted = await repo.count_bounded(session, stmt)
    total, exact = await totals.settle(
        session,
        stmt,
        filters,
        union_ids,
        counted,
        structural=structural,
        exact_requested=exact_total,
        counted_all=counted_all,
    )
    if found is None:
        fence = counted is not None and counted <= repo.FENCE_BELOW
        # One row more than the page tells whether another page follows.
        query = repo.page_query(stmt, sort, offset, limit, fence, day=day, cursor=cursor)
        found = list((await session.execute(query)).mappings())
    return total, exact, found


def _home_union(principal: Principal) -> uuid.UUID | None:
    for a in principal.assignments:
        if P.MEMBERS_PII in permissions_of(a.role):
            return a.union_id
    return None


async def member_item(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    *,
    reveal_pii: bool,
    audit_pii: bool = True,
) -> dict[str, Any]:
    """One member in scope (404 otherwise) as the JSON of a `MemberRead`, masked unless
    `reveal_pii` and the caller holds members:pii at the member's union. An unmasked read is
    audited unless `audit_pii` is off (the answer to the caller's own write, which the write's
    entry already records)."""
    if reveal_pii and not principal.has(P.MEMBERS_PII):
        raise Forbidden(
            "Your role does not include the permission members:pii.",
            code=ErrorCode.PERMISSION_DENIED,
        )
    row = await repo.get_scoped_row(session, principal, member_id, date.today())
    item = item_of(row, principal, reveal_pii=reveal_pii)
    if reveal_pii and audit_pii and not item["pii_masked"]:
        await audit.record_read(
            session,
            principal,
            "member.pii_read",
            "member",
            row["id"],
            union_id=row["union_id"],
            after={"count": 1},
        )
    return item


async def read_written(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> MemberRead:
    """The answer to the caller's own write, as the model: unmasked where they hold
    members:pii (they just wrote the data), not audited again (the write's entry records it)."""
    reveal = principal.has(P.MEMBERS_PII)
    item = await member_item(session, principal, member_id, reveal_pii=reveal, audit_pii=False)
    return MemberRead.model_validate(item)


async def history(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> MemberHistory:
    member = await repo.get_scoped(session, principal, member_id)
    return await history_of(session, member.id)


async def history_of(session: AsyncSession, member_id: uuid.UUID) -> MemberHistory:
    """The events and membership periods of a member the caller was allowed to read."""
    events, periods = await lookups.history_rows(session, member_id)
    return MemberHistory(
        member_id=member_id,
        events=[
            MemberEventRead.model_validate(
                {**{c.key: getattr(e, c.key) for c in e.__table__.columns}, "union_name": name}
            )
            for e, name in events
        ],
        periods=[
            MembershipPeriodRead(
                union_id=p.union_id,
                union_name=name,
                status=MemberStatus(p.status),
                valid_from=p.valid_from,
                valid_to=p.valid_to,
            )
            for p, name in periods
        ],
    )
