"""A small province tree shared by the union-tree tests, and request helpers."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from httpx import Response

from tests.factories import Factory
from unionhub.unions.models import Union

API = "/api/v1/unions"
TODAY = date.today()
TOMORROW = TODAY + timedelta(days=1)


@dataclass
class Tree:
    """Province P with districts A (Cái Bè) and B (Mỹ Tho); grassroots and groups under each."""

    province: Union
    district_a: Union
    district_b: Union
    grassroots_a: Union
    grassroots_a2: Union
    group_a: Union
    grassroots_b: Union
    admin: dict[str, str]


async def build_tree(factory: Factory) -> Tree:
    province = await factory.union(name="Liên đoàn Lao động tỉnh Đồng Tháp", code="DT")
    district_a = await factory.union(province, name="Liên đoàn Lao động huyện Cái Bè", code="DT-CB")
    district_b = await factory.union(
        province, name="Liên đoàn Lao động thành phố Mỹ Tho", code="DT-MT"
    )
    grassroots_a = await factory.union(
        district_a,
        name="Công đoàn cơ sở Công ty Thủy sản Cái Bè",
        code="DT-CB-TS",
        sector="non_state",
    )
    grassroots_a2 = await factory.union(
        district_a,
        name="Công đoàn cơ sở Trường THPT Cái Bè",
        code="DT-CB-THPT",
        kind="school_union",
        sector="state",
    )
    group_a = await factory.union(
        grassroots_a, name="Tổ công đoàn Phân xưởng 1", code="DT-CB-TS-T1"
    )
    grassroots_b = await factory.union(
        district_b, name="Công đoàn cơ sở Công ty May Mỹ Tho", code="DT-MT-MAY"
    )
    admin = await factory.headers_for("admin", province)
    return Tree(
        province, district_a, district_b, grassroots_a, grassroots_a2, group_a, grassroots_b, admin
    )


def problem(r: Response, status: int) -> dict[str, Any]:
    """Assert an RFC 9457 problem with this status and return its body."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert body["code"]
    return body


def field_error(r: Response, field: str, code: str, status: int = 422) -> dict[str, Any]:
    """Assert a validation problem naming `field` with `code`."""
    body = problem(r, status)
    pairs = [(e["field"], e["code"]) for e in body.get("errors") or []]
    assert (field, code) in pairs, pairs
    return body


def found_body(parent: Union | None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "NEW-001",
        "name": "Công đoàn cơ sở Công ty TNHH Mới",
        "level": "grassroots",
        "kind": "enterprise_union",
        "sector": "non_state",
        "parent_id": str(parent.id) if parent else None,
        "founded_on": "2020-03-15",
        "founding_decision_no": "15/QĐ-LĐLĐ",
    }
    body.update(overrides)
    return body


def decision(effective: date, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"effective_date": effective.isoformat(), "decision_no": "99/QĐ-LĐLĐ"}
    body.update(overrides)
    return body
