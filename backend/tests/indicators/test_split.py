"""`compute_many` splits its asks into statements of about equal cost, run side by side on
connections of their own: the asks that read the same day's enterprises or cadres, or one
yearly part, stay in one statement; however the asks are split, the answers are the same; the
statements run on the application's pool come back in order."""

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Integer, literal, select
from sqlalchemy.exc import DBAPIError

from tests.factories import Factory
from tests.indicators.helpers import build_province
from tests.indicators.test_compute_many import MERGER_DAYS, _asks, _figures
from unionhub.auth.repository import load_actor
from unionhub.core.db import get_sessionmaker
from unionhub.indicators import queries, service
from unionhub.indicators.catalogue import BY_KEY


def _ask(key: str, day: date, root: uuid.UUID) -> queries.Ask:
    return service.make_ask(BY_KEY[key], root, day, None, day)


def test_asks_that_share_a_days_reads_stay_together_and_the_groups_are_balanced() -> None:
    root = uuid.uuid4()
    days = [date(y, 12, 31) for y in range(2018, 2024)]
    asks = [
        *(_ask("new_members", d, root) for d in days),
        *(_ask(k, d, root) for d in days for k in queries.CADRE_RULES),
        *(_ask(k, date(2023, 12, 31), root) for k in sorted(queries.ENTERPRISE_KEYS)),
        *(_ask("cdcs_strong_state", d, root) for d in days),
    ]
    # Many posts on the last day only (the bench's data): that day weighs most.
    posts = {d: 150 for d in days} | {date(2023, 12, 31): 12_000}
    groups = service._split(asks, posts, 2)
    assert len(groups) == 2
    assert sorted(id(a) for g in groups for a in g) == sorted(id(a) for a in asks)
    where = {queries.shared_key(a): i for i, g in enumerate(groups) for a in g}
    for i, group in enumerate(groups):
        # Each group in the asks' order; each shared read in one group only.
        assert [asks.index(a) for a in group] == sorted(asks.index(a) for a in group)
        assert all(where[queries.shared_key(a)] == i for a in group)
    costs = [
        sum(service._cost([a], posts) for a in {queries.shared_key(a): a for a in group}.values())
        for group in groups
    ]
    assert max(costs) - min(costs) <= 40
    # Fewer shared reads than statements: one group per read.
    assert len(service._split(asks[:1], posts, 2)) == 1
    assert len(service._split(asks, posts, 1)) == 1


@pytest.mark.parametrize("statements", [1, 3])
async def test_any_split_answers_as_the_single_values(
    factory: Factory, monkeypatch: pytest.MonkeyPatch, statements: int
) -> None:
    monkeypatch.setattr(service, "STATEMENTS", statements)
    monkeypatch.setattr(service, "_MANY", type(service._MANY)())
    w = await build_province(factory)
    admin = await load_actor(factory.db, (await factory.user("admin", w.p)).id)
    assert admin is not None
    asks = _asks(w.p, MERGER_DAYS[:3])
    single = [_figures(await service.compute(factory.db, admin, a, w.p, "child")) for a in asks]
    batched = await service.compute_many(factory.db, admin, asks, w.p)
    assert [_figures(v) for v in batched] == single


async def test_statements_side_by_side_on_the_pool_come_back_in_order() -> None:
    statements = [select(literal(n, Integer).label("n")) for n in (1, 2, 3)]
    async with get_sessionmaker()() as session:
        rows = await service._run_side_by_side(session, statements)
    assert [[tuple(r) for r in found] for found in rows] == [[(1,)], [(2,)], [(3,)]]


async def test_a_failing_statement_fails_as_itself_not_as_a_group() -> None:
    # Division by zero in the second statement (on its own connection): the error the
    # handlers know (a time limit's 57014 is answered 503), not an exception group.
    statements = [select(literal(1, Integer)), select(literal(1, Integer) / literal(0, Integer))]
    async with get_sessionmaker()() as session:
        with pytest.raises(DBAPIError, match="division by zero"):
            await service._run_side_by_side(session, statements)


async def test_one_statement_while_another_call_is_running(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await build_province(factory)
    admin = await load_actor(factory.db, (await factory.user("admin", w.p)).id)
    assert admin is not None
    asks = _asks(w.p, MERGER_DAYS[:2])
    run = service._run_side_by_side
    counts: list[int] = []

    async def counted(session: Any, statements: Any) -> Any:
        counts.append(len(statements))
        return await run(session, statements)

    monkeypatch.setattr(service, "_run_side_by_side", counted)
    alone = await service.compute_many(factory.db, admin, asks, w.p)
    monkeypatch.setattr(service, "_in_flight", 1)
    beside = await service.compute_many(factory.db, admin, asks, w.p)
    assert counts == [2, 1]
    assert [_figures(v) for v in beside] == [_figures(v) for v in alone]
    assert service._in_flight == 1  # back to what it was
