"""Business rules of the union tree: found, edit/rename, history.

Every operation is dated and decided, keeps `union_periods` (the tree on any past date)
consistent, writes a `union_events` row for the history and an audit entry. Services only
flush; the request commits once. Moving, merging and dissolving live in `restructure`;
dissolving is re-exported here. A move or a merge changes other domains' records too (the
members who move, the ratings that follow their unit), so both are called through
unionhub.workflows (union_move, union_merge), never from here.
"""

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, Unprocessable
from unionhub.core.etag import check_version
from unionhub.unions import reads, rules
from unionhub.unions import repository as repo
from unionhub.unions.models import Union, UnionEvent, UnionEventType, UnionPeriod, UnionStatus
from unionhub.unions.periods import (
    event,
    last_change,
    new_period,
    search_text,
    stored,
)
from unionhub.unions.restructure import dissolve_union
from unionhub.unions.schemas import (
    UnionCreate,
    UnionDissolve,
    UnionEventRead,
    UnionRead,
    UnionUpdate,
)

__all__ = [
    "dissolve_union",
    "found_union",
    "history",
    "search_text",
    "update_union",
]

W = Permission.UNIONS_WRITE


async def _check_enterprise(
    session: AsyncSession,
    principal: Principal,
    enterprise_id: uuid.UUID | None,
    union: Union | None = None,
) -> None:
    """The enterprise exists in the caller's scope and has no other active union."""
    # Without these checks the foreign key or the one-active-union index fails at flush: a bare
    # 409 naming no field.
    if enterprise_id is None:
        return
    if not await repo.enterprise_visible(session, principal, enterprise_id):
        raise Unprocessable(
            "enterprise_id",
            ErrorCode.ENTERPRISE_NOT_FOUND,
            "No enterprise with this id in your scope.",
        )
    if (union is None or union.status == UnionStatus.ACTIVE.value) and (
        await repo.enterprise_union(session, enterprise_id, exclude=union.id if union else None)
    ):
        raise Conflict(
            "The enterprise already has an active union.", code=ErrorCode.ENTERPRISE_HAS_UNION
        )


async def found_union(session: AsyncSession, principal: Principal, data: UnionCreate) -> Union:
    """Found a union under `parent_id` with its founding decision and date."""
    rules.check_effective_date(data.founded_on, None, "founded_on")
    if data.parent_id is None:
        if not principal.is_admin:
            raise Forbidden(
                "Only an administrator may found a top-level union.",
                code=ErrorCode.PERMISSION_DENIED,
            )
        rules.check_parent_level(data.level, None)
        parent_path = None
    else:
        parent = await get_union_in_scope(session, principal, data.parent_id, W, for_update=True)
        if parent.status != UnionStatus.ACTIVE.value:
            raise Unprocessable(
                "parent_id", ErrorCode.PARENT_INACTIVE, "The parent union is dissolved or merged."
            )
        rules.check_parent_level(data.level, parent.level)
        started = await repo.first_valid_from(session, parent.id)
        if started and data.founded_on < started:
            raise Unprocessable(
                "founded_on",
                ErrorCode.BEFORE_PARENT_FOUNDED,
                f"The parent union exists only from {started.strftime('%d/%m/%Y')}.",
                params={"founded": started},
            )
        parent_path = parent.path
    await _check_enterprise(session, principal, data.enterprise_id)
    if await repo.code_exists(session, data.code):
        raise Unprocessable(
            "code",
            ErrorCode.CODE_TAKEN,
            f"The code {data.code} is already in use.",
            params={"value": data.code},
        )

    key = await repo.next_tree_key(session)
    fields = data.model_dump(exclude={"decision_date"})
    union = Union(
        **fields,
        tree_key=key,
        path=f"{parent_path}.{key}" if parent_path else str(key),
        status=UnionStatus.ACTIVE.value,
        search_text=search_text(data.code, data.name, data.short_name),
        version=1,
    )
    session.add(union)
    await session.flush()
    session.add(
        UnionPeriod(
            union_id=union.id,
            parent_id=union.parent_id,
            name=union.name,
            short_name=union.short_name,
            status=UnionStatus.ACTIVE.value,
            valid_from=data.founded_on,
        )
    )
    session.add(
        event(
            principal,
            union,
            UnionEventType.FOUNDED,
            data.founded_on,
            data.founding_decision_no,
            data.decision_date,
            {"parent_id": union.parent_id, "name": union.name},
        )
    )
    await audit.record(
        session,
        principal,
        "union.found",
        "union",
        union.id,
        union_id=union.id,
        after=await stored(session, union),
    )
    await session.flush()
    return union


