"""A province with two districts, officers for each, and enterprise request helpers."""

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from httpx import AsyncClient, Response

from tests.factories import Factory
from unionhub.unions.models import Union

API = "/api/v1/enterprises"

# Valid tax codes, check digits worked out by hand with the weights 31,29,23,19,17,13,7,5,3
# (0100109106 and 0300588569 are real registrations).
VALID_CODES = [
    "0100109106",
    "0300588569",
    "0312345673",
    "1200100148",
    "8200123451",
    "8700543214",
]
_serial = itertools.count(1)


def fresh_tax_code() -> str:
    """A valid, not yet used 10-digit tax code (province 87, running serial)."""
    while True:
        first = f"87{next(_serial) + 1_000_000:07d}"
        total = sum(
            int(d) * w for d, w in zip(first, (31, 29, 23, 19, 17, 13, 7, 5, 3), strict=True)
        )
        check = 10 - total % 11
        if check != 10:
            return f"{first}{check}"


@dataclass
class World:
    province: Union
    district_a: Union
    district_b: Union
    grassroots_a: Union
    admin: dict[str, str]
    officer_a: dict[str, str]
    officer_b: dict[str, str]
    viewer_a: dict[str, str]


async def build_world(factory: Factory) -> World:
    province = await factory.union(name="Liên đoàn Lao động tỉnh Đồng Tháp", code="DT")
    district_a = await factory.union(province, name="Liên đoàn Lao động huyện Cái Bè", code="CB")
    district_b = await factory.union(
        province, name="Liên đoàn Lao động thành phố Mỹ Tho", code="MT"
    )
    grassroots_a = await factory.union(
        district_a,
        name="Công đoàn cơ sở Trường THPT Cái Bè",
        code="CB-THPT",
        kind="school_union",
        sector="state",
    )
    return World(
        province=province,
        district_a=district_a,
        district_b=district_b,
        grassroots_a=grassroots_a,
        admin=await factory.headers_for("admin", province),
        officer_a=await factory.headers_for("union_officer", district_a),
        officer_b=await factory.headers_for("union_officer", district_b),
        viewer_a=await factory.headers_for("viewer", district_a),
    )


def body(responsible: Union, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Công ty TNHH Thủy sản Cái Bè",
        "tax_code": fresh_tax_code(),
        "ownership": "non_state_domestic",
        "responsible_union_id": str(responsible.id),
        "commune_code": "28435",
    }
    data.update(overrides)
    return data


async def create(
    client: AsyncClient, headers: dict[str, str], responsible: Union, **overrides: Any
) -> dict[str, Any]:
    r = await client.post(API, json=body(responsible, **overrides), headers=headers)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def survey(
    client: AsyncClient,
    headers: dict[str, str],
    enterprise_id: str,
    total: int,
    female: int = 0,
    on: date = date(2024, 6, 30),
) -> Response:
    return await client.post(
        f"{API}/{enterprise_id}/surveys",
        json={"surveyed_on": on.isoformat(), "total_workers": total, "female_workers": female},
        headers=headers,
    )


def problem(r: Response, status: int) -> dict[str, Any]:
    """Assert an RFC 9457 problem with this status and return its body."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    data: dict[str, Any] = r.json()
    assert data["status"] == status
    return data


def field_error(r: Response, field: str, code: str, status: int = 422) -> dict[str, Any]:
    data = problem(r, status)
    pairs = [(e["field"], e["code"]) for e in data.get("errors") or []]
    assert (field, code) in pairs, pairs
    return data
