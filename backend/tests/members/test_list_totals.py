"""The member list's total on big scopes: a capped or abandoned count, and both page plans."""

from typing import Any

import pytest
from sqlalchemy import Select, func, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.members.helpers import API, act, admit, build_world, names
from unionhub.members import repository as repo
from unionhub.members import search


async def test_a_slow_count_gives_up_and_leaves_the_transaction_usable(db: AsyncSession) -> None:
    slow: Select[Any] = select(literal_column("1")).select_from(func.pg_sleep(0.3).table_valued())
    assert await repo.count_bounded(db, slow, timeout_ms=20) is None
    assert await db.scalar(select(func.count()).select_from(text("(SELECT 1) AS one"))) == 1
    assert await db.scalar(text("SHOW statement_timeout")) == "0"
    quick: Select[Any] = select(literal_column("1")).select_from(
        func.generate_series(1, 5).table_valued()
    )
    assert await repo.count_bounded(db, quick) == 5
    assert await repo.count_bounded(db, quick, cap=3) == 4
    assert await db.scalar(text("SHOW statement_timeout")) == "0"


async def _page(factory: Factory, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    r = await factory.client.get(API, params=params, headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_structural_totals_are_exact_from_the_counts(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await build_world(factory)
    for name in ("An", "Bình", "Cường"):
        await admit(factory, w.officer_a, w.grassroots_a, full_name=f"Lê Văn {name}")
    await admit(factory, w.officer_a, w.grassroots_a2, full_name="Lê Thị Dung", gender="female")

    async def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a structural list is not counted row by row")

    monkeypatch.setattr(repo, "COUNT_CAP", 2)
    monkeypatch.setattr(repo, "count_bounded", never)
    first = await _page(factory, w.officer_a, size=2)
    assert [m["full_name"] for m in first["items"]] == ["Lê Thị Dung", "Lê Văn An"]
    assert (first["total"], first["pages"], first["total_exact"]) == (4, 2, True)
    second = await _page(factory, w.officer_a, size=2, page=2)
    assert [m["full_name"] for m in second["items"]] == ["Lê Văn Bình", "Lê Văn Cường"]
    male = await _page(factory, w.officer_a, gender="male", union_id=str(w.grassroots_a.id))
    assert (male["total"], male["total_exact"]) == (3, True)
    state = await _page(factory, w.officer_a, sector="state", status=["active"])
    assert (state["total"], state["total_exact"]) == (1, True)
    assert (await _page(factory, w.officer_a, as_of="2019-01-01"))["total"] == 0
    assert (await _page(factory, w.officer_a, as_of="2021-01-01"))["total"] == 4


async def test_beyond_the_cap_the_total_is_an_estimate_until_asked(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await build_world(factory)
    for name in ("An", "Bình", "Cường"):
        await admit(factory, w.officer_a, w.grassroots_a, full_name=f"Lê Văn {name}")
    monkeypatch.setattr(repo, "COUNT_CAP", 2)
    # Admission dates are not a structural filter: counted up to the cap, then estimated
    # (between what the count saw and the members of the scope).
    first = await _page(factory, w.officer_a, size=2, admitted_from="2020-01-01")
    assert first["total_exact"] is False
    assert [m["full_name"] for m in first["items"]] == ["Lê Văn An", "Lê Văn Bình"]
    assert (first["total"], first["pages"]) == (3, 2)
    exact = await _page(factory, w.officer_a, size=2, admitted_from="2020-01-01", exact_total=True)
    assert (exact["total"], exact["total_exact"]) == (3, True)


async def test_an_abandoned_count_still_serves_the_page(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await build_world(factory)
    for name in ("An", "Bình", "Cường"):
        await admit(factory, w.officer_a, w.grassroots_a, full_name=f"Lê Văn {name}")

    async def too_slow(*args: Any, **kwargs: Any) -> None:
        return None

    monkeypatch.setattr(repo, "count_bounded", too_slow)
    body = await _page(factory, w.officer_a, size=2, admitted_from="2020-01-01")
    assert body["total_exact"] is False and body["total"] == 3
    assert len(body["items"]) == 2


@pytest.mark.parametrize("fence_below", [0, 1_000_000])
async def test_both_page_plans_give_the_same_order(
    factory: Factory, monkeypatch: pytest.MonkeyPatch, fence_below: int
) -> None:
    w = await build_world(factory)
    await admit(
        factory, w.officer_a, w.grassroots_a, full_name="Trần Văn Bình", admission_date="2018-01-01"
    )
    await admit(
        factory,
        w.officer_a,
        w.grassroots_a2,
        full_name="Đặng Thị Hồng",
        gender="female",
        admission_date="2021-01-01",
    )
    await admit(factory, w.officer_a, w.group_a, full_name="Âu Văn An", admission_date="2019-06-01")
    monkeypatch.setattr(repo, "FENCE_BELOW", fence_below)
    h = w.officer_a
    assert await names(factory, h) == ["Âu Văn An", "Đặng Thị Hồng", "Trần Văn Bình"]
    assert await names(factory, h, sort="-admission_date") == [
        "Đặng Thị Hồng",
        "Âu Văn An",
        "Trần Văn Bình",
    ]
    assert await names(factory, h, sort="admission_date", size=1, page=2) == ["Âu Văn An"]
    assert await names(factory, h, q="van", sort="-name") == ["Trần Văn Bình", "Âu Văn An"]


async def test_a_name_search_counts_and_pages_in_one_pass(factory: Factory) -> None:
    w = await build_world(factory)
    for name in ("Lê Văn An", "Lê Văn Bình", "Lê Văn Cường", "Trần Thị Dung"):
        await admit(factory, w.officer_a, w.grassroots_a, full_name=name)
    first = await _page(factory, w.officer_a, q="le van", size=2)
    assert [m["full_name"] for m in first["items"]] == ["Lê Văn An", "Lê Văn Bình"]
    assert (first["total"], first["pages"], first["total_exact"]) == (3, 2, True)
    second = await _page(factory, w.officer_a, q="le van", size=2, page=2, sort="-name")
    assert [m["full_name"] for m in second["items"]] == ["Lê Văn An"]
    assert second["total"] == 3
    # A page past the end still tells how many there are.
    beyond = await _page(factory, w.officer_a, q="le van", size=2, page=5)
    assert (beyond["items"], beyond["total"], beyond["total_exact"]) == ([], 3, True)
    nothing = await _page(factory, w.officer_a, q="pham")
    assert (nothing["items"], nothing["total"], nothing["pages"]) == ([], 0, 0)
    # Other districts' members never count.
    await admit(factory, w.officer_b, w.grassroots_b, full_name="Lê Văn Em")
    assert (await _page(factory, w.officer_a, q="le van"))["total"] == 3


async def test_a_name_search_beyond_the_cap_is_paged_in_name_order(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await build_world(factory)
    for name in ("Lê Văn Cường", "Lê Văn An", "Lê Văn Bình"):
        await admit(factory, w.officer_a, w.grassroots_a, full_name=name)
    monkeypatch.setattr(repo, "COUNT_CAP", 1)
    first = await _page(factory, w.officer_a, q="van", size=2)
    assert [m["full_name"] for m in first["items"]] == ["Lê Văn An", "Lê Văn Bình"]
    assert first["total_exact"] is False and first["total"] == 3
    last = await _page(factory, w.officer_a, q="van", size=2, page=2)
    assert [m["full_name"] for m in last["items"]] == ["Lê Văn Cường"]
    beyond = await _page(factory, w.officer_a, q="van", size=2, page=3)
    assert beyond["items"] == [] and beyond["total_exact"] is False


async def test_a_full_name_search_in_a_large_scope_counts_every_match(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every scope searched as a large one: a full name looks up word-pair keys, and its matches
    # are few enough to collect them all, so the total stays exact past the cap and the page
    # is the first of all matches in name order.
    monkeypatch.setattr(search, "SMALL_SCOPE_UNIONS", 0)
    w = await build_world(factory)
    for name in (
        "Nguyễn Thị Thu Hằng",
        "Lê Nguyễn Thị Thu Hà",
        "Nguyễn Thị Thu Hà",
        "Nguyễn Thị Thu",
        "Nguyễn Thị Thanh Hà",
    ):
        await admit(factory, w.officer_a, w.grassroots_a, full_name=name)
    monkeypatch.setattr(repo, "COUNT_CAP", 1)
    first = await _page(factory, w.officer_a, q="Nguyễn Thị Thu H", size=2)
    assert [m["full_name"] for m in first["items"]] == ["Lê Nguyễn Thị Thu Hà", "Nguyễn Thị Thu Hà"]
    assert (first["total"], first["pages"], first["total_exact"]) == (3, 2, True)
    second = await _page(factory, w.officer_a, q="Nguyễn Thị Thu H", size=2, page=2)
    assert [m["full_name"] for m in second["items"]] == ["Nguyễn Thị Thu Hằng"]
    beyond = await _page(factory, w.officer_a, q="Nguyễn Thị Thu H", size=2, page=3)
    assert (beyond["items"], beyond["total"], beyond["total_exact"]) == ([], 3, True)
    # Two words may match much of a register: counted up to the cap, as any other filter.
    two = await _page(factory, w.officer_a, q="thu h", size=2)
    assert [m["full_name"] for m in two["items"]] == ["Lê Nguyễn Thị Thu Hà", "Nguyễn Thị Thu Hà"]
    assert two["total_exact"] is False


@pytest.mark.parametrize("small_scope_unions", [0, 64])
async def test_a_name_search_with_status_and_gender_pages_as_its_cursor_does(
    factory: Factory, monkeypatch: pytest.MonkeyPatch, small_scope_unions: int
) -> None:
    # By page number such a search runs one statement built once; with a cursor, or with
    # another filter, statements built for the request. Both must list the same members.
    monkeypatch.setattr(search, "SMALL_SCOPE_UNIONS", small_scope_unions)
    w = await build_world(factory)
    women = ["Lê Thị Thu An", "Lê Thị Thu Bình", "Lê Thị Thu Cúc", "Lê Thị Thu Dung"]
    made = {}
    for name in women:
        made[name] = await admit(
            factory, w.officer_a, w.grassroots_a, full_name=name, gender="female"
        )
    await admit(factory, w.officer_a, w.grassroots_a2, full_name="Lê Thị Thu Anh", gender="male")
    r = await act(factory, w.officer_a, made["Lê Thị Thu Bình"]["id"], "suspend", "2024-01-02")
    assert r.status_code == 200, r.text
    await admit(factory, w.officer_b, w.grassroots_b, full_name="Lê Thị Thu Em", gender="female")
    wanted = {"q": "le thi thu", "status": "active", "gender": "female", "size": 2}
    first = await _page(factory, w.officer_a, **wanted)
    assert [m["full_name"] for m in first["items"]] == ["Lê Thị Thu An", "Lê Thị Thu Cúc"]
    assert (first["total"], first["pages"], first["total_exact"]) == (3, 2, True)
    second = await _page(factory, w.officer_a, **wanted, page=2)
    assert [m["full_name"] for m in second["items"]] == ["Lê Thị Thu Dung"]
    by_cursor = await _page(factory, w.officer_a, **wanted, cursor=first["next_cursor"])
    assert by_cursor["items"] == second["items"]
    # Personal data stays masked on a search page as on any other.
    assert all(m["pii_masked"] and m["personal_id"].startswith("***") for m in first["items"])


async def test_an_age_filter_on_a_date_in_the_first_centuries(factory: Factory) -> None:
    # as_of in year 44 with age_min 120 once asked for people born before year 1 (a 500): the
    # date is refused at the boundary with the field and a code the web app translates.
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a)
    r = await factory.client.get(
        API, params={"as_of": "0044-01-01", "age_min": 120}, headers=w.officer_a
    )
    assert r.status_code == 422, r.text
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [("as_of", "date_out_of_range")]
