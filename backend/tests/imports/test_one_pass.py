"""A members upload with commit_if_clean: validated and written in one pass and one transaction.

A clean file ends committed with what the two steps (validate, then commit) would have written;
a file with any error ends validated with the validation's report and nothing written, whether
the error is in the first batch or after batches were written (undone to a savepoint).
"""

import json
import re
import uuid
from datetime import date
from typing import Any

import pytest
from httpx import Response
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import (
    API,
    XLSX,
    build_world,
    commit,
    member,
    personal_id,
    read_xlsx,
    report,
    settled,
    table,
    upload,
    xlsx_bytes,
)
from unionhub.core.audit import AuditEntry
from unionhub.imports import engine
from unionhub.members.models import Member


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 5 rows: a 30-row file is written in several batches before its end."""
    monkeypatch.setattr(engine, "BATCH_ROWS", 5)
    monkeypatch.setattr(engine, "COMMIT_BATCH_ROWS", 5)


def people(union_code: str, n: int, **changes: dict[str, Any]) -> list[dict[str, Any]]:
    """`n` rows; `changes` maps a row's index (as a string) to cells it differs by."""
    rows = []
    for i in range(n):
        born = 1970 + i % 30
        row = member(
            f"Đoàn viên {i}",
            date(born, 1 + i % 12, 1 + i % 28),
            personal_id(born, i % 2 == 1, i),
            union_code,
            gender="Nữ" if i % 2 else "Nam",
        )
        if i == 3:
            row["Số thẻ đoàn viên"] = "CD9000000003"
        row.update(changes.get(str(i), {}))
        rows.append(row)
    return rows


async def upload_one_pass(
    factory: Factory, headers: dict[str, str], content: bytes, mode: str = "create"
) -> Response:
    r = await factory.client.post(
        API,
        headers=headers,
        files={"file": ("doan-vien.xlsx", content, XLSX)},
        data={"kind": "members", "mode": mode, "commit_if_clean": "true"},
    )
    return await settled(factory.client, headers, r)


_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Whose values differ between two runs of the same file: surrogate keys and clocks.
_DROPPED = {"id", "created_at", "updated_at", "finished_at", "heartbeat_at", "at"}


def _normal(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _normal(v, names) for k, v in value.items() if k not in _DROPPED}
    if isinstance(value, list):
        return [_normal(v, names) for v in value]
    if isinstance(value, str):
        if _STAMP.match(value):
            return "<time>"
        for raw, name in names.items():
            value = value.replace(raw, name)
        return _UUID.sub("<uuid>", value)
    return value


async def snapshot(conn: AsyncConnection, job_id: str) -> dict[str, Any]:
    """What an import wrote, with its ids (job, members, card numbers drawn) named by the
    rows' personal IDs, so that two runs of one file compare equal."""
    names = {job_id: "<job>"}
    for m in (await conn.execute(text("SELECT id, personal_id, card_number FROM members"))).all():
        names[str(m.id)] = f"<member {m.personal_id}>"
        names[m.card_number] = f"<card {m.personal_id}>"
    out: dict[str, Any] = {}
    for table_name in (
        "members",
        "membership_periods",
        "member_events",
        "audit_links",
        "qualifications",
        "qualification_facts",
        "member_count_deltas",
        "member_count_totals",
        "member_flow_counts",
        "member_count_rollups",
        "member_flow_rollups",
        "change_events",
    ):
        rows = (await conn.execute(text(f"SELECT to_jsonb(t)::text FROM {table_name} t"))).all()
        out[table_name] = sorted(
            json.dumps(_normal(json.loads(r[0]), names), sort_keys=True) for r in rows
        )
    audited = (
        await conn.execute(
            text(
                "SELECT action, after::text FROM audit_log WHERE entity_id = :job "
                "AND action <> 'import.create' ORDER BY action"
            ),
            {"job": job_id},
        )
    ).all()
    out["audit"] = [(a.action, _normal(json.loads(a.after or "null"), names)) for a in audited]
    job = (
        await conn.execute(
            text(
                "SELECT status, total_rows, done_rows, valid_rows, error_count, errors::text, "
                "(result - 'commit_if_clean')::text AS result FROM import_jobs WHERE id = :job"
            ),
            {"job": job_id},
        )
    ).one()
    out["job"] = _normal(
        {**job._asdict(), "errors": json.loads(job.errors), "result": json.loads(job.result)},
        names,
    )
    return out


@pytest.mark.parametrize("mode", ["create", "update"])
async def test_one_pass_writes_what_the_two_steps_write(
    factory: Factory,
    connection: AsyncConnection,
    runner: QueueRunner,
    small_batches: None,
    mode: str,
) -> None:
    w = await build_world(factory)
    rows = people(w.grassroots_a.code, 23)
    if mode == "update":
        # Half of the people are on the register already: those rows update them.
        first = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows[::2])))).json()
        await commit(factory.client, f"{API}/{first['id']}/commit", headers=w.officer_a, json={})
        phone = {"Số điện thoại": "0987654321"}
        rows = [{**r, **phone} if i % 4 == 0 else r for i, r in enumerate(rows)]
    content = xlsx_bytes(table(rows))
    await connection.exec_driver_sql("SAVEPOINT two_steps")

    validated = (await upload(factory.client, w.officer_a, content, mode=mode)).json()
    assert validated["status"] == "validated" and validated["error_count"] == 0
    two = await commit(
        factory.client, f"{API}/{validated['id']}/commit", headers=w.officer_a, json={}
    )
    assert two.json()["status"] == "committed"
    expected = await snapshot(connection, validated["id"])
    await connection.exec_driver_sql("ROLLBACK TO SAVEPOINT two_steps")

    one = (await upload_one_pass(factory, w.officer_a, content, mode)).json()
    assert one["status"] == "committed", one
    assert one["result"]["commit_if_clean"] is True
    got = await snapshot(connection, one["id"])
    for key in expected:
        assert got[key] == expected[key], key
    assert len(got["members"]) == 23
    assert all(got[t] for t in ("audit_links", "change_events", "member_count_deltas", "audit"))
    assert [action for action, _ in got["audit"]] == ["import.commit"]
    counts = one["result"]
    if mode == "create":
        assert (counts["created"], counts["updated"], counts["unchanged"]) == (23, 0, 0)
    else:
        assert (counts["created"], counts["updated"], counts["unchanged"]) == (11, 6, 6)


