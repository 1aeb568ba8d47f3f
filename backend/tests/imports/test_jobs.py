"""Imports run on the queue with progress (each step here drains the queue by hand); jobs can
be listed, cancelled, and are visible only to their uploader and the officers above."""

import os
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from httpx import Response
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import (
    API,
    build_world,
    commit,
    member,
    personal_id,
    read_xlsx,
    table,
    xlsx_bytes,
)
from tests.imports.helpers import upload as upload_settled
from unionhub.imports import engine, members_import, repository, service, spool
from unionhub.imports.members_preload import Known
from unionhub.imports.models import ImportJob
from unionhub.members.models import Member


def many(union_code: str, n: int, bad_every: int = 0, start: int = 0) -> bytes:
    rows = []
    for i in range(start, start + n):
        born = 1970 + i % 30
        pid = personal_id(born, i % 2 == 1, i)
        rows.append(
            member(
                f"Đoàn viên {i}",
                date(born, 1 + i % 12, 1 + i % 28),
                pid,
                union_code,
                gender="Nữ" if i % 2 else "Nam",
                phone="123" if bad_every and i % bad_every == 0 else "0912345678",
            )
        )
    return xlsx_bytes(table(rows))


async def upload(*args: Any, **kwargs: Any) -> Response:
    """The upload's own answer (the tests here run the queue themselves)."""
    return await upload_settled(*args, wait=False, **kwargs)


