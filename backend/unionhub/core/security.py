"""Everything about passwords, secrets and JWTs lives here (HS256 for the API's own tokens,
one algorithm on every decode)."""

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from jose import JWTError, jwt
from passlib.context import CryptContext

from unionhub.core.config import get_settings
from unionhub.core.ids import uuid7

ALGORITHM = "HS256"
_context: CryptContext | None = None
_dummy_hash: str | None = None


def _pwd() -> CryptContext:
    global _context
    if _context is None:
        s = get_settings()
        _context = CryptContext(
            schemes=["argon2"],
            argon2__type="ID",
            argon2__time_cost=s.argon2_time_cost,
            argon2__memory_cost=s.argon2_memory_kib,
            argon2__parallelism=s.argon2_parallelism,
        )
    return _context


def hash_password(password: str) -> str:
    return str(_pwd().hash(password))


def verify_password(password: str, hashed: str | None) -> bool:
    """Verify; with no hash (unknown user) verify against a dummy so timing is the same."""
    global _dummy_hash
    if hashed is None:
        if _dummy_hash is None:
            _dummy_hash = hash_password(secrets.token_urlsafe(16))
        _pwd().verify(password, _dummy_hash)
        return False
    try:
        return bool(_pwd().verify(password, hashed))
    except (ValueError, TypeError):
        return False


class TokenError(Exception):
    pass


def _encode(claims: dict[str, Any]) -> str:
    return str(jwt.encode(claims, get_settings().jwt_secret, algorithm=ALGORITHM))


def create_token(
    *, subject: uuid.UUID, token_type: str, session_id: uuid.UUID, ttl: timedelta
) -> tuple[str, uuid.UUID, datetime]:
    now = datetime.now(UTC)
    jti = uuid7()
    exp = now + ttl
    token = sign_token(
        subject=subject,
        token_type=token_type,
        session_id=session_id,
        jti=jti,
        issued_at=now,
        expires_at=exp,
    )
    return token, jti, exp


def sign_token(
    *,
    subject: uuid.UUID,
    token_type: str,
    session_id: uuid.UUID,
    jti: uuid.UUID,
    issued_at: datetime,
    expires_at: datetime,
) -> str:
    """The token with exactly these claims. HS256 is deterministic: the same claims give the
    same token, so a token issued earlier can be handed out again without storing it."""
    return _encode(
        {
            "sub": str(subject),
            "typ": token_type,
            "sid": str(session_id),
            "jti": str(jti),
            "iat": int(issued_at.timestamp()),
            "exp": int(expires_at.timestamp()),
        }
    )


CLIENT_SECRET_PREFIX = "uhs_"


def new_client_secret() -> str:
    """A fresh integration-client secret (shown once; only its argon2 hash is kept)."""
    return CLIENT_SECRET_PREFIX + secrets.token_urlsafe(32)


def create_client_token(
    *, client_id: uuid.UUID, ttl: timedelta, rate_limit: int
) -> tuple[str, datetime]:
    """An access token of an integration client (OAuth2 client credentials).

    `knd` tells it from a person's token; `sid` is the client itself (a client has no sign-in
    session: revoking the client ends its tokens); `rl` is its requests-per-minute limit, so
    the edge can count requests without reading the client's row first.
    """
    now = datetime.now(UTC)
    exp = now + ttl
    token = _encode(
        {
            "sub": str(client_id),
            "typ": "access",
            "knd": "client",
            "sid": str(client_id),
            "jti": str(uuid7()),
            "rl": rate_limit,
            "iat": int(now.timestamp()),
            "exp": int(exp.timestamp()),
        }
    )
    return token, exp


def decode_token(token: str, expected_type: str) -> dict[str, Any]:
    """Decode and check signature, exp, iat, sub, jti and the token type."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            get_settings().jwt_secret,
            algorithms=[ALGORITHM],
            options={
                "require_exp": True,
                "require_iat": True,
                "require_sub": True,
                "require_jti": True,
            },
        )
    except JWTError as exc:
        raise TokenError(str(exc)) from exc
    if claims.get("typ") != expected_type:
        raise TokenError("wrong token type")
    try:
        claims["sub"] = uuid.UUID(str(claims["sub"]))
        claims["sid"] = uuid.UUID(str(claims["sid"]))
        claims["jti"] = uuid.UUID(str(claims["jti"]))
    except (KeyError, ValueError) as exc:
        raise TokenError("malformed claims") from exc
    return claims


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
