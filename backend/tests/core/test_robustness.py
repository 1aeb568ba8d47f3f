"""Hostile or broken input answers 4xx problem+json naming the field, never a 500."""

import json
from datetime import date, timedelta
from typing import Any

import pytest
from httpx import Response
from sqlalchemy import func, select

from tests.factories import Factory
from tests.unions.helpers import API, Tree, build_tree, found_body
from unionhub.enterprises.models import Enterprise
from unionhub.unions.models import Union

JSON = {"content-type": "application/json"}
# Far enough ahead that a run crossing midnight still sends a day after "today" (the cases are
# built when the module is collected).
A_MONTH_ON = date.today() + timedelta(days=30)


def assert_field_problem(r: Response, field: str, code: str | None = None) -> dict[str, Any]:
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body: dict[str, Any] = r.json()
    assert body["status"] == r.status_code and body["code"] and body["type"].startswith("https://")
    errors = body.get("errors") or []
    assert errors, body
    assert all({"field", "in", "code", "message"} <= e.keys() for e in errors), errors
    pairs = [(e["field"], e["code"]) for e in errors]
    if code is None:
        assert field in [p[0] for p in pairs], pairs
    else:
        assert (field, code) in pairs, pairs
    return body


async def _count(factory: Factory) -> int:
    return int(await factory.db.scalar(select(func.count()).select_from(Union)) or 0)


FOUND_CASES: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("nul in name", {"name": "Công đoàn\x00cơ sở"}, "name", "nul_character"),
    ("nul in short name", {"short_name": "CĐ\x00"}, "short_name", "nul_character"),
    (
        "nul in decision",
        {"founding_decision_no": "1\x00/QĐ"},
        "founding_decision_no",
        "nul_character",
    ),
    ("nul in address", {"address": "Ấp 1\x00"}, "address", "nul_character"),
    ("nul in code", {"code": "AB\x00C"}, "code", "invalid_format"),
    ("nul in email", {"email": "a\x00@b.vn"}, "email", None),
    ("control character", {"name": "Công đoàn\x07"}, "name", "control_character"),
    ("DEL and C1 controls", {"name": "Công\x7f đoàn\x85"}, "name", "control_character"),
    ("blank name", {"name": "   "}, "name", "required"),
    ("name too long", {"name": "x" * 256}, "name", "too_long"),
    ("name too long after NFC", {"name": "\u0958" * 200}, "name", "too_long"),
    ("short name too long", {"short_name": "x" * 101}, "short_name", "too_long"),
    ("code too long", {"code": "X" * 33}, "code", "too_long"),
    ("code with spaces inside", {"code": "AB CD"}, "code", "invalid_format"),
    ("address too long", {"address": "x" * 501}, "address", "too_long"),
    ("decision too long", {"founding_decision_no": "1" * 65}, "founding_decision_no", "too_long"),
    ("email too long", {"email": "a" * 250 + "@b.vn"}, "email", None),
    ("commune code letters", {"commune_code": "2843A"}, "commune_code", "invalid_format"),
    ("phone letters", {"phone": "call me"}, "phone", "invalid_format"),
    ("name is a number", {"name": 123}, "name", "not_string"),
    ("name is a list", {"name": ["a"]}, "name", "not_string"),
    ("level unknown", {"level": "village"}, "level", "invalid_choice"),
    ("level is a number", {"level": 3}, "level", "invalid_choice"),
    ("parent id is a number", {"parent_id": 12345}, "parent_id", "invalid_uuid"),
    ("parent id malformed", {"parent_id": "not-a-uuid"}, "parent_id", "invalid_uuid"),
    ("enterprise id malformed", {"enterprise_id": "123"}, "enterprise_id", "invalid_uuid"),
    ("date impossible", {"founded_on": "2024-02-30"}, "founded_on", "invalid_date"),
    ("date slashes", {"founded_on": "15/03/2020"}, "founded_on", "invalid_date"),
    ("date year 99999", {"founded_on": "99999-01-01"}, "founded_on", "invalid_date"),
    ("date huge integer", {"founded_on": 10**20}, "founded_on", "invalid_date"),
    ("date fractional", {"founded_on": 1.5}, "founded_on", "invalid_date"),
    ("date boolean", {"founded_on": True}, "founded_on", "invalid_date"),
    ("decision date impossible", {"decision_date": "2020-13-01"}, "decision_date", "invalid_date"),
    ("unknown field", {"path": "1.2.3"}, "path", "unknown_field"),
    ("server-owned field", {"status": "dissolved"}, "status", "unknown_field"),
    ("version field", {"version": 99}, "version", "unknown_field"),
    ("id field", {"id": "0190f1a2-7b3c-7d4e-8f50-123456789abc"}, "id", "unknown_field"),
]


