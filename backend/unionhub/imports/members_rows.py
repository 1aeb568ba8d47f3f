"""Members import, the pure part: the cells of one row to member values and problems.

Runs in a worker thread for 100,000 rows, so it stays cheap (no database, no pydantic model
per row); the per-member rules are members.validation.check_member, as for the API.
"""

import re
from datetime import date
from typing import Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from unionhub.core.error_codes import ErrorCode
from unionhub.imports import values
from unionhub.imports.headers import HeaderMap
from unionhub.imports.rows import Row
from unionhub.imports.values import CellError
from unionhub.imports.vocab import (
    EDUCATION,
    EDUCATION_MAP,
    GENDER,
    GENDER_MAP,
    NATIONALITY_MAP,
    POLITICAL,
    POLITICAL_MAP,
)
from unionhub.imports.xlsx_reader import Cell
from unionhub.members.validation import check_member, check_personal_id

_NO_FIELDS: frozenset[str] = frozenset()
_REQUIRED = ("full_name", "date_of_birth", "gender", "admission_date", "union_code")
_CHECKED = (
    "full_name",
    "date_of_birth",
    "gender",
    "nationality",
    "personal_id",
    "passport_no",
    "phone",
    "card_number",
    "admission_date",
)


def _nationality(value: Cell) -> str | None:
    raw = values.text(value, 60)
    if raw is None:
        return None
    return NATIONALITY_MAP.get(values.fold_key(raw)) or raw.strip().upper()


# The common shape of an address, checked without email_validator (50 us a call: 5 s for
# 100,000 rows). Anything else still goes through it, so the API's rules decide.
_PLAIN_EMAIL = re.compile(
    r"^[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24})$"
)


def _email(value: Cell) -> str | None:
    raw = values.text(value, 254)
    if raw is None:
        return None
    lowered = raw.lower()
    plain = _PLAIN_EMAIL.match(lowered) if len(lowered) <= 254 else None
    if (
        plain
        and plain.group(1) not in SPECIAL_USE_DOMAIN_NAMES
        and len(lowered.split("@")[0]) <= 64
    ):
        return lowered
    try:
        return validate_email(raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise CellError(ErrorCode.EMAIL_INVALID, "The email address is not valid.") from None


def _code(value: Cell) -> str | None:
    raw = values.text(value, 32)
    return raw.upper() if raw else None


CONVERTERS: dict[str, Any] = {
    "full_name": lambda v: values.name(v, 120),
    "date_of_birth": values.day,
    "gender": lambda v: values.choice(v, GENDER_MAP, GENDER),
    "ethnicity": values.repeated(lambda v: values.text(v, 40)),
    "nationality": values.repeated(_nationality),
    "personal_id": lambda v: values.digits(v, 30),
    "passport_no": lambda v: values.text(v, 30),
    "phone": lambda v: values.digits(v, 30, pad_to=10),
    "email": _email,
    "commune_code": values.commune_code,
    "education_level": lambda v: values.choice(v, EDUCATION_MAP, EDUCATION),
    "professional_qualification": values.repeated(lambda v: values.text(v, 255)),
    "political_theory": lambda v: values.choice(v, POLITICAL_MAP, POLITICAL),
    "occupation": values.repeated(lambda v: values.text(v, 255)),
    "enterprise_tax_code": values.repeated(values.tax_code),
    "party_member": values.boolean,
    "admission_date": values.day,
    "card_number": lambda v: values.text(v, 30),
    "union_code": values.repeated(_code),
}


Plan = tuple[list[int], list[tuple[int, str, Any]]]
_last_plan: tuple[HeaderMap, Plan] | None = None


def _plan(header: HeaderMap) -> Plan:
    """Where each converted value comes from in this file (-1: no such column), and the
    columns that make a row non-blank; worked out once per file, not per row."""
    global _last_plan
    if _last_plan is not None and _last_plan[0] is header:
        return _last_plan[1]
    at = {col.key: pos for pos, col in header.positions.items()}
    content = [pos for pos, col in header.positions.items() if col.key != "row_no"]
    plan: Plan = (content, [(at.get(key, -1), key, conv) for key, conv in CONVERTERS.items()])
    _last_plan = (header, plan)
    return plan


def _restore_zeros(typed: str, born: date | None, gender: str | None) -> str:
    """A personal ID that Excel stored as a number lost its leading zeros: one for the
    provinces 010-099 (82... for 082...), two for 001-009 (1... for 001...), as does a CSV
    that Excel saved. The zeros are put back when the 12-digit number then passes every check
    (province, and the century, gender and birth year it encodes); otherwise the number stays
    as typed and its error says so."""
    if not (10 <= len(typed) < 12 and typed.isdigit()):
        return typed
    padded = typed.zfill(12)
    return typed if check_personal_id(padded, born, gender) else padded


def convert_row(header: HeaderMap, number: int, cells: list[Cell], today: date) -> Row | None:
    """A member row from its cells; None for a blank row (numbered in the STT column only)."""
    content, plan = _plan(header)
    n = len(cells)
    for pos in content:
        if pos < n and cells[pos] is not None:
            break
    else:
        return None
    row = Row(number)
    v = row.values
    for pos, key, conv in plan:
        cell = cells[pos] if 0 <= pos < n else None
        if cell is None:
            v[key] = None
            continue
        try:
            v[key] = conv(cell)
        except CellError as exc:
            v[key] = None
            row.fail(key, exc.code, exc.message, exc.params_with(cell))
    # The fields with a problem so far (the usual row has none).
    failed = row.failed() if row.errors else _NO_FIELDS
    for key in _REQUIRED:
        if v[key] is None and key not in failed:
            row.fail(key, ErrorCode.REQUIRED, "This value is required.")
    if v["party_member"] is None:
        v["party_member"] = False
    if v["personal_id"] is not None:
        v["personal_id"] = _restore_zeros(v["personal_id"], v["date_of_birth"], v["gender"])
    given = {k: v[k] for k in _CHECKED}
    given["nationality"] = v["nationality"] or "VN"
    checked, problems = check_member(given, today)
    v.update(checked)
    for problem in problems:
        if problem.field not in failed:
            row.errors.append(problem)
    return row
