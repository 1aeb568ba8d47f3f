"""What the edge does for every call of an integration client, before and after the endpoint.

- Rate limit per client, counted in PostgreSQL (core.ratelimit) so it holds across every
  replica: 429 with Retry-After past it, and RateLimit-* headers on every answer.
- Usage per client: requests, errors (answers >= 400) and when it was last seen.
- `Idempotency-Key` on POST: the first answer is kept for IDEMPOTENCY_HOURS; the same key with
  the same request gets it again (`Idempotency-Replayed: true`), with another request 422.

The counters and the kept answers are written in short transactions of their own, not in the
request's: a refused or failed request still counts, and its rollback cannot undo the count.
The kept answer is stored after the request's own commit; a crash between the two leaves the
key unused, so a retry runs the request again (at-least-once, not exactly-once, in that
window - the ADR on the integration API says why this is acceptable).

A client is recognised from its access token alone (`knd` claim, signed by us): the endpoint's
own dependency still checks that the client exists and is not revoked.
"""

import hashlib
import json
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, LargeBinary, String, delete, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Mapped, mapped_column
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unionhub.core import ratelimit
from unionhub.core.config import get_settings
from unionhub.core.db import Base, get_sessionmaker
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import PROBLEM_JSON, TYPE_BASE
from unionhub.core.security import TokenError, decode_token

log = logging.getLogger("unionhub.clients")

WINDOW = timedelta(minutes=1)
# Answer headers worth keeping with an idempotent answer (the body says the rest).
_KEPT_HEADERS = ("content-type", "location", "etag")
MAX_KEY_LENGTH = 255


class ClientUsage(Base):
    """Calls of one integration client (no foreign key: counted outside the request)."""

    __tablename__ = "client_usage"

    client_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    requests: Mapped[int] = mapped_column(BigInteger, default=0)
    errors: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IdempotencyRecord(Base):
    """The first answer to a client's POST with an Idempotency-Key (status None: running)."""

    __tablename__ = "idempotency_keys"

    client_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)


def client_of(scope: Scope) -> tuple[uuid.UUID, int] | None:
    """(client id, its requests-per-minute limit) when the request carries a client's token."""
    scheme, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        claims = decode_token(token.strip(), "access")
    except TokenError:
        return None
    if claims.get("knd") != "client":
        return None
    limit = claims.get("rl")
    return claims["sub"], int(limit) if isinstance(limit, int) else 0


def _problem(scope: Scope, status: int, code: str, title: str, detail: str, **extra: Any) -> bytes:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code.replace("_", "-"),
        "title": title,
        "status": status,
        "code": code,
        "detail": detail,
        "instance": scope["path"],
        "request_id": scope.get("state", {}).get("request_id"),
        **extra,
    }
    return json.dumps(body).encode()


