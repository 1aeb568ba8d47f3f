"""The floor: the least a server can do to answer the bench's read requests.

A bare ASGI application (no framework, no ORM) on an asyncpg pool, serialising with orjson. It
runs the same data statements as the project's read path, written out by hand, with the same
scope rules (the caller's roles, their unions' subtrees, members:pii for unmasked data), the
same principal cache (per process, `PRINCIPAL_CACHE_SECONDS`), and answers the same JSON
(the bench compares answers before it measures). What the project spends beyond the floor is
the cost of its framework, ORM and structure; the bench prints the ratio for every scenario.

Only what the bench asks is served: GET /healthz, GET /api/v1/members (q, status, gender,
sort=name, page, size, cursor) and GET /api/v1/members/{id}. Run with
`uvicorn unionhub_dev.bench.floor:app` and DATABASE_URL, JWT_SECRET in the environment.
"""

import math
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import asyncpg  # type: ignore[import-untyped]
import orjson
from sqlalchemy.engine import make_url

from unionhub.authz.permissions import Permission, permissions_of
from unionhub.core.pagination import decode_cursor, encode_cursor
from unionhub.core.security import TokenError, decode_token
from unionhub.core.text import fold
from unionhub.members import search
from unionhub.members.masking import mask_email, mask_passport, mask_personal_id, mask_phone
from unionhub.members.schemas import MemberRead

COUNT_CAP, COUNT_TIMEOUT_S, FENCE_BELOW = 100_000, 0.030, 5_000
TTL = float(os.environ.get("PRINCIPAL_CACHE_SECONDS", "5"))
READ, PII = Permission.MEMBERS_READ, Permission.MEMBERS_PII
FIELDS = tuple(MemberRead.model_fields)
MASKS = {
    "personal_id": mask_personal_id,
    "phone": mask_phone,
    "passport_no": mask_passport,
    "email": mask_email,
}
COLUMNS = (
    "id, full_name, search_name, date_of_birth, gender, ethnicity, nationality, personal_id, "
    "passport_no, phone, email, commune_code, education_level, professional_qualification, "
    "political_theory, occupation, enterprise_id, party_member, admission_date, "
    "admitted_by_union_id, card_number, union_id, status, status_since, trainings, version, "
    "created_at, updated_at"
)
M_COLUMNS = ", ".join(f"m.{c.strip()}" for c in COLUMNS.split(","))
CONTEXT = """
SELECT page.*, u.code AS union_code, u.name AS union_name, u.path::text AS union_path,
       e.name AS enterprise_name,
       EXISTS (SELECT FROM cadre_assignments c WHERE c.member_id = page.id
               AND c.from_date <= current_date
               AND (c.to_date IS NULL OR c.to_date >= current_date)) AS is_cadre
FROM ({page}) AS page
LEFT JOIN unions u ON u.id = page.union_id
LEFT JOIN enterprises e ON e.id = page.enterprise_id
"""
ORDER = " ORDER BY page.search_name, page.id"
UNCOVERED_ROOT = (
    "EXISTS (SELECT FROM unions r WHERE r.parent_id IS NULL AND NOT r.path <@ $1::ltree[])"
)
UNION_SET = (
    f"SELECT NOT {UNCOVERED_ROOT}, CASE WHEN {UNCOVERED_ROOT} "
    "THEN (SELECT array_agg(id) FROM unions WHERE path <@ $1::ltree[]) END"
)

pool: Any = None
generic_pool: Any = None
principals: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, dict[str, Any]]] = {}


async def _init(conn: Any) -> None:
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda v: orjson.dumps(v).decode(),
        decoder=orjson.loads,
        schema="pg_catalog",
        format="text",
    )


async def startup() -> None:
    global pool, generic_pool
    u = make_url(os.environ["DATABASE_URL"])
    pools = []
    # As the project: custom plans, and a pool that keeps generic plans for the statement
    # whose plan cannot depend on its values (a full name in a large scope, by page number).
    for plans, size in (("force_custom_plan", 10), ("force_generic_plan", 4)):
        pools.append(
            await asyncpg.create_pool(
                user=u.username or "postgres",
                password=u.password,
                host=u.host or "127.0.0.1",
                port=u.port or 5432,
                database=u.database,
                min_size=2,
                max_size=size,
                init=_init,
                server_settings={"plan_cache_mode": plans},
            )
        )
    pool, generic_pool = pools


