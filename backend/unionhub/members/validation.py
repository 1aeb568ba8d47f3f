"""Pure checks of member data: plain values in, a list of (field, code, message) out.

No database and no request objects here, so the spreadsheet importer runs exactly the same
rules row by row as the API does for one member. Messages are English; the web app (and the
import error workbook) translate by `code` and `params` (the offending value, dates). Dates in
the English messages are written dd/mm/yyyy, as Vietnamese users read them.
"""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import FieldIssue, quoted
from unionhub.members.countries import ISO_3166_ALPHA2

Problem = FieldIssue

MIN_AGE_AT_ADMISSION = 15
REJOIN_WAIT_MONTHS = 3

# Birth-registration province codes of the citizen identity number (CCCD), Circular
# 07/2016/TT-BCA: the 63 provinces before the 2025 merger. The codes did not change with it.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "TP Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

_PID = re.compile(r"^\d{12}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{6,20}$")
_CARD = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,19}$")


def fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31/05 + 3 months = 31/08)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


def years_between(born: date, on: date) -> int:
    """Completed years of age on `on`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def clean_personal_id(raw: str | None) -> str | None:
    """Drop the spaces and dots people type inside the number; None for blank."""
    if raw is None:
        return None
    value = re.sub(r"[\s.]", "", str(raw))
    return value or None


def check_personal_id(
    personal_id: str | None,
    date_of_birth: date | None,
    gender: str | None,
    field: str = "personal_id",
) -> list[Problem]:
    """12 digits; province of registration; century+gender and birth year agree with the person."""
    if personal_id is None:
        return []
    if not _PID.match(personal_id):
        return [
            Problem(
                field,
                ErrorCode.PERSONAL_ID_INVALID_FORMAT,
                "The personal ID number must have exactly 12 digits.",
                {"value": personal_id},
            )
        ]
    problems: list[Problem] = []
    if personal_id[:3] not in PROVINCE_CODES:
        problems.append(
            Problem(
                field,
                ErrorCode.PERSONAL_ID_UNKNOWN_PROVINCE,
                f"The personal ID number starts with {personal_id[:3]}, which is not "
                "a province code.",
                {"value": personal_id, "province_code": personal_id[:3]},
            )
        )
    marker = int(personal_id[3])
    # Even digits are men, odd women; each pair is one century from 1900 onwards.
    id_gender = "male" if marker % 2 == 0 else "female"
    id_year = 1900 + (marker // 2) * 100 + int(personal_id[4:6])
    if gender in ("male", "female") and gender != id_gender:
        problems.append(
            Problem(
                field,
                ErrorCode.PERSONAL_ID_GENDER_MISMATCH,
                f"The personal ID number is one of a {id_gender} person, but the "
                f"gender given is {gender}.",
                {"value": personal_id, "id_gender": id_gender, "gender": gender},
            )
        )
    if date_of_birth is not None and date_of_birth.year != id_year:
        problems.append(
            Problem(
                field,
                ErrorCode.PERSONAL_ID_YEAR_MISMATCH,
                f"The personal ID number gives birth year {id_year}, but the date of "
                f"birth is in {date_of_birth.year}.",
                {"value": personal_id, "id_year": id_year, "birth_year": date_of_birth.year},
            )
        )
    return problems


def normalise_phone(raw: str | None) -> str | None:
    """A Vietnamese mobile number as 10 digits (0912345678), or None if it is not one."""
    if raw is None:
        return None
    digits = _PHONE_SEPARATORS.sub("", str(raw))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.match(digits) else None


def check_phone(raw: str | None, field: str = "phone") -> tuple[str | None, list[Problem]]:
    """Normalised phone and problems: accepts +84 912 345 678, 84912345678, 0912.345.678."""
    if raw is None or not str(raw).strip():
        return None, []
    phone = normalise_phone(raw)
    if phone is None:
        return None, [
            Problem(
                field,
                ErrorCode.PHONE_INVALID,
                "The phone must be a Vietnamese mobile number, e.g. 0912 345 678.",
                {"value": quoted(raw)},
            )
        ]
    return phone, []


def check_not_future(value: date | None, field: str, today: date) -> list[Problem]:
    if value is not None and value > today:
        return [
            Problem(
                field,
                ErrorCode.DATE_IN_FUTURE,
                f"The date {fmt(value)} is in the future.",
                {"value": value, "today": today},
            )
        ]
    return []


def check_admission_age(
    date_of_birth: date | None, admission_date: date | None, field: str = "admission_date"
) -> list[Problem]:
    if date_of_birth is None or admission_date is None:
        return []
    if years_between(date_of_birth, admission_date) < MIN_AGE_AT_ADMISSION:
        earliest = add_months(date_of_birth, 12 * MIN_AGE_AT_ADMISSION)
        return [
            Problem(
                field,
                ErrorCode.TOO_YOUNG_AT_ADMISSION,
                f"A member must be at least {MIN_AGE_AT_ADMISSION} years old when admitted; "
                f"this person turns {MIN_AGE_AT_ADMISSION} on {fmt(earliest)}.",
                {"value": admission_date, "min_age": MIN_AGE_AT_ADMISSION, "earliest": earliest},
            )
        ]
    return []


def check_nationality(code: str | None, field: str = "nationality") -> list[Problem]:
    if code is not None and code not in ISO_3166_ALPHA2:
        return [
            Problem(
                field,
                ErrorCode.NATIONALITY_INVALID,
                "The nationality must be an ISO 3166 two-letter country code, e.g. VN.",
                {"value": quoted(code)},
            )
        ]
    return []


def check_identity(
    nationality: str | None, personal_id: str | None, passport_no: str | None
) -> list[Problem]:
    """Vietnamese citizens are identified by the personal ID, foreigners by their passport."""
    if (nationality or "VN") == "VN":
        if not personal_id:
            return [
                Problem(
                    "personal_id",
                    ErrorCode.REQUIRED,
                    "The personal ID number is required for Vietnamese citizens.",
                    {"reason": "vietnamese_citizen"},
                )
            ]
        return []
    problems: list[Problem] = []
    if not passport_no:
        problems.append(
            Problem(
                "passport_no",
                ErrorCode.REQUIRED,
                "The passport number is required for a foreign member.",
            )
        )
    return problems


def clean_passport(raw: str | None) -> str | None:
    if raw is None:
        return None
    value = re.sub(r"\s", "", str(raw)).upper()
    return value or None


def check_passport(passport_no: str | None, field: str = "passport_no") -> list[Problem]:
    if passport_no is not None and not _PASSPORT.match(passport_no):
        return [
            Problem(
                field,
                ErrorCode.PASSPORT_INVALID_FORMAT,
                "The passport number must be 6-20 letters or digits.",
                {"value": quoted(passport_no)},
            )
        ]
    return []


def clean_card_number(raw: str | None) -> str | None:
    if raw is None:
        return None
    value = re.sub(r"\s", "", str(raw)).upper()
    return value or None


def check_card_number(card_number: str | None, field: str = "card_number") -> list[Problem]:
    if card_number is not None and not _CARD.match(card_number):
        return [
            Problem(
                field,
                ErrorCode.CARD_NUMBER_INVALID_FORMAT,
                "The card number must be 4-20 letters, digits or dashes.",
                {"value": quoted(card_number)},
            )
        ]
    return []


def check_member(
    values: Mapping[str, Any], today: date | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Every rule that needs no database, over one member's values (as Python values).

    Returns the values with personal ID, passport, phone, card number and nationality
    normalised, and all problems found (not just the first), so a form or a spreadsheet row
    shows every error at once. Keys that are absent are not checked.
    """
    today = today or date.today()
    out = dict(values)
    problems: list[Problem] = []
    if "nationality" in out and out["nationality"] is not None:
        out["nationality"] = str(out["nationality"]).strip().upper()
        problems += check_nationality(out["nationality"])
    if "personal_id" in out:
        out["personal_id"] = clean_personal_id(out["personal_id"])
    if "passport_no" in out:
        out["passport_no"] = clean_passport(out["passport_no"])
        problems += check_passport(out["passport_no"])
    if "card_number" in out:
        out["card_number"] = clean_card_number(out["card_number"])
        problems += check_card_number(out["card_number"])
    if "phone" in out:
        out["phone"], found = check_phone(out["phone"])
        problems += found
    born = out.get("date_of_birth")
    admitted = out.get("admission_date")
    problems += check_not_future(born, "date_of_birth", today)
    problems += check_not_future(admitted, "admission_date", today)
    problems += check_admission_age(born, admitted)
    if {"nationality", "personal_id"} & out.keys():
        problems += check_identity(
            out.get("nationality"), out.get("personal_id"), out.get("passport_no")
        )
    problems += check_personal_id(out.get("personal_id"), born, out.get("gender"))
    return out, problems
