"""Strength evaluations of the demo: a published round for every year from 2018 to 2024 (the
2006 scheme for 2018, the 2019 one after), opened under the province through the evaluations
service (so eligibility comes from the tree's real history), and the 2025 round in progress.

Points are drawn per unit from its sector: state units mostly rated strong, non-state units
around the programme's 65% target. One `random.Random(seed)`: the same seed gives the same
ratings.

The 2025 round follows the province's own variant of the 2019 guidance, added as an
administrator adds a scheme (a new row, no code): the same sheet plus a hard condition the records
answer, "fewer than 70% of the enterprise's workers are members" (from the latest worker survey),
which caps the level at "hoàn thành nhiệm vụ" whatever the points; the sheets of 2025 show it.

The `cdcs` account's union also sits in a small 2026 round opened by its direct superior (the
ward union the `mytho` account runs): every other unit of it approved, its own self-assessment
not started, so one officer can walk the whole cycle to a published round.
"""

import random
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from unionhub.authz import scope
from unionhub.evaluations import repository as evaluation_repo
from unionhub.evaluations import sources
from unionhub.evaluations.definition import SchemeDefinition, Variant, VariantKind, q2, rate
from unionhub.evaluations.history import transition
from unionhub.evaluations.models import (
    Evaluation,
    EvaluationAction,
    EvaluationRound,
    EvaluationScheme,
    EvaluationStatus,
    RoundStatus,
)
from unionhub.evaluations.rounds import create_scheme, definition_of, open_round
from unionhub.evaluations.schemas import RoundCreate, SchemeCreate
from unionhub.unions.models import Union
from unionhub_dev.demo.plan import PROVINCE_CODE
from unionhub_dev.demo.run import Run

PUBLISHED_YEARS = range(2018, 2025)
IN_PROGRESS_YEAR = 2025
SHOWCASE_YEAR = 2026
# How likely a unit is rated strong, by sector (rising a little each year): state units mostly,
# non-state ones around the programme's 65% target.
P_STRONG = {"state": 0.92, "non_state": 0.62}
YEARLY_GAIN = 0.006
PROVINCIAL_SCHEME = "HD-LDLD-2025"
COVERAGE_CONDITION: dict[str, Any] = {
    "code": "coverage_below_70",
    "name": "Dưới 70% người lao động của doanh nghiệp là đoàn viên (theo khảo sát gần nhất)",
    "kind": "data_below",
    "source": "membership_coverage",
    "threshold": "0.7",
    "cap_level": "complete",
}


def _sheet(
    scheme: SchemeDefinition, variant: str, sector: str, year: int, rng: random.Random
) -> dict[str, str]:
    """Points per indicator: a share of each maximum, drawn above or below the scheme's
    lowest strong band, with a little noise per indicator (half points, as sheets are filled)."""
    strong_from = min(b.min for b in scheme.bands if b.level in scheme.strong_levels)
    threshold = float(strong_from / scheme.max_points)
    p = P_STRONG.get(sector, P_STRONG["non_state"]) + YEARLY_GAIN * (year - 2018)
    if rng.random() < p:
        share = rng.uniform(threshold + 0.02, min(0.99, threshold + 0.25))
    else:
        share = rng.uniform(max(0.4, threshold - 0.3), threshold - 0.02)
    found = scheme.variant(VariantKind(variant))
    assert found is not None
    out: dict[str, str] = {}
    for indicator in found.indicators():
        noisy = min(1.0, max(0.0, share + rng.uniform(-0.02, 0.02)))
        points = (indicator.max_points * Decimal(str(noisy)) * 2).to_integral_value() / 2
        out[indicator.code] = str(q2(points))
    return out


