"""`indicators.compute_many` answers many asks (every indicator, many days and periods) in one
statement, shared walks and per-day CTEs included, and keeps that statement for the next
call with the same asks and scope. Each answer must be the indicator's own single-day answer
(`compute`, grouped by child) on the hand-counted province, on days before and after its
merger (D1 into D2 on 01/07/2021), for the owner and for a district; a statement kept for one
caller must never answer for another with a different scope.
"""

from datetime import date
from typing import Any

from tests.factories import Factory
from tests.indicators.helpers import build_province
from tests.training.cadres import build_cadres
from unionhub.auth.repository import load_actor
from unionhub.authz.principal import Principal
from unionhub.indicators import service
from unionhub.indicators.catalogue import CATALOGUE, Timing
from unionhub.indicators.queries import Ask
from unionhub.indicators.schemas import IndicatorValue
from unionhub.unions.models import Union

# Around the merger, year ends, and a day of each term year.
MERGER_DAYS = (
    date(2019, 12, 31),
    date(2020, 12, 31),
    date(2021, 6, 30),
    date(2021, 7, 1),
    date(2021, 12, 31),
    date(2022, 12, 31),
    date(2023, 6, 30),
)
# Around the cadres' change of posts (tests/training/cadres.py).
CADRE_DAYS = (date(2020, 12, 31), date(2023, 6, 30), date(2023, 12, 31), date(2024, 7, 1))


def _asks(root: Union, days: tuple[date, ...]) -> list[Ask]:
    """Every available indicator on every day; a period indicator over its year to that day
    and over the term to that day (overlapping windows, as a programme's trend asks them)."""
    asks = []
    for indicator in CATALOGUE:
        if not indicator.available:
            continue
        for day in days:
            if indicator.timing == Timing.PERIOD:
                for first in (date(day.year, 1, 1), date(2018, 1, 1)):
                    asks.append(service.make_ask(indicator, root.id, day, first, day))
            else:
                asks.append(service.make_ask(indicator, root.id, day, None, day))
    return asks


def _figures(v: IndicatorValue) -> tuple[Any, ...]:
    return (
        v.key,
        v.as_of,
        v.period_from,
        v.numerator,
        v.denominator,
        v.value,
        sorted((g.key, g.numerator, g.denominator) for g in v.groups),
    )


async def _assert_batched_equals_single(
    factory: Factory, principal: Principal, root: Union, days: tuple[date, ...]
) -> int:
    asks = _asks(root, days)
    single = [
        _figures(await service.compute(factory.db, principal, a, root, "child")) for a in asks
    ]
    batched = await service.compute_many(factory.db, principal, asks, root)
    assert [_figures(v) for v in batched] == single
    # Again: the statement kept from the first call answers the same.
    again = await service.compute_many(factory.db, principal, list(reversed(asks)), root)
    assert [_figures(v) for v in reversed(again)] == single
    return sum(1 for s in single if s[3])


async def test_batched_days_equal_single_days_before_and_after_the_merger(
    factory: Factory,
) -> None:
    w = await build_province(factory)
    c = await build_cadres(factory)
    admin = await load_actor(factory.db, (await factory.user("admin", w.p)).id)
    assert admin is not None
    counted = 0
    for root, days in (
        (w.p, MERGER_DAYS),
        (w.d2, MERGER_DAYS),
        (c.province, CADRE_DAYS),
        (c.d1, CADRE_DAYS),
    ):
        counted += await _assert_batched_equals_single(factory, admin, root, days)
    # Not a comparison of zeros: most figures count something.
    assert counted > 100


async def test_a_kept_statement_never_answers_for_another_scope(factory: Factory) -> None:
    w = await build_province(factory)
    admin = await load_actor(factory.db, (await factory.user("admin", w.p)).id)
    officer = await load_actor(factory.db, (await factory.user("federation_officer", w.d2)).id)
    assert admin is not None and officer is not None
    asks = [
        service.make_ask(i, w.p.id, date(2022, 12, 31), None, date(2022, 12, 31))
        for i in CATALOGUE
        if i.key == "members_total"
    ]
    everyone = await service.compute_many(factory.db, admin, asks, w.p)
    # The same asks by an officer of D2: only what was under D2 on the day (the province's
    # seven members then are all under D2 after the merger; before it, D1's were not).
    mine = await service.compute_many(factory.db, officer, asks, w.p)
    assert mine[0].numerator == (await service.compute(factory.db, officer, asks[0], w.p)).numerator
    assert everyone[0].numerator == 7
    before = [
        service.make_ask(i, w.p.id, date(2020, 12, 31), None, date(2020, 12, 31))
        for i in CATALOGUE
        if i.key == "members_total"
    ]
    all_2020 = (await service.compute_many(factory.db, admin, before, w.p))[0].numerator
    mine_2020 = (await service.compute_many(factory.db, officer, before, w.p))[0].numerator
    assert mine_2020 == (await service.compute(factory.db, officer, before[0], w.p)).numerator
    assert mine_2020 < all_2020
    # One value (`compute`, kept too): asked by the administrator first, then by the officer.
    for group_by in (None, "child"):
        a = await service.compute(factory.db, admin, before[0], w.p, group_by)
        b = await service.compute(factory.db, officer, before[0], w.p, group_by)
        assert (a.numerator, b.numerator) == (all_2020, mine_2020)
