"""Tax codes: the check digit, the serial, the 13-digit branch form and uniqueness."""

import pytest

from tests.enterprises.helpers import API, VALID_CODES, body, build_world, create, field_error
from tests.factories import Factory
from unionhub.enterprises.validation import (
    TaxCodeError,
    format_tax_code,
    normalize_tax_code,
    normalize_vsic,
    tax_code_check_digit,
)


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_codes_pass(code: str) -> None:
    assert normalize_tax_code(code) == code


def test_check_digit_formula() -> None:
    # 0,1,0,0,1,0,9,1,0 weighted: 29 + 17 + 63 + 5 = 114; 114 mod 11 = 4; 10 - 4 = 6
    assert tax_code_check_digit("010010910") == 6
    # a weighted sum divisible by 11 would need check digit 10: no code can complete it
    assert tax_code_check_digit("100000008") is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("0100109107", "tax_code_check_digit"),  # last digit typed wrong
        ("0100190106", "tax_code_check_digit"),  # two digits swapped
        ("1000000085", "tax_code_check_digit"),  # first nine need a check digit of 10
        ("0100000003", "tax_code_serial"),  # 0 + 1*29 = 29 -> 3 would fit, but serial 0000000
        ("010010910", "tax_code_invalid_format"),
        ("01001091066", "tax_code_invalid_format"),
        ("01001O9106", "tax_code_invalid_format"),
        ("0100109106-01", "tax_code_invalid_format"),
        ("0100109106-000", "tax_code_invalid_format"),
        ("0100109106_001", "tax_code_invalid_format"),
        ("", "tax_code_invalid_format"),
    ],
)
def test_invalid_codes_name_the_problem(raw: str, code: str) -> None:
    with pytest.raises(TaxCodeError) as info:
        normalize_tax_code(raw)
    assert info.value.code == code


def test_branch_forms() -> None:
    assert normalize_tax_code("0100109106-001") == "0100109106001"
    assert normalize_tax_code(" 0100109106001 ") == "0100109106001"
    assert normalize_tax_code("0100109106-999") == "0100109106999"
    # a branch inherits its parent's check digit: a bad parent makes a bad branch
    with pytest.raises(TaxCodeError) as info:
        normalize_tax_code("0100109107-001")
    assert info.value.code == "tax_code_check_digit"
    assert format_tax_code("0100109106001") == "0100109106-001"
    assert format_tax_code("0100109106") == "0100109106"


def test_vsic_codes() -> None:
    assert normalize_vsic("c") == "C"
    assert normalize_vsic("14100") == "14100"
    assert normalize_vsic("1") == "1"
    for bad in ("V", "AB", "123456", "C14", ""):
        with pytest.raises(ValueError):
            normalize_vsic(bad)


async def test_api_normalises_dash_form_and_rejects_bad_codes(factory: Factory) -> None:
    w = await build_world(factory)
    e = await create(factory.client, w.officer_a, w.district_a, tax_code="0100109106-001")
    assert e["tax_code"] == "0100109106001"
    # the parent's code and another branch are different enterprises
    await create(factory.client, w.officer_a, w.district_a, tax_code="0100109106")
    await create(factory.client, w.officer_a, w.district_a, tax_code="0100109106002")

    for raw, code in [
        ("0300588560", "tax_code_check_digit"),
        ("8700000004", "tax_code_serial"),
        ("030058856", "tax_code_invalid_format"),
    ]:
        r = await factory.client.post(
            API, json=body(w.district_a, tax_code=raw), headers=w.officer_a
        )
        field_error(r, "tax_code", code)
    r = await factory.client.post(
        API, json=body(w.district_a, tax_code=300588569), headers=w.officer_a
    )
    assert r.status_code == 422  # a number loses leading zeros: only text is accepted


async def test_tax_code_is_unique_across_scopes(factory: Factory) -> None:
    w = await build_world(factory)
    await create(factory.client, w.officer_a, w.district_a, tax_code="0300588569")
    # district B cannot see district A's enterprise, yet cannot register the code again
    r = await factory.client.post(
        API, json=body(w.district_b, tax_code="0300588569"), headers=w.officer_b
    )
    field_error(r, "tax_code", "tax_code_taken")
    r = await factory.client.post(
        API, json=body(w.district_a, tax_code="0300588569"), headers=w.officer_a
    )
    field_error(r, "tax_code", "tax_code_taken")
    # changing another enterprise's code to a taken one is refused the same way
    other = await create(factory.client, w.officer_b, w.district_b)
    r = await factory.client.patch(
        f"{API}/{other['id']}", json={"tax_code": "0300588569"}, headers=w.officer_b
    )
    field_error(r, "tax_code", "tax_code_taken")
    # ... while re-sending an enterprise's own code is no change at all
    r = await factory.client.patch(
        f"{API}/{other['id']}", json={"tax_code": other["tax_code"]}, headers=w.officer_b
    )
    assert r.status_code == 200 and r.json()["version"] == 1
