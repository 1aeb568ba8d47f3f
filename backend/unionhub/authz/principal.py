"""Who is calling: the signed-in user with their role assignments."""

import uuid
from dataclasses import dataclass, field
from functools import cached_property
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


# "person": an officer signed in (web app or API), acting through their roles; "client": an
# integration acting on its own (machine credentials), held to stricter rules; "member": a
# union member signed in to their own account (mobile, self-service): no role, no permission,
# their scope is their own record only (`scope.own_member`), so every officer route refuses them.
PrincipalKind = Literal["person", "client", "member"]


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
    # A member account's own member record (kind "member"); None for everyone else.
    member_id: uuid.UUID | None = None
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
    def scope_key(self) -> tuple[object, ...]:
        """What a statement built for this caller depends on: who they are and their roles
        where (not their sign-in session): the key a statement built once is kept under."""
        return (
            self.user_id,
            self.system,
            self.kind,
            self.client_permissions,
            self.member_id,
            tuple((a.id, a.role, a.union_id, a.union_path) for a in self.assignments),
        )

    @property
    def is_admin(self) -> bool:
        if self.client_permissions is not None or self.kind == "member":
            return False
        return self.system or any(a.role == Role.ADMIN for a in self.assignments)

    @cached_property
    def permissions(self) -> frozenset[Permission]:
        """Every permission the caller holds somewhere; worked out once per principal (it is
        frozen, and kept for several requests by `principal_cache`)."""
        out: set[Permission] = set()
        if self.system:
            return frozenset(Permission)
        if self.kind == "member":
            return frozenset()
        if self.client_permissions is not None:
            return self.client_permissions
        for a in self.assignments:
            out |= permissions_of(a.role)
        return frozenset(out)

    def has(self, permission: Permission) -> bool:
        return permission in self.permissions

    def paths_with(self, permission: Permission) -> list[str]:
        """Paths of the unions where the caller holds `permission` (for their subtrees)."""
        if self.kind == "member":
            return []
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
        if self.client_permissions is not None or self.kind == "member":
            return 0  # a client or a member account grants no roles
        for a in self.assignments:
            if Permission.USERS_MANAGE not in permissions_of(a.role):
                continue
            if a.role == Role.ADMIN or within(union_path, a.union_path):
                best = max(best, ROLE_RANK[a.role])
        return best
