"""Content-Disposition for files the API sends: a Vietnamese name, and an ASCII one beside it.

Browsers use `filename*` (RFC 6266 with the RFC 8187 UTF-8 encoding), so an officer saves
"Mẫu nhập đoàn viên.xlsx"; a client that knows only `filename` gets the same name without
diacritics ("Mau nhap doan vien.xlsx"), never an empty or mangled one.
"""

import unicodedata
from urllib.parse import quote


def ascii_name(file_name: str) -> str:
    """The name without diacritics (đ -> d), quotes and control characters."""
    folded = unicodedata.normalize("NFKD", file_name.replace("đ", "d").replace("Đ", "D"))
    kept = "".join(c for c in folded if c.isascii() and c.isprintable() and c not in '"\\')
    return kept.strip() or "download"


def attachment(file_name: str) -> str:
    """The Content-Disposition value offering `file_name` as a download."""
    name = "".join(c for c in unicodedata.normalize("NFC", file_name) if c.isprintable())
    plain = ascii_name(name)
    if plain == name:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
