"""Who is calling: the signed-in user with their role assignments."""

import uuid
from dataclasses import dataclass, field
from typing import Literal

from unionhub.authz._paths import within
from unionhub.authz.permissions import ROLE_RANK, Permission, Role, permissions_of


@dataclass(frozen=True)
class Assignment:
    id: uuid.UUID
    role: Role
    union_id: uuid.UUID
    union_path: str
    union_name: str


# "person": someone signed in (web app or API); "client": an integration acting on its own
# (machine credentials, coming with the integration API), held to stricter rules.
PrincipalKind = Literal["person", "client"]


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    username: str
    full_name: str
    session_id: uuid.UUID | None
    assignments: tuple[Assignment, ...]
    client_ip: str | None = None
    system: bool = False
    kind: PrincipalKind = "person"
    # A client's permissions are granted one by one at registration, not through a role: they
    # hold at the client's union (its one assignment) and everything under it.
    client_permissions: frozenset[Permission] | None = None
    _perms: frozenset[Permission] = field(default=frozenset(), compare=False)

    @classmethod
    def system_actor(cls, name: str = "system") -> "Principal":
        """The command line's actor (demo data, maintenance): unscoped, audited by name."""
        return cls(
            user_id=uuid.UUID(int=0),
            username=name,
            full_name=name,
            session_id=None,
            assignments=(),
            system=True,
        )

    @property
    def is_admin(self) -> bool:
        if self.client_permissions is not None:
            return False
        return self.system or any(a.role == Role.ADMIN for a in self.assignments)

    @property
    def permissions(self) -> frozenset[Permission]:
        out: set[Permission] = set()
        if self.system:
            return frozenset(Permission)
        if self.client_permissions is not None:
            return self.client_permissions
        for a in self.assignments:
            out |= permissions_of(a.role)
        return frozenset(out)

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions

    def paths_with(self, permission: Permission) -> list[str]:
        """Paths of the unions where the caller holds `permission` (for their subtrees)."""
        if self.client_permissions is not None:
            held = permission in self.client_permissions
            return [a.union_path for a in self.assignments] if held else []
        return [a.union_path for a in self.assignments if permission in permissions_of(a.role)]

    def holds_at(self, union_path: str | None, permission: Permission) -> bool:
        """The caller holds `permission` at the union with this path: a role held at that union
        or at any union above it counts. The in-memory twin of `scope.union_filter`."""
        if self.is_admin:
            return True
        if union_path is None:
            return False
        return any(within(union_path, p) for p in self.paths_with(permission))

    def max_rank_at(self, union_path: str) -> int:
        """Highest role rank the caller may grant at a union with this path (0: none)."""
        best = ROLE_RANK[Role.ADMIN] if self.system else 0
        if self.client_permissions is not None:
            return 0  # a client grants no roles
        for a in self.assignments:
            if Permission.USERS_MANAGE not in permissions_of(a.role):
                continue
            if a.role == Role.ADMIN or within(union_path, a.union_path):
                best = max(best, ROLE_RANK[a.role])
        return best
