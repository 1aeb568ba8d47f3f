"""Text normalisation shared by every domain: NFC storage and accent-free search keys."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_LINE_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: str) -> str:
    """NFC-normalise, trim and collapse inner whitespace."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def clean_paragraphs(value: str) -> str:
    """`clean_text` for text written in lines: NFC, each line trimmed and its inner whitespace
    collapsed, line breaks kept (CRLF and CR read as LF), at most one blank line in a row."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_LINE_SPACES.sub(" ", line).strip() for line in value.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def fold(value: str) -> str:
    """Accent- and case-free key: 'Cái Bè' -> 'cai be', 'Đồng' -> 'dong'."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def like_escape(value: str) -> str:
    """`value` matched literally inside a LIKE pattern: escapes `\\`, `%` and `_`.

    Backslash is PostgreSQL's default LIKE escape character, so no ESCAPE clause is needed.
    """
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(value: str) -> str:
    """A LIKE pattern matching text that contains `value` literally."""
    return f"%{like_escape(value)}%"


def starts_with(value: str) -> str:
    """A LIKE pattern matching text that starts with `value` literally."""
    return f"{like_escape(value)}%"
