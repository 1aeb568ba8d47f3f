"""The plan's plain data types: every step of the generator reads and extends these."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class UnionSpec:
    code: str
    name: str
    level: str
    kind: str
    sector: str
    parent: str | None  # the parent's code
    founded_on: date
    decision_no: str
    decision_date: date
    short_name: str | None = None
    address: str | None = None
    commune_code: str | None = None
    phone: str | None = None
    district: str | None = None  # key of the old district the union is located in
    locality: str | None = None  # the old commune/ward it is located in
    to_province: bool = False  # July 2025: directly under the province, not a commune union


@dataclass(frozen=True)
class Rename:
    code: str
    name: str
    short_name: str
    effective: date
    decision_no: str
    decision_date: date


@dataclass(frozen=True)
class Move:
    code: str
    new_parent: str
    effective: date
    decision_no: str
    decision_date: date
    note: str


@dataclass(frozen=True)
class Dissolve:
    code: str
    effective: date
    decision_no: str
    decision_date: date
    note: str


@dataclass(frozen=True)
class UserSpec:
    username: str
    full_name: str
    roles: tuple[tuple[str, str], ...]  # (role, union code)


@dataclass
class DemoPlan:
    seed: int
    scale: float
    unions: list[UnionSpec] = field(default_factory=list)  # parents before children
    renames: list[Rename] = field(default_factory=list)
    new_unions: list[UnionSpec] = field(default_factory=list)  # founded on REORG_DAY
    moves: list[Move] = field(default_factory=list)
    dissolutions: list[Dissolve] = field(default_factory=list)
    users: list[UserSpec] = field(default_factory=list)
    showcase_grassroots: str = ""  # the union the `cdcs` account runs

    def by_code(self) -> dict[str, UnionSpec]:
        return {u.code: u for u in [*self.unions, *self.new_unions]}

    def children_of(self, code: str) -> list[UnionSpec]:
        return [u for u in self.unions if u.parent == code]
