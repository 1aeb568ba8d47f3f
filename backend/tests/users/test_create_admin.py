"""`unionhub create-admin` (workflows.first_admin.create_admin) on the test database."""

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tests.factories import Factory
from unionhub.workflows import first_admin as admin


@pytest.fixture
def cli_sessions(connection: AsyncConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command opens its own session; point it at the test's rolled-back connection."""

    def maker() -> Callable[[], AsyncSession]:
        return lambda: AsyncSession(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    monkeypatch.setattr(admin, "get_sessionmaker", maker)


@pytest.mark.usefixtures("cli_sessions")
async def test_create_admin_needs_a_union_first(factory: Factory) -> None:
    with pytest.raises(SystemExit, match="no union exists yet"):
        await admin.create_admin("root.admin", "Quản trị", "KhoiTao2025x")


@pytest.mark.usefixtures("cli_sessions")
async def test_create_admin_then_reset_its_password(factory: Factory) -> None:
    root = await factory.union(name="Liên đoàn Lao động tỉnh Đồng Tháp")
    await factory.union(root)
    await factory.db.commit()

    with pytest.raises(SystemExit, match="password"):
        await admin.create_admin("root.admin", "Quản trị", "short")
    await admin.create_admin("Root.Admin", "Quản trị hệ thống", "KhoiTao2025x")
    h = await factory.login("root.admin", "KhoiTao2025x")
    me = (await factory.client.get("/api/v1/auth/me", headers=h)).json()
    assert [(r["role"], r["union_id"]) for r in me["roles"]] == [("admin", str(root.id))]

    await admin.create_admin("root.admin", "Quản trị hệ thống", "DoiMoi2025yy")
    # The reset ends the old sign-in and replaces the password; the role is not duplicated.
    assert (await factory.client.get("/api/v1/auth/me", headers=h)).status_code == 401
    r = await factory.client.post(
        "/api/v1/auth/token", data={"username": "root.admin", "password": "KhoiTao2025x"}
    )
    assert r.status_code == 401
    h = await factory.login("root.admin", "DoiMoi2025yy")
    me = (await factory.client.get("/api/v1/auth/me", headers=h)).json()
    assert len(me["roles"]) == 1
