"""The one way training writes its audit entries: after the row is flushed (so its id and
`updated_at` are the stored ones), with its snapshot before and after."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.audit import snapshot


async def record(
    session: AsyncSession,
    principal: Principal,
    action: str,
    entity_type: str,
    row: Any,
    union_id: uuid.UUID | None,
    before: dict[str, Any] | None,
    *,
    deleted: bool = False,
) -> None:
    """Audit `<entity_type>.<action>` of `row` (deleted: no after-image)."""
    await session.flush()
    if not deleted:
        await session.refresh(row, ["updated_at"])
    await audit.record(
        session,
        principal,
        f"{entity_type}.{action}",
        entity_type,
        row.id,
        union_id=union_id,
        before=before,
        after=None if deleted else snapshot(row),
    )
    await session.flush()
