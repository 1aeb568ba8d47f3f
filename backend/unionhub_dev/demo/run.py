"""What the generator's steps share while one load runs."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub_dev.demo.specs import DemoPlan


@dataclass
class Run:
    """The session, the actor, the plan, the ids created so far and the register sizes.

    `members` / `enterprises` override the register sizes that follow the scale, so the union
    tree can stay at its real size while the register grows (the benchmark's million).
    """

    session: AsyncSession
    plan: DemoPlan
    actor: Principal = field(default_factory=lambda: Principal.system_actor("demo"))
    union_ids: dict[str, uuid.UUID] = field(default_factory=dict)
    user_ids: dict[str, uuid.UUID] = field(default_factory=dict)
    skipped_users: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    members: int | None = None
    enterprises: int | None = None
    # Written by the register steps (demo.registers.Registers): counts and what later steps use.
    registers: Any = None
