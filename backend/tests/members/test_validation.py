"""Member data rules: each field's error code, several at once, normalisation."""

from datetime import date, timedelta

import pytest

from tests.factories import Factory
from tests.members.helpers import API, build_world, field_codes, member_body
from unionhub.members.validation import check_member, check_personal_id, normalise_phone

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("(+84) 38-123-4567", "0381234567"),
        ("0212345678", None),  # 02x is a landline prefix
        ("091234567", None),
        ("09123456789", None),
        ("abc", None),
    ],
)
def test_phone_normalisation(raw: str, expected: str | None) -> None:
    assert normalise_phone(raw) == expected


def test_personal_id_rules_as_plain_functions() -> None:
    born = date(1990, 5, 12)
    assert check_personal_id("082090001234", born, "male") == []
    assert check_personal_id("082190001234", born, "female") == []
    assert check_personal_id("087305001234", date(2005, 1, 1), "female") == []
    codes = {p.code for p in check_personal_id("999190001234", born, "male")}
    assert codes == {"personal_id_unknown_province", "personal_id_gender_mismatch"}
    codes = {p.code for p in check_personal_id("082391001234", born, "female")}
    assert codes == {"personal_id_year_mismatch"}
    assert check_personal_id("08209000123", born, "male")[0][1] == "personal_id_invalid_format"


def test_check_member_reports_every_problem_and_normalises() -> None:
    values, problems = check_member(
        {
            "full_name": "A",
            "date_of_birth": date(2015, 1, 1),
            "gender": "male",
            "nationality": "vn",
            "personal_id": "082 215 000 001",
            "phone": "+84 912 345 678",
            "admission_date": date(2020, 1, 1),
        }
    )
    assert values["personal_id"] == "082215000001"
    assert values["phone"] == "0912345678"
    assert values["nationality"] == "VN"
    assert [p.code for p in problems] == ["too_young_at_admission"]


async def test_valid_member_is_admitted_with_normalised_values(factory: Factory) -> None:
    w = await build_world(factory)
    body = member_body(w.grassroots_a, phone="+84 912 345 678", full_name="  nguyễn   Văn  An ")
    r = await factory.client.post(API, json=body, headers=w.officer_a)
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["phone"] == "0912345678"
    assert data["full_name"] == "nguyễn Văn An"
    assert data["nationality"] == "VN"
    assert data["status"] == "active"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"personal_id": "08209000123"}, ("personal_id", "personal_id_invalid_format")),
        ({"personal_id": "08209000123X"}, ("personal_id", "personal_id_invalid_format")),
        ({"personal_id": "003090001234"}, ("personal_id", "personal_id_unknown_province")),
        ({"personal_id": "082190001234"}, ("personal_id", "personal_id_gender_mismatch")),
        ({"personal_id": "082091001234"}, ("personal_id", "personal_id_year_mismatch")),
        ({"personal_id": "082290001234"}, ("personal_id", "personal_id_year_mismatch")),
        ({"personal_id": None}, ("personal_id", "required")),
        ({"phone": "0212 345 678"}, ("phone", "phone_invalid")),
        ({"date_of_birth": TOMORROW, "personal_id": None}, ("date_of_birth", "date_in_future")),
        ({"admission_date": TOMORROW}, ("admission_date", "date_in_future")),
        (
            {"date_of_birth": "2006-03-01", "admission_date": "2021-02-28"},
            ("admission_date", "too_young_at_admission"),
        ),
        ({"nationality": "XX"}, ("nationality", "nationality_invalid")),
        ({"nationality": "KR", "personal_id": None}, ("passport_no", "required")),
        ({"commune_code": "1234"}, ("commune_code", "invalid_format")),
        ({"gender": "other"}, ("gender", "invalid_choice")),
        ({"full_name": "   "}, ("full_name", "required")),
        ({"union_id": "not-a-uuid"}, ("union_id", "invalid_uuid")),
        ({"status": "active"}, ("status", "unknown_field")),
    ],
)
async def test_each_rule_names_its_field(
    factory: Factory, overrides: dict[str, object], expected: tuple[str, str]
) -> None:
    w = await build_world(factory)
    r = await factory.client.post(
        API, json=member_body(w.grassroots_a, **overrides), headers=w.officer_a
    )
    assert expected in field_codes(r)


