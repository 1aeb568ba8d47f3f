"""What the province reads: for one year, the units under a union in the tree of that year's
end, how many were eligible, rated, at each level and "strong", state against non-state.

Definitions (each a count of units, a unit being rated once a year):
- eligible: in a round and not listed as ineligible; the denominator of every share;
- rated: approved or published (a level is final);
- strong: rated at a level that counts as strong: the programme's decision for the scheme
  (`Basis`, given by `programmes.evaluation_summary`), else the scheme's own mapping;
- strong_share: strong / eligible, to 4 decimals (a unit not yet rated counts as not strong).
"""

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Unprocessable
from unionhub.evaluations import repository as repo
from unionhub.evaluations.models import EvaluationStatus
from unionhub.evaluations.schemas import (
    GroupBy,
    Summary,
    SummaryProgramme,
    SummaryRow,
    SummaryYears,
    YearFigures,
)
from unionhub.unions.models import Sector, Union

# Programme 05: >= 95% of upper-level and state-sector units, >= 65% of non-state units strong.
TARGETS = {Sector.STATE.value: Decimal("0.95"), Sector.NON_STATE.value: Decimal("0.65")}
MAX_YEARS = 30
RATED = (EvaluationStatus.APPROVED.value, EvaluationStatus.PUBLISHED.value)


@dataclass(frozen=True)
class Basis:
    """What "strong" means and what it is measured against: a programme's decision of which
    levels count, per scheme code, and its targets per sector (none: the schemes' own mapping
    and the programme 05 targets)."""

    strong_levels: Mapping[str, Sequence[str]] = field(default_factory=dict)
    targets: Mapping[str, Decimal] = field(default_factory=lambda: dict(TARGETS))
    programme: SummaryProgramme | None = None


DEFAULT = Basis()


@dataclass
class _Tally:
    key: str
    name: str
    eligible: int = 0
    ineligible: int = 0
    rated: int = 0
    strong: int = 0
    levels: Counter[str] = field(default_factory=Counter)

    def add(self, status: str, level: str | None, strong: bool, units: int = 1) -> None:
        if status == EvaluationStatus.INELIGIBLE.value:
            self.ineligible += units
            return
        self.eligible += units
        if status in RATED and level is not None:
            self.rated += units
            self.levels[level] += units
            self.strong += units if strong else 0

    def row(self) -> SummaryRow:
        share = (
            (Decimal(self.strong) / Decimal(self.eligible)).quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            )
            if self.eligible
            else None
        )
        return SummaryRow(
            key=self.key,
            name=self.name,
            eligible=self.eligible,
            ineligible=self.ineligible,
            rated=self.rated,
            levels=dict(sorted(self.levels.items())),
            strong=self.strong,
            strong_share=share,
        )


async def summary(
    session: AsyncSession,
    principal: Principal,
    year: int,
    root: Union,
    group_by: GroupBy | None,
    basis: Basis = DEFAULT,
) -> Summary:
    """The year's figures for the units under `root` (from `root_union`)."""
    return await _year(session, principal, year, root.id, group_by, basis)


async def root_union(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID | None
) -> Union:
    """The union summarised: `union_id`, by default the union of the caller's first role; 404
    outside the caller's scope."""
    if union_id is None:
        if not principal.assignments:
            raise Unprocessable(
                "union_id", ErrorCode.REQUIRED, "Name the union to summarise.", in_="query"
            )
        union_id = principal.assignments[0].union_id
    return await get_union_in_scope(session, principal, union_id, Permission.EVALUATIONS_READ)


async def summary_years(
    session: AsyncSession,
    principal: Principal,
    from_year: int,
    to_year: int | None,
    root: Union,
    bases: Mapping[int, Basis] | None = None,
) -> SummaryYears:
    """`summary` without groups for each year from `from_year` to `to_year` (default: this
    year), each by the tree of that year and the basis of that year (`bases`, default the
    schemes' own mapping)."""
    last = years_to(to_year)
    if last < from_year or last - from_year >= MAX_YEARS:
        raise Unprocessable(
            "to_year",
            ErrorCode.YEAR_RANGE,
            f"to_year must be from from_year to {MAX_YEARS - 1} years after it.",
            in_="query",
            params={"from_year": from_year, "to_year": last, "max": MAX_YEARS - 1},
        )
    years = list(range(from_year, last + 1))
    rows = await repo.summary_counts_years(session, principal, years, root.id)
    of_year = {y: (bases or {}).get(y, DEFAULT) for y in years}
    schemes = await repo.scheme_strong_levels(session, {r.scheme_id for r in rows})
    tallies = {y: {k: _Tally(k, k) for k in ("total", *(s.value for s in Sector))} for y in years}
    for year, sector, status, level, scheme_id, units in rows:
        strong = level is not None and level in _strong(schemes[scheme_id], of_year[year])
        tallies[year]["total"].add(status, level, strong, units)
        tallies[year][sector].add(status, level, strong, units)
    return SummaryYears(
        union_id=root.id,
        targets=of_year[last].targets,
        years=[
            YearFigures(
                year=y,
                targets=of_year[y].targets,
                programme=of_year[y].programme,
                total=t["total"].row(),
                state=t[Sector.STATE.value].row(),
                non_state=t[Sector.NON_STATE.value].row(),
            )
            for y, t in tallies.items()
        ],
    )


def years_to(to_year: int | None) -> int:
    """The last year of a range (default: this year)."""
    return to_year if to_year is not None else date.today().year


def _strong(scheme: tuple[str, list[str]], basis: Basis) -> set[str]:
    """The levels that count as strong for a scheme under a basis."""
    code, own = scheme
    return set(basis.strong_levels.get(code) or own)


async def _year(
    session: AsyncSession,
    principal: Principal,
    year: int,
    root_id: uuid.UUID,
    group_by: GroupBy | None,
    basis: Basis,
) -> Summary:
    as_of = date(year, 12, 31)
    rows = await repo.summary_counts(session, principal, year, root_id, as_of)
    schemes = await repo.scheme_strong_levels(session, {r.scheme_id for r in rows})
    groups: dict[str, _Tally] = {}
    if group_by == "child":
        for child_id, child_name in await repo.children_as_of(session, root_id, as_of):
            groups[str(child_id)] = _Tally(str(child_id), child_name)
    total = _Tally("total", "total")
    sectors = {s.value: _Tally(s.value, s.value) for s in Sector}
    for sector, kind, status, level, scheme_id, under, units in rows:
        strong = level is not None and level in _strong(schemes[scheme_id], basis)
        total.add(status, level, strong, units)
        sectors[sector].add(status, level, strong, units)
        child = str(under) if under else None
        key = {"child": child, "sector": sector, "kind": kind}.get(group_by or "")
        if key is not None:
            groups.setdefault(key, _Tally(key, key)).add(status, level, strong, units)
    return Summary(
        year=year,
        union_id=root_id,
        as_of=as_of,
        group_by=group_by,
        total=total.row(),
        state=sectors[Sector.STATE.value].row(),
        non_state=sectors[Sector.NON_STATE.value].row(),
        targets=basis.targets,
        programme=basis.programme,
        groups=[g.row() for g in sorted(groups.values(), key=lambda g: g.name)],
    )