@pytest.mark.parametrize(
    ("label", "patch", "field", "code"), FOUND_CASES, ids=[c[0] for c in FOUND_CASES]
)
async def test_found_rejects(
    factory: Factory, label: str, patch: dict[str, Any], field: str, code: str | None
) -> None:
    t = await build_tree(factory)
    before = await _count(factory)
    r = await factory.client.post(API, json=found_body(t.district_a, **patch), headers=t.admin)
    assert_field_problem(r, field, code)
    assert r.status_code == 422
    assert await _count(factory) == before


async def test_found_requires_fields(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.post(API, json={}, headers=t.admin)
    body = assert_field_problem(r, "code", "required")
    assert {e["field"] for e in body["errors"]} >= {
        "code",
        "name",
        "level",
        "kind",
        "sector",
        "parent_id",
        "founded_on",
        "founding_decision_no",
    }


async def test_unknown_or_foreign_enterprise(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.post(
        API,
        json=found_body(t.district_a, enterprise_id="0190f1a2-7b3c-7d4e-8f50-123456789abc"),
        headers=t.admin,
    )
    assert_field_problem(r, "enterprise_id", "enterprise_not_found")
    ent_b = Enterprise(
        tax_code="0100109106",
        name="Công ty May Mỹ Tho",
        ownership="fdi",
        responsible_union_id=t.district_b.id,
        search_text="cong ty may my tho",
        version=1,
    )
    factory.db.add(ent_b)
    await factory.db.flush()
    officer_a = await factory.headers_for("union_officer", t.district_a)
    r = await factory.client.post(
        API, json=found_body(t.district_a, enterprise_id=str(ent_b.id)), headers=officer_a
    )
    assert_field_problem(r, "enterprise_id", "enterprise_not_found")
    r = await factory.client.patch(
        f"{API}/{t.grassroots_a.id}", json={"enterprise_id": str(ent_b.id)}, headers=officer_a
    )
    assert_field_problem(r, "enterprise_id", "enterprise_not_found")
    # within scope the link is made
    r = await factory.client.patch(
        f"{API}/{t.grassroots_b.id}", json={"enterprise_id": str(ent_b.id)}, headers=t.admin
    )
    assert r.status_code == 200 and r.json()["enterprise_id"] == str(ent_b.id)
    # one active union per enterprise: a second one is a conflict, not a database error
    r = await factory.client.post(
        API, json=found_body(t.district_b, enterprise_id=str(ent_b.id)), headers=t.admin
    )
    assert r.status_code == 409 and r.json()["code"] == "enterprise_has_union", r.text
    r = await factory.client.patch(
        f"{API}/{t.grassroots_a.id}", json={"enterprise_id": str(ent_b.id)}, headers=t.admin
    )
    assert r.status_code == 409 and r.json()["code"] == "enterprise_has_union", r.text
    r = await factory.client.patch(
        f"{API}/{t.grassroots_b.id}",
        json={"enterprise_id": str(ent_b.id), "address": "KCN Mỹ Tho"},
        headers=t.admin,
    )
    assert r.status_code == 200, r.text


PATCH_CASES: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("nul in name", {"name": "A\x00", "decision_no": "1"}, "name", "nul_character"),
    (
        "nul in decision",
        {"name": "Tên mới", "decision_no": "1\x00"},
        "decision_no",
        "nul_character",
    ),
    ("nul in address", {"address": "\x00"}, "address", "nul_character"),
    ("address too long", {"address": "x" * 501}, "address", "too_long"),
    ("name too long", {"name": "x" * 256, "decision_no": "1"}, "name", "too_long"),
    ("null name", {"name": None}, "name", "required"),
    ("null kind", {"kind": None}, "kind", "required"),
    ("null sector", {"sector": None}, "sector", "required"),
    ("kind unknown", {"kind": "bank"}, "kind", "invalid_choice"),
    ("sector is a bool", {"sector": True}, "sector", "invalid_choice"),
    ("effective date bad", {"effective_date": "2020-02-31"}, "effective_date", "invalid_date"),
    (
        "effective date in the future",
        {"address": "Ấp 2", "effective_date": A_MONTH_ON.isoformat()},
        "effective_date",
        "date_in_future",
    ),
    (
        "effective date off the calendar",
        {"address": "Ấp 2", "effective_date": "2999-01-01"},
        "effective_date",
        "date_out_of_range",
    ),
    ("code cannot be edited", {"code": "NEW"}, "code", "unknown_field"),
    (
        "parent cannot be patched",
        {"parent_id": "0190f1a2-7b3c-7d4e-8f50-123456789abc"},
        "parent_id",
        "unknown_field",
    ),
    ("level cannot be patched", {"level": "grassroots"}, "level", "unknown_field"),
    ("path cannot be patched", {"path": "1"}, "path", "unknown_field"),
    ("status cannot be patched", {"status": "active"}, "status", "unknown_field"),
]


@pytest.mark.parametrize(
    ("label", "body", "field", "code"), PATCH_CASES, ids=[c[0] for c in PATCH_CASES]
)
async def test_patch_rejects(
    factory: Factory, label: str, body: dict[str, Any], field: str, code: str | None
) -> None:
    t = await build_tree(factory)
    url = f"{API}/{t.grassroots_a.id}"
    r = await factory.client.patch(url, json=body, headers=t.admin)
    assert_field_problem(r, field, code)
    assert r.status_code == 422
    after = (await factory.client.get(url, headers=t.admin)).json()
    assert after["version"] == 1 and after["name"] == t.grassroots_a.name


RAW_BODIES: list[tuple[str, bytes, dict[str, str]]] = [
    ("truncated json", b'{"code": ', JSON),
    ("trailing comma", b'{"code": "A",}', JSON),
    ("single quotes", b"{'code': 'A'}", JSON),
    ("NaN literal", b'{"name": NaN}', JSON),
    ("invalid utf-8", b'{"code": "\xff\xfe"}', JSON),
    ("lone surrogate", b'{"name": "ab\\ud800cd"}', JSON),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000, JSON),
    ("empty body", b"", JSON),
    ("json null", b"null", JSON),
    ("json array", b"[]", JSON),
    ("json string", b'"x"', JSON),
    ("json number", b"1e999999", JSON),
    ("not json content type", b'{"code": "A"}', {"content-type": "text/plain"}),
    ("form body", b"code=A&name=B", {"content-type": "application/x-www-form-urlencoded"}),
]


