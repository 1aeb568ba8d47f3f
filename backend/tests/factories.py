"""Test data builders: unions placed in the tree (with their history), users with roles."""

import itertools
import uuid
from datetime import date
from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth.models import RoleAssignment, User
from unionhub.authz.principal import Principal
from unionhub.core.security import hash_password
from unionhub.unions import service as union_service
from unionhub.unions.models import Union
from unionhub.unions.schemas import UnionCreate

PASSWORD = "Test@12345"
_seq = itertools.count(1)
_hash: str | None = None

_DEFAULT_KIND = {
    "province_federation": "province_federation",
    "direct_superior": "district_federation",
    "grassroots": "enterprise_union",
    "occupational": "occupational_union",
    "member_union": "internal_unit",
    "departmental": "internal_unit",
    "union_group": "internal_unit",
}


class Factory:
    def __init__(self, db: AsyncSession, client: AsyncClient) -> None:
        self.db = db
        self.client = client
        self.system = Principal.system_actor("tests")

    async def union(
        self,
        parent: Union | None = None,
        *,
        level: str | None = None,
        name: str | None = None,
        code: str | None = None,
        founded_on: date = date(2015, 1, 1),
        **extra: Any,
    ) -> Union:
        n = next(_seq)
        if level is None:
            level = {
                None: "province_federation",
                "province_federation": "direct_superior",
                "direct_superior": "grassroots",
                "grassroots": "union_group",
            }[parent.level if parent else None]
        data = UnionCreate(
            code=code or f"T{n:05d}",
            name=name or f"Công đoàn thử nghiệm {n}",
            level=level,
            kind=extra.pop("kind", _DEFAULT_KIND[level]),
            sector=extra.pop("sector", "non_state"),
            parent_id=parent.id if parent else None,
            founded_on=founded_on,
            founding_decision_no=f"{n}/QĐ-TEST",
            **extra,
        )
        return await union_service.found_union(self.db, self.system, data)

    async def user(
        self,
        role: str | None = None,
        union: Union | None = None,
        *,
        username: str | None = None,
        active: bool = True,
    ) -> User:
        global _hash
        if _hash is None:
            _hash = hash_password(PASSWORD)
        user = User(
            username=username or f"user{next(_seq)}",
            full_name="Nguyễn Văn Thử",
            email=None,
            password_hash=_hash,
            is_active=active,
            version=1,
        )
        self.db.add(user)
        await self.db.flush()
        if role and union:
            self.db.add(RoleAssignment(user_id=user.id, role=role, union_id=union.id))
            await self.db.flush()
        return user

    async def login(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        r = await self.client.post(
            "/api/v1/auth/token", data={"username": username, "password": password}
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    async def headers_for(self, role: str, union: Union) -> dict[str, str]:
        user = await self.user(role, union)
        return await self.login(user.username)


def new_id() -> str:
    return str(uuid.uuid4())
