"""A small province for the member tests, valid member bodies, and request helpers."""

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from httpx import Response
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from unionhub.unions.models import Union

API = "/api/v1/members"
_serial = itertools.count(1)


@dataclass
class World:
    """Province with districts A (Cái Bè) and B (Mỹ Tho); grassroots unions and a group."""

    province: Union
    district_a: Union
    district_b: Union
    grassroots_a: Union
    grassroots_a2: Union
    group_a: Union
    grassroots_b: Union
    admin: dict[str, str]
    officer_a: dict[str, str]
    officer_b: dict[str, str]
    grassroots_officer_a: dict[str, str]
    viewer_a: dict[str, str]


async def build_world(factory: Factory) -> World:
    province = await factory.union(name="Liên đoàn Lao động tỉnh Đồng Tháp")
    district_a = await factory.union(province, name="Liên đoàn Lao động huyện Cái Bè")
    district_b = await factory.union(province, name="Liên đoàn Lao động thành phố Mỹ Tho")
    grassroots_a = await factory.union(district_a, name="Công đoàn cơ sở Công ty Thủy sản Cái Bè")
    grassroots_a2 = await factory.union(
        district_a, name="Công đoàn cơ sở Trường THPT Cái Bè", kind="school_union", sector="state"
    )
    group_a = await factory.union(grassroots_a, name="Tổ công đoàn Phân xưởng 1")
    grassroots_b = await factory.union(district_b, name="Công đoàn cơ sở Công ty May Mỹ Tho")
    return World(
        province,
        district_a,
        district_b,
        grassroots_a,
        grassroots_a2,
        group_a,
        grassroots_b,
        admin=await factory.headers_for("admin", province),
        officer_a=await factory.headers_for("union_officer", district_a),
        officer_b=await factory.headers_for("union_officer", district_b),
        grassroots_officer_a=await factory.headers_for("grassroots_officer", grassroots_a),
        viewer_a=await factory.headers_for("viewer", district_a),
    )


def personal_id(born: date, gender: str = "male", province: str = "082") -> str:
    """A personal ID consistent with the birth date and gender (unique serial per call)."""
    marker = (born.year // 100 - 19) * 2 + (1 if gender == "female" else 0)
    return f"{province}{marker}{born.year % 100:02d}{next(_serial):06d}"


def member_body(union: Union, **overrides: Any) -> dict[str, Any]:
    born = date.fromisoformat(overrides.pop("date_of_birth", "1990-05-12"))
    gender = overrides.get("gender", "male")
    body: dict[str, Any] = {
        "full_name": "Nguyễn Văn An",
        "date_of_birth": born.isoformat(),
        "gender": gender,
        "personal_id": personal_id(born, gender),
        "phone": "0912 345 678",
        "union_id": str(union.id),
        "admission_date": "2020-01-15",
    }
    body.update(overrides)
    return body


async def admit(
    factory: Factory, headers: dict[str, str], union: Union, **overrides: Any
) -> dict[str, Any]:
    r = await factory.client.post(API, json=member_body(union, **overrides), headers=headers)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def act(
    factory: Factory,
    headers: dict[str, str],
    member_id: str,
    action: str,
    effective: str,
    **extra: Any,
) -> Response:
    return await factory.client.post(
        f"{API}/{member_id}/{action}",
        json={"effective_date": effective, **extra},
        headers=headers,
    )


def problem(r: Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    return body


def field_codes(r: Response, status: int = 422) -> set[tuple[str, str]]:
    body = problem(r, status)
    return {(e["field"], e["code"]) for e in body.get("errors") or []}


async def names(factory: Factory, headers: dict[str, str], **params: Any) -> list[str]:
    r = await factory.client.get(API, params={"size": 200, **params}, headers=headers)
    assert r.status_code == 200, r.text
    return [m["full_name"] for m in r.json()["items"]]


async def refused(
    db: AsyncSession, sqlstate: str, constraint: str, statement: Any, **params: object
) -> None:
    """`statement` (SQL text or a `text()` clause) is refused by the database with `sqlstate`,
    naming `constraint`, inside a savepoint (the test's transaction goes on)."""
    with pytest.raises(IntegrityError) as caught:
        async with db.begin_nested():
            await db.execute(text(statement) if isinstance(statement, str) else statement, params)
    orig = caught.value.orig
    assert getattr(orig, "sqlstate", None) == sqlstate
    assert constraint in str(orig)
