"""ETag / If-Match on row versions (optimistic concurrency)."""

from typing import Annotated, Protocol

from fastapi import Header, Response

from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import PreconditionFailed, Unprocessable


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


# What parse_if_match accepts: `*`, or a version of 1-9 digits, quoted or not, W/ allowed.
IF_MATCH_PATTERN = r'^[ \t]*(\*|(W/)?"*[0-9]{1,9}"*)[ \t]*$'


def etag_of(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_of(version)


def check_version(row: Versioned, if_match: int | None, what: str = "record") -> None:
    """412 when If-Match names another version than the row's; no If-Match, no check.

    `what` names the row in the message ("union", "member").
    """
    if if_match is not None and if_match != row.version:
        raise PreconditionFailed(
            f"This {what} was changed by someone else since you loaded it; reload and try again.",
            code=ErrorCode.VERSION_MISMATCH,
            extra={"current_version": row.version},
        )


def parse_if_match(
    if_match: Annotated[
        str | None,
        Header(
            max_length=64,
            description='The ETag from the last read, e.g. "3" (or W/"3", or * for any '
            "version); a stale one answers 412, a malformed one 422 invalid_etag.",
            # Declared only: parse_if_match enforces it and answers `invalid_etag`.
            json_schema_extra={"pattern": IF_MATCH_PATTERN},
        ),
    ] = None,
) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    raw = if_match.strip().removeprefix("W/").strip('"')
    # isdigit() alone accepts "²" (latin-1 headers carry it), which int() then rejects.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise Unprocessable(
            "if-match", ErrorCode.INVALID_ETAG, 'If-Match must be an ETag like "3".', in_="header"
        )
    return int(raw)
