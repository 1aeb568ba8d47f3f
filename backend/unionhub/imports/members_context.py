"""The state of one members import pass: the unions and employers the file names, the keys
seen so far, and (commit) what the register holds and what is being written."""

import asyncio
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from unionhub.authz.principal import Principal
from unionhub.imports.members_counts import Counts
from unionhub.imports.members_preload import Keys, Known

# Personal fields an update-mode import may change (as MemberUpdate); the union, status,
# admission and card change only through the member actions.
UPDATABLE = (
    "full_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "nationality",
    "passport_no",
    "phone",
    "email",
    "commune_code",
    "education_level",
    "professional_qualification",
    "political_theory",
    "occupation",
    "enterprise_id",
    "party_member",
)


@dataclass(frozen=True)
class UnionInfo:
    id: uuid.UUID
    code: str
    path: str
    status: str
    level: str
    enterprise_id: uuid.UUID | None
    since: date | None  # the union's first day in the tree


@dataclass(frozen=True)
class EmployerInfo:
    id: uuid.UUID
    responsible_path: str
    readable: bool


@dataclass
class Context:
    principal: Principal
    job_id: uuid.UUID
    mode: str
    union_id: uuid.UUID | None = None  # the job's (whose auditors see its entries)
    unions: dict[str, UnionInfo | None] = field(default_factory=dict)
    employers: dict[str, EmployerInfo | None] = field(default_factory=dict)
    seen_ids: dict[str, int] = field(default_factory=dict)
    seen_cards: dict[str, int] = field(default_factory=dict)
    seen_passports: dict[tuple[str, str], int] = field(default_factory=dict)
    counts: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )
    present: frozenset[str] = frozenset()
    # Validation gathers the file's keys for the commit. The commit (see preload) knows which
    # are on the register already, draws card numbers ahead and writes one batch at a time.
    keys: Keys = field(default_factory=Keys)
    known: Known | None = None
    file_cards: frozenset[str] = frozenset()
    fresh_cards: deque[str] = field(default_factory=deque)
    conn: Any = None
    # The counts of the members written so far (commit), added once at the end.
    tally: Counts = field(default_factory=Counts)
    writing: "asyncio.Future[None] | None" = None
    # A validation that writes while the file is clean (engine.scan's commit_if_clean): the
    # members it created (its checks look past them) and the audit entries that wait until
    # the writes are undone or the pass ends (a savepoint would undo them with the writes).
    one_pass: bool = False
    # Its checks' queries: on a connection of their own (`apart`), they need not wait for the
    # batch being written.
    lookups: Any = None
    apart: bool = False
    written_ids: set[uuid.UUID] = field(default_factory=set)
    waiting_audits: list[dict[str, Any]] = field(default_factory=list)
