"""Driving training through the API, as the officers do."""

import itertools
from typing import Any

from sqlalchemy import select

from tests.factories import Factory
from unionhub.training.models import CourseKind
from unionhub.unions.models import Union

COURSES = "/api/v1/training/courses"
_serial = itertools.count(100001)


def qualifications_url(member_id: str) -> str:
    return f"/api/v1/members/{member_id}/qualifications"


async def member(
    factory: Factory,
    headers: dict[str, str],
    union: Union,
    name: str = "Nguyễn Văn An",
    **extra: Any,
) -> dict[str, Any]:
    """A member of `union`, born 1990 (the personal id agrees)."""
    body = {
        "full_name": name,
        "date_of_birth": "1990-05-12",
        "gender": "male",
        "personal_id": f"082090{next(_serial):06d}",
        "union_id": str(union.id),
        "admission_date": "2015-01-01",
        **extra,
    }
    r = await factory.client.post("/api/v1/members", json=body, headers=headers)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def kind_id(factory: Factory, code: str) -> str:
    found = await factory.db.scalar(select(CourseKind.id).where(CourseKind.code == code))
    assert found is not None, code
    return str(found)


async def course(
    factory: Factory, headers: dict[str, str], organiser: Union, **extra: Any
) -> dict[str, Any]:
    body = {
        "kind_id": await kind_id(factory, extra.pop("kind", "UW-BASIC")),
        "title": "Bồi dưỡng nghiệp vụ công đoàn cơ bản khóa 1/2024",
        "organiser_union_id": str(organiser.id),
        "starts_on": "2024-03-04",
        "ends_on": "2024-03-06",
        **extra,
    }
    r = await factory.client.post(COURSES, json=body, headers=headers)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def call(
    factory: Factory,
    method: str,
    url: str,
    headers: dict[str, str],
    body: Any = None,
    expect: int = 200,
) -> Any:
    r = await factory.client.request(method, url, json=body, headers=headers)
    assert r.status_code == expect, f"{method} {url}: {r.status_code} {r.text}"
    return r.json() if r.content else None