_RENAME_FIELDS = {"name", "short_name"}
_DECISION_FIELDS = {"effective_date", "decision_no", "decision_date"}


async def update_union(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionUpdate,
    if_match: int | None,
) -> Union:
    """Edit a union's data; a change of name is a dated, decided rename."""
    union = await get_union_in_scope(session, principal, union_id, W, for_update=True)
    check_version(union, if_match, "union")
    changes = {
        k: v
        for k, v in data.model_dump(exclude_unset=True).items()
        if k not in _DECISION_FIELDS and getattr(union, k) != v
    }
    if "name" in changes and changes["name"] is None:
        raise Unprocessable("name", ErrorCode.REQUIRED, "The name cannot be removed.")
    if not changes:
        return union
    if "enterprise_id" in changes:
        await _check_enterprise(session, principal, changes["enterprise_id"], union)
    before = snapshot(union)
    effective = data.effective_date or date.today()
    # The date labels the event even when nothing is historised; it can never be ahead of today.
    rules.check_effective_date(effective, None)
    renamed = _RENAME_FIELDS & changes.keys()
    if renamed:
        if union.status != UnionStatus.ACTIVE.value:
            raise Conflict(
                "A dissolved or merged union cannot be renamed.", code=ErrorCode.UNION_INACTIVE
            )
        if not data.decision_no:
            raise Unprocessable(
                "decision_no", ErrorCode.REQUIRED, "A rename needs the number of the decision."
            )
        rules.check_effective_date(effective, await last_change(session, union))
        await new_period(session, union, effective, **{k: changes[k] for k in renamed})
    for key, value in changes.items():
        setattr(union, key, value)
    union.search_text = search_text(union.code, union.name, union.short_name)
    union.version += 1
    await session.flush()
    session.add(
        event(
            principal,
            union,
            UnionEventType.RENAMED if renamed else UnionEventType.UPDATED,
            effective,
            data.decision_no,
            data.decision_date,
            {"changes": {k: {"from": before.get(k), "to": v} for k, v in changes.items()}},
        )
    )
    await audit.record(
        session,
        principal,
        "union.update",
        "union",
        union.id,
        union_id=union.id,
        before=before,
        after=await stored(session, union),
    )
    await session.flush()
    return union


async def history(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID
) -> list[UnionEvent]:
    union = await get_union_in_scope(session, principal, union_id)
    return await repo.events(session, union.id)


# The API's entry points: each makes its change, then answers with the union as the API shows
# it (parent name, child and member counts). The functions above return the row itself, for
# callers that go on working with it.


async def _shown(session: AsyncSession, principal: Principal, union: Union) -> UnionRead:
    return await reads.get_union(session, principal, union.id)


async def found(session: AsyncSession, principal: Principal, data: UnionCreate) -> UnionRead:
    """Found a union (see found_union)."""
    return await _shown(session, principal, await found_union(session, principal, data))


async def edit(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionUpdate,
    if_match: int | None,
) -> UnionRead:
    """Edit or rename a union (see update_union)."""
    union = await update_union(session, principal, union_id, data, if_match)
    return await _shown(session, principal, union)


async def dissolve(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionDissolve,
    if_match: int | None,
) -> UnionRead:
    """Dissolve a union (see restructure.dissolve_union)."""
    union = await dissolve_union(session, principal, union_id, data, if_match)
    return await _shown(session, principal, union)


async def events(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID
) -> list[UnionEventRead]:
    """The union's dated events, as the API shows them."""
    return [UnionEventRead.model_validate(e) for e in await history(session, principal, union_id)]
