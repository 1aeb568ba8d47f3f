"""Business rules of the union tree: found, edit/rename, move, merge, dissolve, history.

Every operation is dated and decided, keeps `union_periods` (the tree on any past date)
consistent, writes a `union_events` row for the history and an audit entry. Services only
flush; the request commits once.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.errors import Conflict, Forbidden, PreconditionFailed, Unprocessable
from unionhub.core.text import fold
from unionhub.unions import repository as repo
from unionhub.unions import rules
from unionhub.unions.models import (
    Union,
    UnionEvent,
    UnionEventType,
    UnionLevel,
    UnionPeriod,
    UnionStatus,
)
from unionhub.unions.schemas import UnionCreate, UnionDissolve, UnionMerge, UnionMove, UnionUpdate

W = Permission.UNIONS_WRITE


def search_text(code: str, name: str, short_name: str | None) -> str:
    return fold(" ".join(p for p in (code, name, short_name) if p))


def check_version(union: Union, if_match: int | None) -> None:
    if if_match is not None and if_match != union.version:
        raise PreconditionFailed(
            "This union was changed by someone else since you loaded it; reload and try again.",
            code="version_mismatch",
            extra={"current_version": union.version},
        )


async def _stored(session: AsyncSession, union: Union) -> dict[str, Any]:
    """The row as stored, for the audit's `after`.

    Flushing expires server-set columns (`updated_at`); reading them lazily would be IO outside
    the event loop, so they are reloaded here first.
    """
    await session.flush()
    await session.refresh(union)
    return snapshot(union)


async def active_member_count(session: AsyncSession, union_ids: list[uuid.UUID]) -> int:
    """Active members directly in these unions. The member register fills this in."""
    from unionhub.unions import hooks

    return await hooks.active_members(session, union_ids)


def _event(
    principal: Principal,
    union: Union,
    kind: UnionEventType,
    effective: date,
    decision_no: str | None,
    decision_date: date | None,
    details: dict[str, Any],
) -> UnionEvent:
    return UnionEvent(
        union_id=union.id,
        event_type=kind.value,
        effective_date=effective,
        decision_no=decision_no,
        decision_date=decision_date,
        details=audit._jsonable(details),
        actor_id=None if principal.system else principal.user_id,
    )


async def _new_period(
    session: AsyncSession, union: Union, effective: date, **changes: Any
) -> None:
    """Close the union's current period at `effective` and open one with `changes` applied.

    A change on the day the current period began replaces that period in place.
    """
    current = await repo.current_period(session, union.id)
    assert current is not None, "every union has a current period"
    if current.valid_from == effective:
        for key, value in changes.items():
            setattr(current, key, value)
        await session.flush()
        return
    current.valid_to = effective
    await session.flush()
    session.add(
        UnionPeriod(
            union_id=union.id,
            parent_id=changes.get("parent_id", current.parent_id),
            name=changes.get("name", current.name),
            short_name=changes.get("short_name", current.short_name),
            status=changes.get("status", current.status),
            valid_from=effective,
        )
    )
    await session.flush()


async def _last_change(session: AsyncSession, union: Union) -> date | None:
    current = await repo.current_period(session, union.id)
    return current.valid_from if current else None


async def _not_before(session: AsyncSession, union: Union) -> date | None:
    """The earliest date a union can end: its own last change and its children's.

    A child that joined, left or ended under it on some day must find it still there that day,
    or the tree on past dates would show children under a union that had already gone.
    """
    dates = [d for d in (await _last_change(session, union),
                         await repo.last_child_change(session, union.id)) if d is not None]
    return max(dates) if dates else None


async def _check_enterprise(
    session: AsyncSession, principal: Principal, enterprise_id: uuid.UUID | None
) -> None:
    # Without this an unknown id fails the foreign key at flush: a bare 409 naming no field.
    if enterprise_id is not None and not await repo.enterprise_visible(
        session, principal, enterprise_id
    ):
        raise Unprocessable("enterprise_id", "enterprise_not_found",
                            "No enterprise with this id in your scope.")


async def found_union(session: AsyncSession, principal: Principal, data: UnionCreate) -> Union:
    """Found a union under `parent_id` with its founding decision and date."""
    rules.check_effective_date(data.founded_on, None, "founded_on")
    if data.parent_id is None:
        if not principal.is_admin:
            raise Forbidden("Only an administrator may found a top-level union.",
                            code="permission_denied")
        rules.check_parent_level(data.level, None)
        parent_path = None
    else:
        parent = await get_union_in_scope(session, principal, data.parent_id, W, for_update=True)
        if parent.status != UnionStatus.ACTIVE.value:
            raise Unprocessable("parent_id", "parent_inactive",
                                "The parent union is dissolved or merged.")
        rules.check_parent_level(data.level, parent.level)
        started = await repo.first_valid_from(session, parent.id)
        if started and data.founded_on < started:
            raise Unprocessable(
                "founded_on", "before_parent_founded",
                f"The parent union exists only from {started.strftime('%d/%m/%Y')}.",
            )
        parent_path = parent.path
    await _check_enterprise(session, principal, data.enterprise_id)
    if await repo.code_exists(session, data.code):
        raise Unprocessable("code", "code_taken", f"The code {data.code} is already in use.")

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
        _event(principal, union, UnionEventType.FOUNDED, data.founded_on,
               data.founding_decision_no, data.decision_date,
               {"parent_id": union.parent_id, "name": union.name})
    )
    await audit.record(session, principal, "union.found", "union", union.id,
                       union_id=union.id, after=await _stored(session, union))
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
    check_version(union, if_match)
    changes = {
        k: v for k, v in data.model_dump(exclude_unset=True).items()
        if k not in _DECISION_FIELDS and getattr(union, k) != v
    }
    if "name" in changes and changes["name"] is None:
        raise Unprocessable("name", "required", "The name cannot be removed.")
    if not changes:
        return union
    if "enterprise_id" in changes:
        await _check_enterprise(session, principal, changes["enterprise_id"])
    before = snapshot(union)
    effective = data.effective_date or date.today()
    # The date labels the event even when nothing is historised; it can never be ahead of today.
    rules.check_effective_date(effective, None)
    renamed = _RENAME_FIELDS & changes.keys()
    if renamed:
        if union.status != UnionStatus.ACTIVE.value:
            raise Conflict("A dissolved or merged union cannot be renamed.", code="union_inactive")
        if not data.decision_no:
            raise Unprocessable("decision_no", "required",
                                "A rename needs the number of the decision.")
        rules.check_effective_date(effective, await _last_change(session, union))
        await _new_period(session, union, effective,
                          **{k: changes[k] for k in renamed})
    for key, value in changes.items():
        setattr(union, key, value)
    union.search_text = search_text(union.code, union.name, union.short_name)
    union.version += 1
    await session.flush()
    session.add(
        _event(principal, union,
               UnionEventType.RENAMED if renamed else UnionEventType.UPDATED,
               effective, data.decision_no, data.decision_date,
               {"changes": {k: {"from": before.get(k), "to": v} for k, v in changes.items()}})
    )
    await audit.record(session, principal, "union.update", "union", union.id,
                       union_id=union.id, before=before, after=await _stored(session, union))
    await session.flush()
    return union


async def move_union(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionMove,
    if_match: int | None = None,
) -> Union:
    """Move a union (and its whole subtree) under another parent."""
    union = await get_union_in_scope(session, principal, union_id, W, for_update=True)
    check_version(union, if_match)
    target = await get_union_in_scope(session, principal, data.new_parent_id, W, for_update=True)
    if union.status != UnionStatus.ACTIVE.value:
        raise Conflict("Only an active union can be moved.", code="union_inactive")
    if target.status != UnionStatus.ACTIVE.value:
        raise Unprocessable("new_parent_id", "parent_inactive",
                            "The new parent union is dissolved or merged.")
    if target.id == union.parent_id:
        raise Unprocessable("new_parent_id", "same_parent",
                            "The union is already under this parent.")
    if target.path == union.path or target.path.startswith(union.path + "."):
        raise Unprocessable("new_parent_id", "cycle",
                            "A union cannot be moved under itself or its own subtree.")
    rules.check_parent_level(union.level, target.level, "new_parent_id")
    rules.check_effective_date(data.effective_date, await _last_change(session, union))
    started = await repo.first_valid_from(session, target.id)
    if started and data.effective_date < started:
        raise Unprocessable("effective_date", "before_parent_founded",
                            f"The new parent exists only from {started.strftime('%d/%m/%Y')}.")
    before = snapshot(union)
    old_parent = union.parent_id
    await _new_period(session, union, data.effective_date, parent_id=target.id)
    moved = await repo.repath_subtree(session, union.path, f"{target.path}.{union.tree_key}")
    await session.refresh(union)
    union.parent_id = target.id
    union.version += 1
    await session.flush()
    session.add(
        _event(principal, union, UnionEventType.MOVED, data.effective_date, data.decision_no,
               data.decision_date,
               {"from_parent_id": old_parent, "to_parent_id": target.id,
                "descendants_moved": moved, "note": data.note})
    )
    await audit.record(session, principal, "union.move", "union", union.id, union_id=union.id,
                       before=before, after=await _stored(session, union))
    await session.flush()
    return union


async def merge_union(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionMerge,
    if_match: int | None = None,
) -> Union:
    """Merge a union into another: its active children move under the target; it ends."""
    union = await get_union_in_scope(session, principal, union_id, W, for_update=True)
    check_version(union, if_match)
    target = await get_union_in_scope(session, principal, data.target_id, W, for_update=True)
    if union.status != UnionStatus.ACTIVE.value:
        raise Conflict("Only an active union can be merged.", code="union_inactive")
    if target.status != UnionStatus.ACTIVE.value:
        raise Unprocessable("target_id", "target_inactive",
                            "The target union is dissolved or merged.")
    if target.id == union.id or target.path.startswith(union.path + "."):
        raise Unprocessable("target_id", "cycle",
                            "A union cannot be merged into itself or a union under it.")
    if UnionLevel(union.level) != UnionLevel(target.level) and not (
        {union.level, target.level} <= {UnionLevel.GRASSROOTS.value, UnionLevel.OCCUPATIONAL.value}
    ):
        raise Unprocessable("target_id", "level_mismatch",
                            "A union can only be merged into a union of the same level.")
    rules.check_effective_date(data.effective_date, await _not_before(session, union))
    started = await repo.first_valid_from(session, target.id)
    if started and data.effective_date < started:
        raise Unprocessable("effective_date", "before_target_founded",
                            f"The target union exists only from {started.strftime('%d/%m/%Y')}.")
    children = await repo.active_children(session, union.id)
    misfits = [c.code for c in children if not rules.may_sit_under(c.level, target.level)]
    if misfits:
        raise Conflict(
            f"{len(misfits)} child union(s) cannot sit under the target: {', '.join(misfits[:10])}.",
            code="children_level_mismatch",
        )
    # Every date is checked before anything changes, so a refusal leaves no half-done merge.
    for child in children:
        rules.check_effective_date(data.effective_date, await _last_change(session, child))
    before = snapshot(union)
    for child in children:
        await _new_period(session, child, data.effective_date, parent_id=target.id)
        await repo.repath_subtree(session, child.path, f"{target.path}.{child.tree_key}")
        await session.refresh(child)
        child.parent_id = target.id
        child.version += 1
        session.add(
            _event(principal, child, UnionEventType.MOVED, data.effective_date,
                   data.decision_no, data.decision_date,
                   {"from_parent_id": union.id, "to_parent_id": target.id,
                    "reason": "parent_merged"})
        )
    from unionhub.unions import hooks

    members_moved = await hooks.move_members(session, principal, union.id, target.id,
                                             data.effective_date)
    await _new_period(session, union, data.effective_date, status=UnionStatus.MERGED.value)
    union.status = UnionStatus.MERGED.value
    union.merged_into_id = target.id
    union.ended_on = data.effective_date
    union.version += 1
    details = {"target_id": target.id, "children_moved": len(children),
               "members_moved": members_moved, "note": data.note}
    session.add(_event(principal, union, UnionEventType.MERGED, data.effective_date,
                       data.decision_no, data.decision_date, details))
    session.add(_event(principal, target, UnionEventType.ABSORBED, data.effective_date,
                       data.decision_no, data.decision_date,
                       {"source_id": union.id, "children_moved": len(children),
                        "members_moved": members_moved}))
    await audit.record(session, principal, "union.merge", "union", union.id, union_id=union.id,
                       before=before, after=await _stored(session, union))
    await session.flush()
    return union


async def dissolve_union(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionDissolve,
    if_match: int | None = None,
) -> Union:
    """Dissolve a union; refused while it still has active children or members."""
    union = await get_union_in_scope(session, principal, union_id, W, for_update=True)
    check_version(union, if_match)
    if union.status != UnionStatus.ACTIVE.value:
        raise Conflict("The union is already dissolved or merged.", code="union_inactive")
    children = await repo.active_children(session, union.id)
    members = await active_member_count(session, [union.id])
    if children or members:
        raise Conflict(
            f"The union still has {len(children)} active child union(s) and {members} active "
            "member(s); move or merge them first.",
            code="union_not_empty",
            extra={"active_children": len(children), "active_members": members},
        )
    rules.check_effective_date(data.effective_date, await _not_before(session, union))
    before = snapshot(union)
    await _new_period(session, union, data.effective_date, status=UnionStatus.DISSOLVED.value)
    union.status = UnionStatus.DISSOLVED.value
    union.ended_on = data.effective_date
    union.version += 1
    session.add(_event(principal, union, UnionEventType.DISSOLVED, data.effective_date,
                       data.decision_no, data.decision_date, {"note": data.note}))
    await audit.record(session, principal, "union.dissolve", "union", union.id,
                       union_id=union.id, before=before, after=await _stored(session, union))
    await session.flush()
    return union


async def history(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID
) -> list[UnionEvent]:
    union = await get_union_in_scope(session, principal, union_id)
    return await repo.events(session, union.id)
