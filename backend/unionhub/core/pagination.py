"""page/size pagination with a hard maximum and a total: one `paginate()` for every list."""

import inspect
import math
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
MAX_SIZE = 200
MAX_PAGE = 100_000


class PageParams(BaseModel):
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def page_params(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1-based page number")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_SIZE, description="Rows per page")] = 20,
) -> PageParams:
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


async def paginate(
    session: AsyncSession, stmt: AnySelect, params: PageParams, to_items: RowsToItems[T]
) -> Page[T]:
    """One page of the ordered `stmt` and the total, as the page model.

    `to_items` turns the page's rows (`Row` tuples; `row[0]` for a one-entity select) into
    the response items, synchronously or by awaiting (e.g. to batch-load derived fields).
    `stmt` must be ordered down to a unique key, or rows could repeat across pages.
    """
    total = await count(session, stmt)
    rows = list((await session.execute(stmt.offset(params.offset).limit(params.size))).all())
    items = to_items(rows)
    if inspect.isawaitable(items):
        items = await items
    return Page[T].build(items, total, params)