async def write_evaluations(run: Run) -> None:
    s, actor = run.session, run.actor
    rng = random.Random(run.plan.seed * 31 + 5)
    province = run.union_ids[PROVINCE_CODE]
    schemes = {
        code: scheme_id
        for code, scheme_id in (
            await s.execute(select(EvaluationScheme.code, EvaluationScheme.id))
        ).all()
    }
    schemes[PROVINCIAL_SCHEME] = await _provincial_scheme(run, schemes["HD1294-TLD-2019"])
    sectors = await _sectors(run)
    counts = {"rounds": 0, "evaluations": 0}
    for year in [*PUBLISHED_YEARS, IN_PROGRESS_YEAR]:
        code = "TT01-TLD-2006" if year < 2019 else "HD1294-TLD-2019"
        if year == IN_PROGRESS_YEAR:
            code = PROVINCIAL_SCHEME
        round_ = await open_round(
            s,
            actor,
            RoundCreate(
                year=year,
                scheme_id=schemes[code],
                owner_union_id=province,
                self_assessment_deadline=date(year, 10, 31),
                appraisal_deadline=date(year, 11, 30),
            ),
        )
        scheme = definition_of(await _scheme(run, round_.scheme_id))
        evaluations = await evaluation_repo.round_evaluations(s, round_.id)
        counts["rounds"] += 1
        for e in evaluations:
            counts["evaluations"] += 1
            if e.status == EvaluationStatus.INELIGIBLE.value or e.variant is None:
                continue
            sector = sectors[e.union_id]
            if year == IN_PROGRESS_YEAR:
                await _in_progress(run, scheme, round_, e, sector, rng)
                continue
            sheet = _sheet(scheme, e.variant, sector, year, rng)
            variant = scheme.variant(VariantKind(e.variant))
            assert variant is not None
            e.self_scores = sheet
            e.appraisal_scores = sheet
            rating = rate(scheme, variant, {k: Decimal(v) for k, v in sheet.items()}, {})
            e.total_points = rating.total
            e.level = rating.level
            transition(s, actor, e, EvaluationAction.PUBLISHED, EvaluationStatus.PUBLISHED)
        if year != IN_PROGRESS_YEAR:
            round_.status = RoundStatus.PUBLISHED.value
        await s.flush()
    counts["rounds"] += 1
    counts["evaluations"] += await _showcase_round(run, schemes["HD1294-TLD-2019"], rng)
    if run.registers is not None:
        run.registers.counts.update(
            {"evaluation_rounds": counts["rounds"], "evaluations": counts["evaluations"]}
        )


async def _provincial_scheme(run: Run, base_id: object) -> uuid.UUID:
    """The province's variant of the 2019 guidance, in force from 2025: its sheet and levels,
    plus the records' hard condition on membership coverage."""
    base = await _scheme(run, base_id)
    definition = dict(base.definition)
    definition["conditions"] = [*definition.get("conditions", []), COVERAGE_CONDITION]
    scheme = await create_scheme(
        run.session,
        run.actor,
        SchemeCreate(
            code=PROVINCIAL_SCHEME,
            name="Đánh giá, xếp loại công đoàn cơ sở (hướng dẫn của LĐLĐ tỉnh)",
            legal_basis="Hướng dẫn của LĐLĐ tỉnh thực hiện Hướng dẫn 1294/HD-TLĐ (dữ liệu mẫu)",
            effective_from=date(IN_PROGRESS_YEAR, 1, 1),
            period_kind=base.period_kind,
            definition=SchemeDefinition.model_validate(definition),
        ),
    )
    return scheme.id


async def _sectors(run: Run) -> dict[object, str]:
    every_sector = scope.unscoped(
        select(Union.id, Union.sector), reason="the demo loader runs before anyone signs in"
    )
    return dict((await run.session.execute(every_sector)).all())


def _showcase_superior(run: Run) -> str:
    """The code of the showcase union's parent today (after the 2025 reorganisation)."""
    plan = run.plan
    moved = [m.new_parent for m in plan.moves if m.code == plan.showcase_grassroots]
    if moved:
        return moved[-1]
    spec = next(u for u in plan.unions if u.code == plan.showcase_grassroots)
    assert spec.parent is not None
    return spec.parent


