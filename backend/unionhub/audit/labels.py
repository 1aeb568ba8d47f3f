"""Names for the ids in a page of audit entries: who acted, on what, in which union.

An officer reads "Nguyễn Thị An (CD0000000463)", not a uuid. One query per kind of record for
the whole page. The entries themselves were read through the caller's audit:read scope; the
records they name are labelled whatever their union is today (a member who has since moved
away is still the one the entry is about), so these reads are unscoped on purpose.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth.models import User
from unionhub.authz.scope import unscoped
from unionhub.core.audit import AuditEntry
from unionhub.enterprises.models import Enterprise
from unionhub.members.models import Member
from unionhub.unions.models import Union


class Labels:
    def __init__(self) -> None:
        self.entities: dict[tuple[str, uuid.UUID], str] = {}
        self.actors: dict[uuid.UUID, str] = {}
        self.unions: dict[uuid.UUID, str] = {}

    def entity(self, entry: AuditEntry) -> str | None:
        if entry.entity_id is None:
            return None
        return self.entities.get((entry.entity_type, entry.entity_id))


async def for_entries(session: AsyncSession, entries: Sequence[AuditEntry]) -> Labels:
    labels = Labels()
    by_type: dict[str, set[uuid.UUID]] = defaultdict(set)
    for e in entries:
        if e.entity_id is not None:
            by_type[e.entity_type].add(e.entity_id)
    user_ids = {e.actor_id for e in entries if e.actor_id is not None} | by_type["user"]
    union_ids = {e.union_id for e in entries if e.union_id is not None} | by_type["union"]

    async def rows(stmt: Select[*tuple[Any, ...]]) -> Sequence[Any]:
        return (await session.execute(stmt)).all()

    if user_ids:
        for user_id, full_name, username in await rows(
            select(User.id, User.full_name, User.username).where(User.id.in_(user_ids))
        ):
            labels.actors[user_id] = labels.entities[("user", user_id)] = (
                f"{full_name} ({username})"
            )
    if union_ids:
        for union_id, name, code in await rows(
            unscoped(
                select(Union.id, Union.name, Union.code).where(Union.id.in_(union_ids)),
                reason="names of the unions that audit entries read in scope refer to",
            )
        ):
            labels.unions[union_id] = name
            labels.entities[("union", union_id)] = f"{name} ({code})"
    if by_type["member"]:
        for member_id, full_name, card in await rows(
            select(Member.id, Member.full_name, Member.card_number).where(
                Member.id.in_(by_type["member"])
            )
        ):
            labels.entities[("member", member_id)] = f"{full_name} ({card})" if card else full_name
    if by_type["enterprise"]:
        for enterprise_id, name in await rows(
            select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(by_type["enterprise"]))
        ):
            labels.entities[("enterprise", enterprise_id)] = name
    return labels