async def _send_whole(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class ClientCallsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = (
            client_of(scope)
            if scope["type"] == "http" and scope["path"].startswith("/api/")
            else None
        )
        if client is None:
            await self.app(scope, receive, send)
            return
        client_id, limit = client
        limit = limit or get_settings().client_rate_limit_per_minute
        now = datetime.now(UTC)
        hits, started = await _count(client_id, now)
        reset = max(1, int((started + WINDOW - now).total_seconds() + 0.999))
        rate_headers = [
            (b"ratelimit-limit", str(limit).encode()),
            (b"ratelimit-remaining", str(max(0, limit - hits)).encode()),
            (b"ratelimit-reset", str(reset).encode()),
            (b"ratelimit-policy", f"{limit};w={int(WINDOW.total_seconds())}".encode()),
        ]
        status = 500

        async def send_counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in rate_headers:
                    headers[name.decode()] = value.decode()
            await send(message)

        try:
            if hits > limit:
                body = _problem(
                    scope,
                    429,
                    ErrorCode.RATE_LIMITED,
                    "Too many requests",
                    f"This client may make {limit} requests a minute; try again in "
                    f"{reset} seconds.",
                    retry_after=reset,
                    params={"retry_after": reset},
                )
                await send_counted(
                    {
                        "type": "http.response.start",
                        "status": 429,
                        "headers": [
                            (b"content-type", PROBLEM_JSON.encode()),
                            (b"retry-after", str(reset).encode()),
                        ],
                    }
                )
                await send_counted({"type": "http.response.body", "body": body})
                return
            key = Headers(scope=scope).get("idempotency-key")
            if scope["method"] == "POST" and key is not None:
                await _idempotent(self.app, scope, receive, send_counted, client_id, key)
            else:
                await self.app(scope, receive, send_counted)
        finally:
            if status >= 400:
                await _count_error(client_id)


async def _count(client_id: uuid.UUID, now: datetime) -> tuple[int, datetime]:
    async with get_sessionmaker()() as session:
        hits, started = await ratelimit.count_hit(session, f"client:{client_id}", WINDOW, now)
        await session.execute(
            pg_insert(ClientUsage)
            .values(client_id=client_id, requests=1, errors=0, last_seen_at=now)
            .on_conflict_do_update(
                index_elements=[ClientUsage.client_id],
                set_={"requests": ClientUsage.requests + 1, "last_seen_at": now},
            )
        )
        await session.commit()
    return hits, started


async def _count_error(client_id: uuid.UUID) -> None:
    try:
        async with get_sessionmaker()() as session:
            await session.execute(
                update(ClientUsage)
                .where(ClientUsage.client_id == client_id)
                .values(errors=ClientUsage.errors + 1)
            )
            await session.commit()
    except Exception:  # a lost error count must not turn the answer into a 500
        log.exception("could not count a client's error")


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _json_headers(extra: list[tuple[bytes, bytes]] | None = None) -> list[tuple[bytes, bytes]]:
    return [(b"content-type", PROBLEM_JSON.encode()), *(extra or [])]


async def _idempotent(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, client_id: uuid.UUID, key: str
) -> None:
    if not (0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
        body = _problem(
            scope,
            422,
            ErrorCode.VALIDATION_ERROR,
            "Invalid input",
            "Idempotency-Key must be 1-255 printable ASCII characters.",
            errors=[
                {
                    "field": "idempotency-key",
                    "in": "header",
                    "code": ErrorCode.INVALID_IDEMPOTENCY_KEY,
                    "message": "Idempotency-Key must be 1-255 printable ASCII characters.",
                }
            ],
        )
        await _send_whole(send, 422, body, _json_headers())
        return
    raw = await _read_body(receive)
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], scope.get("query_string", b"").decode(), ""):
        digest.update(part.encode() + b"\n")
    digest.update(raw)
    request_hash = digest.hexdigest()
    now = datetime.now(UTC)
    horizon = now - timedelta(hours=get_settings().idempotency_hours)
    async with get_sessionmaker()() as session:
        await session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.client_id == client_id,
                IdempotencyRecord.key == key,
                IdempotencyRecord.created_at < horizon,
            )
        )
        inserted = (
            await session.execute(
                pg_insert(IdempotencyRecord)
                .values(client_id=client_id, key=key, request_hash=request_hash, created_at=now)
                .on_conflict_do_nothing()
                .returning(IdempotencyRecord.key)
            )
        ).scalar_one_or_none()
        first = None
        if inserted is None:
            first = (
                await session.execute(
                    select(IdempotencyRecord).where(
                        IdempotencyRecord.client_id == client_id, IdempotencyRecord.key == key
                    )
                )
            ).scalar_one()
        await session.commit()
    if first is not None:
        await _answer_again(scope, send, first, request_hash)
        return

    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": raw, "more_body": False}

    status = 500
    kept: dict[str, str] = {}
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = Headers(raw=message.get("headers", []))
            kept.update({h: headers[h] for h in _KEPT_HEADERS if h in headers})
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
        await send(message)

    try:
        await app(scope, replay, keep)
    finally:
        await _store(client_id, key, status, kept, b"".join(chunks))


async def _store(
    client_id: uuid.UUID, key: str, status: int, headers: dict[str, str], body: bytes
) -> None:
    """Keep the answer; a server error is not kept (the key stays free for a retry)."""
    where = (IdempotencyRecord.client_id == client_id, IdempotencyRecord.key == key)
    async with get_sessionmaker()() as session:
        if status >= 500:
            await session.execute(delete(IdempotencyRecord).where(*where))
        else:
            await session.execute(
                update(IdempotencyRecord)
                .where(*where)
                .values(status=status, headers=headers, body=body)
            )
        await session.commit()


async def _answer_again(
    scope: Scope, send: Send, first: IdempotencyRecord, request_hash: str
) -> None:
    if first.request_hash != request_hash:
        message = (
            "This Idempotency-Key was used for a different request; use a new key for a new "
            "request."
        )
        body = _problem(
            scope,
            422,
            ErrorCode.VALIDATION_ERROR,
            "Invalid input",
            message,
            errors=[
                {
                    "field": "idempotency-key",
                    "in": "header",
                    "code": ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "message": message,
                }
            ],
        )
        await _send_whole(send, 422, body, _json_headers())
        return
    if first.status is None:
        body = _problem(
            scope,
            409,
            ErrorCode.IDEMPOTENCY_IN_PROGRESS,
            "Conflict",
            "The first request with this Idempotency-Key is still running; retry shortly.",
        )
        await _send_whole(send, 409, body, _json_headers([(b"retry-after", b"1")]))
        return
    headers = [(k.encode(), v.encode()) for k, v in (first.headers or {}).items()]
    headers.append((b"idempotency-replayed", b"true"))
    await _send_whole(send, first.status, first.body or b"", headers)
