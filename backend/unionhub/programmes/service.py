"""Programmes, their targets and allocations: the rules of every write (flush only)."""

import uuid
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode as E
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable, quoted
from unionhub.core.etag import check_version
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.indicators import service as indicators
from unionhub.programmes import repository as repo
from unionhub.programmes.models import (
    AllocationMethod,
    Programme,
    ProgrammeTarget,
    TargetAllocation,
)
from unionhub.programmes.schemas import (
    AllocationCreate,
    AllocationHandover,
    AllocationRead,
    AllocationUpdate,
    ProgrammeCreate,
    ProgrammeDetail,
    ProgrammeRead,
    ProgrammeUpdate,
    ProportionalAllocation,
    TargetCreate,
    TargetRead,
    TargetUpdate,
)
from unionhub.unions.models import Union

W = Permission.PROGRAMMES_WRITE


async def load(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> tuple[Programme, str]:
    found = await repo.get_programme(session, principal, programme_id, for_update=for_update)
    if found is None:
        raise NotFound("No programme with this id.", code=E.PROGRAMME_NOT_FOUND)
    return found


async def _owner_for_write(
    session: AsyncSession, principal: Principal, programme: Programme
) -> Union:
    """The owning union, if the caller may change its programmes (a programme seen from below,
    e.g. the province's by a district, answers 403)."""
    try:
        return await get_union_in_scope(session, principal, programme.union_id, W)
    except NotFound as exc:
        raise Forbidden(
            "Only the union that owns a programme changes it.", code=E.PERMISSION_DENIED
        ) from exc


async def detail(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID
) -> ProgrammeDetail:
    programme, name = await load(session, principal, programme_id)
    return await _detail(session, programme, name)


async def _detail(session: AsyncSession, programme: Programme, name: str) -> ProgrammeDetail:
    targets = await repo.targets_of(session, programme.id)
    allocations = await repo.allocations_of(session, programme.id)
    return ProgrammeDetail(
        **ProgrammeRead.model_validate({**snapshot(programme), "union_name": name}).model_dump(),
        targets=[TargetRead.model_validate(t) for t in targets],
        allocations=[_allocation(a, n) for a, n in allocations],
    )


def _allocation(a: TargetAllocation, name: str) -> AllocationRead:
    return AllocationRead.model_validate({**snapshot(a), "union_name": name})


def _target(programme: Programme, data: TargetCreate) -> ProgrammeTarget:
    return ProgrammeTarget(
        programme_id=programme.id,
        position=data.position,
        title=data.title,
        indicator_key=str(data.indicator_key),
        kind=data.kind.value,
        target_value=data.target_value,
        baseline=data.baseline,
        parameters=data.parameters.model_dump(exclude_none=True),
        version=1,
    )


async def _check_strong_levels(session: AsyncSession, mapping: dict[str, list[str]]) -> None:
    """Each scheme code named exists and each level is one of its levels (in any version)."""
    for code, levels in mapping.items():
        known = await repo.scheme_levels(session, code)
        if not known:
            raise Unprocessable(
                f"strong_levels.{code}",
                E.SCHEME_NOT_FOUND,
                f"No evaluation scheme has the code {code}.",
                params={"value": quoted(code)},
            )
        for level in levels:
            if level not in known:
                raise Unprocessable(
                    f"strong_levels.{code}",
                    E.UNKNOWN_SCHEME_LEVEL,
                    f"The scheme {code} has no level {level}.",
                    params={"value": quoted(level), "scheme": code},
                )


async def create_programme(
    session: AsyncSession, principal: Principal, data: ProgrammeCreate
) -> ProgrammeDetail:
    """Add a programme (or congress resolution) of a union with its targets."""
    owner = await get_union_in_scope(session, principal, data.union_id, W)
    if await repo.number_taken(session, owner.id, data.number):
        raise Conflict(
            "This union already has a programme with this number.",
            code=E.PROGRAMME_NUMBER_TAKEN,
            params={"value": data.number},
        )
    await _check_strong_levels(session, data.strong_levels)
    programme = Programme(
        union_id=owner.id,
        number=data.number,
        title=data.title,
        legal_basis=data.legal_basis,
        term_start=data.term_start,
        planned_end=data.planned_end,
        actual_end=data.actual_end,
        end_reason=data.end_reason,
        strong_levels=data.strong_levels,
        version=1,
    )
    session.add(programme)
    await session.flush()
    for target in data.targets:
        session.add(_target(programme, target))
    await session.flush()
    await audit.record(
        session,
        principal,
        "programme.create",
        "programme",
        programme.id,
        union_id=owner.id,
        after={**snapshot(programme), "targets": [t.model_dump(mode="json") for t in data.targets]},
    )
    return await _detail(session, programme, owner.name)


async def update_programme(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    data: ProgrammeUpdate,
    if_match: int | None,
) -> ProgrammeDetail:
    """Edit a programme (If-Match); ending a term early sets `actual_end` with its reason."""
    programme, name = await load(session, principal, programme_id, for_update=True)
    owner = await _owner_for_write(session, principal, programme)
    check_version(programme, if_match, "programme")
    changes = data.model_dump(exclude_unset=True)
    before = snapshot(programme)
    if "number" in changes and await repo.number_taken(
        session, owner.id, changes["number"], programme.id
    ):
        raise Conflict(
            "This union already has a programme with this number.",
            code=E.PROGRAMME_NUMBER_TAKEN,
            params={"value": changes["number"]},
        )
    if changes.get("strong_levels") is not None:
        await _check_strong_levels(session, changes["strong_levels"])
    for key, value in changes.items():
        setattr(programme, key, value)
    if programme.planned_end <= programme.term_start:
        raise Unprocessable(
            "planned_end",
            E.BEFORE_TERM_START,
            "The term must end after it starts.",
            params={"earliest": programme.term_start},
        )
    if programme.actual_end is not None and programme.actual_end < programme.term_start:
        raise Unprocessable(
            "actual_end",
            E.BEFORE_TERM_START,
            "The term cannot end before it starts.",
            params={"earliest": programme.term_start},
        )
    programme.version += 1
    await session.flush()
    await session.refresh(programme)
    await audit.record(
        session,
        principal,
        "programme.update",
        "programme",
        programme.id,
        union_id=owner.id,
        before=before,
        after=snapshot(programme),
    )
    return await _detail(session, programme, name)


async def delete_programme(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, if_match: int | None
) -> None:
    programme, _ = await load(session, principal, programme_id, for_update=True)
    owner = await _owner_for_write(session, principal, programme)
    check_version(programme, if_match, "programme")
    before = snapshot(programme)
    await session.delete(programme)
    await session.flush()
    await audit.record(
        session,
        principal,
        "programme.delete",
        "programme",
        programme_id,
        union_id=owner.id,
        before=before,
    )


async def add_target(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, data: TargetCreate
) -> TargetRead:
    programme, _ = await load(session, principal, programme_id, for_update=True)
    owner = await _owner_for_write(session, principal, programme)
    target = _target(programme, data)
    session.add(target)
    await session.flush()
    await session.refresh(target)
    await audit.record(
        session,
        principal,
        "programme_target.create",
        "programme_target",
        target.id,
        union_id=owner.id,
        after=snapshot(target),
    )
    return TargetRead.model_validate(target)


async def _target_for_write(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, target_id: uuid.UUID
) -> tuple[Programme, Union, ProgrammeTarget]:
    programme, _ = await load(session, principal, programme_id, for_update=True)
    owner = await _owner_for_write(session, principal, programme)
    target = await repo.target_of(session, programme.id, target_id)
    if target is None:
        raise NotFound("No target with this id in the programme.", code=E.TARGET_NOT_FOUND)
    return programme, owner, target


async def update_target(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    target_id: uuid.UUID,
    data: TargetUpdate,
    if_match: int | None,
) -> TargetRead:
    _, owner, target = await _target_for_write(session, principal, programme_id, target_id)
    check_version(target, if_match, "target")
    before = snapshot(target)
    for key, value in data.model_dump(exclude_unset=True).items():
        if key == "parameters":
            value = {k: v for k, v in value.items() if v is not None}
        setattr(target, key, value)
    target.version += 1
    await session.flush()
    await session.refresh(target)
    await audit.record(
        session,
        principal,
        "programme_target.update",
        "programme_target",
        target.id,
        union_id=owner.id,
        before=before,
        after=snapshot(target),
    )
    return TargetRead.model_validate(target)


async def delete_target(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    target_id: uuid.UUID,
    if_match: int | None,
) -> None:
    _, owner, target = await _target_for_write(session, principal, programme_id, target_id)
    check_version(target, if_match, "target")
    before = snapshot(target)
    await session.delete(target)
    await session.flush()
    await audit.record(
        session,
        principal,
        "programme_target.delete",
        "programme_target",
        target_id,
        union_id=owner.id,
        before=before,
    )


async def _child_of(
    session: AsyncSession, owner: Union, union_id: uuid.UUID, day: date, field: str
) -> str:
    """The child's name then; 422 unless it was a direct child of the owner on `day`."""
    for child_id, name in await repo.children_on(session, owner.id, day):
        if child_id == union_id:
            return name
    raise Unprocessable(
        field,
        E.NOT_A_CHILD,
        f"The union was not directly under {owner.name} on {day.strftime('%d/%m/%Y')}.",
        params={"union": owner.name, "date": day},
    )


async def add_allocation(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    target_id: uuid.UUID,
    data: AllocationCreate,
) -> AllocationRead:
    """Allocate part of a target to a child union by hand (closes the child's open one)."""
    programme, owner, target = await _target_for_write(session, principal, programme_id, target_id)
    start = data.valid_from or programme.term_start
    name = await _child_of(session, owner, data.union_id, start, "union_id")
    await _close_open(session, target.id, data.union_id, start)
    allocation = TargetAllocation(
        target_id=target.id,
        union_id=data.union_id,
        value=data.value,
        method=AllocationMethod.MANUAL.value,
        valid_from=start,
        note=data.note,
        version=1,
    )
    session.add(allocation)
    await session.flush()
    await session.refresh(allocation)
    await audit.record(
        session,
        principal,
        "target_allocation.create",
        "target_allocation",
        allocation.id,
        union_id=owner.id,
        after=snapshot(allocation),
    )
    return _allocation(allocation, name)


async def _close_open(
    session: AsyncSession, target_id: uuid.UUID, union_id: uuid.UUID | None, day: date
) -> None:
    """End the open allocations of a target (of one child, or all) on `day`; one that starts
    that day is replaced, not closed."""
    for allocation, _ in await repo.allocations_of_target(session, target_id):
        if allocation.valid_to is not None or (union_id and allocation.union_id != union_id):
            continue
        if allocation.valid_from >= day:
            await session.delete(allocation)
        else:
            allocation.valid_to = day
            allocation.version += 1
    await session.flush()


def split(total: Decimal, bases: dict[uuid.UUID, int]) -> dict[uuid.UUID, Decimal]:
    """`total` in proportion to `bases`, in whole units, the remainders going to the largest
    fractions (so the parts add up to the total)."""
    whole = sum(bases.values())
    if not whole:
        return dict.fromkeys(bases, Decimal(0))
    exact = {k: total * Decimal(v) / Decimal(whole) for k, v in bases.items()}
    parts = {k: v.to_integral_value(rounding=ROUND_DOWN) for k, v in exact.items()}
    left = int(total.to_integral_value(rounding=ROUND_DOWN) - sum(parts.values()))
    for k in sorted(exact, key=lambda k: (exact[k] - parts[k], bases[k]), reverse=True)[:left]:
        parts[k] += 1
    return parts


async def allocate_proportionally(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    target_id: uuid.UUID,
    data: ProportionalAllocation,
) -> list[AllocationRead]:
    """Allocate a target to every child of the owner in proportion to a base counted from the
    records on a day (members, or enterprises with N+ workers); adjust afterwards by hand."""
    programme, owner, target = await _target_for_write(session, principal, programme_id, target_id)
    day = data.as_of or programme.term_start
    key, permission_key = (
        ("members_total", "members_total")
        if data.base == "members"
        else ("enterprises_with_union", "enterprises_with_union")
    )
    indicator = indicators.indicator_of(permission_key)
    ask = indicators.make_ask(
        indicator, owner.id, day, None, None, {k: int(v) for k, v in target.parameters.items()}
    )
    value = await indicators.compute(session, principal, ask, owner, "child")
    counted: dict[str, int] = {
        g.key: (g.numerator if key == "members_total" else int(g.denominator or 0))
        for g in value.groups
    }
    children = await repo.children_on(session, owner.id, day)
    bases = {child_id: counted.get(str(child_id), 0) for child_id, _ in children}
    parts = split(Decimal(target.target_value), bases)
    await _close_open(session, target.id, None, day)
    out = []
    for child_id, name in children:
        allocation = TargetAllocation(
            target_id=target.id,
            union_id=child_id,
            value=parts[child_id],
            method=AllocationMethod.PROPORTIONAL.value,
            base_value=Decimal(bases[child_id]),
            valid_from=day,
            note=f"{data.base} {day.isoformat()}",
            version=1,
        )
        session.add(allocation)
        await session.flush()
        await session.refresh(allocation)
        out.append(_allocation(allocation, name))
    await audit.record(
        session,
        principal,
        "target_allocation.proportional",
        "programme_target",
        target.id,
        union_id=owner.id,
        after={"base": data.base, "as_of": day, "parts": {str(k): v for k, v in parts.items()}},
    )
    return out


async def _allocation_for_write(
    session: AsyncSession, principal: Principal, programme_id: uuid.UUID, allocation_id: uuid.UUID
) -> tuple[Programme, Union, TargetAllocation]:
    programme, _ = await load(session, principal, programme_id, for_update=True)
    owner = await _owner_for_write(session, principal, programme)
    allocation = await repo.allocation_of(session, programme.id, allocation_id)
    if allocation is None:
        raise NotFound("No allocation with this id in the programme.", code=E.ALLOCATION_NOT_FOUND)
    return programme, owner, allocation


async def update_allocation(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    allocation_id: uuid.UUID,
    data: AllocationUpdate,
    if_match: int | None,
) -> AllocationRead:
    """Adjust an allocation's value or note (If-Match)."""
    _, owner, allocation = await _allocation_for_write(
        session, principal, programme_id, allocation_id
    )
    check_version(allocation, if_match, "allocation")
    before = snapshot(allocation)
    for key, value in data.model_dump(exclude_unset=True).items():
        setattr(allocation, key, value)
    allocation.version += 1
    await session.flush()
    await session.refresh(allocation)
    await audit.record(
        session,
        principal,
        "target_allocation.update",
        "target_allocation",
        allocation.id,
        union_id=owner.id,
        before=before,
        after=snapshot(allocation),
    )
    return _allocation(allocation, await repo.union_name(session, allocation.union_id))


async def delete_allocation(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    allocation_id: uuid.UUID,
    if_match: int | None,
) -> None:
    """Remove an open allocation given by mistake (If-Match). A closed one (handed over on a
    reorganisation) is part of the record: it stays (409)."""
    _, owner, allocation = await _allocation_for_write(
        session, principal, programme_id, allocation_id
    )
    check_version(allocation, if_match, "allocation")
    if allocation.valid_to is not None:
        raise Conflict(
            "A closed allocation is part of the record; it is not removed.",
            code=E.ALLOCATION_CLOSED,
            params={"ended": allocation.valid_to},
        )
    before = snapshot(allocation)
    await session.delete(allocation)
    await session.flush()
    await audit.record(
        session,
        principal,
        "target_allocation.delete",
        "target_allocation",
        allocation_id,
        union_id=owner.id,
        before=before,
    )


async def hand_over(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    allocation_id: uuid.UUID,
    data: AllocationHandover,
    if_match: int | None,
) -> list[AllocationRead]:
    """Close an allocation on a reorganisation and hand it to successors (each a child of the
    owner that day), recorded with the note; no successors: only closed."""
    _, owner, allocation = await _allocation_for_write(
        session, principal, programme_id, allocation_id
    )
    check_version(allocation, if_match, "allocation")
    if allocation.valid_to is not None:
        raise Conflict(
            "This allocation is already closed.",
            code=E.ALLOCATION_CLOSED,
            params={"ended": allocation.valid_to},
        )
    day = data.effective_date
    if day <= allocation.valid_from:
        raise Unprocessable(
            "effective_date",
            E.BEFORE_ALLOCATION,
            "The hand-over must come after the allocation starts.",
            params={"earliest": allocation.valid_from},
        )
    names: dict[uuid.UUID, str] = {}
    for i, successor in enumerate(data.successors):
        names[successor.union_id] = await _child_of(
            session, owner, successor.union_id, day, f"successors.{i}.union_id"
        )
    before = snapshot(allocation)
    allocation.valid_to = day
    allocation.version += 1
    out = []
    for successor in data.successors:
        await _close_open(session, allocation.target_id, successor.union_id, day)
        taken = TargetAllocation(
            target_id=allocation.target_id,
            union_id=successor.union_id,
            value=successor.value,
            method=AllocationMethod.HANDOVER.value,
            valid_from=day,
            handed_from_id=allocation.id,
            note=data.note,
            version=1,
        )
        session.add(taken)
        await session.flush()
        await session.refresh(taken)
        out.append(_allocation(taken, names[successor.union_id]))
    await session.flush()
    await session.refresh(allocation)
    await audit.record(
        session,
        principal,
        "target_allocation.hand_over",
        "target_allocation",
        allocation.id,
        union_id=owner.id,
        before=before,
        after={**snapshot(allocation), "successors": [a.model_dump(mode="json") for a in out]},
    )
    return out


async def list_programmes(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID | None, page: PageParams
) -> Page[ProgrammeRead]:
    """Programmes the caller can see (their subtree's, and those of the unions above them)."""

    def to_items(rows: list[Any]) -> list[ProgrammeRead]:
        return [ProgrammeRead.model_validate({**snapshot(r[0]), "union_name": r[1]}) for r in rows]

    return await paginate(session, repo.programmes_query(principal, union_id), page, to_items)