@pytest.mark.parametrize(("label", "raw", "headers"), RAW_BODIES, ids=[c[0] for c in RAW_BODIES])
async def test_malformed_bodies(
    factory: Factory, label: str, raw: bytes, headers: dict[str, str]
) -> None:
    t = await build_tree(factory)
    for method, url in (
        ("POST", API),
        ("PATCH", f"{API}/{t.grassroots_a.id}"),
        ("POST", f"{API}/{t.group_a.id}/dissolve"),
    ):
        r = await factory.client.request(method, url, content=raw, headers={**t.admin, **headers})
        body = assert_field_problem(r, r.json().get("errors", [{}])[0].get("field", "?"))
        assert r.status_code == 422, (method, url, r.text)
        if label in {
            "truncated json",
            "trailing comma",
            "single quotes",
            "invalid utf-8",
            "deeply nested",
        }:
            assert body["errors"][0]["field"] == "body"
            assert body["code"] in {"malformed_json", "malformed_body"}


QUERY_CASES: list[tuple[str, str, dict[str, str], str, str]] = [
    ("page huge", API, {"page": "99999999999999999999"}, "page", "too_large"),
    ("page negative", API, {"page": "-1"}, "page", "too_small"),
    ("page fractional", API, {"page": "1.5"}, "page", "not_integer"),
    ("page words", API, {"page": "one"}, "page", "not_integer"),
    ("size huge", API, {"size": "1" * 40}, "size", "too_large"),
    ("size over the maximum", API, {"size": "201"}, "size", "too_large"),
    ("q with NUL", API, {"q": "cai\x00be"}, "q", "nul_character"),
    ("q too long", API, {"q": "a" * 201}, "q", "too_long"),
    ("sort unknown", API, {"sort": "path; DROP TABLE unions"}, "sort", "invalid_choice"),
    ("parent id not a uuid", API, {"parent_id": "' OR 1=1 --"}, "parent_id", "invalid_uuid"),
    ("tree depth huge", f"{API}/tree", {"depth": "99999999999999999999"}, "depth", "too_large"),
    ("tree as_of impossible", f"{API}/tree", {"as_of": "2024-02-30"}, "as_of", "invalid_date"),
    ("tree as_of far future", f"{API}/tree", {"as_of": "99999-01-01"}, "as_of", "invalid_date"),
    ("tree root not a uuid", f"{API}/tree", {"root_id": "1"}, "root_id", "invalid_uuid"),
    (
        "tree include_inactive",
        f"{API}/tree",
        {"include_inactive": "maybe"},
        "include_inactive",
        "not_boolean",
    ),
]


