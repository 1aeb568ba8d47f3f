"""Dates outside 1900-2100 are refused at the boundary with 422 (field + code), never 500."""

from datetime import date
from typing import Any

import pytest

from tests.factories import Factory
from tests.unions.helpers import build_tree
from unionhub.imports.values import CellError, day
from unionhub.members.repository import _years_before

QUERY_CASES: list[tuple[str, str, dict[str, str], str]] = [
    # the reported crash: date arithmetic below year 1
    ("as_of+age", "/api/v1/members", {"as_of": "0039-11-29", "age_min": "53"}, "as_of"),
    ("as_of far future", "/api/v1/members", {"as_of": "9999-12-31", "age_max": "5"}, "as_of"),
    ("admitted_from", "/api/v1/members", {"admitted_from": "0001-01-01"}, "admitted_from"),
    ("admitted_to", "/api/v1/members", {"admitted_to": "2101-01-01"}, "admitted_to"),
    ("export as_of", "/api/v1/members/export", {"as_of": "0039-11-29"}, "as_of"),
    ("tree as_of", "/api/v1/unions/tree", {"as_of": "1899-12-31"}, "as_of"),
    ("audit from", "/api/v1/audit", {"from": "0001-01-01T00:00:00+14:00"}, "from"),
    ("audit to", "/api/v1/audit", {"to": "9999-12-31T23:59:59-12:00"}, "to"),
]


@pytest.mark.parametrize(
    ("label", "url", "params", "field"), QUERY_CASES, ids=[c[0] for c in QUERY_CASES]
)
async def test_out_of_range_query_dates(
    factory: Factory, label: str, url: str, params: dict[str, str], field: str
) -> None:
    t = await build_tree(factory)
    r = await factory.client.get(url, params=params, headers=t.admin)
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert {"field": field, "in": "query", "code": "date_out_of_range"}.items() <= errors[0].items()


async def test_the_edges_of_the_range_are_accepted(factory: Factory) -> None:
    t = await build_tree(factory)
    for params in (
        {"as_of": "1900-01-01", "age_min": "120"},
        {"as_of": "2100-12-31", "age_max": "0"},
    ):
        r = await factory.client.get("/api/v1/members", params=params, headers=t.admin)
        assert r.status_code == 200, r.text


async def test_out_of_range_body_dates(factory: Factory) -> None:
    t = await build_tree(factory)
    bodies: list[tuple[str, str, dict[str, Any], str]] = [
        (
            "POST",
            "/api/v1/members",
            {
                "full_name": "Nguyễn Văn An",
                "date_of_birth": "0039-11-29",
                "gender": "male",
                "union_id": str(t.grassroots_a.id),
                "admission_date": "2020-01-01",
            },
            "date_of_birth",
        ),
        (
            "POST",
            f"/api/v1/unions/{t.district_a.id}/dissolve",
            {"effective_date": "3000-01-01", "decision_no": "1/QĐ"},
            "effective_date",
        ),
    ]
    for method, url, body, field in bodies:
        r = await factory.client.request(method, url, json=body, headers=t.admin)
        assert r.status_code == 422, (url, r.text)
        codes = {(e["field"], e["code"]) for e in r.json()["errors"]}
        assert (field, "date_out_of_range") in codes, (url, codes)


@pytest.mark.parametrize("raw", ["01/01/0039", "0039-11-29", "31/12/2101", date(1850, 5, 1)])
def test_imported_dates_out_of_range_are_row_errors(raw: object) -> None:
    with pytest.raises(CellError) as caught:
        day(raw)  # type: ignore[arg-type]
    assert caught.value.code == "date_out_of_range"


def test_age_arithmetic_off_the_calendar_does_not_raise() -> None:
    assert _years_before(date(39, 11, 29), 53) == date.min
    assert _years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
