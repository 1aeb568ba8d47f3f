"""`unionhub create-admin`: the first administrator, or a new password for an existing one.

Accounts and, on a fresh deployment, the top-level union: two domains, so it lives here."""

from datetime import UTC, date, datetime
from typing import TypeVar

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.auth import repository as auth_repo
from unionhub.auth.models import RoleAssignment, User
from unionhub.auth.schemas import Password, Username
from unionhub.authz import principal_cache
from unionhub.authz.permissions import Role
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.db import dispose_engine, get_sessionmaker
from unionhub.core.schemas import Line
from unionhub.core.security import hash_password
from unionhub.unions.schemas import UnionCreate
from unionhub.unions.service import found_union
from unionhub.users import repository as repo

T = TypeVar("T")


def _valid(adapter: TypeAdapter[T], value: object, what: str) -> T:
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"]
        raise SystemExit(f"error: invalid {what}: {reason}") from None


async def create_admin(
    username: str,
    full_name: str,
    password: str,
    root: tuple[str, str] | None = None,
) -> None:
    """Create an admin at the top-level union, or reset an existing account's password.

    `root` = (code, name) founds the provincial federation first on a fresh deployment.
    Exits with a message (status 1) on invalid input or when no union exists yet.
    """
    username = _valid(TypeAdapter(Username), username, "username")
    full_name = _valid(TypeAdapter(Line), full_name, "full name")
    password = _valid(TypeAdapter(Password), password, "password")
    try:
        async with get_sessionmaker()() as session:
            if root is not None and await repo.top_union(session) is None:
                await _found_root(session, *root)
            await _create_or_reset(session, username, full_name, password)
            await session.commit()
    finally:
        await dispose_engine()


async def _found_root(session: AsyncSession, code: str, name: str) -> None:
    try:
        data = UnionCreate(
            code=code,
            name=name,
            level="province_federation",
            kind="province_federation",
            sector="state",
            parent_id=None,
            founded_on=date.today(),
            founding_decision_no="KHOI-TAO",
        )
    except ValidationError as exc:
        raise SystemExit(f"error: invalid top-level union: {exc.errors()[0]['msg']}") from None
    await found_union(session, Principal.system_actor("cli"), data)


async def _create_or_reset(
    session: AsyncSession, username: str, full_name: str, password: str
) -> None:
    actor = Principal.system_actor("cli")
    top = await repo.top_union(session)
    if top is None:
        raise SystemExit(
            "error: no union exists yet; pass --root-code and --root-name to found the "
            "provincial federation, or (development install) load the demo data "
            "(`unionhub-dev demo-data`)."
        )
    password_hash = await run_in_threadpool(hash_password, password)
    user = await auth_repo.get_user_by_username(session, username)
    if user is None:
        user = User(
            username=username,
            full_name=full_name,
            email=None,
            password_hash=password_hash,
            is_active=True,
            version=1,
        )
        session.add(user)
        await session.flush()
        before = None
        action = "user.create"
    else:
        before = snapshot(user)
        user.password_hash = password_hash
        if not user.is_active:
            user.is_active = True
            user.version += 1
        await auth_repo.revoke_user_sessions(session, user.id, "password_reset", datetime.now(UTC))
        await auth_repo.clear_throttle(session, f"user:{username}")
        action = "user.set_password"
    if not await repo.assignment_exists(session, user.id, Role.ADMIN.value, top.id):
        principal_cache.forget_all()
        session.add(RoleAssignment(user_id=user.id, role=Role.ADMIN.value, union_id=top.id))
        if before is not None:
            user.version += 1
    await session.flush()
    await session.refresh(user)
    await audit.record(
        session,
        actor,
        action,
        "user",
        user.id,
        union_id=top.id,
        before=before,
        after=snapshot(user),
    )