@pytest.mark.parametrize(
    ("label", "url", "params", "field", "code"), QUERY_CASES, ids=[c[0] for c in QUERY_CASES]
)
async def test_bad_query_parameters(
    factory: Factory, label: str, url: str, params: dict[str, str], field: str, code: str
) -> None:
    t = await build_tree(factory)
    r = await factory.client.get(url, params=params, headers=t.admin)
    body = assert_field_problem(r, field, code)
    assert r.status_code == 422
    assert body["errors"][0]["in"] == "query"


@pytest.mark.parametrize(
    "bad_id",
    [
        "abc",
        "123",
        "0190f1a2-7b3c-7d4e-8f50-123456789abcd",
        "%00",
        "%ED%A0%80",
        "x" * 3000,
        "..%2F..%2Fetc%2Fpasswd",
    ],
)
async def test_non_uuid_path_ids(factory: Factory, bad_id: str) -> None:
    t = await build_tree(factory)
    for method, suffix, body in (
        ("GET", "", None),
        ("GET", "/history", None),
        ("PATCH", "", {"address": "x"}),
        (
            "POST",
            "/move",
            {
                "new_parent_id": str(t.district_b.id),
                "effective_date": "2020-01-01",
                "decision_no": "1",
            },
        ),
        ("POST", "/dissolve", {"effective_date": "2020-01-01", "decision_no": "1"}),
    ):
        r = await factory.client.request(
            method, f"{API}/{bad_id}{suffix}", json=body, headers=t.admin
        )
        assert 400 <= r.status_code < 500, (method, suffix, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        if r.status_code == 422:
            assert_field_problem(r, "union_id", "invalid_uuid")


@pytest.mark.parametrize(
    "value", [b'"abc"', b"W/x", b'"\xb2"', b'"1", "2"', b'"' + b"9" * 60 + b'"', b'"-1"']
)
async def test_bad_if_match(factory: Factory, value: bytes) -> None:
    t = await build_tree(factory)
    r = await factory.client.patch(
        f"{API}/{t.grassroots_a.id}",
        json={"address": "x"},
        headers=[*t.admin.items(), (b"If-Match", value)],
    )
    body = assert_field_problem(r, "if-match")
    assert r.status_code == 422 and body["errors"][0]["in"] == "header"


async def _tree_unchanged(factory: Factory, t: Tree) -> None:
    r = await factory.client.get(API, params={"size": 200}, headers=t.admin)
    assert r.json()["total"] == 7
    assert all(u["version"] == 1 for u in r.json()["items"])


async def test_decision_bodies(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    url = f"{API}/{t.grassroots_a.id}"
    cases = [
        ("move", {"effective_date": "2020-01-01", "decision_no": "1"}, "new_parent_id", "required"),
        (
            "move",
            {"new_parent_id": "x", "effective_date": "2020-01-01", "decision_no": "1"},
            "new_parent_id",
            "invalid_uuid",
        ),
        (
            "merge",
            {"target_id": str(t.grassroots_b.id), "decision_no": "1"},
            "effective_date",
            "required",
        ),
        (
            "merge",
            {
                "target_id": str(t.grassroots_b.id),
                "effective_date": "2020-01-01",
                "decision_no": "1",
                "note": "x" * 1001,
            },
            "note",
            "too_long",
        ),
        (
            "dissolve",
            {"effective_date": "2020-01-01", "decision_no": ""},
            "decision_no",
            "too_short",
        ),
        (
            "dissolve",
            {"effective_date": "2020-01-01", "decision_no": "1", "note": "\x00"},
            "note",
            "nul_character",
        ),
        (
            "dissolve",
            {"effective_date": "2020-01-01", "decision_no": "1", "force": True},
            "force",
            "unknown_field",
        ),
    ]
    for op, body, field, code in cases:
        r = await c.post(f"{url}/{op}", json=body, headers=t.admin)
        assert_field_problem(r, field, code)
    await _tree_unchanged(factory, t)


async def test_body_round_trips_unicode(factory: Factory) -> None:
    t = await build_tree(factory)
    name = "Công đoàn cơ sở Công ty TNHH Ánh Dương — 日本 🙂"
    raw = json.dumps(found_body(t.district_a, name=name), ensure_ascii=True).encode()
    r = await factory.client.post(API, content=raw, headers={**t.admin, **JSON})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == name