async def _showcase_round(run: Run, scheme_id: object, rng: random.Random) -> int:
    """2026 under the showcase union's superior: all approved but the showcase union's own."""
    s, actor = run.session, run.actor
    round_ = await open_round(
        s,
        actor,
        RoundCreate(
            year=SHOWCASE_YEAR,
            scheme_id=scheme_id,
            owner_union_id=run.union_ids[_showcase_superior(run)],
            self_assessment_deadline=date(SHOWCASE_YEAR, 12, 15),
            appraisal_deadline=date(SHOWCASE_YEAR, 12, 31),
        ),
    )
    scheme = definition_of(await _scheme(run, round_.scheme_id))
    showcase = run.union_ids[run.plan.showcase_grassroots]
    sectors = await _sectors(run)
    evaluations = await evaluation_repo.round_evaluations(s, round_.id)
    for e in evaluations:
        if e.union_id == showcase or e.variant is None:
            continue
        if e.status == EvaluationStatus.INELIGIBLE.value:
            continue
        sheet = _sheet(scheme, e.variant, sectors[e.union_id], SHOWCASE_YEAR, rng)
        variant = scheme.variant(VariantKind(e.variant))
        assert variant is not None
        e.self_scores = sheet
        transition(s, actor, e, EvaluationAction.SUBMITTED, EvaluationStatus.SUBMITTED)
        e.appraisal_scores = sheet
        rating = rate(scheme, variant, {k: Decimal(v) for k, v in sheet.items()}, {})
        e.total_points = rating.total
        e.level = rating.level
        transition(s, actor, e, EvaluationAction.APPROVED, EvaluationStatus.APPROVED)
    await s.flush()
    return len(evaluations)


async def _scheme(run: Run, scheme_id: object) -> EvaluationScheme:
    scheme = await run.session.get(EvaluationScheme, scheme_id)
    assert scheme is not None
    return scheme


async def _data_flags(
    run: Run, scheme: SchemeDefinition, variant: Variant, round_: EvaluationRound, e: Evaluation
) -> dict[str, bool]:
    """The records' answers to the scheme's data conditions, as a submission keeps them."""
    found = await sources.readings(
        run.session, scheme, variant, e.union_id, round_.period_start, round_.period_end
    )
    return sources.condition_answers(scheme, found)


async def _in_progress(
    run: Run,
    scheme: SchemeDefinition,
    round_: EvaluationRound,
    e: Evaluation,
    sector: str,
    rng: random.Random,
) -> None:
    """2025: some units still drafting, some submitted, some returned, some approved (the
    records' answers to the data conditions kept on submission and approval, as the service
    does; a low membership coverage caps the level)."""
    draw = rng.random()
    if draw < 0.3 or e.variant is None:
        return  # not started
    year = round_.year
    sheet = _sheet(scheme, e.variant, sector, year, rng)
    e.self_scores = sheet
    if draw < 0.45:
        return  # a draft
    s, actor = run.session, run.actor
    variant = scheme.variant(VariantKind(e.variant))
    assert variant is not None
    flags = await _data_flags(run, scheme, variant, round_, e)
    e.self_flags = flags
    transition(s, actor, e, EvaluationAction.SUBMITTED, EvaluationStatus.SUBMITTED)
    if draw < 0.7:
        return  # waiting for the appraisal
    if draw < 0.8:
        note = "Bổ sung minh chứng cho các tiêu chí nhóm 1."
        transition(s, actor, e, EvaluationAction.RETURNED, EvaluationStatus.RETURNED, note=note)
        return
    e.appraisal_scores = sheet
    e.appraisal_flags = flags
    rating = rate(scheme, variant, {k: Decimal(v) for k, v in sheet.items()}, flags)
    e.total_points = rating.total
    e.level = rating.level
    transition(s, actor, e, EvaluationAction.APPROVED, EvaluationStatus.APPROVED)
