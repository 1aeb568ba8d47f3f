"""A cadre counts under one child of the root: that of a full-time post first, then the first
child by id, the root's own posts last. For a caller who sees every post under the root the
people and their child are gathered in one pass (`training.repository.cadres_on(...,
with_child=True)`); for any other caller each person's child comes from a separate walk of
the posts (`indicators.queries._cadre_posts`). Both must place every person alike, with posts
under two children (one full-time, or both part-time) and at the root itself.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select

from tests.factories import Factory
from tests.training.cadres import build_cadres
from tests.training.helpers import member
from unionhub.auth.repository import load_actor
from unionhub.authz.scope import shared_walks
from unionhub.indicators import queries
from unionhub.members.models import CadreAssignment
from unionhub.training import repository as training_repo


async def test_one_pass_places_every_cadre_as_the_walk_of_the_posts(factory: Factory) -> None:
    c = await build_cadres(factory)
    h = c.headers
    # Posts the register's checks would refuse today (a post above the member's own union
    # only) but which a member's move leaves behind: written directly.
    g = await member(factory, h, c.g1, name="Giang G")
    k = await member(factory, h, c.g2, name="Khoa K")
    m = await member(factory, h, c.g1, name="Minh M")
    for person, union, full_time, start in (
        # Part-time in G1 (under D1), full-time in D2 from 2021: under D2 from then.
        (g, c.g1, False, date(2020, 1, 1)),
        (g, c.d2, True, date(2021, 1, 1)),
        # Part-time under both children: the first child by id.
        (k, c.g1, False, date(2020, 1, 1)),
        (k, c.g2, False, date(2020, 1, 1)),
        # At the province itself and under D1: under D1 (the root's own posts last).
        (m, c.province, False, date(2020, 1, 1)),
        (m, c.g1, False, date(2020, 1, 1)),
    ):
        factory.db.add(
            CadreAssignment(
                member_id=_id(person),
                union_id=union.id,
                post="executive_member",
                full_time=full_time,
                from_date=start,
            )
        )
    await factory.db.flush()
    admin = await load_actor(factory.db, (await factory.user("admin", c.province)).id)
    assert admin is not None
    assert training_repo.sees_every_post(admin, c.province.id)

    for day in (date(2020, 6, 30), date(2021, 6, 30), date(2024, 7, 1)):
        one_pass = training_repo.cadres_on(admin, c.province.id, day, with_child=True).subquery()
        with shared_walks():
            cadres = training_repo.cadres_on(admin, c.province.id, day).subquery("cadres")
            posts = queries._cadre_posts(c.province.id, day)
            walked = (
                select(cadres.c.member_id, posts.c.child_id)
                .select_from(cadres)
                .outerjoin(posts, posts.c.member_id == cadres.c.member_id)
            )
        got = {
            tuple(r)
            for r in await factory.db.execute(select(one_pass.c.member_id, one_pass.c.child_id))
        }
        expected = {tuple(r) for r in await factory.db.execute(walked)}
        assert got == expected, day
        children = {r[0]: r[1] for r in got}
        assert children[_id(g)] == (c.d2.id if day >= date(2021, 1, 1) else c.d1.id)
        assert children[_id(k)] == min(c.d1.id, c.d2.id)
        assert children[_id(m)] == c.d1.id


def _id(person: dict[str, Any]) -> uuid.UUID:
    return uuid.UUID(str(person["id"]))