def _default(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(type(value).__name__)


class Answer(Exception):
    def __init__(self, status: int, code: str) -> None:
        self.status, self.code = status, code


async def principal_of(conn: Any, headers: dict[bytes, bytes]) -> dict[str, Any]:
    auth = headers.get(b"authorization", b"").decode()
    if not auth.startswith("Bearer "):
        raise Answer(401, "not_authenticated")
    try:
        claims = decode_token(auth[7:], "access")
    except TokenError:
        raise Answer(401, "token_invalid") from None
    key = (claims["sub"], claims["sid"])
    cached = principals.get(key)
    if cached is not None and time.monotonic() - cached[0] <= TTL:
        return cached[1]
    rows = await conn.fetch(
        "SELECT u.username, ra.role, n.id, n.path::text FROM users u "
        "LEFT JOIN role_assignments ra ON ra.user_id = u.id "
        "LEFT JOIN unions n ON n.id = ra.union_id "
        "WHERE u.id = $1 AND u.is_active AND EXISTS (SELECT FROM auth_sessions s "
        "WHERE s.id = $2 AND s.user_id = u.id AND s.revoked_at IS NULL) ORDER BY n.path",
        *key,
    )
    if not rows:
        raise Answer(401, "session_ended")
    roles = [(r[1], r[2], r[3]) for r in rows if r[1] is not None]
    found = {
        "user_id": key[0],
        "username": rows[0][0],
        "admin": any(role == "admin" for role, _, _ in roles),
        "read": [p for role, _, p in roles if READ in permissions_of(role)],
        "pii": [p for role, _, p in roles if PII in permissions_of(role)],
        "pii_union": next((i for role, i, _ in roles if PII in permissions_of(role)), None),
    }
    principals[key] = (time.monotonic(), found)
    return found


def holds(principal: dict[str, Any], path: str | None, paths: list[str]) -> bool:
    if principal["admin"]:
        return True
    return path is not None and any(path == p or path.startswith(p + ".") for p in paths)


def item(row: Any, principal: dict[str, Any], reveal_pii: bool) -> dict[str, Any]:
    reveal = reveal_pii and holds(principal, row["union_path"], principal["pii"])
    out: dict[str, Any] = {}
    for name in FIELDS:
        if name == "pii_masked":
            out[name] = not reveal
        elif name == "enterprise_name":
            out[name] = row["enterprise_name"] if row["enterprise_id"] else None
        elif not reveal and name in MASKS:
            out[name] = MASKS[name](row[name])
        else:
            out[name] = row[name]
    return out


async def member_list(conn: Any, principal: dict[str, Any], query: dict[str, list[str]]) -> Any:
    one = {k: v[0] for k, v in query.items()}
    page, size = int(one.get("page", "1")), int(one.get("size", "20"))
    cursor = decode_cursor(one["cursor"], [str, uuid.UUID]) if "cursor" in one else None
    offset = 0 if cursor else (page - 1) * size
    where, args = [], []

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    union_ids = None
    if not principal["admin"]:
        # As the project: no union condition when the caller's paths cover every root (and so
        # every union); otherwise the ids in one array.
        every, ids = await conn.fetchrow(UNION_SET, principal["read"])
        if not every:
            union_ids = list(ids or ())
    folded = fold(one.get("q", ""))
    small = union_ids is not None and len(union_ids) <= search.SMALL_SCOPE_UNIONS
    plan = search.plan(folded, small_scope=small) if folded else None
    every_match = plan is not None and plan.every_match
    # As the project: a full name by page number is the statement built once, its union list
    # hashed, under a generic plan unless a status list is expanded into it; a cursor's
    # statement is built for the request, its union list a constant array.
    generic = every_match and "status" not in query and not cursor
    if union_ids is not None:
        if every_match and not cursor:
            # As the project: a full name in a large scope runs under a generic plan, its
            # union list checked by a hash built once (members.union_sets.union_in_hashed).
            where.append(f"(union_id IN (SELECT unnest({arg(union_ids)}::uuid[]))) IS TRUE")
        else:
            where.append(f"union_id = ANY({arg(union_ids)}::uuid[])")
    if "status" in query:
        where.append(f"status = ANY({arg(query['status'])}::text[])")
    if "gender" in one:
        where.append(f"gender = {arg(one['gender'])}")
    if plan is not None:
        if plan.keys is not None:
            # As the project: the names that the pair keys find and the LIKE accepts, then
            # their members by name.
            where.append(
                "search_name IN (SELECT search_name FROM member_names WHERE "
                f"member_name_keys(search_name) @@ {arg(plan.keys)}::tsquery "
                f"AND search_name LIKE {arg(plan.pattern)})"
            )
        else:
            name = "search_name" if plan.like_indexed else "(search_name || '')"
            where.append(f"{name} LIKE {arg(plan.pattern)}")
    cond = " AND ".join(where) or "true"
    keyset = ""
    if cursor:
        keyset = f" AND (search_name, id) > ({arg(cursor[0])}, {arg(cursor[1])}::uuid)"
    counted: int | None
    rows: list[Any] | None = None
    if folded:
        # The matches' keys (from an index alone where it can), then the page's rows by id:
        # as the project.
        collected = f"SELECT search_name, id FROM members WHERE {cond}"
        if not every_match:
            collected += f" LIMIT {COUNT_CAP + 1}"
        found = (
            f"SELECT m.*, (SELECT count(*) FROM matches) AS matched FROM members m "
            f"JOIN (SELECT * FROM matches WHERE true{keyset} ORDER BY search_name, id "
            f"OFFSET {offset} LIMIT {size + 1}) p ON p.id = m.id"
        )
        sql = f"WITH matches AS MATERIALIZED ({collected}) " + CONTEXT.format(page=found) + ORDER
        if generic:
            async with generic_pool.acquire() as generic:
                rows = await generic.fetch(sql, *args)
        else:
            rows = await conn.fetch(sql, *args)
        counted = rows[0]["matched"] if rows else 0
        if counted > COUNT_CAP and not every_match:
            rows = None
    else:
        try:
            counted = await conn.fetchval(
                f"SELECT count(*) FROM (SELECT 1 FROM members WHERE {cond} "
                f"LIMIT {COUNT_CAP + 1}) c",
                *args[: len(args) - (2 if cursor else 0)],
                timeout=COUNT_TIMEOUT_S,
            )
        except TimeoutError:
            counted = None
    if rows is None:
        if counted is not None and counted <= FENCE_BELOW:
            inner = (
                f"SELECT {COLUMNS} FROM (SELECT {COLUMNS} FROM members WHERE {cond} OFFSET 0) "
                f"m WHERE true{keyset}"
            )
            inner += f" ORDER BY search_name, id OFFSET {offset} LIMIT {size + 1}"
        else:
            # The page's keys (index only), then its rows by id: as the project.
            inner = (
                f"SELECT {M_COLUMNS} FROM members m JOIN (SELECT search_name, id FROM members "
                f"WHERE {cond}{keyset} ORDER BY search_name, id OFFSET {offset} "
                f"LIMIT {size + 1}) k ON k.id = m.id"
            )
        rows = await conn.fetch(CONTEXT.format(page=inner) + ORDER, *args)
    exact = counted is not None and (every_match or counted <= COUNT_CAP)
    more = len(rows) > size
    rows = rows[:size]
    total = (
        (counted or 0)
        if exact
        else max(offset + len(rows) + more, COUNT_CAP if counted is not None else 0)
    )
    return {
        "items": [item(r, principal, False) for r in rows],
        "total": total,
        "page": page,
        "size": size,
        "pages": math.ceil(total / size) if total else 0,
        "total_exact": exact,
        "next_cursor": encode_cursor([rows[-1]["search_name"], rows[-1]["id"]])
        if more and rows
        else None,
    }


async def member_detail(
    conn: Any, principal: dict[str, Any], member_id: uuid.UUID, reveal_pii: bool
) -> Any:
    scope, args = "true", [member_id]
    if not principal["admin"]:
        scope = "union_id IN (SELECT id FROM unions WHERE path <@ $2::ltree[])"
        args.append(principal["read"])
    sql = CONTEXT.format(page=f"SELECT {COLUMNS} FROM members WHERE id = $1 AND {scope}")
    # As the project: the read opens no transaction; the audit entry of an unmasked read is
    # one INSERT outside a transaction (the server commits it as it runs) before the answer.
    row = await conn.fetchrow(sql, *args)
    if row is None:
        raise Answer(404, "member_not_found")
    # Masked unless the request asks (the member page's reveal button), as the project.
    out = item(row, principal, reveal_pii)
    if not out["pii_masked"]:
        await conn.execute(
            "INSERT INTO audit_log (id, actor_id, actor_username, action, entity_type, "
            "entity_id, union_id, after, request_id, client_ip) VALUES ($1, $2, $3, "
            "'member.pii_read', 'member', $4, $5, $6, $7, $8)",
            uuid.uuid4(),
            principal["user_id"],
            principal["username"],
            row["id"],
            row["union_id"],
            {"count": 1},
            None,
            None,
        )
    return out, {b"etag": f'"{row["version"]}"'.encode()}


Handler = Callable[[], Awaitable[Any]]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await pool.close()
                await generic_pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return
    path: str = scope["path"]
    status, extra = 200, {}
    try:
        if path == "/healthz":
            body: Any = {"status": "ok"}
        elif path.startswith("/api/v1/members"):
            headers = dict(scope["headers"])
            async with pool.acquire() as conn:
                principal = await principal_of(conn, headers)
                query = parse_qs(scope["query_string"].decode())
                if path == "/api/v1/members":
                    body = await member_list(conn, principal, query)
                else:
                    reveal = query.get("reveal_pii", ["false"])[-1] == "true"
                    member_id = uuid.UUID(path[16:])
                    body, extra = await member_detail(conn, principal, member_id, reveal)
        else:
            raise Answer(404, "not_found")
    except Answer as a:
        status, body = a.status, {"status": a.status, "code": a.code}
    data = orjson.dumps(body, default=_default, option=orjson.OPT_UTC_Z)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                *extra.items(),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})
