"""page/size pagination with a hard maximum and a total: one `paginate()` for every list."""

import base64
import binascii
import inspect
import math
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Row, Select, func, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Unprocessable

json_loads = orjson.loads

T = TypeVar("T")
MAX_SIZE = 200
MAX_PAGE = 100_000


class PageParams(BaseModel):
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


# The two query parameters of `page_params`, for a route that declares them itself (the
# member list: one dependency fewer to solve per request, the same OpenAPI parameters).
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number")]
PageSize = Annotated[int, Query(ge=1, le=MAX_SIZE, description="Rows per page")]


async def page_params(page: PageNumber = 1, size: PageSize = 20) -> PageParams:
    # async on purpose, as every dependency that does no blocking work: FastAPI runs a plain
    # `def` dependency in a worker thread, a thread hop (and a GIL hand-over) per request.
    return PageParams(page=page, size=size)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(ge=0, description="Rows matching the filters, on every page")
    page: int = Field(ge=1, le=MAX_PAGE)
    size: int = Field(ge=1, le=MAX_SIZE)
    pages: int = Field(ge=0, description="ceil(total / size); 0 when nothing matches")

    @classmethod
    def build(cls, items: Sequence[T], total: int, params: PageParams) -> "Page[T]":
        return cls(
            items=list(items),
            total=total,
            page=params.page,
            size=params.size,
            pages=math.ceil(total / params.size) if total else 0,
        )


AnySelect = Select[*tuple[Any, ...]]
AnyRow = Row[*tuple[Any, ...]]


async def count(session: AsyncSession, stmt: AnySelect) -> int:
    """How many rows `stmt` returns (its ordering is dropped: it cannot change a count)."""
    counted = select(func.count()).select_from(stmt.order_by(None).subquery())
    return int(await session.scalar(counted) or 0)


RowsToItems = Callable[[list[AnyRow]], Sequence[T] | Awaitable[Sequence[T]]]


class CursorPage(Page[T], Generic[T]):
    """A page of a large list, which also takes `cursor=` (see `Keyset`)."""

    next_cursor: str | None = Field(
        default=None,
        description="Pass as `cursor` for the page after this one (keyset: costs the same "
        "however deep); null on the last page",
    )


@dataclass(frozen=True)
class Keyset:
    """How a list sorted by `columns` (the sort key, ending in the unique id; all ascending or
    all descending, as the statement orders them) pages by cursor: `types` are the Python types
    of the key's values, `values` reads them from a page row."""

    columns: Sequence[Any]
    types: Sequence[type]
    values: Callable[[AnyRow], Sequence[Any]]
    descending: bool = False


async def paginate(
    session: AsyncSession,
    stmt: AnySelect,
    params: PageParams,
    to_items: RowsToItems[T],
    *,
    keyset: Keyset | None = None,
    cursor: str | None = None,
) -> Page[T]:
    """One page of the ordered `stmt` and the total, as the page model.

    `to_items` turns the page's rows (`Row` tuples; `row[0]` for a one-entity select) into
    the response items, synchronously or by awaiting (e.g. to batch-load derived fields).
    `stmt` must be ordered down to a unique key, or rows could repeat across pages.
    With `keyset` the answer is a `CursorPage`: `cursor` (from its `next_cursor`) starts the
    page after the row it names instead of at `params.page`.
    """
    total = await count(session, stmt)
    if keyset is None:
        rows = list((await session.execute(stmt.offset(params.offset).limit(params.size))).all())
        return Page[T].build(await _items(to_items, rows), total, params)
    offset = params.offset
    if cursor is not None:
        stmt = stmt.where(
            after(keyset.columns, decode_cursor(cursor, keyset.types), keyset.descending)
        )
        offset = 0
    rows = list((await session.execute(stmt.offset(offset).limit(params.size + 1))).all())
    more = len(rows) > params.size
    rows = rows[: params.size]
    page = Page[T].build(await _items(to_items, rows), total, params)
    next_cursor = encode_cursor(keyset.values(rows[-1])) if more and rows else None
    return CursorPage[T](**dict(page), next_cursor=next_cursor)


async def _items(to_items: RowsToItems[T], rows: list[AnyRow]) -> Sequence[T]:
    items = to_items(rows)
    if inspect.isawaitable(items):
        items = await items
    return items


# ---------------------------------------------------------------- keyset pages (cursor)
#
# A page number costs the rows before it: page 100 of a name-sorted list reads 5,000 index
# entries to skip them. A cursor carries the sort key of the last row shown, and the next page
# starts right after it (`(key, id) > (last key, last id)`): with an index on the key, the first
# and the hundredth page cost the same. Large lists (members, enterprises, the audit log) take
# `cursor=` beside `page=`; their answer carries `next_cursor` (null on the last page).

CURSOR_DESCRIPTION = (
    "Keyset page: the next_cursor of the previous answer (then `page` is ignored); "
    "the same filters and sort must be sent again"
)
CursorParam = Annotated[
    str | None, Query(max_length=512, pattern=r"^[A-Za-z0-9_\-]+$", description=CURSOR_DESCRIPTION)
]


def encode_cursor(values: Sequence[Any]) -> str:
    """The sort key of a row (its sort columns, then its id) as an opaque URL-safe token."""
    raw = orjson.dumps([v.isoformat() if isinstance(v, date) else str(v) for v in values])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str, types: Sequence[type]) -> list[Any]:
    """The values encoded by `encode_cursor`, typed (`str`, `date`, `uuid.UUID`); 422 if the
    token was not made by us for a list sorted this way."""
    try:
        raw = json_loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(types):
            raise ValueError("wrong length")
        return [_typed(t, v) for t, v in zip(types, raw, strict=True)]
    except (ValueError, TypeError, binascii.Error):
        raise Unprocessable(
            "cursor",
            ErrorCode.CURSOR_INVALID,
            "This cursor does not belong to a list sorted this way; start from the first page.",
            in_="query",
        ) from None


def _typed(kind: type, value: Any) -> Any:
    if not isinstance(value, str):
        raise TypeError("cursor values are strings")
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is uuid.UUID:
        return uuid.UUID(value)
    return value


def after(columns: Sequence[Any], values: Sequence[Any], descending: bool) -> Any:
    """WHERE for the rows after a cursor, in the order `(columns...) ASC` or `DESC`."""
    key = tuple_(*columns)
    bound = tuple_(*[literal(v, c.type) for c, v in zip(columns, values, strict=True)])
    return key < bound if descending else key > bound


# ---------------------------------------------------------------- one serialisation


def json_response(content: Any, *, headers: dict[str, str] | None = None) -> Response:
    """`content` (dicts, lists, str, numbers, uuid, date, datetime) as the response body,
    serialised once, straight to bytes (orjson; datetimes in UTC end in `Z`, as pydantic
    writes them). For the hot read paths: the endpoint keeps its `response_model` for the
    OpenAPI document, and returns this instead of a model that would be validated again."""
    return Response(
        orjson.dumps(content, default=_json_default, option=orjson.OPT_UTC_Z),
        media_type="application/json",
        headers=headers,
    )


def _json_default(value: Any) -> Any:
    # asyncpg hands out its own UUID subclass, which orjson serialises only by this callback.
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
