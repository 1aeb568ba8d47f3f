"""A small province for the periodic report tests, counted by hand.

    P  LĐLĐ tỉnh thử (state)
      A  LĐLĐ huyện A
        GA1 CĐCS Công ty A1 (non-state; enterprise with 40 workers)
            a1 female admitted 01/08/2026, a2 male admitted 01/01/2025 -> transferred to GB1
            on 10/09/2026
        GA2 CĐCS Trường A2 (state): a3 female admitted 15/07/2026
        GA3 CĐCS Công ty A3 (non-state), founded 05/08/2026 (no members)
      B  LĐLĐ huyện B
        GB1 CĐCS Công ty B1 (non-state): b1 male admitted 01/09/2026, b2 female 01/05/2024
        GB2 CĐCS Công ty B2 (non-state), dissolved 15/09/2026
      GP CĐCS Văn phòng tỉnh (state, directly under the province; not asked): p1 female
         admitted 20/08/2026

The request covers the third quarter of 2026 (01/07-30/09) and goes to A and B.

    figure (Q3 2026)          A            B            P's own (GP)   P live
    members at start          1 (a2)       1 (b2)       0              2
    admitted                  2 (a1, a3)   1 (b1)       1 (p1)         4
      of them female          2            0            1              3
    transfers in              0            1 (a2)       0              0 (inside P)
    transfers out             1 (a2)       0            0              0
    members at end            2            3            1              6
    CĐCS founded              1 (GA3)      0            0              1
    CĐCS dissolved            0            1 (GB2)      0              1
    workers                   40           0            0              40
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from httpx import Response

from tests.factories import Factory
from tests.indicators.helpers import _enterprise
from tests.members.helpers import admit
from unionhub.unions.models import Union

REQUESTS = "/api/v1/report-requests"
REPORTS = "/api/v1/reports"
TEMPLATES = "/api/v1/report-templates"
Q3 = ("2026-07-01", "2026-09-30")


@dataclass
class Province:
    p: Union
    a: Union
    b: Union
    ga1: Union
    gb1: Union
    gp: Union
    admin: dict[str, str]
    province: dict[str, str]  # a federation officer at P
    officer_a: dict[str, str]
    officer_b: dict[str, str]
    grassroots_a: dict[str, str]  # a grassroots officer at GA1
    viewer_b: dict[str, str]


async def build_province(factory: Factory) -> Province:
    p = await factory.union(name="LĐLĐ tỉnh thử", sector="state")
    a = await factory.union(p, name="LĐLĐ huyện A", sector="state")
    b = await factory.union(p, name="LĐLĐ huyện B", sector="state")
    firm = await _enterprise(
        factory, "Công ty A1", "non_state_domestic", a, [(date(2026, 1, 1), 40)]
    )
    ga1 = await factory.union(a, name="CĐCS Công ty A1", enterprise_id=firm.id)
    ga2 = await factory.union(a, name="CĐCS Trường A2", sector="state")
    await factory.union(a, name="CĐCS Công ty A3", founded_on=date(2026, 8, 5))
    gb1 = await factory.union(b, name="CĐCS Công ty B1")
    gb2 = await factory.union(b, name="CĐCS Công ty B2")
    gp = await factory.union(p, level="grassroots", name="CĐCS Văn phòng tỉnh", sector="state")
    admin = await factory.headers_for("admin", p)
    people = {
        "a1": (ga1, "female", "2026-08-01"),
        "a2": (ga1, "male", "2025-01-01"),
        "a3": (ga2, "female", "2026-07-15"),
        "b1": (gb1, "male", "2026-09-01"),
        "b2": (gb1, "female", "2024-05-01"),
        "p1": (gp, "female", "2026-08-20"),
    }
    ids: dict[str, str] = {}
    for name, (union, gender, admitted) in people.items():
        m = await admit(
            factory,
            admin,
            union,
            full_name=f"Đoàn viên {name}",
            gender=gender,
            admission_date=admitted,
        )
        ids[name] = m["id"]
    r = await factory.client.post(
        f"/api/v1/members/{ids['a2']}/transfer",
        json={"to_union_id": str(gb1.id), "effective_date": "2026-09-10"},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    r = await factory.client.post(
        f"/api/v1/unions/{gb2.id}/dissolve",
        json={"effective_date": "2026-09-15", "decision_no": "15/QĐ"},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    return Province(
        p=p,
        a=a,
        b=b,
        ga1=ga1,
        gb1=gb1,
        gp=gp,
        admin=admin,
        province=await factory.headers_for("federation_officer", p),
        officer_a=await factory.headers_for("union_officer", a),
        officer_b=await factory.headers_for("union_officer", b),
        grassroots_a=await factory.headers_for("grassroots_officer", ga1),
        viewer_b=await factory.headers_for("viewer", b),
    )


async def template_id(factory: Factory, headers: dict[str, str], code: str) -> str:
    r = await factory.client.get(TEMPLATES, headers=headers)
    assert r.status_code == 200, r.text
    (found,) = [t for t in r.json() if t["code"] == code]
    return str(found["id"])


async def send_request(
    factory: Factory,
    w: Province,
    *,
    deadline: date | None = None,
    code: str = "org-members-quarter",
    **extra: Any,
) -> dict[str, Any]:
    body = {
        "union_id": str(w.p.id),
        "template_id": await template_id(factory, w.province, code),
        "period_from": Q3[0],
        "period_to": Q3[1],
        "deadline": (deadline or date.today() + timedelta(days=10)).isoformat(),
        "unit_ids": [str(w.a.id), str(w.b.id)],
        **extra,
    }
    r = await factory.client.post(REQUESTS, json=body, headers=w.province)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def report_of(
    factory: Factory, headers: dict[str, str], request_id: str, union: Union
) -> dict[str, Any]:
    r = await factory.client.get(
        REPORTS, params={"request_id": request_id, "union_id": str(union.id)}, headers=headers
    )
    assert r.status_code == 200, r.text
    (found,) = r.json()["items"]
    out: dict[str, Any] = found
    return out


async def post(
    factory: Factory, headers: dict[str, str], report: dict[str, Any], action: str, **body: Any
) -> Response:
    return await factory.client.post(
        f"{REPORTS}/{report['id']}/{action}",
        json=body or None,
        headers={**headers, "If-Match": f'"{report["version"]}"'},
    )


def cells(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every figure of a report by its cell id (section/row/column)."""
    return {
        c["cell"]: c
        for s in report["sections"]
        if s["kind"] == "table"
        for row in s["rows"]
        for c in row["cells"]
    }


def figures(report: dict[str, Any]) -> dict[str, int | None]:
    return {k: c["numerator"] for k, c in cells(report).items() if c["available"]}


def section(report: dict[str, Any], key: str) -> dict[str, Any]:
    (found,) = [s for s in report["sections"] if s["key"] == key]
    out: dict[str, Any] = found
    return out
