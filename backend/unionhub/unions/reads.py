"""Read side of the union tree: list with filters, one union, the tree (today or on a date)."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope, subtree, union_filter, union_ids_as_of
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import NotFound
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.core.text import contains, fold
from unionhub.unions import repository as repo
from unionhub.unions.member_counts import member_counts
from unionhub.unions.models import Union, UnionPeriod, UnionStatus
from unionhub.unions.schemas import TreeNode, UnionRead, UnionTree

SortKey = Literal[
    "code",
    "-code",
    "name",
    "-name",
    "level",
    "-level",
    "founded_on",
    "-founded_on",
    "created_at",
    "-created_at",
    "path",
    "-path",
]


@dataclass
class UnionFilters:
    parent_id: uuid.UUID | None = None
    under_id: uuid.UUID | None = None
    level: list[str] | None = None
    kind: list[str] | None = None
    sector: str | None = None
    status: list[str] | None = None
    q: str | None = None


def to_read(union: Union, parent_name: str | None = None, **extra: Any) -> UnionRead:
    data = {c.key: getattr(union, c.key) for c in Union.__table__.columns}
    data["depth"] = union.path.count(".") + 1
    return UnionRead.model_validate({**data, "parent_name": parent_name, **extra})


async def list_unions(
    session: AsyncSession,
    principal: Principal,
    filters: UnionFilters,
    page: PageParams,
    sort: SortKey = "path",
) -> Page[UnionRead]:
    stmt = repo.scoped_query(principal)
    if filters.parent_id:
        stmt = stmt.where(Union.parent_id == filters.parent_id)
    if filters.under_id:
        root = await get_union_in_scope(session, principal, filters.under_id)
        stmt = stmt.where(subtree(root.path))
    if filters.level:
        stmt = stmt.where(Union.level.in_(filters.level))
    if filters.kind:
        stmt = stmt.where(Union.kind.in_(filters.kind))
    if filters.sector:
        stmt = stmt.where(Union.sector == filters.sector)
    if filters.status:
        stmt = stmt.where(Union.status.in_(filters.status))
    if filters.q and fold(filters.q):
        stmt = stmt.where(Union.search_text.like(contains(fold(filters.q))))

    column = getattr(Union, sort.lstrip("-"))
    order = column.desc() if sort.startswith("-") else column.asc()

    async def with_counts(rows: list[Any]) -> list[UnionRead]:
        counts = await repo.child_counts(session, [r[0].id for r in rows])
        members = await member_counts(session, [r[0].id for r in rows]) or {}
        return [
            to_read(
                r[0], r[1], child_count=counts.get(r[0].id, 0), member_count=members.get(r[0].id)
            )
            for r in rows
        ]

    return await paginate(session, stmt.order_by(order, Union.id), page, with_counts)


async def get_union(session: AsyncSession, principal: Principal, union_id: uuid.UUID) -> UnionRead:
    row = (
        await session.execute(repo.scoped_query(principal).where(Union.id == union_id))
    ).one_or_none()
    if row is None:
        raise NotFound("No union with this id.", code=ErrorCode.UNION_NOT_FOUND)
    counts = await repo.child_counts(session, [union_id])
    members = await member_counts(session, [union_id]) or {}
    return to_read(
        row[0], row[1], child_count=counts.get(union_id, 0), member_count=members.get(union_id)
    )


async def tree(
    session: AsyncSession,
    principal: Principal,
    *,
    root_id: uuid.UUID | None,
    depth: int,
    as_of: date | None,
    include_inactive: bool,
) -> UnionTree:
    """The caller's subtree (or the one under `root_id`) down to `depth` levels.

    Today's tree comes from `unions`; a past date's from the periods covering that date.
    """
    day = as_of or date.today()
    visible = union_ids_as_of(principal, day) if as_of else None
    stmt = repo.periods_on(day)
    if visible is not None:
        stmt = stmt.where(UnionPeriod.union_id.in_(visible))
    else:
        stmt = stmt.where(union_filter(principal))
    rows = (await session.execute(stmt)).all()
    nodes: dict[uuid.UUID, dict[str, Any]] = {}
    for r in rows:
        if not include_inactive and r.status != UnionStatus.ACTIVE.value:
            continue
        nodes[r.union_id] = {
            "id": r.union_id,
            "code": r.code,
            "name": r.name,
            "short_name": r.short_name,
            "level": r.level,
            "kind": r.kind,
            "sector": r.sector,
            "status": r.status,
            "parent_id": r.parent_id,
            "children": [],
        }
    for node in nodes.values():
        parent = nodes.get(node["parent_id"]) if node["parent_id"] else None
        if parent is not None:
            parent["children"].append(node)
    if root_id is not None:
        if root_id not in nodes:
            raise NotFound("No union with this id on that date.", code=ErrorCode.UNION_NOT_FOUND)
        roots = [nodes[root_id]]
    else:
        roots = [n for n in nodes.values() if n["parent_id"] not in nodes]
    members = await member_counts(session, list(nodes)) if as_of is None else None

    def build(node: dict[str, Any], level: int) -> TreeNode:
        children = sorted(node["children"], key=lambda c: (c["name"], c["code"]))
        return TreeNode(
            **{k: v for k, v in node.items() if k != "children"},
            child_count=len(children),
            member_count=(members or {}).get(node["id"]) if members is not None else None,
            children=[build(c, level + 1) for c in children] if level < depth else [],
        )

    roots.sort(key=lambda n: (n["name"], n["code"]))
    return UnionTree(as_of=day, depth=depth, roots=[build(r, 1) for r in roots])
