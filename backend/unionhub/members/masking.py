"""Masking of personal data for callers without `members:pii` (personal-data protection rules).

Only the last few digits stay visible: enough to tell two people on one screen apart, never
enough to use or rebuild the number. Nothing that follows from what the screen shows anyway
may stay visible either: digits 4-6 of a personal ID are the century/gender marker and the
year of birth (shown beside it), and the first three the province, so `082******954` hid only
three unknown digits - about a thousand guesses (issue 8). The carrier prefix of a phone
number likewise narrows it to a few operators.
"""


def mask_digits(value: str, keep_end: int = 3) -> str:
    """Everything but the last `keep_end` characters as `*`: 082190123954 -> *********954."""
    if len(value) <= keep_end * 2:
        return "*" * len(value)
    return "*" * (len(value) - keep_end) + value[len(value) - keep_end :]


def mask_personal_id(value: str | None) -> str | None:
    """082190123954 -> *********954."""
    return None if value is None else mask_digits(value, 3)


def mask_phone(value: str | None) -> str | None:
    """0912345678 -> *******678."""
    return None if value is None else mask_digits(value, 3)


def mask_passport(value: str | None) -> str | None:
    """B12345678 -> *******78."""
    return None if value is None else mask_digits(value, 2)


def mask_email(value: str | None) -> str | None:
    """nguyen.van.an@gmail.com -> n***@gmail.com: the address stays unusable, the domain (often
    the employer, shown anyway) tells two people apart."""
    if value is None:
        return None
    local, at, domain = value.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else mask_digits(value, 0)
