"""Masking of personal data for callers without `members:pii` (personal-data protection rules).

Enough stays visible to tell two people apart on a screen (the province of the ID, the carrier
of the phone, the last digits) but not enough to use the number.
"""


def _mask(value: str | None, keep_start: int, keep_end: int) -> str | None:
    if value is None:
        return None
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end :]


def mask_personal_id(value: str | None) -> str | None:
    """082123456123 -> 082******123."""
    return _mask(value, 3, 3)


def mask_phone(value: str | None) -> str | None:
    """0912345678 -> 091****678."""
    return _mask(value, 3, 3)


def mask_passport(value: str | None) -> str | None:
    """B12345678 -> B1*****78."""
    return _mask(value, 2, 2)
