"""An external integration end to end, against the real processes (issue 13).

The API runs as uvicorn (twice: one with 127.0.0.1 allowlisted for webhooks, one without) and a
queue worker delivers webhooks, all on a database of their own. This test is the outside
system: over HTTP only, it registers a client (as the federation's officer), gets a token by
client credentials, reads only its subtree with masked personal data, pages the change feed
after a few edits, receives signed webhooks on a local receiver (one answered 500 first, so it
is retried), and verifies a member's e-card offline with the published JWKS using joserfc - an
independent JOSE library, not the project's code. Then the refusals: an Idempotency-Key
replayed with another body, a webhook URL on 127.0.0.1 without the allowlist, a rotated secret
past its overlap, and a revoked client.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from joserfc import jwt as independent_jwt
from joserfc.jwk import KeySet
from sqlalchemy.engine import make_url

from tests.test_replicas import _free_port, _recreate
from unionhub.core.config import get_settings

BACKEND = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "Integrate@2026"


@dataclass
class Stack:
    api: str  # 127.0.0.1 allowlisted for webhook targets
    strict_api: str  # no allowlist: what a production deployment does
    logs: list[tuple[subprocess.Popen[bytes], IO[bytes], Path]]

    def output(self) -> str:
        return "\n".join(path.read_text(errors="replace")[-3000:] for _, _, path in self.logs)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    base = make_url(get_settings().database_url)
    name = f"{base.database}_integration"
    url = base.set(database=name).render_as_string(hide_password=False)
    asyncio.run(_recreate(name))
    logs_dir = tmp_path_factory.mktemp("integration")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ENVIRONMENT": "test",
        "LOG_JSON": "false",
        "LOG_LEVEL": "WARNING",
        "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
        "WEBHOOK_RETRY_SECONDS": "1,1,1,1",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_STALLED_SECONDS": "5",
    }
    subprocess.run([BIN / "alembic", "upgrade", "head"], cwd=BACKEND, env=env, check=True)
    subprocess.run(
        [BIN / "unionhub", "create-admin", "admin", "--root-code", "LDLD", "--root-name", "LĐLĐ"],
        cwd=BACKEND,
        env=env,
        input=f"{PASSWORD}\n".encode(),
        check=True,
        capture_output=True,
    )
    started: list[tuple[subprocess.Popen[bytes], IO[bytes], Path]] = []

    def start(label: str, extra: dict[str, str], *argv: str | Path) -> None:
        path = logs_dir / f"{label}.log"
        log = path.open("wb")
        proc = subprocess.Popen(
            [str(a) for a in argv],
            cwd=BACKEND,
            env={**env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((proc, log, path))

    try:
        ports = [_free_port(), _free_port()]
        start("api", {}, BIN / "uvicorn", "unionhub.main:app", "--port", str(ports[0]))
        start(
            "api-strict",
            {"WEBHOOK_ALLOWED_NETWORKS": ""},
            BIN / "uvicorn",
            "unionhub.main:app",
            "--port",
            str(ports[1]),
        )
        start("worker", {}, BIN / "unionhub", "worker", "--name", "integration")
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        deadline = time.monotonic() + 120
        for base_url in urls:
            while True:
                try:
                    if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, Stack("", "", started).output()
                time.sleep(0.3)
        yield Stack(urls[0], urls[1], started)
    finally:
        for proc, _, _ in started:
            proc.terminate()
        for proc, log, _ in started:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
        asyncio.run(_recreate(name, drop_only=True))


class Receiver:
    """The integrator's webhook endpoint: answers 500 to the first delivery, 200 after."""

    def __init__(self) -> None:
        self.statuses = [500]
        self.received: list[tuple[dict[str, str], bytes]] = []
        me = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                me.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(me.statuses.pop(0) if me.statuses else 200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/unionhub/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
async def http(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.api, timeout=30) as c:
        yield c


def _ok(r: httpx.Response, status: int = 200) -> Any:
    assert r.status_code == status, f"{r.request.method} {r.request.url}: {r.status_code} {r.text}"
    return r.json()


async def _union(
    http: httpx.AsyncClient, admin: dict[str, str], parent: str, level: str, kind: str, code: str
) -> str:
    body = {
        "code": code,
        "name": f"Công đoàn {code}",
        "level": level,
        "kind": kind,
        "sector": "non_state",
        "parent_id": parent,
        "founded_on": date.today().isoformat(),
        "founding_decision_no": f"1/QĐ-{code}",
    }
    created: dict[str, Any] = _ok(await http.post("/api/v1/unions", json=body, headers=admin), 201)
    return str(created["id"])


def _member(union_id: str, serial: int, name: str) -> dict[str, Any]:
    return {
        "full_name": name,
        "date_of_birth": "1990-05-12",
        "gender": "male",
        "personal_id": f"082090{serial:06d}",
        "phone": "0912 345 678",
        "union_id": union_id,
        "admission_date": date.today().isoformat(),
    }


def _signed(secret: str, headers: dict[str, str], body: bytes) -> bool:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    return f"v1,{expected}" in headers["webhook-signature"].split()


async def _until(what: str, check: Any, stack: Stack | None = None, seconds: float = 90) -> Any:
    """`check()`'s first true answer, polled for up to `seconds`; on timeout the assertion
    carries the API's and the worker's logs (`stack`), which say what the worker did."""
    deadline = time.monotonic() + seconds
    while True:
        result = await check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}" + (
            f"\n{stack.output()}" if stack else ""
        )
        await asyncio.sleep(0.5)


