"""The maintained member counts follow every kind of change to the register, in the same
transaction, and agree with the register (`unionhub counts check`) and with hand counts."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.members.helpers import API, act, admit, build_world, personal_id
from unionhub.authz.scope import subtree_ids
from unionhub.cli import main as cli_main
from unionhub.core import db as core_db
from unionhub.members import counts, counts_rebuild
from unionhub.members.models import Member

UNIONS = "/api/v1/unions"


async def _changes(factory: Factory) -> tuple[Any, dict[str, dict[str, Any]]]:
    """A province's register after admissions, a transfer, a suspension, an exit and a rejoin,
    a change of gender and a union merger (dates and unions chosen for the hand counts)."""
    w = await build_world(factory)
    h = w.officer_a
    m = {
        "an": await admit(factory, h, w.grassroots_a, full_name="An", admission_date="2020-01-15"),
        "binh": await admit(
            factory,
            h,
            w.grassroots_a,
            full_name="Bình",
            gender="female",
            admission_date="2021-03-01",
        ),
        "cuong": await admit(
            factory, h, w.grassroots_a2, full_name="Cường", admission_date="2019-06-01"
        ),
        "dung": await admit(
            factory,
            w.officer_b,
            w.grassroots_b,
            full_name="Dung",
            gender="female",
            admission_date="2022-02-01",
        ),
        "em": await admit(
            factory, w.officer_b, w.grassroots_b, full_name="Em", admission_date="2016-05-05"
        ),
    }
    r = await factory.client.post(
        f"{API}/{m['an']['id']}/transfer",
        json={"to_union_id": str(w.grassroots_a2.id), "effective_date": "2023-03-01"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    for action, day in (("suspend", "2022-01-01"), ("resume", "2022-06-01")):
        r = await act(factory, h, m["binh"]["id"], action, day)
        assert r.status_code == 200, r.text
    r = await act(factory, h, m["cuong"]["id"], "leave", "2022-05-01", reason="Nghỉ việc")
    assert r.status_code == 200, r.text
    r = await act(factory, h, m["cuong"]["id"], "rejoin", "2022-09-01")
    assert r.status_code == 200, r.text
    # Dung's gender was typed wrongly: she is a man (and his ID number says so).
    born = date(1990, 5, 12)
    r = await factory.client.patch(
        f"{API}/{m['dung']['id']}",
        json={"gender": "male", "personal_id": personal_id(born, "male")},
        headers={**w.officer_b, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    r = await factory.client.post(
        f"{UNIONS}/{w.grassroots_a2.id}/merge",
        json={
            "effective_date": "2024-01-01",
            "decision_no": "7/QĐ-LĐLĐ",
            "target_id": str(w.grassroots_a.id),
        },
        headers=h,
    )
    assert r.status_code == 200, r.text
    return w, m


async def test_counts_follow_every_change_and_match_hand_counts(
    factory: Factory, db: AsyncSession
) -> None:
    w, m = await _changes(factory)
    assert await counts_rebuild.check(db) == []

    province = subtree_ids(w.province.id)
    district_a = subtree_ids(w.district_a.id, as_of=date(2022, 3, 1))
    # Today: all five active (Cường rejoined, Bình resumed).
    assert await counts.members_on(db, province) == 5
    assert await counts.members_on(db, province, gender="female") == 1  # Bình; Dung is a man
    assert await counts.members_on(db, [w.grassroots_a.id]) == 3  # An, Bình, Cường (merged)
    assert await counts.members_on(db, [w.grassroots_a2.id], statuses=["active"]) == 0
    # 1 March 2022: An and Cường active in district A, Bình suspended.
    assert await counts.members_on(db, district_a, day=date(2022, 3, 1)) == 3
    assert await counts.members_on(db, district_a, day=date(2022, 3, 1), statuses=["active"]) == 2
    # 1 July 2022: Cường has left, Bình is back.
    july = date(2022, 7, 1)
    assert await counts.members_on(db, district_a, day=july) == 2
    assert await counts.members_on(db, district_a, day=july, statuses=["left"]) == 1
    # Before the merger and the transfer: grassroots A2 held Cường only, then An too.
    assert await counts.members_on(db, [w.grassroots_a2.id], day=date(2023, 2, 28)) == 1
    assert await counts.members_on(db, [w.grassroots_a2.id], day=date(2023, 12, 31)) == 2
    # Long ago (summed forward from the first change): only Em, admitted in 2016.
    assert await counts.members_on(db, province, day=date(2017, 1, 1)) == 1
    assert await counts.members_on(db, province, day=date(2016, 5, 4)) == 0

    flows = await counts.flows(db, province, date(2016, 1, 1), date(2026, 12, 31))
    by_kind: dict[str, int] = {}
    for (kind, _), n in flows.items():
        by_kind[kind] = by_kind.get(kind, 0) + n
    assert by_kind == {
        "admitted": 5,
        "rejoined": 1,
        # An's transfer, then An and Cường moved by the merger.
        "transfer_in": 3,
        "transfer_out": 3,
        "suspended": 1,
        "resumed": 1,
        "left": 1,
    }
    assert flows[("admitted", "female")] == 1 and flows[("admitted", "male")] == 4
    in_2022 = await counts.flows(db, district_a, date(2022, 1, 1), date(2022, 12, 31))
    assert sum(n for (k, _), n in in_2022.items() if k == "admitted") == 0
    assert sum(n for (k, _), n in in_2022.items() if k == "rejoined") == 1
    merged = await counts.flows(
        db, [w.grassroots_a2.id], date(2024, 1, 1), date(2024, 1, 1), ["transfer_out"]
    )
    assert sum(merged.values()) == 2

    # Deleting a member takes their counts along.
    await db.execute(delete(Member).where(Member.id == m["dung"]["id"]))
    assert await counts.members_on(db, province) == 4
    admitted = await counts.flows(db, province, date(2016, 1, 1), date(2026, 12, 31), ["admitted"])
    assert sum(admitted.values()) == 4
    assert await counts_rebuild.check(db) == []


async def test_check_finds_drift_and_rebuild_mends_it(factory: Factory, db: AsyncSession) -> None:
    w, _ = await _changes(factory)
    # Something wrote around the triggers.
    await db.execute(text("UPDATE member_count_totals SET n = n + 7"))
    await db.execute(text("DELETE FROM member_flow_counts WHERE kind = 'admitted'"))
    await db.execute(text("UPDATE member_count_rollups SET delta = delta + 1 WHERE span = 'year'"))
    drift = await counts_rebuild.check(db)
    assert {d.table for d in drift} == {
        "member_count_totals",
        "member_flow_counts",
        "member_count_rollups",
        "members (the register)",
    }
    assert await counts.members_on(db, subtree_ids(w.province.id)) != 5
    written = await counts_rebuild.rebuild(db)
    assert written["member_count_totals"] > 0
    assert written["member_count_rollups"] > 0 and written["member_flow_rollups"] > 0
    assert await counts_rebuild.check(db) == []
    assert await counts.members_on(db, subtree_ids(w.province.id)) == 5


async def test_a_register_that_disagrees_with_its_periods_is_reported(
    factory: Factory, db: AsyncSession
) -> None:
    w, m = await _changes(factory)
    # A member row moved without its membership period (no code path does this).
    await db.execute(
        text("UPDATE members SET union_id = :u WHERE id = :m"),
        {"u": w.grassroots_b.id, "m": m["an"]["id"]},
    )
    drift = await counts_rebuild.check(db)
    assert [d.table for d in drift] == ["members (the register)"]
    assert drift[0].rows == 2


def test_the_command_exits_non_zero_on_drift(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The command runs on its own event loop, with an engine of its own (the suite's engine,
    # bound to the test loop, is put back afterwards by monkeypatch).
    monkeypatch.setattr(core_db, "_engine", None)
    monkeypatch.setattr(core_db, "_sessionmaker", None)
    # On the test database as committed (empty: every test rolls back), nothing drifts.
    assert cli_main(["counts", "check"]) == 0
    assert "counts match the register" in capsys.readouterr().out
    assert cli_main(["counts", "rebuild"]) == 0

    async def drifted(session: AsyncSession) -> list[counts_rebuild.Drift]:
        return [counts_rebuild.Drift("member_flow_counts", 1, ["x admitted male 2024-01-01"])]

    monkeypatch.setattr(counts_rebuild, "check", drifted)
    assert cli_main(["counts", "check"]) == 1
    out = capsys.readouterr()
    assert "member_flow_counts: 1 rows differ" in out.out
    assert "unionhub counts rebuild" in out.err
