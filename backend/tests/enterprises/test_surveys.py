"""Worker surveys: dated history, the latest one is the current size."""

from datetime import date, timedelta

from sqlalchemy import select

from tests.enterprises.helpers import API, build_world, create, field_error, problem, survey
from tests.factories import Factory
from unionhub.core.audit import AuditEntry


async def test_latest_survey_is_current_size_and_history_is_kept(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    e = await create(c, w.officer_a, w.district_a)
    url = f"{API}/{e['id']}"

    r = await survey(c, w.officer_a, e["id"], 120, 80, date(2023, 6, 30))
    assert r.status_code == 201, r.text
    assert r.json()["is_current"] is True
    assert r.headers["ETag"] == '"2"'  # the enterprise changed: its cached copy is stale
    got = (await c.get(url, headers=w.officer_a)).json()
    assert (got["total_workers"], got["female_workers"], got["surveyed_on"]) == (
        120,
        80,
        "2023-06-30",
    )

    r = await survey(c, w.officer_a, e["id"], 150, 90, date(2024, 12, 31))
    assert r.json()["is_current"] is True
    # an older survey entered late goes into the history only
    r = await survey(c, w.officer_a, e["id"], 90, 40, date(2022, 1, 15))
    assert r.status_code == 201 and r.json()["is_current"] is False
    got = (await c.get(url, headers=w.officer_a)).json()
    assert (got["total_workers"], got["female_workers"], got["surveyed_on"]) == (
        150,
        90,
        "2024-12-31",
    )
    assert got["version"] == 3

    history = await c.get(f"{url}/surveys", headers=w.viewer_a)
    assert history.status_code == 200
    rows = history.json()
    assert [(s["surveyed_on"], s["total_workers"], s["is_current"]) for s in rows] == [
        ("2024-12-31", 150, True),
        ("2023-06-30", 120, False),
        ("2022-01-15", 90, False),
    ]
    user_id = (await c.get("/api/v1/auth/me", headers=w.officer_a)).json()["id"]
    assert {s["recorded_by"] for s in rows} == {user_id}
    actions = (
        (await factory.db.execute(select(AuditEntry.action).where(AuditEntry.entity_id == e["id"])))
        .scalars()
        .all()
    )
    assert sorted(actions) == ["enterprise.create"] + ["enterprise.survey"] * 3


async def test_same_day_resurvey_corrects_the_size(factory: Factory) -> None:
    w = await build_world(factory)
    e = await create(factory.client, w.officer_a, w.district_a)
    await survey(factory.client, w.officer_a, e["id"], 40, 10, date(2024, 3, 1))
    r = await survey(factory.client, w.officer_a, e["id"], 45, 12, date(2024, 3, 1))
    assert r.json()["is_current"] is True
    got = (await factory.client.get(f"{API}/{e['id']}", headers=w.officer_a)).json()
    assert (got["total_workers"], got["female_workers"]) == (45, 12)
    rows = (await factory.client.get(f"{API}/{e['id']}/surveys", headers=w.officer_a)).json()
    assert [(s["total_workers"], s["is_current"]) for s in rows] == [(45, True), (40, False)]


async def test_invalid_surveys_are_refused(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    e = await create(c, w.officer_a, w.district_a)
    field_error(
        await survey(c, w.officer_a, e["id"], 10, 11), "female_workers", "female_exceeds_total"
    )
    field_error(await survey(c, w.officer_a, e["id"], -1, 0), "total_workers", "too_small")
    field_error(await survey(c, w.officer_a, e["id"], 10, -2), "female_workers", "too_small")
    tomorrow = date.today() + timedelta(days=1)
    field_error(
        await survey(c, w.officer_a, e["id"], 10, 2, tomorrow), "surveyed_on", "date_in_future"
    )
    r = await c.post(
        f"{API}/{e['id']}/surveys",
        json={"total_workers": 5, "female_workers": 1},
        headers=w.officer_a,
    )
    field_error(r, "surveyed_on", "required")
    problem(await survey(c, w.viewer_a, e["id"], 10, 2), 403)
    # nothing above was recorded
    rows = (await c.get(f"{API}/{e['id']}/surveys", headers=w.officer_a)).json()
    assert rows == []
    got = (await c.get(f"{API}/{e['id']}", headers=w.officer_a)).json()
    assert (got["total_workers"], got["version"]) == (None, 1)