async def test_an_external_client_end_to_end(stack: Stack, http: httpx.AsyncClient) -> None:
    # --- the federation sets things up (a person, password flow) --------------------------
    token = _ok(
        await http.post("/api/v1/auth/token", data={"username": "admin", "password": PASSWORD})
    )
    admin = {"Authorization": f"Bearer {token['access_token']}"}
    root = _ok(await http.get("/api/v1/unions", params={"size": 10}, headers=admin))["items"][0]
    tag = uuid.uuid4().hex[:4].upper()
    district_a = await _union(
        http, admin, root["id"], "direct_superior", "district_federation", f"A{tag}"
    )
    district_b = await _union(
        http, admin, root["id"], "direct_superior", "district_federation", f"B{tag}"
    )
    cdcs_a = await _union(http, admin, district_a, "grassroots", "enterprise_union", f"A1{tag}")
    cdcs_b = await _union(http, admin, district_b, "grassroots", "enterprise_union", f"B1{tag}")
    member_a = _ok(
        await http.post(
            "/api/v1/members", json=_member(cdcs_a, 1, "Nguyễn Thị Mai"), headers=admin
        ),
        201,
    )
    member_b = _ok(
        await http.post("/api/v1/members", json=_member(cdcs_b, 2, "Trần Văn Bảo"), headers=admin),
        201,
    )
    registered = _ok(
        await http.post(
            "/api/v1/clients",
            json={
                "name": "LGSP tỉnh Đồng Tháp",
                "organisation": "Sở Khoa học và Công nghệ",
                "contact": "0277 3851 234",
                "purpose": "Nghị định 47/2020/NĐ-CP",
                "union_id": district_a,
                "permissions": ["unions:read", "members:read", "members:write"],
            },
            headers=admin,
        ),
        201,
    )
    client_id, secret = registered["client_id"], registered["client_secret"]

    # --- the external system: client credentials (HTTP Basic) -----------------------------
    grant = _ok(
        await http.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials"},
            auth=(client_id, secret),
        )
    )
    me = {"Authorization": f"Bearer {grant['access_token']}"}
    unions = _ok(await http.get("/api/v1/unions", params={"size": 200}, headers=me))["items"]
    assert {u["id"] for u in unions} == {district_a, cdcs_a}
    read = _ok(await http.get(f"/api/v1/members/{member_a['id']}", headers=me))
    assert read["full_name"] == "Nguyễn Thị Mai"
    assert read["personal_id"] == "*********001" and read["personal_id"] != member_a["personal_id"]
    r = await http.get(f"/api/v1/members/{member_b['id']}", headers=me)
    assert r.status_code == 404 and r.headers["ratelimit-limit"]

    # --- a webhook: refused where 127.0.0.1 is not allowlisted, accepted where it is ------
    receiver = Receiver()
    async with httpx.AsyncClient(base_url=stack.strict_api, timeout=30) as strict:
        r = await strict.post("/api/v1/webhooks", json={"url": receiver.url}, headers=me)
        assert r.status_code == 422 and r.json()["errors"][0]["code"] == "webhook_url_private"
    sub = _ok(
        await http.post(
            "/api/v1/webhooks",
            json={"url": receiver.url, "event_types": ["member"]},
            headers=me,
        ),
        201,
    )

    # --- a few edits (two in the client's subtree, one outside) ---------------------------
    feed_start = _ok(await http.get("/api/v1/changes", params={"limit": 1000}, headers=me))
    cursor = feed_start["next_cursor"]
    _ok(
        await http.patch(
            f"/api/v1/members/{member_a['id']}",
            json={"occupation": "Kỹ thuật viên"},
            headers={**admin, "If-Match": '"1"'},
        )
    )
    _ok(
        await http.patch(
            f"/api/v1/members/{member_b['id']}",
            json={"occupation": "Lái xe"},
            headers={**admin, "If-Match": '"1"'},
        )
    )
    third = _ok(
        await http.post("/api/v1/members", json=_member(cdcs_a, 3, "Lê Văn Cường"), headers=admin),
        201,
    )

    # --- paging the change feed from the cursor, one event a page -------------------------
    async def feed_after() -> list[dict[str, Any]] | None:
        items, c = [], cursor
        while True:
            page = _ok(
                await http.get(
                    "/api/v1/changes",
                    params={"cursor": c, "types": "member", "limit": 1},
                    headers=me,
                )
            )
            items += page["items"]
            c = page["next_cursor"]
            if not page["has_more"]:
                break
        return items if len(items) >= 2 else None

    events = await _until("the change feed", feed_after, stack)
    assert [(e["type"], e["entity_id"]) for e in events] == [
        ("member.update", member_a["id"]),
        ("member.admit", third["id"]),
    ]
    assert events[0]["changed"] == ["occupation"]

    # --- the signed webhooks, with the retry after the 500 --------------------------------
    async def delivered() -> bool:
        ids = [h["webhook-id"] for h, _ in receiver.received]
        return len(ids) >= 3 and len(set(ids)) >= 2

    await _until("the webhooks", delivered, stack)
    first_id = receiver.received[0][0]["webhook-id"]
    assert [h["webhook-id"] for h, _ in receiver.received].count(first_id) == 2  # retried
    for headers, body in receiver.received:
        assert _signed(sub["secret"], headers, body)
        assert json.loads(body)["data"]["entity_id"] in {member_a["id"], third["id"]}
    log = _ok(await http.get(f"/api/v1/webhooks/{sub['id']}/deliveries", headers=me))["items"]
    assert {d["status"] for d in log} == {"succeeded"}
    assert sorted(d["attempts"] for d in log) == [1, 2]
    # manual redelivery. What the receiver holds is counted before the request: the worker
    # may deliver as soon as the request commits, before its answer reaches this test.
    before = len(receiver.received)
    _ok(await http.post(f"/api/v1/webhooks/deliveries/{log[0]['id']}/redeliver", headers=me))
    await _until("the redelivery", lambda: _async(len(receiver.received) > before), stack)
    receiver.server.shutdown()

    # --- the member's e-card, verified offline with joserfc and the JWKS ------------------
    card = _ok(await http.get(f"/api/v1/members/{member_a['id']}/card", headers=me))
    jwks = _ok(await http.get("/.well-known/jwks.json"))
    verified = independent_jwt.decode(
        card["token"], KeySet.import_key_set(jwks), algorithms=["ES256"]
    )
    assert verified.header["kid"] == jwks["keys"][0]["kid"]
    assert verified.claims["cn"] == member_a["card_number"]
    assert verified.claims["name"] == "Nguyễn Thị Mai" and verified.claims["exp"] > time.time()
    tampered = card["token"][:-4] + ("AAAA" if not card["token"].endswith("AAAA") else "BBBB")
    with pytest.raises(Exception):  # noqa: B017 - joserfc's own error types
        independent_jwt.decode(tampered, KeySet.import_key_set(jwks), algorithms=["ES256"])

    # --- refusals ---------------------------------------------------------------------------
    keyed = {**me, "Idempotency-Key": f"import-{uuid.uuid4()}"}
    body = _member(cdcs_a, 4, "Phạm Văn Dũng")
    created = _ok(await http.post("/api/v1/members", json=body, headers=keyed), 201)
    again = await http.post("/api/v1/members", json=body, headers=keyed)
    assert again.status_code == 201 and again.json()["id"] == created["id"]
    assert again.headers["idempotency-replayed"] == "true"
    other = await http.post(
        "/api/v1/members", json={**body, "full_name": "Người Khác"}, headers=keyed
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "idempotency_key_reused"

    rotated = _ok(
        await http.post(
            f"/api/v1/clients/{client_id}/rotate", json={"overlap_hours": 0}, headers=admin
        )
    )
    r = await http.post(
        "/api/v1/auth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    assert r.status_code == 401 and r.json()["code"] == "invalid_client"
    fresh = _ok(
        await http.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": rotated["client_secret"],
            },
        )
    )
    me = {"Authorization": f"Bearer {fresh['access_token']}"}
    _ok(await http.get("/api/v1/unions", headers=me))
    _ok(
        await http.post(
            f"/api/v1/clients/{client_id}/revoke",
            headers={**admin, "If-Match": f'"{rotated["version"]}"'},
        )
    )
    r = await http.get("/api/v1/unions", headers=me)
    assert r.status_code == 401 and r.json()["code"] == "client_revoked"
    r = await http.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, rotated["client_secret"]),
    )
    assert r.status_code == 401 and r.json()["code"] == "invalid_client"
    usage = _ok(await http.get(f"/api/v1/clients/{client_id}", headers=admin))["usage"]
    assert usage["requests"] >= 10 and usage["errors"] >= 2 and usage["last_seen_at"]


async def _async(value: bool) -> bool:
    return value
