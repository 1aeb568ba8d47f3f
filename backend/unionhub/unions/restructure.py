"""Restructuring the tree: moving a subtree, merging a union into another, dissolving one."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope, lock_tree, repath_subtree, within
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Unprocessable
from unionhub.core.etag import check_version
from unionhub.unions import repository as repo
from unionhub.unions import rules
from unionhub.unions.member_counts import active_members
from unionhub.unions.models import Union, UnionEventType, UnionLevel, UnionStatus
from unionhub.unions.periods import (
    event,
    last_change,
    new_period,
    not_before,
    stored,
)
from unionhub.unions.schemas import UnionDissolve, UnionMerge, UnionMove

W = Permission.UNIONS_WRITE
MoveMembers = Callable[[uuid.UUID, uuid.UUID, date], Awaitable[int]]
ChildrenMoved = Callable[[list[uuid.UUID]], Awaitable[None]]


async def move_union(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionMove,
    if_match: int | None = None,
) -> Union:
    """Move a union (and its whole subtree) under another parent."""
    await lock_tree(session)
    union = await get_union_in_scope(session, principal, union_id, W, for_update=True)
    check_version(union, if_match, "union")
    target = await get_union_in_scope(session, principal, data.new_parent_id, W, for_update=True)
    if union.status != UnionStatus.ACTIVE.value:
        raise Conflict("Only an active union can be moved.", code=ErrorCode.UNION_INACTIVE)
    if target.status != UnionStatus.ACTIVE.value:
        raise Unprocessable(
            "new_parent_id",
            ErrorCode.PARENT_INACTIVE,
            "The new parent union is dissolved or merged.",
        )
    if target.id == union.parent_id:
        raise Unprocessable(
            "new_parent_id", ErrorCode.SAME_PARENT, "The union is already under this parent."
        )
    if within(target.path, union.path):
        raise Unprocessable(
            "new_parent_id",
            ErrorCode.CYCLE,
            "A union cannot be moved under itself or its own subtree.",
        )
    rules.check_parent_level(union.level, target.level, "new_parent_id")
    rules.check_effective_date(data.effective_date, await last_change(session, union))
    started = await repo.first_valid_from(session, target.id)
    if started and data.effective_date < started:
        raise Unprocessable(
            "effective_date",
            ErrorCode.BEFORE_PARENT_FOUNDED,
            f"The new parent exists only from {started.strftime('%d/%m/%Y')}.",
            params={"founded": started},
        )
    before = snapshot(union)
    old_parent = union.parent_id
    await new_period(session, union, data.effective_date, parent_id=target.id)
    moved = await repath_subtree(session, union.path, f"{target.path}.{union.tree_key}")
    await session.refresh(union)
    union.parent_id = target.id
    union.version += 1
    await session.flush()
    session.add(
        event(
            principal,
            union,
            UnionEventType.MOVED,
            data.effective_date,
            data.decision_no,
            data.decision_date,
            {
                "from_parent_id": old_parent,
                "to_parent_id": target.id,
                "descendants_moved": moved,
                "note": data.note,
            },
        )
    )
    await audit.record(
        session,
        principal,
        "union.move",
        "union",
        union.id,
        union_id=union.id,
        before=before,
        after=await stored(session, union),
    )
    await session.flush()
    return union


async def merge_union(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionMerge,
    if_match: int | None = None,
    *,
    move_members: MoveMembers,
    children_moved: ChildrenMoved | None = None,
) -> Union:
    """Merge a union into another: its active children move under the target; it ends.

    The tree has no members: `move_members(source_id, target_id, effective)` moves the merged
    union's members and returns how many (unionhub.workflows.union_merge passes the member
    register's). It runs after every check, inside the same transaction. `children_moved`
    (the ids of the children now under the target) lets other domains follow the children
    (unionhub.workflows.union_merge: their ratings' appraiser).
    """
    # Its children's paths change: the tree's lock first (before the rows), see move_union.
    await lock_tree(session)
    union = await get_union_in_scope(session, principal, union_id, W, for_update=True)
    check_version(union, if_match, "union")
    target = await get_union_in_scope(session, principal, data.target_id, W, for_update=True)
    if union.status != UnionStatus.ACTIVE.value:
        raise Conflict("Only an active union can be merged.", code=ErrorCode.UNION_INACTIVE)
    if target.status != UnionStatus.ACTIVE.value:
        raise Unprocessable(
            "target_id", ErrorCode.TARGET_INACTIVE, "The target union is dissolved or merged."
        )
    if within(target.path, union.path):
        raise Unprocessable(
            "target_id",
            ErrorCode.CYCLE,
            "A union cannot be merged into itself or a union under it.",
        )
    if UnionLevel(union.level) != UnionLevel(target.level) and not (
        {union.level, target.level} <= {UnionLevel.GRASSROOTS.value, UnionLevel.OCCUPATIONAL.value}
    ):
        raise Unprocessable(
            "target_id",
            ErrorCode.LEVEL_MISMATCH,
            "A union can only be merged into a union of the same level.",
        )
    rules.check_effective_date(data.effective_date, await not_before(session, union))
    started = await repo.first_valid_from(session, target.id)
    if started and data.effective_date < started:
        raise Unprocessable(
            "effective_date",
            ErrorCode.BEFORE_TARGET_FOUNDED,
            f"The target union exists only from {started.strftime('%d/%m/%Y')}.",
            params={"founded": started},
        )
    children = await repo.active_children(session, union.id)
    misfits = [c.code for c in children if not rules.may_sit_under(c.level, target.level)]
    if misfits:
        raise Conflict(
            f"{len(misfits)} child union(s) cannot sit under the target: "
            f"{', '.join(misfits[:10])}.",
            code=ErrorCode.CHILDREN_LEVEL_MISMATCH,
            params={"count": len(misfits), "codes": ", ".join(misfits[:10])},
        )
    # Every date is checked before anything changes, so a refusal leaves no half-done merge.
    for child in children:
        rules.check_effective_date(data.effective_date, await last_change(session, child))
    before = snapshot(union)
    for child in children:
        await new_period(session, child, data.effective_date, parent_id=target.id)
        await repath_subtree(session, child.path, f"{target.path}.{child.tree_key}")
        await session.refresh(child)
        child.parent_id = target.id
        child.version += 1
        session.add(
            event(
                principal,
                child,
                UnionEventType.MOVED,
                data.effective_date,
                data.decision_no,
                data.decision_date,
                {"from_parent_id": union.id, "to_parent_id": target.id, "reason": "parent_merged"},
            )
        )
    if children_moved is not None:
        await children_moved([c.id for c in children])
    members_moved = await move_members(union.id, target.id, data.effective_date)
    await new_period(session, union, data.effective_date, status=UnionStatus.MERGED.value)
    union.status = UnionStatus.MERGED.value
    union.merged_into_id = target.id
    union.ended_on = data.effective_date
    union.version += 1
    details = {
        "target_id": target.id,
        "children_moved": len(children),
        "members_moved": members_moved,
        "note": data.note,
    }
    session.add(
        event(
            principal,
            union,
            UnionEventType.MERGED,
            data.effective_date,
            data.decision_no,
            data.decision_date,
            details,
        )
    )
    session.add(
        event(
            principal,
            target,
            UnionEventType.ABSORBED,
            data.effective_date,
            data.decision_no,
            data.decision_date,
            {
                "source_id": union.id,
                "children_moved": len(children),
                "members_moved": members_moved,
            },
        )
    )
    await audit.record(
        session,
        principal,
        "union.merge",
        "union",
        union.id,
        union_id=union.id,
        before=before,
        after=await stored(session, union),
    )
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
    check_version(union, if_match, "union")
    if union.status != UnionStatus.ACTIVE.value:
        raise Conflict("The union is already dissolved or merged.", code=ErrorCode.UNION_INACTIVE)
    children = await repo.active_children(session, union.id)
    members = await active_members(session, [union.id])
    if children or members:
        raise Conflict(
            f"The union still has {len(children)} active child union(s) and {members} active "
            "member(s); move or merge them first.",
            code=ErrorCode.UNION_NOT_EMPTY,
            params={"active_children": len(children), "active_members": members},
            extra={"active_children": len(children), "active_members": members},
        )
    rules.check_effective_date(data.effective_date, await not_before(session, union))
    before = snapshot(union)
    await new_period(session, union, data.effective_date, status=UnionStatus.DISSOLVED.value)
    union.status = UnionStatus.DISSOLVED.value
    union.ended_on = data.effective_date
    union.version += 1
    session.add(
        event(
            principal,
            union,
            UnionEventType.DISSOLVED,
            data.effective_date,
            data.decision_no,
            data.decision_date,
            {"note": data.note},
        )
    )
    await audit.record(
        session,
        principal,
        "union.dissolve",
        "union",
        union.id,
        union_id=union.id,
        before=before,
        after=await stored(session, union),
    )
    await session.flush()
    return union
