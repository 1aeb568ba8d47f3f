"""The enterprise indicators that compare workers skip a day before the first worker figure
(`queries.first_figure_day`: the earliest survey, or the earliest current figure of an
enterprise without a survey row). The figures around that day must be the records' own: none
the day before, the enterprise counted from the first day itself, whichever of the two
minimums is the first figure; batched (a programme's trend days in one statement) and single
answers alike, and `workers_total` (which does not compare workers) never skipped.
"""

from datetime import date, timedelta

from tests.enterprises.helpers import fresh_tax_code
from tests.factories import Factory
from tests.indicators.helpers import build_province
from unionhub.auth.repository import load_actor
from unionhub.enterprises.models import Enterprise
from unionhub.indicators import service
from unionhub.indicators.catalogue import BY_KEY
from unionhub.indicators.queries import Ask
from unionhub.unions.models import Union

KEYS = (
    "enterprises_with_union",
    "member_coverage_state",
    "member_coverage_non_state",
    "workers_total",
)


async def _check(
    factory: Factory, root: Union, days: list[date], keys: tuple[str, ...] = KEYS
) -> dict[tuple[str, date], int]:
    """Batched equal to single for every key and day; the denominators (numerators for
    `workers_total`) by key and day."""
    admin = await load_actor(factory.db, (await factory.user("admin", root)).id)
    assert admin is not None
    asks: list[Ask] = [
        service.make_ask(BY_KEY[k], root.id, day, None, day) for k in keys for day in days
    ]
    single = [await service.compute(factory.db, admin, a, root, "child") for a in asks]
    batched = await service.compute_many(factory.db, admin, asks, root)
    assert [v.model_dump() for v in batched] == [v.model_dump() for v in single]
    return {
        (a.indicator.key, a.as_of): (
            v.numerator if a.indicator.key == "workers_total" else v.denominator or 0
        )
        for a, v in zip(asks, single, strict=True)
    }


async def test_the_first_survey_day_counts_and_the_day_before_does_not(
    factory: Factory,
) -> None:
    w = await build_province(factory)
    # The first survey of the province: E3's (30 workers, non-state) on 01/06/2018.
    first = date(2018, 6, 1)
    found = await _check(factory, w.p, [first - timedelta(days=1), first, date(2018, 12, 31)])
    assert found[("enterprises_with_union", first - timedelta(days=1))] == 0
    assert found[("enterprises_with_union", first)] == 1
    assert found[("enterprises_with_union", date(2018, 12, 31))] == 1
    assert found[("member_coverage_state", first)] == 0
    # Only asks that count nothing (no statement part at all): still one answer each.
    before = await _check(factory, w.p, [first - timedelta(days=1)], keys=KEYS[:3])
    assert set(before.values()) == {0}


async def test_a_current_figure_before_every_survey_is_the_first_figure(
    factory: Factory,
) -> None:
    w = await build_province(factory)
    # A state enterprise with a current figure (no survey row) dated before every survey.
    day = date(2017, 3, 1)
    factory.db.add(
        Enterprise(
            tax_code=fresh_tax_code(),
            name="Công ty chỉ có số hiện tại",
            ownership="state",
            responsible_union_id=w.d1.id,
            search_text="cong ty chi co so hien tai",
            total_workers=45,
            female_workers=0,
            surveyed_on=day,
            version=1,
        )
    )
    await factory.db.flush()
    found = await _check(factory, w.p, [day - timedelta(days=1), day, date(2018, 5, 31)])
    for d in (day, date(2018, 5, 31)):
        assert found[("enterprises_with_union", d)] == 1
        assert found[("member_coverage_state", d)] == 45
    assert found[("enterprises_with_union", day - timedelta(days=1))] == 0
    assert found[("member_coverage_state", day - timedelta(days=1))] == 0
    # Not compared, never skipped: the enterprise has no union, so no workers counted.
    assert found[("workers_total", day - timedelta(days=1))] == 0
