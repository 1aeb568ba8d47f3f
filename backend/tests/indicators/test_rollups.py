"""Members on a day and admissions in a period are added up from the maintained counts'
monthly and yearly rollups plus the days left over (`queries.spans`); the answer must be the
records' own, on any day and over any period, by the tree of each day, through any caller's
scope, and after members are added and removed (the rollups kept by the same triggers)."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.indicators.helpers import build_province, indicator
from tests.members.helpers import admit
from unionhub.indicators.queries import pieces
from unionhub.members import counts_rebuild
from unionhub.members.models import Member

# Month ends and starts, year ends, a leap day, the merger (01/07/2021) and the days around
# the admissions of the hand-counted province.
DAYS = [
    date(2016, 12, 31),
    date(2017, 1, 1),
    date(2018, 4, 30),
    date(2018, 5, 1),
    date(2019, 1, 31),
    date(2019, 2, 1),
    date(2020, 2, 29),
    date(2020, 5, 31),
    date(2020, 6, 1),
    date(2021, 2, 28),
    date(2021, 3, 1),
    date(2021, 6, 30),
    date(2021, 7, 1),
    date(2021, 7, 31),
    date(2021, 8, 1),
    date(2021, 12, 31),
    date(2022, 1, 9),
    date(2022, 1, 10),
    date(2023, 6, 15),
    date.today(),
]
PERIODS = [
    (date(2017, 1, 1), date(2017, 1, 1)),
    (date(2018, 1, 1), date(2018, 12, 31)),
    (date(2018, 5, 1), date(2018, 5, 1)),
    (date(2018, 5, 2), date(2019, 2, 1)),
    (date(2019, 2, 1), date(2021, 8, 31)),
    (date(2020, 6, 2), date(2021, 7, 31)),
    (date(2021, 1, 1), date(2021, 12, 31)),
    (date(2021, 7, 1), date(2022, 1, 10)),
    (date(2016, 1, 1), date.today()),
]


def _days_of(piece: tuple[str, date, date]) -> set[date]:
    """The days a piece (span, lo, hi) stands for: the days lo..hi, or every day of each
    month (year) that starts between lo and hi."""
    span, lo, hi = piece
    out: set[date] = set()
    d = lo
    while d <= hi:
        if span == "day":
            out.add(d)
        elif d.day == 1 and (span == "month" or d.month == 1):
            last = (
                date(d.year, 12, 31)
                if span == "year"
                else date(d.year + d.month // 12, d.month % 12 + 1, 1) - timedelta(days=1)
            )
            out |= {d + timedelta(days=n) for n in range((last - d).days + 1)}
        d += timedelta(days=1)
    return out


async def test_pieces_cut_a_period_into_each_of_its_days_once(db: AsyncSession) -> None:
    starts = [date(2019, 12, 31), date(2020, 1, 1), date(2020, 1, 15), date(2020, 2, 29)]
    ends = [
        date(2020, 1, 1),
        date(2020, 1, 20),
        date(2020, 1, 31),
        date(2020, 2, 29),
        date(2020, 12, 31),
        date(2021, 1, 1),
        date(2022, 3, 14),
        date(2024, 12, 30),
    ]
    for a in starts:
        for b in ends:
            if a > b:
                continue
            cut = pieces(a, b)
            found = (await db.execute(select(*(c for _, lo, hi in cut for c in (lo, hi))))).one()
            covered: list[date] = []
            for n, (span, _, _) in enumerate(cut):
                lo, hi = found[2 * n], found[2 * n + 1]
                if lo <= hi:
                    covered += sorted(_days_of((span, lo, hi)))
            expected = [a + timedelta(days=n) for n in range((b - a).days + 1)]
            assert sorted(covered) == expected, (a, b, found)
    # A whole year is one piece: its year row.
    found = (
        await db.execute(
            select(
                *(c for _, lo, hi in pieces(date(2020, 1, 1), date(2020, 12, 31)) for c in (lo, hi))
            )
        )
    ).one()
    spans = [
        (span, found[2 * n], found[2 * n + 1])
        for n, (span, _, _) in enumerate(pieces(date(2020, 1, 1), date(2020, 12, 31)))
        if found[2 * n] <= found[2 * n + 1]
    ]
    assert spans == [("year", date(2020, 1, 1), date(2020, 12, 31))]


async def _counted_and_listed(
    factory: Factory, headers: dict[str, str], key: str, **params: Any
) -> tuple[int, int]:
    """(the indicator's numerator, the number of records its drill-down lists)."""
    value = await indicator(factory, headers, key, **params)
    r = await factory.client.get(
        f"/api/v1/indicators/{key}/records", params={**params, "page_size": 1}, headers=headers
    )
    assert r.status_code == 200, r.text
    return value["numerator"], r.json()["total"]


async def _sweep(factory: Factory, headers: dict[str, str], root: str) -> int:
    """Every day and period above: the counted figure against the records; returns how many
    of them were not zero (so the sweep is known to have counted something)."""
    nonzero = 0
    for day in DAYS:
        counted, listed = await _counted_and_listed(
            factory, headers, "members_total", union_id=root, as_of=day.isoformat()
        )
        assert counted == listed, ("members_total", root, day)
        nonzero += counted > 0
    for start, end in PERIODS:
        counted, listed = await _counted_and_listed(
            factory,
            headers,
            "new_members",
            union_id=root,
            **{"from": start.isoformat(), "to": end.isoformat()},
        )
        assert counted == listed, ("new_members", root, start, end)
        nonzero += counted > 0
    return nonzero


async def test_rollups_answer_what_the_records_say_on_any_day(
    factory: Factory, db: AsyncSession
) -> None:
    w = await build_province(factory, ratings=False)
    assert await counts_rebuild.check(db) == []
    # An administrator (no scope), a province officer (the whole tree, every day), an officer
    # of Cái Bè (G1 and G2 in the scope only from the merger: read day by day before it).
    province_officer = await factory.headers_for("federation_officer", w.p)
    cai_be_officer = await factory.headers_for("federation_officer", w.d2)
    for headers, root in (
        (w.admin, w.p),
        (w.admin, w.d1),
        (province_officer, w.p),
        (province_officer, w.d2),
        (cai_be_officer, w.d2),
        (cai_be_officer, w.g1),
    ):
        assert await _sweep(factory, headers, str(root.id)) > 0

    # Members admitted and one removed again: the rollups follow in the same transaction.
    await admit(factory, w.admin, w.g3, full_name="Đoàn viên m8", admission_date="2019-12-31")
    await admit(factory, w.admin, w.g1, full_name="Đoàn viên m9", admission_date="2021-07-01")
    await db.execute(delete(Member).where(Member.id == w.members["m2"]))
    assert await counts_rebuild.check(db) == []
    assert await _sweep(factory, cai_be_officer, str(w.d2.id)) > 0
    assert await _sweep(factory, province_officer, str(w.p.id)) > 0
