"""Everything about passwords, secrets and signatures lives here: HS256 for the API's own tokens,
ES256 for member e-cards (verifiable offline), one algorithm on every decode."""

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
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


# Access tokens already verified in this process, by (secret, token): a request's token is
# read by the edge (core.client_calls) and by the principal dependency, and a web app sends
# the same token for its 15 minutes. Checking the signature and the claims again gives the
# same answer, so only the expiry is checked again on a hit.
_VERIFIED_MAX = 10_000
_verified: dict[tuple[str, str], dict[str, Any]] = {}


def decode_token(token: str, expected_type: str) -> dict[str, Any]:
    """Decode and check signature, exp, iat, sub, jti and the token type."""
    secret = get_settings().jwt_secret
    if expected_type == "access":
        known = _verified.get((secret, token))
        if known is not None and time.time() <= known["exp"]:
            return dict(known)
    claims = _decode(token, secret, expected_type)
    if expected_type == "access":
        if len(_verified) >= _VERIFIED_MAX:
            _verified.clear()
        _verified[(secret, token)] = dict(claims)
    return claims


def _decode(token: str, secret: str, expected_type: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
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


# ------------------------------------------------------------------ member activation codes
# A one-time code an officer hands a member (on paper, by phone) to activate their account:
# 10 characters of Crockford's base32 (no I, L, O, U: nothing to misread), about 50 bits,
# shown as XXXXX-XXXXX. Guessing is bounded by the activation throttle and the expiry; only a
# keyed hash is stored, so the table alone gives no usable code.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_activation_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def activation_code_hash(code: str) -> str:
    """The stored form of a code as typed: case, spaces and dashes do not matter."""
    normal = "".join(c for c in code.upper() if c.isalnum())
    key = get_settings().jwt_secret.encode()
    return hmac.new(key, b"activation:" + normal.encode(), hashlib.sha256).hexdigest()


# ------------------------------------------------------------------ member e-cards (ES256)
# Cards are signed with EC P-256 keys so that anyone can verify them offline with the public
# keys at /.well-known/jwks.json. CARD_KEYS_FILE holds the keys, newest first:
#   [{"kid": "2026-12", "pem": "-----BEGIN PRIVATE KEY-----..."}, {"kid": "2025-06", ...}]
# the first signs, all verify (rotation: add a new key first, keep the old one until the cards
# it signed expire). Without a file (development and tests only) one key is derived from
# JWT_SECRET, so every process of a deployment signs with the same key.
CARD_ALGORITHM = "ES256"


class CardKey:
    def __init__(self, kid: str, private: ec.EllipticCurvePrivateKey) -> None:
        self.kid = kid
        self.private_pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        self.public_pem = (
            private.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        numbers = private.public_key().public_numbers()
        self.public_jwk = {
            "kty": "EC",
            "crv": "P-256",
            "x": _b64url(numbers.x.to_bytes(32, "big")),
            "y": _b64url(numbers.y.to_bytes(32, "big")),
            "use": "sig",
            "alg": CARD_ALGORITHM,
            "kid": kid,
        }


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_card_keys: list[CardKey] | None = None


def card_keys() -> list[CardKey]:
    """The card keys, the signing one first."""
    global _card_keys
    if _card_keys is None:
        s = get_settings()
        if s.card_keys_file:
            entries = json.loads(Path(s.card_keys_file).read_text())
            keys = []
            for entry in entries:
                private = serialization.load_pem_private_key(entry["pem"].encode(), None)
                if not isinstance(private, ec.EllipticCurvePrivateKey):
                    raise ValueError(f"card key {entry['kid']}: not an EC key")
                keys.append(CardKey(str(entry["kid"]), private))
            if not keys:
                raise ValueError("CARD_KEYS_FILE holds no key")
            _card_keys = keys
        else:
            if s.environment == "production":
                raise RuntimeError("CARD_KEYS_FILE must be set when ENVIRONMENT=production")
            seed = hashlib.sha256(b"unionhub-card-key:" + s.jwt_secret.encode()).digest()
            scalar = int.from_bytes(seed, "big") % (_P256_ORDER - 1) + 1
            private = ec.derive_private_key(scalar, ec.SECP256R1())
            _card_keys = [CardKey("dev-" + hashlib.sha256(seed).hexdigest()[:8], private)]
    return _card_keys


_P256_ORDER = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)


def jwks() -> dict[str, Any]:
    return {"keys": [k.public_jwk for k in card_keys()]}


def sign_card(claims: dict[str, Any]) -> str:
    """The card's facts as a compact JWS (ES256, kid of the signing key)."""
    key = card_keys()[0]
    return str(
        jwt.encode(claims, key.private_pem, algorithm=CARD_ALGORITHM, headers={"kid": key.kid})
    )


def verify_card(token: str) -> dict[str, Any]:
    """The card's claims when its signature is ours and it has not expired (TokenError else)."""
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except JWTError as exc:
        raise TokenError(str(exc)) from exc
    key = next((k for k in card_keys() if k.kid == kid), None)
    if key is None:
        raise TokenError("unknown key")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.public_pem,
            algorithms=[CARD_ALGORITHM],
            options={"require_exp": True, "require_iat": True, "require_sub": True},
        )
    except JWTError as exc:
        raise TokenError(str(exc)) from exc
    return claims


# ------------------------------------------------------------------ webhooks (Standard Webhooks)
WEBHOOK_SECRET_PREFIX = "whsec_"


def new_webhook_secret() -> str:
    return WEBHOOK_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def webhook_signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """`webhook-signature` per the Standard Webhooks convention:
    v1,base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")), the key being the secret's
    base64 part after whsec_."""
    key = base64.b64decode(secret.removeprefix(WEBHOOK_SECRET_PREFIX))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()
