"""What the records say about a unit in a round's period, for the indicators and the hard
conditions that name a source: membership coverage (members / workers of the enterprise's
latest survey), new members admitted, unions founded under it.

A suggestion is a score computed from a reading (`suggested_points`); a `data_below` condition
is answered by a reading where it has a value (`condition_answers`), and by the unit and the
appraiser where it has none (no worker survey).
"""

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.evaluations import repository as repo
from unionhub.evaluations.definition import (
    Condition,
    Indicator,
    SchemeDefinition,
    Source,
    Variant,
    q2,
)


@dataclass(frozen=True)
class Reading:
    source: Source
    # None when the records cannot say (coverage without a worker survey).
    value: Decimal | None
    # What the value is made of, for the screen to put in words: counts and ISO dates.
    facts: dict[str, int | str] = field(default_factory=dict)
    detail: str = ""


def _q4(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"))


async def read(
    session: AsyncSession, source: Source, union_id: uuid.UUID, start: date, end: date
) -> Reading:
    if source == Source.MEMBERSHIP_COVERAGE:
        members = await repo.members_on(session, union_id, end)
        enterprise_id = await repo.enterprise_of(session, union_id)
        survey = await repo.workers_on(session, enterprise_id, end) if enterprise_id else None
        if survey is None or survey[0] == 0:
            return Reading(
                source,
                None,
                {"members": members, "on": end.isoformat()},
                f"{members} members; no worker survey on or before {end.isoformat()}",
            )
        workers, surveyed_on = survey
        return Reading(
            source,
            _q4(Decimal(members) / Decimal(workers)),
            {"members": members, "workers": workers, "surveyed_on": surveyed_on.isoformat()},
            f"{members} members of {workers} workers (survey of {surveyed_on.isoformat()})",
        )
    if source == Source.NEW_MEMBERS:
        admitted = await repo.admissions_between(session, union_id, start, end)
        return Reading(
            source,
            _q4(Decimal(admitted)),
            {"count": admitted, "from": start.isoformat(), "to": end.isoformat()},
            f"{admitted} new members admitted from {start.isoformat()} to {end.isoformat()}",
        )
    founded = await repo.unions_founded_between(session, union_id, start, end)
    return Reading(
        source,
        _q4(Decimal(founded)),
        {"count": founded, "from": start.isoformat(), "to": end.isoformat()},
        f"{founded} unions founded under the unit from {start.isoformat()} to {end.isoformat()}",
    )


def sources_of(scheme: SchemeDefinition, variant: Variant) -> set[Source]:
    """The sources a unit rated by `variant` needs read: its indicators' and the conditions'."""
    wanted = {i.source for i in variant.indicators() if i.source is not None}
    wanted |= {c.source for c in scheme.conditions if c.source is not None}
    return wanted


async def readings(
    session: AsyncSession,
    scheme: SchemeDefinition,
    variant: Variant,
    union_id: uuid.UUID,
    start: date,
    end: date,
) -> dict[Source, Reading]:
    """Each source the unit's rules need, read once."""
    return {
        source: await read(session, source, union_id, start, end)
        for source in sorted(sources_of(scheme, variant))
    }


def suggested_points(indicator: Indicator, reading: Reading) -> Decimal | None:
    """Full points at the indicator's target value, in proportion below it."""
    if reading.value is None or indicator.source_target is None:
        return None
    return q2(indicator.max_points * min(Decimal(1), reading.value / indicator.source_target))


def holds(condition: Condition, reading: Reading | None) -> bool | None:
    """Whether a `data_below` condition holds by the records; None where they cannot say."""
    if reading is None or reading.value is None or condition.threshold is None:
        return None
    return reading.value < condition.threshold


def condition_answers(scheme: SchemeDefinition, found: dict[Source, Reading]) -> dict[str, bool]:
    """The answers the records give to the scheme's `data_below` conditions (only those they
    can answer): they take the place of the answers entered."""
    out: dict[str, bool] = {}
    for condition in scheme.conditions:
        if condition.kind != "data_below" or condition.source is None:
            continue
        answer = holds(condition, found.get(condition.source))
        if answer is not None:
            out[condition.code] = answer
    return out