async def test_turning_fifteen_on_admission_day_is_allowed(factory: Factory) -> None:
    w = await build_world(factory)
    r = await factory.client.post(
        API,
        json=member_body(w.grassroots_a, date_of_birth="2006-03-01", admission_date="2021-03-01"),
        headers=w.officer_a,
    )
    assert r.status_code == 201, r.text


async def test_several_problems_are_reported_together(factory: Factory) -> None:
    w = await build_world(factory)
    body = member_body(
        w.grassroots_a, personal_id="999190001234", phone="123", admission_date=TOMORROW
    )
    codes = field_codes(await factory.client.post(API, json=body, headers=w.officer_a))
    assert {
        ("personal_id", "personal_id_unknown_province"),
        ("personal_id", "personal_id_gender_mismatch"),
        ("phone", "phone_invalid"),
        ("admission_date", "date_in_future"),
    } <= codes


async def test_union_must_hold_members_and_be_managed_by_caller(factory: Factory) -> None:
    w = await build_world(factory)
    r = await factory.client.post(API, json=member_body(w.district_a), headers=w.officer_a)
    assert ("union_id", "union_level_holds_no_members") in field_codes(r)
    r = await factory.client.post(API, json=member_body(w.grassroots_b), headers=w.officer_a)
    assert ("union_id", "union_not_found") in field_codes(r)
    r = await factory.client.post(API, json=member_body(w.grassroots_a), headers=w.viewer_a)
    assert r.status_code == 403


async def test_foreign_member_needs_a_passport_not_a_personal_id(factory: Factory) -> None:
    w = await build_world(factory)
    body = member_body(
        w.grassroots_a,
        nationality="kr",
        personal_id=None,
        passport_no="m1234 5678",
        full_name="Kim Min Jun",
    )
    r = await factory.client.post(API, json=body, headers=w.officer_a)
    assert r.status_code == 201, r.text
    assert r.json()["nationality"] == "KR"
    assert r.json()["passport_no"] == "M12345678"


async def test_personal_id_is_unique_among_members_on_the_books(factory: Factory) -> None:
    w = await build_world(factory)
    body = member_body(w.grassroots_a)
    assert (await factory.client.post(API, json=body, headers=w.officer_a)).status_code == 201
    again = {**body, "full_name": "Trần Văn Bình", "union_id": str(w.grassroots_a2.id)}
    r = await factory.client.post(API, json=again, headers=w.officer_a)
    assert ("personal_id", "personal_id_taken") in field_codes(r)
    # from another subtree it is refused too, without naming the holder (test_id_search.py)
    again = {**body, "full_name": "Trần Văn Bình", "union_id": str(w.grassroots_b.id)}
    r = await factory.client.post(API, json=again, headers=w.officer_b)
    assert ("personal_id", "personal_id_unusable") in field_codes(r)


async def test_card_number_is_issued_or_checked_for_uniqueness(factory: Factory) -> None:
    w = await build_world(factory)
    r1 = await factory.client.post(API, json=member_body(w.grassroots_a), headers=w.officer_a)
    r2 = await factory.client.post(API, json=member_body(w.grassroots_a), headers=w.officer_a)
    c1, c2 = r1.json()["card_number"], r2.json()["card_number"]
    assert c1.startswith("CD") and len(c1) == 12 and c1[2:].isdigit()
    assert c1 != c2
    r = await factory.client.post(
        API, json=member_body(w.grassroots_a, card_number=c1.lower()), headers=w.officer_a
    )
    assert ("card_number", "card_number_taken") in field_codes(r)
    r = await factory.client.post(
        API, json=member_body(w.grassroots_a, card_number="TG-2020-0001"), headers=w.officer_a
    )
    assert r.status_code == 201 and r.json()["card_number"] == "TG-2020-0001"


async def test_a_concurrent_duplicate_is_still_reported_on_the_field(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unionhub.members import lookups

    w = await build_world(factory)
    body = member_body(w.grassroots_a)
    assert (await factory.client.post(API, json=body, headers=w.officer_a)).status_code == 201

    async def not_held(*args: object, **kwargs: object) -> None:
        return None  # as if the other request committed after this one looked

    monkeypatch.setattr(lookups, "personal_id_holder", not_held)
    r = await factory.client.post(API, json=body, headers=w.officer_a)
    # whose subtree the number went to is not known here: the neutral answer
    assert ("personal_id", "personal_id_unusable") in field_codes(r)
    listed = await factory.client.get(API, headers=w.officer_a)
    assert listed.json()["total"] == 1
