"""Accounts, role assignments, sign-in sessions with rotating refresh tokens, throttling."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.authz.permissions import Role
from unionhub.core.db import Base, TimestampMixin, check_in
from unionhub.core.ids import uuid7


class User(Base, TimestampMixin):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class RoleAssignment(Base):
    """A role held at a union; it applies to that union and everything under it."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        CheckConstraint("role IN (" + ", ".join(f"'{r.value}'" for r in Role) + ")", name="role"),
        UniqueConstraint("user_id", "role", "union_id", name="uq_role_assignments_user_role_union"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(32))
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class AuthSession(Base):
    """One sign-in: the family of its refresh tokens. Revoking it ends every token it issued."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    client_ip: Mapped[str | None] = mapped_column(String(64))


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_session_id", "session_id"),)

    jti: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE")
    )
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # Set when issued, so the token can be signed again byte for byte (see auth.service).
    issued_at: Mapped[datetime | None]
    # The refresh token this one's use issued.
    successor_jti: Mapped[uuid.UUID | None]


class LoginThrottle(Base):
    """Failed sign-ins per key ("user:<name>" or "ip:<address>")."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class IntegrationClient(Base, TimestampMixin):
    """A program that calls the API on its own (OAuth2 client credentials): a provincial LGSP,
    the national data sharing platform. It sees the subtree of `union_id` with exactly
    `permissions`; it acts through `user_id`, an account of its own that cannot sign in, so
    every row it writes names it as the actor like a person's would."""

    __tablename__ = "integration_clients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    organisation: Mapped[str] = mapped_column(String(255))
    contact: Mapped[str] = mapped_column(String(255))
    # Why it may have the data (the legal basis, e.g. Decree 47/2020 sharing agreement).
    purpose: Mapped[str] = mapped_column(String(1000))
    # The recorded basis for unmasked personal data; required when members:pii is granted.
    pii_basis: Mapped[str | None] = mapped_column(String(1000))
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"), index=True)
    permissions: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    # Requests per minute; None: the deployment's default (CLIENT_RATE_LIMIT_PER_MINUTE).
    rate_limit_per_minute: Mapped[int | None] = mapped_column(Integer)
    secret_hash: Mapped[str] = mapped_column(String(255))
    # After a rotation the previous secret keeps working until previous_valid_until.
    previous_secret_hash: Mapped[str | None] = mapped_column(String(255))
    previous_valid_until: Mapped[datetime | None]
    secret_rotated_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)


class MemberAccountStatus(StrEnum):
    ACTIVE = "active"
    # The member's union closed it (or the member left the union): no sign-in until reopened.
    CLOSED = "closed"
    # The union reset it (a lost phone, a shared password): every sign-in ended, and the member
    # activates it again (identity data or a new code) with a new password.
    RESET = "reset"


class MemberAccountStatusReason(StrEnum):
    OFFICER = "officer"
    MEMBER_EXIT = "member_exit"


class MemberAccount(Base):
    """A union member's own account (mobile, self-service): the `users` row they sign in with,
    tied to their member record. It holds no role: the principal of such a sign-in is of kind
    "member" and sees that one record (authz.scope.own_member).

    Only an active account's `users` row is active: a closed or reset one cannot sign in (the
    sign-in and every request check `users.is_active`)."""

    __tablename__ = "member_accounts"
    __table_args__ = (
        CheckConstraint(check_in("status", MemberAccountStatus), name="status"),
        CheckConstraint(
            "status_reason IS NULL OR " + check_in("status_reason", MemberAccountStatusReason),
            name="status_reason",
        ),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), unique=True
    )
    # "identity" (personal ID + card number + date of birth) or "code" (from the union).
    activated_via: Mapped[str] = mapped_column(String(16))
    activated_at: Mapped[datetime] = mapped_column(server_default=func.now())
    status: Mapped[str] = mapped_column(
        String(16), default=MemberAccountStatus.ACTIVE.value, server_default="active"
    )
    # Who closed or reset it: an officer, or the member's exit from the union (automatic).
    status_reason: Mapped[str | None] = mapped_column(String(16))
    status_changed_at: Mapped[datetime | None]
