"""The OpenAPI declares what the server enforces: each declared pattern accepts only what the
server's own rule accepts, and the cross-field rules are in the schema."""

import re
from typing import Any

import pytest
from fastapi import FastAPI

from unionhub.core.errors import AppError
from unionhub.core.etag import parse_if_match
from unionhub.enterprises.validation import TaxCodeError, normalize_tax_code, normalize_vsic
from unionhub.members.validation import (
    check_card_number,
    check_nationality,
    check_passport,
    check_personal_id,
    clean_card_number,
    clean_passport,
    clean_personal_id,
    normalise_phone,
)


@pytest.fixture(scope="module")
def schemas(app: FastAPI) -> dict[str, Any]:
    doc: dict[str, Any] = app.openapi()
    return doc["components"]["schemas"]


def _pattern(schema: dict[str, Any]) -> str:
    if "pattern" in schema:
        return str(schema["pattern"])
    branches = schema.get("anyOf", [schema])
    (pattern,) = [b["pattern"] for b in branches if "pattern" in b]
    return str(pattern)


def _declared(schemas: dict[str, Any], model: str, field: str) -> re.Pattern[str]:
    return re.compile(_pattern(schemas[model]["properties"][field]))


def _server_accepts_personal_id(v: str) -> bool:
    value = clean_personal_id(v)
    return value is not None and not any(
        p.code == "personal_id_invalid_format" for p in check_personal_id(value, None, None)
    )


def _server_accepts_tax_code(v: str) -> bool:
    try:
        normalize_tax_code(v)
    except TaxCodeError as exc:
        return exc.code != "tax_code_invalid_format"
    return True


def _server_accepts_vsic(v: str) -> bool:
    try:
        normalize_vsic(v)
    except ValueError:
        return False
    return True


CASES = [
    (
        "MemberCreate",
        "personal_id",
        _server_accepts_personal_id,
        ["082090001234", "082 090 001 234", "082.090.001.234"],
        ["08209000123", "0820900012345", "08209000123a", ""],
    ),
    (
        "MemberCreate",
        "phone",
        lambda v: normalise_phone(v) is not None,
        ["0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678"],
        ["0212345678", "091234567", "+840912345678", "12345678"],
    ),
    (
        "MemberCreate",
        "passport_no",
        lambda v: not check_passport(clean_passport(v)),
        ["B1234567", "b 123 4567"],
        ["B123", "B-1234567"],
    ),
    (
        "MemberCreate",
        "card_number",
        lambda v: not check_card_number(clean_card_number(v)),
        ["TG-000123", "tg000123"],
        ["-TG123", "TG", "TG_1234"],
    ),
    (
        "MemberCreate",
        "nationality",
        lambda v: len(v) == 2 and not check_nationality(v.upper()),
        ["VN", "FR", "KR"],
        ["XX", "vn1", "V"],
    ),
    (
        "EnterpriseCreate",
        "tax_code",
        _server_accepts_tax_code,
        ["0312345678", "0312345678-001", "0312345678001"],
        ["031234567", "0312345678-01", "03123456780012"],
    ),
    ("EnterpriseCreate", "vsic_code", _server_accepts_vsic, ["C", "c", "14100"], ["V", "141000"]),
]


@pytest.mark.parametrize(("model", "field", "server", "good", "bad"), CASES)
def test_declared_pattern_agrees_with_the_server(
    schemas: dict[str, Any],
    model: str,
    field: str,
    server: Any,
    good: list[str],
    bad: list[str],
) -> None:
    declared = _declared(schemas, model, field)
    for value in good:
        assert declared.search(value) and server(value), value
    for value in bad:
        assert not declared.search(value) and not server(value), value


def test_text_fields_declare_no_control_characters_and_not_blank(
    schemas: dict[str, Any],
) -> None:
    declared = _declared(schemas, "UnionCreate", "name")
    for value in ("Công đoàn cơ sở", "  a  ", "tab\there"):
        assert declared.search(value), value
    for value in ("", "   ", "a\x00b", "a\x07b", "a\x9fb"):
        assert not declared.search(value), repr(value)


@pytest.mark.parametrize("value", ['"3"', "3", 'W/"3"', "*", ' "12" ', '"0"'])
def test_if_match_values_the_schema_allows_are_parsed(app: FastAPI, value: str) -> None:
    doc = app.openapi()
    op = doc["paths"]["/api/v1/unions/{union_id}"]["patch"]
    (header,) = [p for p in op["parameters"] if p["name"] == "if-match"]
    assert re.search(_pattern(header["schema"]), value)
    parse_if_match(value)  # does not raise


@pytest.mark.parametrize("value", ['"abc"', "W/x", '"-1"', '"1", "2"', '"' + "9" * 10 + '"'])
def test_if_match_values_the_schema_refuses_are_refused(app: FastAPI, value: str) -> None:
    doc = app.openapi()
    op = doc["paths"]["/api/v1/unions/{union_id}"]["patch"]
    (header,) = [p for p in op["parameters"] if p["name"] == "if-match"]
    assert not re.search(_pattern(header["schema"]), value)
    with pytest.raises(AppError):
        parse_if_match(value)


def test_patch_fields_that_cannot_be_emptied_are_not_nullable(schemas: dict[str, Any]) -> None:
    for model, fields in {
        "UnionUpdate": ["name", "kind", "sector"],
        "UserUpdate": ["full_name", "is_active"],
        "MemberUpdate": ["full_name", "date_of_birth", "gender", "nationality", "trainings"],
        "CadreUpdate": ["full_time", "from_date"],
        "EnterpriseUpdate": ["name", "tax_code", "ownership", "operating_status"],
    }.items():
        for field in fields:
            prop = schemas[model]["properties"][field]
            assert {"type": "null"} not in prop.get("anyOf", []), (model, field)
    # Optional fields that may be cleared keep their null.
    assert {"type": "null"} in schemas["UnionUpdate"]["properties"]["short_name"]["anyOf"]


def test_cross_field_rules_are_declared(schemas: dict[str, Any]) -> None:
    create = schemas["MemberCreate"]["allOf"]
    assert [rule["then"]["required"] for rule in create] == [["personal_id"], ["passport_no"]]
    assert schemas["UnionUpdate"]["then"]["required"] == ["decision_no"]
    # Only accepting a transfer takes a date.
    assert "effective_date" in schemas["TransferAccept"]["properties"]
    assert "effective_date" not in schemas["TransferDecision"]["properties"]


def test_parameters_are_never_null(app: FastAPI) -> None:
    # A query or header parameter is text or absent; `null` would be sent as the text "null".
    doc = app.openapi()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for parameter in op.get("parameters", []):
                schema = parameter["schema"]
                assert {"type": "null"} not in schema.get("anyOf", []), (method, path, parameter)
                assert schema.get("type") != "null", (method, path, parameter)
