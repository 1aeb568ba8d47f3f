"""Every statement of the programmes domain, built on the scope helper."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.authz.scope import ancestor_ids, live_on, scoped_union_ids, unscoped
from unionhub.core.pagination import AnySelect
from unionhub.evaluations.models import EvaluationScheme
from unionhub.programmes.models import Programme, ProgrammeTarget, TargetAllocation
from unionhub.unions.models import Union, UnionPeriod, UnionStatus


def visible(principal: Principal) -> Any:
    """Programmes of a union in the caller's scope, or of a union above the caller's own:
    a district reads the province's programme whose targets it was allocated."""
    if principal.is_admin:
        return true()
    above = [Programme.union_id.in_(ancestor_ids(a.union_path)) for a in principal.assignments]
    return or_(Programme.union_id.in_(scoped_union_ids(principal)), *above)


def programmes_query(principal: Principal, union_id: uuid.UUID | None) -> AnySelect:
    stmt = (
        select(Programme, Union.name)
        .join(Union, Union.id == Programme.union_id)
        .where(visible(principal))
        .order_by(Programme.term_start.desc(), Programme.number, Programme.id)
    )
    if union_id is not None:
        stmt = stmt.where(Programme.union_id == union_id)
    return stmt


async def get_programme(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> tuple[Programme, str] | None:
    stmt = (
        select(Programme, Union.name)
        .join(Union, Union.id == Programme.union_id)
        .where(Programme.id == programme_id, visible(principal))
    )
    if for_update:
        stmt = stmt.with_for_update(of=Programme)
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1]) if row else None


async def scheme_levels(session: AsyncSession, code: str) -> set[str]:
    """The level codes of every version of the evaluation scheme `code` (empty: no scheme)."""
    stmt = select(EvaluationScheme.definition["levels"]).where(EvaluationScheme.code == code)
    return {level["code"] for levels in (await session.scalars(stmt)).all() for level in levels}


async def number_taken(
    session: AsyncSession, union_id: uuid.UUID, number: str, exclude: uuid.UUID | None = None
) -> bool:
    stmt = select(Programme.id).where(Programme.union_id == union_id, Programme.number == number)
    if exclude is not None:
        stmt = stmt.where(Programme.id != exclude)
    return (await session.scalar(stmt.limit(1))) is not None


async def targets_of(session: AsyncSession, programme_id: uuid.UUID) -> list[ProgrammeTarget]:
    stmt = (
        select(ProgrammeTarget)
        .where(ProgrammeTarget.programme_id == programme_id)
        .order_by(ProgrammeTarget.position, ProgrammeTarget.created_at, ProgrammeTarget.id)
    )
    return list((await session.scalars(stmt)).all())


async def allocations_of(
    session: AsyncSession, programme_id: uuid.UUID
) -> list[tuple[TargetAllocation, str]]:
    stmt = (
        select(TargetAllocation, Union.name)
        .join(ProgrammeTarget, ProgrammeTarget.id == TargetAllocation.target_id)
        .join(Union, Union.id == TargetAllocation.union_id)
        .where(ProgrammeTarget.programme_id == programme_id)
        .order_by(TargetAllocation.target_id, Union.name, TargetAllocation.valid_from)
    )
    return [(r[0], r[1]) for r in (await session.execute(stmt)).all()]


async def target_of(
    session: AsyncSession, programme_id: uuid.UUID, target_id: uuid.UUID
) -> ProgrammeTarget | None:
    stmt = select(ProgrammeTarget).where(
        ProgrammeTarget.id == target_id, ProgrammeTarget.programme_id == programme_id
    )
    return await session.scalar(stmt)


async def allocation_of(
    session: AsyncSession, programme_id: uuid.UUID, allocation_id: uuid.UUID
) -> TargetAllocation | None:
    stmt = (
        select(TargetAllocation)
        .join(ProgrammeTarget, ProgrammeTarget.id == TargetAllocation.target_id)
        .where(TargetAllocation.id == allocation_id, ProgrammeTarget.programme_id == programme_id)
    )
    return await session.scalar(stmt)


async def children_on(
    session: AsyncSession, union_id: uuid.UUID, day: date
) -> list[tuple[uuid.UUID, str]]:
    """The direct active children of a union in the tree of `day`, with their names then (a
    merged union keeps its last parent, with status merged: it is no longer a child)."""
    stmt = (
        select(UnionPeriod.union_id, UnionPeriod.name)
        .where(
            UnionPeriod.parent_id == union_id,
            UnionPeriod.status == UnionStatus.ACTIVE.value,
            live_on(UnionPeriod, day),
        )
        .order_by(UnionPeriod.name)
    )
    return [(r[0], r[1]) for r in (await session.execute(stmt)).all()]


async def union_name(session: AsyncSession, union_id: uuid.UUID) -> str:
    stmt = unscoped(
        select(Union.name).where(Union.id == union_id),
        reason="the name of a union a programme row (read through the scope) points at",
    )
    return str(await session.scalar(stmt) or "")


async def allocations_of_target(
    session: AsyncSession, target_id: uuid.UUID
) -> list[tuple[TargetAllocation, uuid.UUID]]:
    stmt = select(TargetAllocation, TargetAllocation.union_id).where(
        TargetAllocation.target_id == target_id
    )
    return [(r[0], r[1]) for r in (await session.execute(stmt)).all()]


async def programmes_above(
    session: AsyncSession, principal: Principal, path: str
) -> list[Programme]:
    """Programmes the caller sees of the union at `path` and of the unions above it, the
    nearest union's first, then the newest term first."""
    stmt = (
        select(Programme)
        .join(Union, Union.id == Programme.union_id)
        .where(Programme.union_id.in_(ancestor_ids(path)), visible(principal))
        .order_by(func.nlevel(Union.path).desc(), Programme.term_start.desc(), Programme.id)
    )
    return list((await session.scalars(stmt)).all())


async def target_values(
    session: AsyncSession, programme_ids: list[uuid.UUID], keys: list[str]
) -> dict[uuid.UUID, dict[str, Decimal]]:
    """{programme id: {indicator key: target value}} of the programmes' targets on `keys`
    (the first by position where a programme has two)."""
    stmt = (
        select(
            ProgrammeTarget.programme_id,
            ProgrammeTarget.indicator_key,
            ProgrammeTarget.target_value,
        )
        .where(
            ProgrammeTarget.programme_id.in_(programme_ids), ProgrammeTarget.indicator_key.in_(keys)
        )
        .order_by(ProgrammeTarget.position.desc(), ProgrammeTarget.id.desc())
    )
    out: dict[uuid.UUID, dict[str, Decimal]] = {}
    for programme_id, key, value in (await session.execute(stmt)).all():
        out.setdefault(programme_id, {})[key] = Decimal(value)
    return out