async def test_an_error_after_batches_were_written_leaves_the_validation_report(
    factory: Factory,
    db: AsyncSession,
    connection: AsyncConnection,
    runner: QueueRunner,
    small_batches: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    undone: list[int] = []
    undo = engine._undo_writes

    async def counted(session: AsyncSession, importer: Any, ctx: Any) -> None:
        undone.append(len(ctx.written_ids))
        await undo(session, importer, ctx)

    monkeypatch.setattr(engine, "_undo_writes", counted)
    w = await build_world(factory)
    theirs = people(w.grassroots_b.code, 30)[27:28]
    first = (await upload(factory.client, w.officer_b, xlsx_bytes(table(theirs)))).json()
    await commit(factory.client, f"{API}/{first['id']}/commit", headers=w.officer_b, json={})
    before = await snapshot(connection, first["id"])
    rows = people(
        w.grassroots_a.code,
        30,
        # Row 22 repeats row 5's person (written in an earlier batch); row 26's phone is bad.
        **{
            "20": {
                "Số định danh cá nhân": personal_id(1973, True, 3),
                "Ngày sinh": date(1973, 4, 4),
                "Giới tính": "Nữ",
            },
            "24": {"Số điện thoại": "1"},
        },
    )
    content = xlsx_bytes(table(rows))
    await connection.exec_driver_sql("SAVEPOINT two_steps")
    validated = (await upload(factory.client, w.officer_a, content)).json()
    await connection.exec_driver_sql("ROLLBACK TO SAVEPOINT two_steps")

    job = (await upload_one_pass(factory, w.officer_a, content)).json()
    # Three batches (20 rows) were written, then undone at row 22's error.
    assert undone == [20]
    # The report is the validation's, row for row; row 29 is a person of another district.
    assert job["status"] == "validated"
    assert report(job) == report(validated)
    assert report(job) == [
        (22, "Số định danh cá nhân", "duplicate_in_file"),
        (26, "Số điện thoại", "phone_invalid"),
        (29, "Số định danh cá nhân", "personal_id_unusable"),
    ]
    assert {k: job[k] for k in ("total_rows", "valid_rows", "error_count")} == {
        "total_rows": 30,
        "valid_rows": 27,
        "error_count": 3,
    }
    assert {k: v for k, v in job["result"].items() if k != "commit_if_clean"} == validated["result"]
    # Nothing was written (the member of the other district is all the register holds) ...
    assert await db.scalar(select(func.count()).select_from(Member)) == 1
    after = await snapshot(connection, first["id"])
    assert after == before
    # ... but the refused personal ID is audited, as by the validation.
    refused = (
        await db.execute(
            select(AuditEntry).where(
                AuditEntry.action == "import.personal_ids_refused",
                AuditEntry.entity_id == uuid.UUID(job["id"]),
            )
        )
    ).scalar_one()
    assert refused.after["rows"] == 1
    # The error workbook, and a commit of the valid rows only, work as after a validation.
    r = await factory.client.get(f"{API}/{job['id']}/errors.xlsx", headers=w.officer_a)
    assert r.status_code == 200
    assert len(read_xlsx(r.content)) > 1
    done = await commit(
        factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={"valid_only": True}
    )
    assert done.json()["status"] == "committed"
    assert await db.scalar(select(func.count()).select_from(Member)) == 28


async def test_an_error_in_the_first_batch_writes_nothing(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    rows = people(w.grassroots_a.code, 4, **{"0": {"Số điện thoại": "1"}})
    job = (await upload_one_pass(factory, w.officer_a, xlsx_bytes(table(rows)))).json()
    assert job["status"] == "validated"
    assert report(job) == [(2, "Số điện thoại", "phone_invalid")]
    assert await db.scalar(select(func.count()).select_from(Member)) == 0


async def test_only_a_members_import_commits_in_its_validation(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    r = await factory.client.post(
        API,
        headers=w.admin,
        files={"file": ("dn.csv", b"a;b\n1;2\n", "text/csv")},
        data={"kind": "enterprises", "commit_if_clean": "true"},
    )
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
        ("commit_if_clean", "invalid_choice")
    ]


async def test_the_default_upload_only_validates(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    content = xlsx_bytes(table(people(w.grassroots_a.code, 3)))
    job = (await upload(factory.client, w.officer_a, content)).json()
    assert job["status"] == "validated" and "commit_if_clean" not in job["result"]
    assert await db.scalar(select(func.count()).select_from(Member)) == 0
