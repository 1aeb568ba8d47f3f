"""The course calendar asks the list for the courses overlapping a month (a span that starts
before it or ends after it counts), within a union's subtree; a period given backwards or a
date outside the calendar is refused as problem+json naming the query parameter."""

from tests.factories import Factory
from tests.training.helpers import COURSES, call, course


async def test_courses_overlapping_a_month_within_a_subtree(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh Đồng Tháp")
    district = await factory.union(province, name="LĐLĐ huyện Cái Bè")
    other = await factory.union(province, name="LĐLĐ thành phố Mỹ Tho")
    officer = await factory.headers_for("federation_officer", province)
    dated = {
        "before": ("2025-02-20", "2025-02-28", province),
        "into March": ("2025-02-27", "2025-03-02", district),
        "in March": ("2025-03-10", "2025-03-12", district),
        "out of March": ("2025-03-31", "2025-04-02", other),
        "after": ("2025-04-01", "2025-04-03", district),
    }
    for title, (starts, ends, union) in dated.items():
        await course(factory, officer, union, title=title, starts_on=starts, ends_on=ends)

    march = "starts_from=2025-03-01&starts_to=2025-03-31&size=200"
    listed = await call(factory, "GET", f"{COURSES}?{march}", officer)
    assert sorted(c["title"] for c in listed["items"]) == ["in March", "into March", "out of March"]
    assert listed["total"] == 3

    # The same month, within the district's subtree only.
    mine = await call(factory, "GET", f"{COURSES}?{march}&union_id={district.id}", officer)
    assert sorted(c["title"] for c in mine["items"]) == ["in March", "into March"]

    # One day: the courses running that day, its first and last days included.
    day = await call(
        factory, "GET", f"{COURSES}?starts_from=2025-03-02&starts_to=2025-03-02", officer
    )
    assert [c["title"] for c in day["items"]] == ["into March"]


async def test_a_reversed_or_impossible_period_is_refused(factory: Factory) -> None:
    province = await factory.union()
    officer = await factory.headers_for("federation_officer", province)
    await course(factory, officer, province)

    backwards = await call(
        factory,
        "GET",
        f"{COURSES}?starts_from=2025-03-31&starts_to=2025-03-01",
        officer,
        expect=422,
    )
    assert backwards["code"] == "validation_error"
    (error,) = backwards["errors"]
    assert (error["field"], error["in"], error["code"]) == ("starts_to", "query", "period_reversed")
    assert error["params"] == {"from": "2025-03-31", "to": "2025-03-01"}

    far = await call(factory, "GET", f"{COURSES}?starts_from=1800-01-01", officer, expect=422)
    assert far["errors"][0]["code"] == "date_out_of_range"
    assert far["errors"][0]["in"] == "query"
    bad = await call(factory, "GET", f"{COURSES}?starts_to=2025-02-30", officer, expect=422)
    assert bad["errors"][0]["in"] == "query"
