"""Read side of the register: the member list, one member, a member's history.

Personal data (personal ID, passport, phone) is masked unless the caller holds members:pii
for the member's union; every unmasked read is written to the audit log.
"""

import math
import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission, permissions_of
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Forbidden, NotFound
from unionhub.core.pagination import PageParams
from unionhub.members import id_search, lookups
from unionhub.members import repository as repo
from unionhub.members.masking import mask_email, mask_passport, mask_personal_id, mask_phone
from unionhub.members.models import Member, MemberStatus
from unionhub.members.repository import MemberFilters
from unionhub.members.schemas import (
    MemberEventRead,
    MemberHistory,
    MemberPage,
    MemberRead,
    MembershipPeriodRead,
)

P = Permission


def to_read(member: Member, context: lookups.RowContext, *, reveal: bool) -> MemberRead:
    data = {c.key: getattr(member, c.key) for c in Member.__table__.columns}
    if not reveal:
        data["personal_id"] = mask_personal_id(member.personal_id)
        data["phone"] = mask_phone(member.phone)
        data["passport_no"] = mask_passport(member.passport_no)
        data["email"] = mask_email(member.email)
    return MemberRead.model_validate(
        {
            **data,
            "union_code": context.union_code,
            "union_name": context.union_name,
            "enterprise_name": context.enterprise_name if member.enterprise_id else None,
            "is_cadre": context.is_cadre,
            "pii_masked": not reveal,
        }
    )


async def _reads(
    session: AsyncSession, principal: Principal, members: Sequence[Member], reveal_pii: bool
) -> list[MemberRead]:
    """Page rows with their union, employer and cadre flag: one query, not one per row."""
    contexts = await lookups.row_context(session, members, date.today())
    out = []
    for m in members:
        context = contexts.get(m.id, lookups.RowContext())
        reveal = reveal_pii and principal.holds_at(context.union_path, P.MEMBERS_PII)
        out.append(to_read(m, context, reveal=reveal))
    return out


async def list_members(
    session: AsyncSession,
    principal: Principal,
    filters: MemberFilters,
    page: PageParams,
    sort: str = "name",
    reveal_pii: bool = False,
) -> MemberPage:
    """One page of the members in scope; masked unless `reveal_pii` (audited with the count)."""
    if reveal_pii and not principal.has(P.MEMBERS_PII):
        raise Forbidden(
            "Your role does not include the permission members:pii.",
            code=ErrorCode.PERMISSION_DENIED,
        )
    if filters.union_id is not None:
        union = await lookups.union_in_scope(session, principal, filters.union_id, P.MEMBERS_READ)
        if union is None:
            raise NotFound("No union with this id.", code=ErrorCode.UNION_NOT_FOUND)
    identifier = await id_search.check(session, principal, filters.q)
    union_ids = await repo.resolve_union_set(session, principal, filters)
    stmt = repo.filtered_query(principal, filters, union_ids=union_ids)
    found: list[Member] | None = None
    if repo.is_text_search(filters.q):
        counted, found = await repo.matches_page(session, stmt, sort, page.offset, page.size)
    else:
        # An index-only scan for the usual filters (union, status, gender), so it comes first
        # and picks the page plan.
        counted = await repo.count_bounded(session, stmt)
    exact = counted is not None and counted <= repo.COUNT_CAP
    if found is None:
        fence = counted is not None and counted <= repo.FENCE_BELOW
        # Without an exact total, one row more than the page tells whether another page
        # follows.
        limit = page.size if exact else page.size + 1
        query = repo.page_query(stmt, sort, page.offset, limit, fence)
        found = list((await session.execute(query)).scalars())
    members = found
    more = len(members) > page.size
    members = members[: page.size]
    if exact:
        total = counted or 0
    else:
        seen = page.offset + len(members) + (1 if more else 0)
        total = max(seen, repo.COUNT_CAP if counted is not None else 0)
    items = await _reads(session, principal, members, reveal_pii)
    if identifier is not None:
        await id_search.record(session, principal, identifier, found=total)
    revealed = [i.id for i in items if not i.pii_masked]
    if revealed:
        await audit.record(
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
    return MemberPage(
        items=items,
        total=total,
        page=page.page,
        size=page.size,
        pages=math.ceil(total / page.size) if total else 0,
        total_exact=exact,
    )


def _home_union(principal: Principal) -> uuid.UUID | None:
    for a in principal.assignments:
        if P.MEMBERS_PII in permissions_of(a.role):
            return a.union_id
    return None


async def read_member(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID, *, audit_pii: bool
) -> MemberRead:
    """One member in scope (404 otherwise); unmasked for members:pii holders, audited if asked."""
    member = await repo.get_scoped(session, principal, member_id)
    (item,) = await _reads(session, principal, [member], reveal_pii=True)
    if audit_pii and not item.pii_masked:
        await audit.record(
            session,
            principal,
            "member.pii_read",
            "member",
            member.id,
            union_id=member.union_id,
            after={"count": 1},
        )
    return item


async def history(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> MemberHistory:
    member = await repo.get_scoped(session, principal, member_id)
    events, periods = await lookups.history_rows(session, member.id)
    return MemberHistory(
        member_id=member.id,
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
