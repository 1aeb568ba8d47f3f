"""Large exports as file jobs: a worker builds the file, the asker polls its state and
downloads it when ready; nobody else sees it; each user has a small cap on files in progress."""

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import build_world, read_xlsx
from tests.imports.test_export import seed
from unionhub.core.audit import AuditEntry
from unionhub.files import service as files

JOBS = "/api/v1/members/export-jobs"
FILES = "/api/v1/file-jobs"


async def test_a_large_export_is_built_by_a_worker_and_downloaded_when_ready(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    rows_a = await seed(factory, w)
    r = await factory.client.post(JOBS, params={"format": "xlsx"}, headers=w.viewer_a)
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] == "queued" and job["file_name"].endswith(".xlsx")
    # Not built yet: the state says so and the download waits.
    state = await factory.client.get(f"{FILES}/{job['id']}", headers=w.viewer_a)
    assert state.json()["status"] == "queued"
    r = await factory.client.get(f"{FILES}/{job['id']}/download", headers=w.viewer_a)
    assert r.status_code == 409 and r.json()["code"] == "file_not_ready"
    await runner.drain()
    state = (await factory.client.get(f"{FILES}/{job['id']}", headers=w.viewer_a)).json()
    assert (state["status"], state["rows"]) == ("ready", 3)
    r = await factory.client.get(f"{FILES}/{job['id']}/download", headers=w.viewer_a)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert r.headers["cache-control"] == "no-store"
    sheet = read_xlsx(r.content)
    names = {row[1] for row in sheet[1:]}
    assert names == {row["Họ và tên"] for row in rows_a}  # the district's, not Mỹ Tho's
    # Masked for a viewer (no members:pii), as in the direct export.
    assert all(row[6].startswith("*") for row in sheet[1:])
    # The file is the asker's alone: another user, even an officer above, gets 404.
    for other in (w.officer_a, w.officer_b, w.admin):
        assert (await factory.client.get(f"{FILES}/{job['id']}", headers=other)).status_code == 404
        assert (
            await factory.client.get(f"{FILES}/{job['id']}/download", headers=other)
        ).status_code == 404
    # Audited like the direct export, as the asker.
    audited = (
        (await db.execute(select(AuditEntry).where(AuditEntry.action == "members.export")))
        .scalars()
        .all()
    )
    assert [e.after["rows"] for e in audited] == [3]


async def test_a_ready_file_is_sent_in_slices_byte_for_byte(
    factory: Factory, db: AsyncSession, runner: QueueRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The download never loads the whole file: it is read in slices (here 1 KiB, so the
    workbook takes several) and arrives whole, with its exact length."""
    w = await build_world(factory)
    await seed(factory, w)
    job = (await factory.client.post(JOBS, params={"format": "xlsx"}, headers=w.viewer_a)).json()
    await runner.drain()
    stored = await db.scalar(select(files.FileJob.content).where(files.FileJob.id == job["id"]))
    assert stored is not None and len(stored) > 3 * 1024
    slices: list[int] = []
    real_chunks = files.Download.chunks

    async def counted(self: files.Download):  # type: ignore[no-untyped-def]
        async for piece in real_chunks(self):
            slices.append(len(piece))
            yield piece

    monkeypatch.setattr(files, "CHUNK", 1024)
    monkeypatch.setattr(files.Download, "chunks", counted)
    r = await factory.client.get(f"{FILES}/{job['id']}/download", headers=w.viewer_a)
    assert r.status_code == 200
    assert r.content == stored
    assert r.headers["content-length"] == str(len(stored))
    assert len(slices) == -(-len(stored) // 1024) and max(slices) == 1024
    # The Vietnamese-free name is sent as is; a Vietnamese one gets filename* beside it.
    assert r.headers["content-disposition"] == f'attachment; filename="{job["file_name"]}"'


async def test_files_in_progress_are_capped_per_user(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    for _ in range(files.MAX_ACTIVE):
        r = await factory.client.post(JOBS, headers=w.officer_a)
        assert r.status_code == 202, r.text
    r = await factory.client.post(JOBS, headers=w.officer_a)
    assert r.status_code == 429 and r.json()["code"] == "too_many_exports"
    assert int(r.headers["retry-after"]) > 0
    # another user has their own allowance; once built, the files no longer count
    assert (await factory.client.post(JOBS, headers=w.officer_b)).status_code == 202
    await runner.drain()
    assert (await factory.client.post(JOBS, headers=w.officer_a)).status_code == 202


async def test_enterprises_export_job(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    r = await factory.client.post(
        "/api/v1/enterprises/export-jobs", params={"format": "csv"}, headers=w.officer_a
    )
    assert r.status_code == 202, r.text
    await runner.drain()
    state = (await factory.client.get(f"{FILES}/{r.json()['id']}", headers=w.officer_a)).json()
    assert state["status"] == "ready" and state["media_type"].startswith("text/csv")
    r = await factory.client.get(f"{FILES}/{state['id']}/download", headers=w.officer_a)
    assert r.content.startswith(b"\xef\xbb\xbf")


async def test_a_file_job_the_queue_cannot_take_fails_at_once(
    factory: Factory, db: AsyncSession, runner: QueueRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await build_world(factory)

    async def unreachable(*args: object, **kwargs: object) -> None:
        raise ConnectionError("queue down")

    with monkeypatch.context() as patched:
        patched.setattr(files.queue, "defer", unreachable)
        r = await factory.client.post(JOBS, headers=w.officer_a)
    assert r.status_code == 202
    assert r.json()["status"] == "failed" and r.json()["error"]["code"] == "file_build_failed"
    # and it does not hold one of the user's places
    for _ in range(files.MAX_ACTIVE):
        assert (await factory.client.post(JOBS, headers=w.officer_a)).status_code == 202
