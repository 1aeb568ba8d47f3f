"""The HTTP edge: security headers, caching of personal data, the web app's fallback route,
oversize bodies, and which X-Forwarded-* headers are believed."""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.datastructures import Headers

from tests.conftest import client_for
from tests.factories import Factory
from unionhub.auth.models import LoginThrottle
from unionhub.core.config import get_settings
from unionhub.core.middleware import _edge_headers, parse_networks
from unionhub.main import create_app

TOKEN = "/api/v1/auth/token"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(
        '<!doctype html><div id="root"></div><script type="module" src="/assets/app.js"></script>'
    )
    (tmp_path / "assets" / "app.js").write_text("console.log('app')")
    return tmp_path


@pytest.fixture
async def spa(dist: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[AsyncClient]:
    monkeypatch.setattr(get_settings(), "frontend_dist", str(dist))
    app = create_app()
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_api_answers_carry_security_headers_and_no_store(factory: Factory) -> None:
    headers = await factory.headers_for("viewer", await factory.union())
    r = await factory.client.get("/api/v1/auth/me", headers=headers)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    # personal data: no browser or proxy may keep a copy
    assert r.headers["cache-control"] == "no-store"
    # plain HTTP without a trusted proxy: no HSTS
    assert "strict-transport-security" not in r.headers
    # errors too
    r = await factory.client.get("/api/v1/members?as_of=0039-11-29", headers=headers)
    assert r.status_code == 422
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"


async def test_docs_get_their_own_policy(client: AsyncClient) -> None:
    for page in ("/docs", "/redoc"):
        r = await client.get(page)
        assert r.status_code == 200
        csp = r.headers["content-security-policy"]
        # what Swagger UI and ReDoc need, on their routes only, and no other host
        assert "script-src 'self' 'unsafe-inline'" in csp and "frame-ancestors 'none'" in csp
        assert "http" not in csp
    r = await client.get("/api/v1/openapi.json")
    assert "unsafe-inline" not in r.headers["content-security-policy"].split("style-src")[0]


async def test_docs_work_without_internet(client: AsyncClient) -> None:
    """Every script, style and image the pages name is served here (a closed network
    reaches no CDN), and the HTML names no other host."""
    for page in ("/docs", "/redoc"):
        r = await client.get(page)
        assert not re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", r.text), page
        assets = re.findall(r'(?:src|href)="(/[^"]+)"', r.text)
        assert assets, page
        for asset in assets:
            a = await client.get(asset)
            assert a.status_code == 200 and len(a.content) > 100, asset
    js = await client.get("/docs/assets/swagger-ui-bundle.js")
    assert js.headers["content-type"].startswith(("text/javascript", "application/javascript"))


async def test_web_app_files_keep_their_caching(spa: AsyncClient) -> None:
    r = await spa.get("/members")
    assert r.status_code == 200 and 'id="root"' in r.text
    assert r.headers["cache-control"] == "no-cache"
    assert "script-src 'self';" in r.headers["content-security-policy"]
    r = await spa.get("/assets/app.js")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_web_app_files_are_sent_precompressed(dist: Path, spa: AsyncClient) -> None:
    plain = (dist / "assets" / "app.js").read_bytes()
    (dist / "assets" / "app.js.br").write_bytes(b"BROTLI" + plain)
    (dist / "assets" / "app.js.gz").write_bytes(b"GZIP" + plain)
    cases = {
        "gzip, deflate, br, zstd": ("br", b"BROTLI"),
        "gzip": ("gzip", b"GZIP"),
        "br;q=0, gzip;q=0.8": ("gzip", b"GZIP"),
        "identity": (None, b""),
        "": (None, b""),
    }
    for accept, (coding, prefix) in cases.items():
        # the raw bytes as sent (httpx would try to decode br/gzip; these twins are markers)
        async with spa.stream("GET", "/assets/app.js", headers={"accept-encoding": accept}) as r:
            raw = b"".join([chunk async for chunk in r.aiter_raw()])
        assert r.status_code == 200, accept
        assert r.headers.get("content-encoding") == coding, accept
        assert r.headers["content-type"].startswith("text/javascript"), accept
        assert "accept-encoding" in r.headers["vary"].lower()
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert raw == prefix + plain, accept
    # The twins are not addressable themselves, and a missing hashed file is a 404, not the
    # index served as a script.
    for path in ("/assets/app.js.br", "/assets/app.js.gz", "/assets/gone-1234.js"):
        r = await spa.get(path, headers={"accept-encoding": "identity"})
        assert r.status_code == 404, path


@pytest.mark.parametrize(
    "path",
    ["/%00", "/members/%00x", "/" + "a" * 5000, "/x/" + "b" * 300, "/a%01b", "/api/v1/nope"],
)
async def test_web_app_fallback_answers_404_for_impossible_paths(
    spa: AsyncClient, path: str
) -> None:
    r = await spa.get(path)
    assert r.status_code == 404, (path[:40], r.text[:200])
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "not_found"


def test_the_index_of_the_built_web_app_has_no_inline_script() -> None:
    # The CSP allows scripts from the origin only; an inline one would be blocked.
    index = Path(__file__).resolve().parents[3] / "frontend" / "index.html"
    html = index.read_text()
    assert "<script" in html
    for tag in html.split("<script")[1:]:
        assert "src=" in tag.split(">")[0], tag[:80]


async def test_oversize_bodies_answer_413_problem(client: AsyncClient) -> None:
    limit = get_settings().max_body_bytes
    body = b"x" * (limit + 1)
    # declared with Content-Length
    r = await client.post(
        "/api/v1/auth/refresh", content=body, headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "payload_too_large"

    # streamed without a length
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(limit // (1024 * 1024) + 2):
            yield b"x" * (1024 * 1024)

    r = await client.post(
        "/api/v1/auth/refresh", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"


def test_trusting_every_address_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_networks("*")
    assert [str(n) for n in parse_networks("10.0.0.2, 172.30.0.0/24")] == [
        "10.0.0.2/32",
        "172.30.0.0/24",
    ]


async def _ip_failures(db: AsyncSession) -> dict[str, int]:
    rows = await db.execute(select(LoginThrottle).where(LoginThrottle.key.like("ip:%")))
    return {t.key: t.failures for t in rows.scalars()}


async def test_forwarded_for_is_ignored_from_clients(
    factory: Factory, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "login_slowdown_after", 100)
    # The test client connects from 127.0.0.1, which is no configured proxy: each attempt
    # names a fresh address, and all of them still count against the real one.
    attempts = get_settings().login_ip_lock_after
    for n in range(attempts):
        r = await factory.client.post(
            TOKEN,
            data={"username": f"nobody{n}", "password": "Wrong-pass-1"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
        assert r.status_code == 401, r.text
    assert await _ip_failures(db) == {"ip:127.0.0.1": attempts}
    r = await factory.client.post(
        TOKEN,
        data={"username": "nobody-else", "password": "Wrong-pass-1"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert r.status_code == 429


async def test_forwarded_for_is_believed_from_a_configured_proxy(
    db: AsyncSession, connection: AsyncConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "forwarded_allow_ips", "127.0.0.1")
    app: FastAPI = create_app()
    async with client_for(app, db, connection) as c:
        # nginx overwrites X-Forwarded-For with the peer; a client-supplied prefix before
        # it (a proxy that appends) is not believed: the right-most untrusted hop is.
        r = await c.post(
            TOKEN,
            data={"username": "nobody", "password": "Wrong-pass-1"},
            headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9", "X-Forwarded-Proto": "https"},
        )
        assert r.status_code == 401
        assert r.headers["strict-transport-security"].startswith("max-age=")
        r = await c.post(
            TOKEN,
            data={"username": "nobody", "password": "Wrong-pass-1"},
            headers={"X-Forwarded-For": "not-an-address"},
        )
        assert r.status_code == 401
    assert await _ip_failures(db) == {"ip:203.0.113.9": 1, "ip:127.0.0.1": 1}


def test_nginx_serves_the_web_app_with_the_same_policy() -> None:
    # In the compose deployment nginx, not the backend, serves index.html and the assets.
    from unionhub.core.middleware import APP_CSP

    inc = Path(__file__).resolve().parents[3] / "deploy" / "security-headers.inc"
    assert f'Content-Security-Policy "{APP_CSP}"' in inc.read_text()


def test_the_edge_reads_the_first_of_its_headers_as_headers_get_does() -> None:
    # One pass over the raw headers instead of a `Headers` per request: the same values.
    sent = [
        (b"host", b"test"),
        (b"x-request-id", b"first"),
        (b"content-length", b"12"),
        (b"x-request-id", b"second"),
        (b"content-length", b"99"),
    ]
    assert _edge_headers(sent) == ("first", "12")
    assert _edge_headers(sent) == (
        Headers(raw=sent).get("x-request-id"),
        Headers(raw=sent).get("content-length"),
    )
    assert _edge_headers([(b"host", b"test")]) == ("", "")
    assert _edge_headers([(b"x-request-id", "\u00e9".encode("latin-1"))]) == ("\u00e9", "")
