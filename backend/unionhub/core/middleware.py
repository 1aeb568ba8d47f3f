"""The HTTP edge, as plain ASGI middleware: request ids and the access log, trusted proxies,
security headers and the request body limit.

Plain ASGI (not Starlette's ``BaseHTTPMiddleware``) on purpose: that one runs the rest of the
application in a task of its own, so a context variable set around ``call_next`` is gone again
by the time its caller, and Starlette's error middleware outside it, write their log lines.
Here everything runs in the request's own task and sees the request id.
"""

import ipaddress
import logging
import time
import uuid
from collections.abc import Iterable
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unionhub.core.logging import request_id_var

log = logging.getLogger("unionhub.access")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _state(scope: Scope) -> dict[str, Any]:
    # Request.state reads and writes this same dict, so handlers see what is put here.
    state: dict[str, Any] = scope.setdefault("state", {})
    return state


class RequestContextMiddleware:
    """Give each request an id (echoed as X-Request-ID) and write one access line for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        rid = (
            incoming
            if 0 < len(incoming) <= 64 and incoming.isascii() and incoming.isprintable()
            else uuid.uuid4().hex
        )
        state = _state(scope)
        state["request_id"] = rid
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            self._access(scope, state, 500, started)
            # The id stays set: Starlette's error middleware, outside this one and in the same
            # task, logs the traceback next, and that line must carry it too.
            raise
        self._access(scope, state, status, started)
        request_id_var.reset(token)

    @staticmethod
    def _access(scope: Scope, state: dict[str, Any], status: int, started: float) -> None:
        client = scope.get("client")
        log.info(
            "request",
            extra={
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user": state.get("user"),
                "client": client[0] if client else None,
            },
        )


def parse_networks(value: str) -> list[Network]:
    """`FORWARDED_ALLOW_IPS`: comma-separated addresses or networks (CIDR) of the proxies."""
    out: list[Network] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if part == "*":
            raise ValueError(
                "FORWARDED_ALLOW_IPS='*' would let any client choose its own address; "
                "list the proxy's addresses or networks instead"
            )
        out.append(ipaddress.ip_network(part, strict=False))
    return out


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


class TrustedProxyMiddleware:
    """Take the client address and scheme from X-Forwarded-For / -Proto, but only when the
    connection comes from one of the configured proxies.

    Anyone can send these headers; believed from anywhere, they let a client pick a fresh
    address for every sign-in attempt and slip past the per-address throttle. The client is
    the right-most address in X-Forwarded-For that is not itself a trusted proxy.
    """

    def __init__(self, app: ASGIApp, trusted: Iterable[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    def _is_trusted(self, host: str | None) -> bool:
        ip = _ip(host) if host else None
        return ip is not None and any(ip in net for net in self.trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] == "http" and client and self._is_trusted(client[0]):
            headers = Headers(scope=scope)
            forwarded = [h for v in headers.getlist("x-forwarded-for") for h in v.split(",")]
            for hop in reversed([h.strip() for h in forwarded if h.strip()]):
                if _ip(hop) is None:
                    break  # garbage: keep the proxy's own address rather than guess
                if not self._is_trusted(hop):
                    scope["client"] = (hop, 0)
                    break
            proto = headers.get("x-forwarded-proto", "").strip().lower()
            if proto in {"http", "https"}:
                scope["scheme"] = proto
        await self.app(scope, receive, send)


# The web app: its own scripts only (no inline script), antd injects <style> elements at run
# time, charts draw on canvas (data:/blob: images), the API is on the same origin.
APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI (/docs) and ReDoc (/redoc): an inline script starting them plus their bundles,
# served by the backend itself (core.docs), nothing from elsewhere; ReDoc's search runs in a
# web worker made from a blob.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "worker-src 'self' blob:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeadersMiddleware:
    """Headers every response carries; `no-store` on everything but the web app's files.

    API answers carry personal data, so no browser or proxy cache may keep them. The built
    web app's files set their own Cache-Control (hashed assets are immutable) and keep it.
    HSTS only over TLS: the scheme is https when the connection (or, through a trusted
    proxy, X-Forwarded-Proto) says so.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        docs = path in ("/docs", "/redoc") or path.startswith("/docs/")
        api = path.startswith("/api/")
        tls = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = DOCS_CSP if docs else APP_CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if tls:
                    headers["Strict-Transport-Security"] = HSTS
                if api or "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuse request bodies over `max_bytes` with 413 (problem+json through the handlers).

    The limit is raised as an HTTPException from `receive`, that is, where an endpoint reads
    its body, so the application's error handlers answer it like any other problem; a
    declared Content-Length over the limit is refused before a byte is read.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        too_large = declared.isdigit() and int(declared) > self.max_bytes
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            if too_large:
                raise _too_large(self.max_bytes)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _too_large(self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"The request body is larger than {limit // (1024 * 1024)} MB.")