@pytest.fixture
def background(monkeypatch: pytest.MonkeyPatch) -> None:
    """Progress is recorded every 10 rows."""
    monkeypatch.setattr(service, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(service, "PROGRESS_SECONDS", 0)


class Clock:
    """time.monotonic for imports.service: `step` seconds go by at each reading."""

    def __init__(self, step: float) -> None:
        self.now = 1000.0
        self.step = step

    def monotonic(self) -> float:
        self.now += self.step
        return self.now


@pytest.mark.parametrize(("step", "recorded"), [(0.0, []), (0.2, [30]), (1.0, [10, 20, 30, 40])])
async def test_progress_is_recorded_at_most_twice_a_second(
    factory: Factory,
    db: AsyncSession,
    runner: QueueRunner,
    monkeypatch: pytest.MonkeyPatch,
    step: float,
    recorded: list[int],
) -> None:
    # Each record is a transaction the validation waits for: one per batch of 10 rows here
    # (of 1,000 in production), but none within half a second of the one before.
    w = await build_world(factory)
    monkeypatch.setattr(engine, "BATCH_ROWS", 10)
    monkeypatch.setattr(service, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(service, "time", Clock(step))
    set_progress = repository.set_progress
    seen: list[int] = []

    async def record(session: AsyncSession, job_id: uuid.UUID, done: int, total: int) -> Any:
        seen.append(done)
        return await set_progress(session, job_id, done, total)

    monkeypatch.setattr(repository, "set_progress", record)
    job = (await upload(factory.client, w.officer_a, many(w.grassroots_a.code, 45))).json()
    await runner.drain()
    assert seen == recorded
    job = (await factory.client.get(f"{API}/{job['id']}", headers=w.officer_a)).json()
    # Whatever was recorded on the way, the finished job shows every row done.
    assert (job["status"], job["done_rows"], job["valid_rows"]) == ("validated", 45, 45)


async def test_background_validation_and_commit_report_progress(
    factory: Factory, db: AsyncSession, runner: QueueRunner, background: None
) -> None:
    w = await build_world(factory)
    r = await upload(factory.client, w.officer_a, many(w.grassroots_a.code, 45, bad_every=20))
    assert r.status_code == 202
    job = r.json()
    assert job["status"] == "validating"
    assert {"done_rows", "total_rows", "progress"} <= job.keys()
    assert job["total_rows"] == 45 and job["done_rows"] == 0 and job["progress"] == 0.0
    assert r.headers["location"] == f"{API}/{job['id']}"
    await runner.drain()

    job = (await factory.client.get(f"{API}/{job['id']}", headers=w.officer_a)).json()
    assert job["status"] == "validated"
    assert (job["done_rows"], job["total_rows"], job["progress"]) == (45, 45, 1.0)
    assert [(e["row"], e["code"]) for e in job["errors"]] == [
        (2, "phone_invalid"),
        (22, "phone_invalid"),
        (42, "phone_invalid"),
    ]
    r = await factory.client.post(
        f"{API}/{job['id']}/commit", headers=w.officer_a, json={"valid_only": True}
    )
    assert r.status_code == 202 and r.json()["status"] == "committing"
    assert r.json()["done_rows"] == 0
    await runner.drain()
    job = (await factory.client.get(f"{API}/{job['id']}", headers=w.officer_a)).json()
    assert job["status"] == "committed" and job["result"]["created"] == 42
    assert await db.scalar(select(func.count()).select_from(Member)) == 42


async def test_background_all_or_nothing_writes_nothing_when_rows_went_bad(
    factory: Factory, db: AsyncSession, runner: QueueRunner, background: None
) -> None:
    w = await build_world(factory)
    content = many(w.grassroots_a.code, 30)
    job = (await upload(factory.client, w.officer_a, content)).json()
    await runner.drain()
    # Someone imports the last 5 people before this job is committed.
    tail = xlsx_bytes([read_xlsx(content)[0], *read_xlsx(content)[26:]])
    other = (await upload(factory.client, w.officer_a, tail)).json()
    await runner.drain()
    await factory.client.post(f"{API}/{other['id']}/commit", headers=w.officer_a, json={})
    await runner.drain()
    assert await db.scalar(select(func.count()).select_from(Member)) == 5

    r = await factory.client.post(f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert r.status_code == 202
    await runner.drain()
    job = (await factory.client.get(f"{API}/{job['id']}", headers=w.officer_a)).json()
    # Nothing of the 25 good rows was written: back to validated, with the new report.
    assert job["status"] == "validated"
    assert job["result"]["commit_refused"] == "rows_invalid"
    assert {e["code"] for e in job["errors"]} == {"personal_id_taken"}
    assert await db.scalar(select(func.count()).select_from(Member)) == 5


async def test_people_added_while_committing_fail_the_job_and_write_nothing(
    factory: Factory,
    db: AsyncSession,
    runner: QueueRunner,
    background: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = await build_world(factory)
    content = many(w.grassroots_a.code, 30)
    job = (await upload(factory.client, w.officer_a, content)).json()
    await runner.drain()
    tail = xlsx_bytes([read_xlsx(content)[0], *read_xlsx(content)[26:]])
    other = (await upload(factory.client, w.officer_a, tail)).json()
    await runner.drain()
    await factory.client.post(f"{API}/{other['id']}/commit", headers=w.officer_a, json={})
    await runner.drain()

    async def before_they_were_added(*args: Any) -> Known:
        # As if the other import had been committed just after this commit's checks.
        return Known(frozenset(), frozenset(), frozenset())

    monkeypatch.setattr(members_import, "load_known", before_they_were_added)
    await factory.client.post(f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    await runner.drain()
    job = (await factory.client.get(f"{API}/{job['id']}", headers=w.officer_a)).json()
    # The unique index refused the second admission: nothing of this file was written.
    assert job["status"] == "failed"
    assert [e["code"] for e in job["errors"]] == ["register_changed"]
    assert await db.scalar(select(func.count()).select_from(Member)) == 5


async def test_cancel_before_the_job_runs(
    factory: Factory, db: AsyncSession, runner: QueueRunner, background: None
) -> None:
    w = await build_world(factory)
    job = (await upload(factory.client, w.officer_a, many(w.grassroots_a.code, 5))).json()
    r = await factory.client.delete(f"{API}/{job['id']}", headers=w.officer_a)
    assert r.status_code == 204
    await runner.drain()
    job = (await factory.client.get(f"{API}/{job['id']}", headers=w.officer_a)).json()
    assert job["status"] == "cancelled" and job["done_rows"] == 0
    r = await factory.client.post(f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert r.status_code == 409
    r = await factory.client.get(f"{API}/{job['id']}/errors.xlsx", headers=w.officer_a)
    assert (r.status_code, r.json()["code"]) == (409, "import_file_gone")


async def test_cancel_while_committing_writes_nothing(
    factory: Factory,
    db: AsyncSession,
    runner: QueueRunner,
    background: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = await build_world(factory)
    job = (await upload(factory.client, w.officer_a, many(w.grassroots_a.code, 30))).json()
    await runner.drain()
    await factory.client.post(f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    set_progress = repository.set_progress

    async def cancel_first(session: AsyncSession, job_id: uuid.UUID, done: int, total: int) -> Any:
        # As if DELETE arrived after the first batch was written.
        await session.execute(
            update(ImportJob).where(ImportJob.id == job_id).values(status="cancelled")
        )
        return await set_progress(session, job_id, done, total)

    monkeypatch.setattr(repository, "set_progress", cancel_first)
    await runner.drain()
    job = (await factory.client.get(f"{API}/{job['id']}", headers=w.officer_a)).json()
    assert job["status"] == "cancelled"
    assert await db.scalar(select(func.count()).select_from(Member)) == 0


async def test_jobs_are_scoped(factory: Factory, db: AsyncSession, runner: QueueRunner) -> None:
    w = await build_world(factory)
    job = (await upload(factory.client, w.officer_a, many(w.grassroots_a.code, 2))).json()
    province = await factory.headers_for("federation_officer", w.province)
    grassroots = await factory.headers_for("grassroots_officer", w.grassroots_a)

    for headers, visible in (
        (w.officer_a, True),
        (province, True),
        (w.officer_b, False),
        (grassroots, False),
    ):
        r = await factory.client.get(f"{API}/{job['id']}", headers=headers)
        assert r.status_code == (200 if visible else 404)
        listed = await factory.client.get(API, headers=headers)
        assert listed.status_code == 200
        assert ([j["id"] for j in listed.json()["items"]] == [job["id"]]) is visible
        for path in ("/errors.xlsx", ""):
            r = await factory.client.get(f"{API}/{job['id']}{path}", headers=headers)
            assert (r.status_code == 404) is not visible
        r = await factory.client.post(
            f"{API}/{job['id']}/commit", headers=headers, json={"valid_only": True}
        )
        assert (r.status_code == 404) is not visible
        if not visible:
            assert (
                await factory.client.delete(f"{API}/{job['id']}", headers=headers)
            ).status_code == 404
    items = (await factory.client.get(API, headers=w.officer_a)).json()["items"]
    assert "errors" not in items[0] and "progress" in items[0]


async def test_errors_workbook_lists_the_bad_rows(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    job = (
        await upload_settled(
            factory.client, w.officer_a, many(w.grassroots_a.code, 25, bad_every=10)
        )
    ).json()
    r = await factory.client.get(f"{API}/{job['id']}/errors.xlsx", headers=w.officer_a)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = read_xlsx(r.content)
    assert rows[0][0] == "STT" and rows[0][-1] == "Lỗi"
    assert [(row[0], row[1]) for row in rows[1:]] == [
        (1, "Đoàn viên 0"),
        (11, "Đoàn viên 10"),
        (21, "Đoàn viên 20"),
    ]
    # In Vietnamese, naming the column as the file does and quoting the cell.
    assert {row[-1] for row in rows[1:]} == {
        'Số điện thoại "123" không phải số di động Việt Nam (ví dụ 0912 345 678)'
    }
    # The dates come back as dates, the IDs as text with their leading zero.
    assert rows[1][2].year == 1970 and rows[1][6].startswith("0820")


def spooled(directory: Path, prefix: str = "") -> list[str]:
    return sorted(n for n in os.listdir(directory) if n.startswith(prefix))


async def test_commit_replays_the_spool_or_reads_the_file_again(
    factory: Factory, db: AsyncSession, runner: QueueRunner, private_spool: Path
) -> None:
    w = await build_world(factory)
    first = (await upload_settled(factory.client, w.officer_a, many(w.grassroots_a.code, 3))).json()
    second = (
        await upload_settled(factory.client, w.officer_a, many(w.grassroots_a2.code, 1, start=3))
    ).json()
    # Each with the summary of its keys beside it.
    assert [n.rsplit(".", 1)[1] for n in spooled(private_spool)] == ["keys", "rows"] * 2
    # Lost (another server, a restart): the commit reads the file again.
    (private_spool / spooled(private_spool, second["id"])[1]).unlink()
    for job in (first, second):
        r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
        assert r.json()["status"] == "committed", r.json()
    assert await db.scalar(select(func.count()).select_from(Member)) == 4
    assert spooled(private_spool) == []


def test_spool_refuses_a_shared_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    monkeypatch.setattr(spool.tempfile, "gettempdir", lambda: str(tmp_path))
    shared = tmp_path / f"unionhub-imports-{os.getuid()}"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    assert spool.path_for(uuid.uuid4(), "ab" * 32) is None
    shared.chmod(0o700)
    assert spool.path_for(uuid.uuid4(), "ab" * 32) is not None


async def test_a_file_that_exhausts_the_workers_memory_fails_with_a_reason(
    factory: Factory,
    db: AsyncSession,
    runner: QueueRunner,
    background: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = await build_world(factory)
    job = (await upload(factory.client, w.officer_a, many(w.grassroots_a.code, 5))).json()
    assert [(q["task_name"], q["lock"]) for q in runner.queued] == [
        ("imports.validate", f"import:{job['id']}")
    ]

    async def exhausted(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError  # what the worker's WORKER_MEMORY_MB limit raises

    monkeypatch.setattr(engine, "scan", exhausted)
    await runner.drain()
    job = (await factory.client.get(f"{API}/{job['id']}", headers=w.officer_a)).json()
    assert job["status"] == "failed"
    assert [e["code"] for e in job["errors"]] == ["file_too_complex"]
