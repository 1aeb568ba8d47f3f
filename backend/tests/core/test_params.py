"""Query parameters read with the shortcuts of `core.params` answer as FastAPI does: absent
ones take their defaults (a fresh one from a factory each time), sent ones are validated and
refused with the same problem, whichever others are sent or left out."""

from datetime import date
from typing import Annotated
from uuid import UUID

import pytest
from fastapi import FastAPI, Query
from fastapi.dependencies import utils
from fastapi.routing import APIRoute
from httpx import ASGITransport, AsyncClient
from starlette.datastructures import QueryParams

from unionhub.core import params
from unionhub.core.errors import install_error_handlers


@pytest.fixture
def app() -> FastAPI:
    params.install()
    app = FastAPI()
    install_error_handlers(app)
    calls = iter(range(1000))

    def counter() -> int:
        return next(calls)

    @app.get("/echo")
    async def echo(
        fresh: Annotated[int, Query(default_factory=counter)],
        q: str | None = None,
        size: Annotated[int, Query(ge=1, le=50)] = 20,
        flag: bool = True,
        tags: Annotated[list[str] | None, Query()] = None,
        day: date | None = None,
        union: UUID | None = None,
        alias_name: Annotated[str, Query(alias="other-name")] = "x",
        required: Annotated[int | None, Query()] = None,
        listed: Annotated[list[int], Query()] = [],  # noqa: B006
    ) -> dict[str, object]:
        listed.append(len(listed))
        return {
            "q": q,
            "size": size,
            "flag": flag,
            "tags": tags,
            "day": day.isoformat() if day else None,
            "union": str(union) if union else None,
            "alias_name": alias_name,
            "required": required,
            "fresh": fresh,
            "listed": listed,
        }

    return app


async def test_absent_parameters_take_their_defaults(app: FastAPI) -> None:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as c:
        first = (await c.get("/echo")).json()
        second = (await c.get("/echo?alias_name=ignored")).json()
    assert first == {
        "q": None,
        "size": 20,
        "flag": True,
        "tags": None,
        "day": None,
        "union": None,
        "alias_name": "x",
        "required": None,
        "fresh": first["fresh"],
        "listed": [0],
    }
    # A default from a factory is made again, a mutable one is a fresh copy each time; a
    # parameter sent by its field name instead of its alias is not sent.
    assert second["fresh"] == first["fresh"] + 1
    assert second["listed"] == [0]
    assert second["alias_name"] == "x"


async def test_sent_parameters_are_read_and_validated(app: FastAPI) -> None:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as c:
        found = (
            await c.get(
                "/echo?q=an&size=5&flag=false&tags=a&tags=b&day=2024-02-29"
                "&other-name=y&listed=4&union=00000000-0000-0000-0000-000000000001"
            )
        ).json()
        # Sent in another order than declared: refused in the declared order, as FastAPI does.
        refused = await c.get("/echo?day=2023-02-30&flag=maybe&size=99")
    assert found["q"] == "an"
    assert found["size"] == 5
    assert found["flag"] is False
    assert found["tags"] == ["a", "b"]
    assert found["day"] == "2024-02-29"
    assert found["alias_name"] == "y"
    assert found["listed"] == [4, 1]
    assert found["union"] == "00000000-0000-0000-0000-000000000001"
    assert refused.status_code == 422
    fields = [e["field"] for e in refused.json()["errors"]]
    assert fields == ["size", "flag", "day"]


@pytest.mark.parametrize(
    "query",
    [
        "q=an&size=5",
        "size=0&q=%00",
        "flag=maybe&other-name=y&required=no",
        "tags=a&listed=x&day=2023-02-30&union=nope",
        "alias_name=z&fresh=3",
    ],
)
def test_values_and_errors_are_fastapis_own(app: FastAPI, query: str) -> None:
    # The sent parameters validated by their fields directly give what FastAPI's
    # `request_params_to_args` gives for the same request: values, errors, their order.
    route = next(r for r in app.routes if isinstance(r, APIRoute) and r.path == "/echo")
    fields = route.dependant.query_params
    received = QueryParams(query)
    ours = utils.request_params_to_args(fields, received)
    theirs = utils.request_params_to_args.__wrapped__(fields, received)  # type: ignore[attr-defined]
    ours_values = {k: v for k, v in ours[0].items() if k != "fresh" or "fresh" in received}
    theirs_values = {k: v for k, v in theirs[0].items() if k != "fresh" or "fresh" in received}
    assert ours_values == theirs_values
    assert ours[1] == theirs[1]
