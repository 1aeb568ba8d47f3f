"""The evaluations summary counted in SQL (one row per group, the tree walked once for every
year) gives the figures of the definition, recomputed here unit by unit: for each year, the
units under the union in the tree of 31 December (`scope.subtree_ids(..., as_of=)`), within the
caller's scope of that day, each tallied by its status and level, split by the child of the
union it lay under that day.

The tree changes under the ratings: B3 moves from D2 to D1 in 2023, A2 is merged into A1 in
2023 and the district D2 into D1 in 2024 (its units move with it), so most units count under
a different district, or none, depending on the year.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, update

from tests.evaluations.helpers import evaluations_of, open_round, scheme_id
from tests.factories import Factory
from tests.unions.helpers import decision
from unionhub.authz.scope import subtree_ids
from unionhub.evaluations.models import Evaluation, EvaluationRound, EvaluationScheme
from unionhub.unions.models import Union, UnionPeriod

SUMMARY = "/api/v1/evaluations/summary"
UNIONS = "/api/v1/unions"
YEARS = range(2021, 2026)
# (status, level) given to the year's eligible units in turn.
RESULTS = [
    ("approved", "excellent"),
    ("published", "good"),
    ("approved", "complete"),
    ("draft", None),
    ("published", "incomplete"),
    ("submitted", None),
    ("published", "excellent"),
]
RATED = ("approved", "published")


@dataclass
class Tally:
    eligible: int = 0
    ineligible: int = 0
    rated: int = 0
    strong: int = 0
    levels: Counter[str] = field(default_factory=Counter)

    def add(self, status: str, level: str | None, strong: set[str]) -> None:
        if status == "ineligible":
            self.ineligible += 1
            return
        self.eligible += 1
        if status in RATED and level is not None:
            self.rated += 1
            self.levels[level] += 1
            self.strong += level in strong

    def figures(self) -> tuple[int, int, int, int, dict[str, int]]:
        return (self.eligible, self.ineligible, self.rated, self.strong, dict(self.levels))


def figures(row: dict[str, Any]) -> tuple[int, int, int, int, dict[str, int]]:
    return (row["eligible"], row["ineligible"], row["rated"], row["strong"], row["levels"])


async def _reference(
    factory: Factory, year: int, root: Union, scope: Union | None
) -> dict[str, dict[str, Tally]]:
    """The year's tallies by the definition, unit by unit: total, per sector, per kind and per
    child of `root` (by id), for a caller assigned at `scope` (None: an administrator)."""
    day = date(year, 12, 31)
    db = factory.db
    under = set((await db.scalars(subtree_ids(root.id, as_of=day))).all())
    if scope is not None:
        under &= set((await db.scalars(subtree_ids(scope.id, as_of=day))).all())
    parent_then = dict(
        (
            await db.execute(
                select(UnionPeriod.union_id, UnionPeriod.parent_id).where(
                    UnionPeriod.valid_from <= day,
                    (UnionPeriod.valid_to.is_(None)) | (UnionPeriod.valid_to > day),
                )
            )
        ).all()
    )
    rows = (
        await db.execute(
            select(
                Evaluation.union_id,
                Evaluation.status,
                Evaluation.level,
                Union.sector,
                Union.kind,
                EvaluationScheme.definition,
            )
            .join(Union, Union.id == Evaluation.union_id)
            .join(EvaluationRound, EvaluationRound.id == Evaluation.round_id)
            .join(EvaluationScheme, EvaluationScheme.id == EvaluationRound.scheme_id)
            .where(Evaluation.year == year)
        )
    ).all()
    out: dict[str, dict[str, Tally]] = {"total": {}, "sector": {}, "kind": {}, "child": {}}
    for union_id, status, level, sector, kind, definition in rows:
        if union_id not in under or union_id == root.id:
            continue
        child = union_id
        while parent_then[child] != root.id:
            child = parent_then[child]
        strong = set(definition["strong_levels"])
        for group, key in (
            ("total", "total"),
            ("sector", sector),
            ("kind", kind),
            ("child", str(child)),
        ):
            out[group].setdefault(key, Tally()).add(status, level, strong)
    return out


async def _rate_everything(factory: Factory, headers: dict[str, str], province: Union) -> None:
    scheme = await scheme_id(factory, "HD1294-TLD-2019")
    turn = 0
    for year in YEARS:
        round_ = await open_round(factory, headers, year, scheme, province)
        for _code, e in sorted((await evaluations_of(factory, headers, round_["id"])).items()):
            if e["status"] == "ineligible":
                continue
            status, level = RESULTS[turn % len(RESULTS)]
            turn += 1
            await factory.db.execute(
                update(Evaluation)
                .where(Evaluation.id == uuid.UUID(e["id"]))
                .values(status=status, level=level)
            )


async def test_the_summary_counts_match_the_definition_through_a_reorganisation(
    factory: Factory,
) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    d1 = await factory.union(province, code="D1", name="LĐLĐ huyện A", sector="state")
    d2 = await factory.union(province, code="D2", name="LĐLĐ huyện B", sector="state")
    a1 = await factory.union(d1, code="A1", sector="state", kind="agency_union")
    a2 = await factory.union(d1, code="A2")
    await factory.union(d1, code="A3", founded_on=date(2022, 5, 1))
    await factory.union(d2, code="B1", sector="state", kind="school_union")
    await factory.union(d2, code="B2")
    b3 = await factory.union(d2, code="B3")
    admin = await factory.headers_for("admin", province)
    for url, body in (
        (f"{UNIONS}/{b3.id}/move", decision(date(2023, 7, 1), new_parent_id=str(d1.id))),
        (f"{UNIONS}/{a2.id}/merge", decision(date(2023, 3, 1), target_id=str(a1.id))),
        (f"{UNIONS}/{d2.id}/merge", decision(date(2024, 7, 1), target_id=str(d1.id))),
    ):
        r = await factory.client.post(url, json=body, headers=admin)
        assert r.status_code == 200, r.text
    await _rate_everything(factory, admin, province)

    province_officer = await factory.headers_for("federation_officer", province)
    d1_officer = await factory.headers_for("union_officer", d1)
    # (caller, the union the caller is assigned at, the union summarised): an administrator;
    # officers summarising their own union; an officer summarising a union under theirs (the
    # figures then also go through the caller's scope of each year).
    cases = [
        (admin, None, province),
        (province_officer, province, province),
        (province_officer, province, d1),
        (d1_officer, d1, d1),
    ]
    compared = 0
    for headers, scope, root in cases:
        r = await factory.client.get(
            f"{SUMMARY}/years",
            params={"from_year": YEARS[0], "to_year": YEARS[-1], "union_id": str(root.id)},
            headers=headers,
        )
        assert r.status_code == 200, r.text
        chart = {y["year"]: y for y in r.json()["years"]}
        assert sorted(chart) == list(YEARS)
        for year in YEARS:
            expected = await _reference(factory, year, root, scope)
            total = expected["total"].get("total", Tally())
            assert figures(chart[year]["total"]) == total.figures(), (root.code, year)
            for sector in ("state", "non_state"):
                tally = expected["sector"].get(sector, Tally())
                assert figures(chart[year][sector]) == tally.figures(), (root.code, year, sector)
            for group_by in ("child", "sector", "kind"):
                r = await factory.client.get(
                    SUMMARY,
                    params={"year": year, "union_id": str(root.id), "group_by": group_by},
                    headers=headers,
                )
                assert r.status_code == 200, r.text
                s = r.json()
                assert figures(s["total"]) == total.figures()
                groups = {g["key"]: figures(g) for g in s["groups"]}
                wanted = {k: t.figures() for k, t in expected[group_by].items()}
                if group_by == "child":
                    # Every child of that day is listed, with nothing rated under it or not.
                    assert {k: v for k, v in groups.items() if v[0] or v[1]} == wanted
                else:
                    assert groups == wanted, (root.code, year, group_by)
                compared += 1
    assert compared == len(cases) * len(YEARS) * 3
    # Not a vacuous comparison: the units counted under each district change with the years.
    districts = {}
    for year in (2022, 2023, 2024):
        r = await factory.client.get(
            SUMMARY,
            params={"year": year, "union_id": str(province.id), "group_by": "child"},
            headers=admin,
        )
        districts[year] = {g["name"]: g["eligible"] for g in r.json()["groups"]}
    assert districts == {
        # D1 A1 A2 (A3 founded in May, not 12 months old) / D2 B1 B2 B3
        2022: {"LĐLĐ huyện A": 3, "LĐLĐ huyện B": 4},
        # A2 merged into A1, B3 moved to D1: D1 A1 A3 B3 / D2 B1 B2
        2023: {"LĐLĐ huyện A": 4, "LĐLĐ huyện B": 3},
        # D2 merged into D1 in July, its units with it: D1 A1 A3 B1 B2 B3 (D2 is still listed,
        # with nothing under it)
        2024: {"LĐLĐ huyện A": 6, "LĐLĐ huyện B": 0},
    }
