"""The five cadre indicators on the hand-counted cadres of tests/training/cadres.py, on a day
before and a day after a cadre changes post."""

from datetime import date
from typing import Any

from tests.factories import Factory
from tests.training.cadres import AFTER, BEFORE, M, build_cadres, post
from unionhub.auth.repository import load_actor
from unionhub.training import repository as repo
from unionhub.training.compliance import RULES

URL = "/api/v1/training/compliance"


def _figures(indicators: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    return {i["code"]: (i["numerator"], i["denominator"]) for i in indicators}


async def test_five_indicators_before_and_after_a_change_of_post(factory: Factory) -> None:
    w = await build_cadres(factory)
    province, d1, d2, h = w.province, w.d1, w.d2, w.headers
    params = {"union_id": str(province.id), "term_start": "2018-01-01", "year": 2023}
    r = await factory.client.get(URL, params={**params, "as_of": BEFORE}, headers=h)
    assert r.status_code == 200, r.text
    before = r.json()
    assert _figures(before["total"]) == {
        "full_time_degree": (2, 3),
        "full_time_postgraduate": (1, 3),
        "leader_political_theory": (1, 3),
        "cadres_union_work": (3, 5),
        "training_spend": (215 * M, 1150 * M),
    }
    shares = {i["code"]: i["share"] for i in before["total"]}
    assert shares["training_spend"] == "0.1870" and shares["full_time_degree"] == "0.6667"
    met = {i["code"]: i["met"] for i in before["total"]}
    assert met["training_spend"] is True and met["full_time_degree"] is False
    children = {c["union_name"]: _figures(c["indicators"]) for c in before["children"]}
    assert children == {
        "LĐLĐ huyện Cai Lậy": {
            "full_time_degree": (0, 1),
            "full_time_postgraduate": (0, 1),
            "leader_political_theory": (0, 1),
            "cadres_union_work": (2, 2),
            "training_spend": (10 * M, 50 * M),
        },
        "LĐLĐ huyện Cái Bè": {
            "full_time_degree": (2, 2),
            "full_time_postgraduate": (1, 2),
            "leader_political_theory": (1, 2),
            "cadres_union_work": (1, 3),
            "training_spend": (205 * M, 1100 * M),
        },
    }

    r = await factory.client.get(URL, params={**params, "as_of": AFTER}, headers=h)
    after = r.json()
    assert _figures(after["total"]) == {
        "full_time_degree": (2, 3),
        "full_time_postgraduate": (2, 3),
        "leader_political_theory": (2, 3),
        "cadres_union_work": (3, 6),
        "training_spend": (215 * M, 1150 * M),
    }
    children = {c["union_name"]: _figures(c["indicators"]) for c in after["children"]}
    assert children["LĐLĐ huyện Cái Bè"] == {
        "full_time_degree": (1, 1),
        "full_time_postgraduate": (1, 1),
        "leader_political_theory": (1, 1),
        "cadres_union_work": (1, 3),
        "training_spend": (205 * M, 1100 * M),
    }
    assert children["LĐLĐ huyện Cai Lậy"] == {
        "full_time_degree": (1, 2),
        "full_time_postgraduate": (1, 2),
        "leader_political_theory": (1, 2),
        "cadres_union_work": (2, 3),
        "training_spend": (10 * M, 50 * M),
    }

    # The people behind an indicator: the leaders without intermediate political theory.
    r = await factory.client.get(
        f"{URL}/people",
        params={
            **params,
            "as_of": BEFORE,
            "indicator": "leader_political_theory",
            "counted": "false",
        },
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert [p["full_name"] for p in r.json()["items"]] == ["Bình B", "Cường C"]
    r = await factory.client.get(
        f"{URL}/people",
        params={**params, "as_of": AFTER, "indicator": "cadres_union_work"},
        headers=h,
    )
    people = {p["full_name"]: p["counted"] for p in r.json()["items"]}
    assert people == {
        "Anh A": True,
        "Bình B": False,
        "Cường C": True,
        "Dũng D": False,
        "Em E": True,
        "Phúc F": False,
    }

    # A district sees its own subtree only; the default term starts with the term of the day.
    district = await factory.headers_for("union_officer", d1)
    r = await factory.client.get(URL, params={"as_of": BEFORE, "year": 2023}, headers=district)
    own = r.json()
    assert own["union_id"] == str(d1.id) and own["term_start"] == "2018-01-01"
    assert _figures(own["total"])["cadres_union_work"] == (1, 3)
    assert (
        await factory.client.get(URL, params={"union_id": str(d2.id)}, headers=district)
    ).status_code == 404
    assert date.fromisoformat(AFTER) > date(2023, 7, 1)
    r = await factory.client.get(URL, params={"as_of": AFTER}, headers=district)
    assert r.json()["term_start"] == "2023-07-01"


async def test_each_row_counts_its_own_subtree_and_the_people_behind_it(factory: Factory) -> None:
    """The counts of one statement (issue 11) agree with two other readings of the same
    rules: a child's row is its own subtree's total, and a total is its drill-down's people
    (each person once, counted or not)."""
    w = await build_cadres(factory)
    base = {"term_start": "2018-01-01", "year": 2023}
    for day in (BEFORE, AFTER):
        params = {**base, "as_of": day}
        r = await factory.client.get(
            URL, params={**params, "union_id": str(w.province.id)}, headers=w.headers
        )
        whole = r.json()
        children = [c for c in whole["children"] if not c["own"]]
        assert len(children) == 2
        for child in children:
            r = await factory.client.get(
                URL, params={**params, "union_id": child["union_id"]}, headers=w.headers
            )
            assert _figures(r.json()["total"]) == _figures(child["indicators"]), (day, child)
        for code, (numerator, denominator) in _figures(whole["total"]).items():
            if code == "training_spend":
                continue
            r = await factory.client.get(
                f"{URL}/people",
                params={**params, "union_id": str(w.province.id), "indicator": code},
                headers=w.headers,
            )
            people = r.json()["items"]
            assert len({p["member_id"] for p in people}) == len(people)
            assert (sum(p["counted"] for p in people), len(people)) == (
                numerator,
                denominator,
            ), (day, code)


async def test_a_cadre_holding_several_posts_counts_once_per_row(factory: Factory) -> None:
    """a, the full-time chair of D1, also sits on G1's inspection committee (under D1 too) and
    on the province's executive committee (the root's own row): one person in D1's row, one
    in the root's own row (trained in union work in the term) and still one in the total
    (issue 11: people counted distinct per row, not posts)."""
    w = await build_cadres(factory)
    params = {"union_id": str(w.province.id), "term_start": "2018-01-01", "year": 2023}

    async def read() -> tuple[dict[str, tuple[int, int]], dict[str, Any]]:
        r = await factory.client.get(URL, params={**params, "as_of": AFTER}, headers=w.headers)
        assert r.status_code == 200, r.text
        body = r.json()
        by_name = {c["union_name"]: _figures(c["indicators"]) for c in body["children"]}
        return _figures(body["total"]), by_name

    total, children = await read()
    a = w.people["a"]
    await post(factory, w.headers, a, w.g1, "inspection_member", from_date="2024-01-01")
    await post(factory, w.headers, a, w.province, "executive_member", from_date="2024-01-01")
    after_total, after_children = await read()
    assert after_total == total
    own = after_children.pop(w.province.name)
    assert after_children == children
    assert own == {
        "full_time_degree": (0, 0),
        "full_time_postgraduate": (0, 0),
        "leader_political_theory": (0, 0),
        "cadres_union_work": (1, 1),
        "training_spend": (0, 0),
    }


async def test_a_kept_statement_never_answers_for_another_scope(factory: Factory) -> None:
    """The compliance statements are kept by what they read of the caller's scope (issue 11):
    the province's root and day asked by a district officer after the administrator (and the
    other way round) counts only what the district sees (the route would answer 404; the
    repository is asked directly, as a reader of another domain may)."""
    w = await build_cadres(factory)
    admin = await load_actor(factory.db, (await factory.user("admin", w.province)).id)
    officer = await load_actor(factory.db, (await factory.user("federation_officer", w.d1)).id)
    assert admin is not None and officer is not None
    day, start = date.fromisoformat(BEFORE), date(2018, 1, 1)

    async def union_work(caller: Any) -> tuple[int, int]:
        rows = await repo.cadre_counts(factory.db, caller, w.province.id, day, start, RULES)
        whole = next(r for r in rows if r.whole)
        return whole.cadres_union_work_num, whole.cadres_union_work_den

    async def spending(caller: Any) -> tuple[int, int]:
        rows = await repo.spending_by_child(factory.db, caller, w.province.id, day, 2023)
        return sum(r[1] for r in rows), sum(r[2] for r in rows)

    expected = {
        admin.username: ((3, 5), (215 * M, 1150 * M)),
        officer.username: ((1, 3), (205 * M, 1100 * M)),
    }
    # Each order twice: built for the first caller, then kept.
    for callers in ((admin, officer), (admin, officer), (officer, admin), (officer, admin)):
        found = {p.username: (await union_work(p), await spending(p)) for p in callers}
        assert found == expected, [p.username for p in callers]
