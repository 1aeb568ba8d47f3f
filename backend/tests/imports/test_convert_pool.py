"""A large file's rows converted in the helper process (imports.convert_pool) give the report
the serial pass gives: the same errors in the same order, the same rows skipped, and the same
members once committed; a helper that dies mid-file costs nothing but time."""

import os
import signal
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import (
    API,
    HEADERS,
    World,
    build_world,
    commit,
    member,
    personal_id,
    upload,
    xlsx_bytes,
)
from unionhub.imports import convert_pool, engine
from unionhub.members.models import Member


def rows_across_batches(w: World) -> list[list[Any]]:
    """A header, the column numbering row, 40 members (an error every few rows, a duplicate of
    an earlier batch's person, a blank row) and a footer."""
    a, a2 = w.grassroots_a.code, w.grassroots_a2.code
    out: list[list[Any]] = [list(HEADERS), [f"({i})" for i in range(1, len(HEADERS) + 1)]]
    for i in range(40):
        born = date(1980 + i % 20, 1 + i % 12, 1 + i % 27)
        pid = personal_id(born.year, i % 2 == 1, 100 + i)
        fields: dict[str, Any] = {}
        if i % 7 == 3:
            fields["phone"] = "12345"  # not a phone number
        if i % 11 == 5:
            pid = personal_id(born.year + 1, i % 2 == 1, 100 + i)  # year differs from the ID
        if i == 29:
            pid = personal_id(1980, False, 100)  # the person of row 1, two batches back
            born = date(1980, 1, 1)
        row = member(
            f"Nguyễn Văn Thử {i}",
            born,
            pid,
            a if i % 3 else a2,
            gender="Nữ" if i % 2 and i != 29 else "Nam",
            **fields,
        )
        out.append([i + 1 if h == "STT" else row.get(h) for h in HEADERS])
        if i == 17:
            out.append([None] * len(HEADERS))
    out.append(["Tổng cộng: 40 đoàn viên"] + [None] * (len(HEADERS) - 1))
    return out


def _report(job: dict[str, Any]) -> tuple[Any, ...]:
    result = job["result"]
    return (
        job["errors"],
        job["total_rows"],
        job["valid_rows"],
        job["error_count"],
        result.get("ignored_rows"),
        result.get("bad_rows"),
    )


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 6 rows, so the 40 rows make several, each converted on its own."""
    monkeypatch.setattr(engine, "BATCH_ROWS", 6)


@pytest.fixture
def helper_used(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every file converts through the helper (started and ready); records, per batch,
    whether the helper converted it."""
    monkeypatch.setattr(convert_pool, "MIN_ROWS", 0)
    convert_pool.warm()
    _, ready = convert_pool._start()
    ready.result(timeout=120)
    used: list[bool] = []
    submit = convert_pool.Converter.submit

    def spy(self: convert_pool.Converter, *args: Any) -> convert_pool.Pending:
        pending = submit(self, *args)
        used.append(pending.future is not None)
        return pending

    monkeypatch.setattr(convert_pool.Converter, "submit", spy)
    return used


@pytest.fixture
async def world_file(
    factory: Factory, runner: QueueRunner, small_batches: None
) -> tuple[World, bytes]:
    w = await build_world(factory)
    return w, xlsx_bytes(rows_across_batches(w))


async def test_helper_gives_the_serial_report_and_members(
    factory: Factory,
    db: AsyncSession,
    world_file: tuple[World, bytes],
    helper_used: list[bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w, content = world_file
    parallel = (await upload(factory.client, w.officer_a, content)).json()
    assert parallel["status"] == "validated"
    assert len(helper_used) >= 7 and all(helper_used)

    monkeypatch.setattr(convert_pool, "MIN_ROWS", 10**9)
    helper_used.clear()
    serial = (await upload(factory.client, w.officer_a, content)).json()
    assert helper_used == []

    assert _report(parallel) == _report(serial)
    errors = [(e["row"], e["code"]) for e in parallel["errors"]]
    assert errors == sorted(errors, key=lambda e: e[0])
    assert ("duplicate_in_file" in {c for _, c in errors}) and len(errors) >= 8
    assert parallel["result"]["ignored_rows"] == [2, 44]
    assert parallel["total_rows"] == 40

    # The rows the helper converted are the rows the commit writes.
    r = await commit(
        factory.client,
        f"{API}/{parallel['id']}/commit",
        headers=w.officer_a,
        json={"valid_only": True},
    )
    assert r.json()["status"] == "committed", r.text
    names = set(await db.scalars(select(Member.full_name)))
    assert len(names) == parallel["valid_rows"]
    bad = {e["row"] for e in parallel["errors"]}
    # Data rows start on row 3 (header, numbering); the blank row after the 18th shifts the rest.
    expected = {
        f"Nguyễn Văn Thử {i}" for i in range(40) if (i + 3 if i <= 17 else i + 4) not in bad
    }
    assert names == expected


async def test_a_helper_that_dies_mid_file_changes_nothing_but_time(
    factory: Factory, world_file: tuple[World, bytes], helper_used: list[bool]
) -> None:
    w, content = world_file
    expected = (await upload(factory.client, w.officer_a, content)).json()

    pool, _ = convert_pool._start()
    for pid in list(pool._processes or {}):  # the helper is killed before the file is read
        os.kill(pid, signal.SIGKILL)
    again = (await upload(factory.client, w.officer_a, content)).json()

    assert _report(again) == _report(expected)
    # A new helper replaces the dead one, for the next file.
    assert convert_pool._start()[0] is not pool


def test_shutdown_ends_the_helper() -> None:
    """The tests' session ends with it (tests/conftest.py): no helper is left running after
    `make test`."""
    pid = convert_pool.helper_pid()
    assert pid is not None
    os.kill(pid, 0)  # running
    convert_pool.shutdown()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    convert_pool.shutdown()  # nothing to stop: harmless
