"""Registering integration clients and getting their tokens, for the client tests."""

from typing import Any

from tests.factories import Factory
from unionhub.unions.models import Union

CLIENTS = "/api/v1/clients"
TOKEN = "/api/v1/auth/token"


def client_body(union: Union, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Nền tảng tích hợp LGSP tỉnh Đồng Tháp",
        "organisation": "Sở Khoa học và Công nghệ tỉnh Đồng Tháp",
        "contact": "Trần Văn Bình, 0277 3851 234",
        "purpose": "Chia sẻ dữ liệu theo Nghị định 47/2020/NĐ-CP",
        "union_id": str(union.id),
        "permissions": ["unions:read", "members:read"],
    }
    body.update(overrides)
    return body


async def register(
    factory: Factory, headers: dict[str, str], union: Union, **overrides: Any
) -> dict[str, Any]:
    r = await factory.client.post(CLIENTS, json=client_body(union, **overrides), headers=headers)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def client_token(factory: Factory, client_id: str, secret: str) -> dict[str, str]:
    r = await factory.client.post(
        TOKEN, data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}
