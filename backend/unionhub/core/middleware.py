"""The HTTP edge, as one plain ASGI middleware (`EdgeMiddleware`): request ids and the access
log, trusted proxies, security headers and the request body limit.

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
from unionhub.core.warm import WarmFreezer

log = logging.getLogger("unionhub.access")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _state(scope: Scope) -> dict[str, Any]:
    # Request.state reads and writes this same dict, so handlers see what is put here.
    state: dict[str, Any] = scope.setdefault("state", {})
    return state


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


# What every answer carries (`EdgeMiddleware`), as the ASGI message holds headers: lowercase
# names, latin-1 bytes.
_COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
_APP_HEADERS = ((b"content-security-policy", APP_CSP.encode()), *_COMMON)
_DOCS_HEADERS = ((b"content-security-policy", DOCS_CSP.encode()), *_COMMON)
_HSTS = (b"strict-transport-security", HSTS.encode())
_NO_STORE = (b"cache-control", b"no-store")
# The edge's headers by (a docs page, over TLS): HSTS only over TLS.
_EDGE = {
    (docs, tls): (*(_DOCS_HEADERS if docs else _APP_HEADERS), *((_HSTS,) if tls else ()))
    for docs in (False, True)
    for tls in (False, True)
}
_SET_BY_EDGE = frozenset(
    name for name, _ in (*_APP_HEADERS, _HSTS, _NO_STORE, (b"x-request-id", b""))
)


class EdgeMiddleware:
    """What the edge does for every HTTP request, in one layer: a request id and the access
    line, the client address from a trusted proxy, the security headers, the body limit.

    One layer rather than one per concern (issue 9): each layer of ASGI middleware is a call,
    a `send` wrapper and a header scan per request, a tenth of a member detail's framework CPU
    for four layers. The steps run in the order the separate layers ran in:

    1. **Request id**: the caller's X-Request-ID when it is short printable ASCII, else a new
       one; in `request.state` and the logging context, echoed as X-Request-ID, and one access
       line per request (method, path, status, duration, user, client).
    2. **Trusted proxies**: the client address and scheme from X-Forwarded-For / -Proto, but
       only when the connection comes from one of `trusted` (FORWARDED_ALLOW_IPS). Anyone can
       send these headers; believed from anywhere, they let a client pick a fresh address for
       every sign-in attempt and slip past the per-address throttle. The client is the
       right-most address in X-Forwarded-For that is not itself a trusted proxy.
    3. **Security headers** on every answer; `no-store` on everything but the web app's files:
       API answers carry personal data, so no browser or proxy cache may keep them; the built
       web app's files set their own Cache-Control (hashed assets are immutable) and keep it.
       HSTS only over TLS (the scheme after step 2).
    4. **Body limit**: a body over `max_bytes` is refused with 413 (problem+json through the
       handlers). The limit is raised as an HTTPException from `receive`, that is, where an
       endpoint reads its body, so the application's error handlers answer it like any other
       problem; a declared Content-Length over the limit is refused before a byte is read.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        trusted: Iterable[Network],
        max_bytes: int,
        freezer: WarmFreezer | None = None,
    ) -> None:
        self.app = app
        self.trusted = tuple(trusted)
        self.max_bytes = max_bytes
        # Counts requests to freeze the warm caches (core.warm); after the access line.
        self.freezer = freezer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming, declared = _edge_headers(scope["headers"])
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

        client = scope.get("client")
        if client and self._is_trusted(client[0]):
            self._believe_proxy(scope, Headers(scope=scope))

        path: str = scope["path"]
        docs = path in ("/docs", "/redoc") or path.startswith("/docs/")
        edge = _EDGE[docs, scope.get("scheme") == "https"]
        api = path.startswith("/api/")
        rid_header = (b"x-request-id", rid.encode("latin-1"))

        async def send_edge(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                _add_headers(message, edge, api, rid_header)
            await send(message)

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

        freezer = self.freezer
        if freezer is not None:
            freezer.started()
        try:
            await self.app(scope, limited_receive, send_edge)
        except BaseException:
            _access(scope, state, 500, started)
            if freezer is not None:
                freezer.finished()
            # The id stays set: Starlette's error middleware, outside this one and in the same
            # task, logs the traceback next, and that line must carry it too.
            raise
        _access(scope, state, status, started)
        request_id_var.reset(token)
        if freezer is not None:
            freezer.finished()

    def _is_trusted(self, host: str | None) -> bool:
        if not self.trusted:
            return False
        ip = _ip(host) if host else None
        return ip is not None and any(ip in net for net in self.trusted)

    def _believe_proxy(self, scope: Scope, headers: Headers) -> None:
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


def _edge_headers(raw: Iterable[tuple[bytes, bytes]]) -> tuple[str, str]:
    """The request's X-Request-ID and Content-Length ("" when absent), each the first sent,
    as `Headers.get` reads them (ASGI names are lowercase), in one pass over the headers:
    a `Headers` and a lookup per name scanned them twice and raised and caught a `KeyError`
    for each one absent (a GET sends neither; issue 9)."""
    incoming = declared = None
    for name, value in raw:
        if name == b"x-request-id":
            if incoming is None:
                incoming = value
        elif name == b"content-length" and declared is None:
            declared = value
    return (
        "" if incoming is None else incoming.decode("latin-1"),
        "" if declared is None else declared.decode("latin-1"),
    )


def _add_headers(
    message: Message,
    edge: tuple[tuple[bytes, bytes], ...],
    api: bool,
    rid_header: tuple[bytes, bytes],
) -> None:
    """The edge's headers on a response start: each set as `MutableHeaders[name] = value`
    sets it (replacing the answer's own, duplicates dropped, else appended), Cache-Control
    only on API answers or where the answer has none."""
    raw = message["headers"] = list(message["headers"])
    if any(name in _SET_BY_EDGE for name, _ in raw):
        # The answer set one of them itself (a photo's Cache-Control): replace in place.
        mutable = MutableHeaders(raw=raw)
        for name, value in edge:
            mutable[name.decode()] = value.decode("latin-1")
        if api or "cache-control" not in mutable:
            mutable["cache-control"] = "no-store"
        mutable["x-request-id"] = rid_header[1].decode("latin-1")
        return
    # None of them there (the usual answer): appended, Cache-Control included (it was not set).
    raw.extend(edge)
    raw.append(_NO_STORE)
    raw.append(rid_header)


def _access(scope: Scope, state: dict[str, Any], status: int, started: float) -> None:
    if not log.isEnabledFor(logging.INFO):
        return  # the line would be dropped (LOG_LEVEL above INFO): not built either
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


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"The request body is larger than {limit // (1024 * 1024)} MB.")
