"""The evaluations summary read against a programme: which levels count as "vững mạnh" is a
decision of the provincial federation, kept on its programme (`Programme.strong_levels`, per
scheme code), and the shares are measured against the programme's targets for the two "strong"
indicators. The evaluations domain counts (`evaluations.summary`, given a `Basis`); this module
picks the programme and turns it into the basis.

The programme of a year is the one named (`programme_id`), else the programme of the summarised
union or of the nearest union above it whose term covers the year. Without one, each scheme's
own mapping and the programme 05 targets apply.
"""

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core.error_codes import ErrorCode as E
from unionhub.core.errors import NotFound
from unionhub.evaluations import summary as summaries
from unionhub.evaluations.schemas import GroupBy, Summary, SummaryProgramme, SummaryYears
from unionhub.programmes import repository as repo
from unionhub.programmes.models import Programme
from unionhub.unions.models import Union

# The programme targets that say what share of the units should be strong, per sector.
STRONG_TARGETS = {"cdcs_strong_state": "state", "cdcs_strong_non_state": "non_state"}


def _covers(programme: Programme, year: int) -> bool:
    end = programme.actual_end or programme.planned_end
    return programme.term_start <= date(year, 12, 31) and end >= date(year, 1, 1)


async def bases(
    session: AsyncSession,
    principal: Principal,
    root: Union,
    years: list[int],
    programme_id: uuid.UUID | None,
) -> dict[int, summaries.Basis]:
    """The basis of each year for the summary under `root` (`summaries.root_union`)."""
    if programme_id is not None:
        found = await repo.get_programme(session, principal, programme_id)
        if found is None:
            raise NotFound("No programme with this id.", code=E.PROGRAMME_NOT_FOUND)
        candidates = [found[0]]
    else:
        candidates = await repo.programmes_above(session, principal, root.path)
    targets = await repo.target_values(session, [p.id for p in candidates], list(STRONG_TARGETS))
    out: dict[int, summaries.Basis] = {}
    for year in years:
        chosen = (
            candidates[0]
            if programme_id is not None
            else next((p for p in candidates if _covers(p, year)), None)
        )
        if chosen is None:
            out[year] = summaries.DEFAULT
            continue
        own = {STRONG_TARGETS[k]: v for k, v in targets.get(chosen.id, {}).items()}
        out[year] = summaries.Basis(
            strong_levels=chosen.strong_levels,
            targets={**summaries.TARGETS, **own},
            programme=SummaryProgramme(id=chosen.id, number=chosen.number, title=chosen.title),
        )
    return out


async def summary(
    session: AsyncSession,
    principal: Principal,
    year: int,
    union_id: uuid.UUID | None,
    group_by: GroupBy | None,
    programme_id: uuid.UUID | None,
) -> Summary:
    root = await summaries.root_union(session, principal, union_id)
    basis = (await bases(session, principal, root, [year], programme_id))[year]
    return await summaries.summary(session, principal, year, root, group_by, basis)


async def summary_years(
    session: AsyncSession,
    principal: Principal,
    from_year: int,
    to_year: int | None,
    union_id: uuid.UUID | None,
    programme_id: uuid.UUID | None,
) -> SummaryYears:
    years = list(range(from_year, max(from_year, summaries.years_to(to_year)) + 1))
    root = await summaries.root_union(session, principal, union_id)
    of_year = await bases(session, principal, root, years, programme_id)
    return await summaries.summary_years(session, principal, from_year, to_year, root, of_year)
