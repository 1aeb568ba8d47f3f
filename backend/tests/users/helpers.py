"""Shared set-up of the account tests: a province with two sibling subtrees."""

import uuid
from dataclasses import dataclass

from httpx import AsyncClient

from tests.factories import Factory
from unionhub.unions.models import Union

USERS = "/api/v1/users"


@dataclass
class Tree:
    root: Union
    a: Union
    a1: Union
    b: Union
    b1: Union


async def make_tree(factory: Factory) -> Tree:
    root = await factory.union(name="Liên đoàn Lao động tỉnh Tiền Giang")
    a = await factory.union(root, name="Liên đoàn Lao động huyện Cái Bè")
    b = await factory.union(root, name="Liên đoàn Lao động thành phố Mỹ Tho")
    a1 = await factory.union(a, name="Công đoàn cơ sở Công ty Cái Bè")
    b1 = await factory.union(b, name="Công đoàn cơ sở Công ty Mỹ Tho")
    return Tree(root, a, a1, b, b1)


def new_user(union: Union, role: str = "grassroots_officer", **extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "username": f"u{uuid.uuid4().hex[:10]}",
        "full_name": "Trần Thị Bích",
        "email": "Bich.Tran@Example.vn",
        "password": "MatKhau2024x",
        "roles": [{"role": role, "union_id": str(union.id)}],
    }
    body.update(extra)
    return body


async def sign_in(client: AsyncClient, username: str, password: str) -> int:
    r = await client.post("/api/v1/auth/token", data={"username": username, "password": password})
    return r.status_code
