"""The large lists besides the member register page by cursor too: the enterprises in name
order (Vietnamese collation: Đ after D) and the audit log, newest first, ties by id."""

from typing import Any

from tests.enterprises.helpers import API as ENTERPRISES
from tests.enterprises.helpers import build_world, create
from tests.factories import Factory


async def _walk(factory: Factory, url: str, headers: dict[str, str], **params: Any) -> list[Any]:
    seen: list[Any] = []
    query: dict[str, Any] = {"size": 2, **params}
    while True:
        r = await factory.client.get(url, params=query, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        seen += body["items"]
        if body["next_cursor"] is None:
            return seen
        query["cursor"] = body["next_cursor"]


async def test_enterprises_by_cursor_in_vietnamese_order(factory: Factory) -> None:
    w = await build_world(factory)
    for name in ("Công ty Đồng Tháp", "Công ty Dệt", "Công ty Ánh Dương", "Công ty An Phú", "Z"):
        await create(factory.client, w.officer_a, w.district_a, name=name)
    by_page = await factory.client.get(ENTERPRISES, params={"size": 50}, headers=w.officer_a)
    expected = [e["name"] for e in by_page.json()["items"]]
    assert expected == [
        "Công ty An Phú",
        "Công ty Ánh Dương",
        "Công ty Dệt",
        "Công ty Đồng Tháp",
        "Z",
    ]
    assert [e["name"] for e in await _walk(factory, ENTERPRISES, w.officer_a)] == expected
    r = await factory.client.get(
        ENTERPRISES,
        params={"sort": "-name", "cursor": "WyJhIiwiYiJd"},
        headers=w.officer_a,
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "cursor_invalid"


async def test_the_audit_log_by_cursor(factory: Factory) -> None:
    w = await build_world(factory)
    for name in ("Một", "Hai", "Ba"):
        await create(factory.client, w.admin, w.district_a, name=f"Công ty {name}")
    everything = await factory.client.get("/api/v1/audit", params={"size": 200}, headers=w.admin)
    expected = [e["id"] for e in everything.json()["items"]]
    assert len(expected) >= 5
    walked = await _walk(factory, "/api/v1/audit", w.admin)
    assert [e["id"] for e in walked] == expected
