"""Importing members: the row-by-row report, all-or-nothing and valid-only commits,
re-imports, update mode, CSV variants and tolerant headers."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import (
    API,
    World,
    build_world,
    commit,
    csv_bytes,
    member,
    personal_id,
    report,
    table,
    upload,
    xlsx_bytes,
)
from unionhub.core.audit import AuditEntry
from unionhub.members import search
from unionhub.members.models import Member, MemberEvent, MembershipPeriod
from unionhub.training import facts
from unionhub.training.models import Qualification

FUTURE = date.today() + timedelta(days=30)


def mixed_rows(w: World) -> list[dict]:
    a, a2, b = w.grassroots_a.code, w.grassroots_a2.code, w.grassroots_b.code
    return [
        member("Nguyễn Văn An", date(1990, 5, 12), personal_id(1990, False, 1), a),  # row 2 ok
        # row 3: the ID says born 1991, the sheet says 1990
        member("Trần Văn Bình", date(1990, 1, 2), personal_id(1991, False, 2), a),
        # row 4: admitted in the future
        member(
            "Lê Thị Cúc",
            date(1995, 7, 7),
            personal_id(1995, True, 3),
            a2,
            gender="Nữ",
            admitted=FUTURE,
        ),
        # row 5: no such union
        member("Phạm Văn Dũng", date(1988, 3, 3), personal_id(1988, False, 4), "KHONG-CO"),
        # row 6: a union of the other district
        member("Hoàng Văn Em", date(1987, 4, 4), personal_id(1987, False, 5), b),
        # row 7: same ID as row 2
        member("Nguyễn Văn An", date(1990, 5, 12), personal_id(1990, False, 1), a),
        # row 8: not a phone number
        member(
            "Đỗ Thị Giang",
            date(1992, 8, 8),
            personal_id(1992, True, 7),
            a2,
            gender="Nữ",
            phone="12345",
        ),
        # row 9 ok, typed the way people type
        member(
            "  võ   thị  hoa ",
            "09/09/1993",
            personal_id(1993, True, 8),
            a.lower(),
            gender="nu",
            phone="+84 912 345 679",
            admitted="01-02-2021",
        ),
    ]


async def count(db: AsyncSession, model: type) -> int:
    return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_report_lists_every_bad_row_and_writes_nothing(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    r = await upload(factory.client, w.officer_a, xlsx_bytes(table(mixed_rows(w))))
    assert r.status_code == 200, r.text
    job = r.json()
    assert job["status"] == "validated"
    assert report(job) == [
        (3, "Số định danh cá nhân", "personal_id_year_mismatch"),
        (4, "Ngày vào công đoàn", "date_in_future"),
        (5, "Đơn vị (mã công đoàn)", "union_not_found"),
        (6, "Đơn vị (mã công đoàn)", "union_not_found"),
        (7, "Số định danh cá nhân", "duplicate_in_file"),
        (8, "Số điện thoại", "phone_invalid"),
    ]
    # A union elsewhere reads exactly like one that does not exist.
    messages = {e["row"]: e["message"] for e in job["errors"]}
    assert "not found in your scope" in messages[5]
    assert "not found in your scope" in messages[6]
    assert "row 2" in messages[7]
    assert (job["total_rows"], job["valid_rows"], job["error_count"]) == (8, 2, 6)
    assert job["done_rows"] == job["total_rows"] and job["progress"] == 1.0
    assert await count(db, Member) == 0

    r = await factory.client.get(f"{API}/{job['id']}", headers=w.officer_a)
    assert r.status_code == 200 and report(r.json()) == report(job)


async def test_commit_all_or_nothing_is_refused_then_valid_only_imports_good_rows(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(mixed_rows(w))))).json()

    r = await commit(
        factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={"valid_only": False}
    )
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "import_has_errors"
    assert await count(db, Member) == 0

    r = await commit(
        factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={"valid_only": True}
    )
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "committed"
    assert done["result"]["created"] == 2 and done["result"]["bad_rows"] == 6
    # The confirmation reads "skipped 6 bad rows" (it said 0: the count was not in the result).
    assert done["result"]["skipped_rows"] == 6

    members = (await db.execute(select(Member).order_by(Member.full_name))).scalars().all()
    assert [(m.full_name, m.union_id, m.phone) for m in members] == [
        ("Nguyễn Văn An", w.grassroots_a.id, "0912345678"),
        # Spaces tidied, the name otherwise kept as written.
        ("võ thị hoa", w.grassroots_a.id, "0912345679"),
    ]
    hoa = members[1]
    assert (hoa.gender, hoa.date_of_birth, hoa.admission_date) == (
        "female",
        date(1993, 9, 9),
        date(2021, 2, 1),
    )
    assert all(m.card_number and m.card_number.startswith("CD") for m in members)
    assert members[0].education_level == "university"
    assert members[0].political_theory == "trung_cap"
    periods = (await db.execute(select(MembershipPeriod))).scalars().all()
    assert {p.member_id for p in periods} == {m.id for m in members}
    events = (await db.execute(select(MemberEvent))).scalars().all()
    assert {(e.event_type, e.details["import_job_id"]) for e in events} == {("admitted", job["id"])}
    audit = (
        (await db.execute(select(AuditEntry).where(AuditEntry.action == "import.commit")))
        .scalars()
        .all()
    )
    assert len(audit) == 1 and audit[0].after["created"] == 2

    # Committed once: a second commit is refused.
    r = await commit(
        factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={"valid_only": True}
    )
    assert r.status_code == 409


async def test_all_or_nothing_commit_of_a_clean_file(
    factory: Factory, db: AsyncSession, runner: QueueRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await build_world(factory)
    rows = [r for i, r in enumerate(mixed_rows(w)) if i in (0, 7)]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)))).json()
    assert job["error_count"] == 0
    r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert r.status_code == 200 and r.json()["status"] == "committed"
    assert await count(db, Member) == 2
    # The file's names are in member_names (added once per COPY by its trigger), so a large
    # scope's full-name search finds them.
    names = await db.scalars(text("SELECT search_name FROM member_names ORDER BY 1"))
    assert list(names) == ["nguyen van an", "vo thi hoa"]
    monkeypatch.setattr(search, "SMALL_SCOPE_UNIONS", 0)
    found = await factory.client.get(
        "/api/v1/members", params={"q": "võ thị hoa"}, headers=w.officer_a
    )
    assert [m["full_name"] for m in found.json()["items"]] == ["võ thị hoa"]


async def test_new_cards_follow_the_files_order_and_each_members_records_stay_theirs(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    # The commit writes a batch's rows in the order of the members' indexes (union, gender,
    # name), not the file's: the card numbers it draws are still given in the file's order, and
    # each member's period and admission event are that member's.
    w = await build_world(factory)
    a, a2 = w.grassroots_a.code, w.grassroots_a2.code
    rows = [
        member("Vũ Văn Xuân", date(1990, 1, 1), personal_id(1990, False, 11), a2),
        member("Lê Thị Yến", date(1991, 2, 2), personal_id(1991, True, 12), a, gender="Nữ"),
        member(
            "Đặng Văn Anh",
            date(1992, 3, 3),
            personal_id(1992, False, 13),
            a,
            admitted=date(2019, 6, 1),
        ),
        member("Bùi Thị Bảo", date(1993, 4, 4), personal_id(1993, True, 14), a2, gender="Nữ"),
    ]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)))).json()
    assert job["error_count"] == 0, job
    r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert r.status_code == 200 and r.json()["status"] == "committed", r.text
    members = (await db.execute(select(Member))).scalars().all()
    by_name = {m.full_name: m for m in members}
    in_file = [by_name[n] for n in ("Vũ Văn Xuân", "Lê Thị Yến", "Đặng Văn Anh", "Bùi Thị Bảo")]
    cards = [m.card_number for m in in_file]
    assert all(c and c.startswith("CD") for c in cards)
    assert cards == sorted(cards) and len(set(cards)) == 4
    unions = {w.grassroots_a.id: a, w.grassroots_a2.id: a2}
    assert [unions[m.union_id] for m in in_file] == [a2, a, a, a2]
    assert [m.gender for m in in_file] == ["male", "female", "male", "female"]
    periods = (await db.execute(select(MembershipPeriod))).scalars().all()
    assert {(p.member_id, p.union_id, p.valid_from) for p in periods} == {
        (m.id, m.union_id, m.status_since) for m in members
    }
    events = (await db.execute(select(MemberEvent))).scalars().all()
    assert {(e.member_id, e.details["card_number"], e.effective_date) for e in events} == {
        (m.id, m.card_number, m.admission_date) for m in members
    }
    assert by_name["Đặng Văn Anh"].admission_date == date(2019, 6, 1)


async def test_reimport_creates_no_duplicates(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    content = xlsx_bytes(table([r for i, r in enumerate(mixed_rows(w)) if i in (0, 7)]))
    first = (await upload(factory.client, w.officer_a, content)).json()
    await commit(factory.client, f"{API}/{first['id']}/commit", headers=w.officer_a, json={})
    assert await count(db, Member) == 2

    again = (await upload(factory.client, w.officer_a, content)).json()
    assert report(again) == [
        (2, "Số định danh cá nhân", "personal_id_taken"),
        (3, "Số định danh cá nhân", "personal_id_taken"),
    ]
    assert again["file_sha256"] == first["file_sha256"]
    r = await commit(
        factory.client,
        f"{API}/{again['id']}/commit",
        headers=w.officer_a,
        json={"valid_only": True},
    )
    assert r.status_code == 409 and r.json()["code"] == "import_nothing_valid"
    assert await count(db, Member) == 2


async def test_update_mode_updates_matched_members(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    rows = [r for i, r in enumerate(mixed_rows(w)) if i in (0, 7)]
    first = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)))).json()
    await commit(factory.client, f"{API}/{first['id']}/commit", headers=w.officer_a, json={})

    rows[0] = {**rows[0], "Số điện thoại": "0987654321", "Đảng viên": "Có"}
    rows.append(
        member("Mai Văn Khoa", date(1985, 1, 1), personal_id(1985, False, 9), w.grassroots_a2.code)
    )
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)), mode="update")).json()
    assert job["error_count"] == 0, job["errors"]
    assert job["mode"] == "update"
    r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    done = r.json()
    assert done["status"] == "committed", done
    assert (done["result"]["created"], done["result"]["updated"], done["result"]["unchanged"]) == (
        1,
        1,
        1,
    )
    an = (await db.execute(select(Member).where(Member.full_name == "Nguyễn Văn An"))).scalar_one()
    await db.refresh(an)
    assert (an.phone, an.party_member, an.version) == ("0987654321", True, 2)
    updated = (
        await db.execute(select(MemberEvent).where(MemberEvent.event_type == "updated"))
    ).scalar_one()
    assert updated.member_id == an.id
    assert updated.details["fields"] == ["party_member", "phone"]
    # The history names personal fields that changed, never their values.
    assert "phone" not in updated.details["changes"]
    assert await count(db, Member) == 3


async def test_update_mode_refuses_members_of_other_districts(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    theirs = [
        member("Hoàng Văn Em", date(1987, 4, 4), personal_id(1987, False, 5), w.grassroots_b.code)
    ]
    first = (await upload(factory.client, w.officer_b, xlsx_bytes(table(theirs)))).json()
    await commit(factory.client, f"{API}/{first['id']}/commit", headers=w.officer_b, json={})
    mine = [{**theirs[0], "Đơn vị (mã công đoàn)": w.grassroots_a.code}]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(mine)), mode="update")).json()
    # Refused without saying the person is a member in the other district (issue 8: an
    # import was a bulk oracle), and audited with the numbers masked.
    assert report(job) == [(2, "Số định danh cá nhân", "personal_id_unusable")]
    assert "register" not in json.dumps(job["errors"])
    audited = (
        await db.execute(
            select(AuditEntry).where(AuditEntry.action == "import.personal_ids_refused")
        )
    ).scalar_one()
    assert audited.after["rows"] == 1
    assert theirs[0]["Số định danh cá nhân"] not in json.dumps(audited.after)


async def test_a_passport_held_in_another_district_is_refused_without_saying_so(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    foreigner = member(
        "Kim Min Jun",
        date(1988, 6, 6),
        None,
        w.grassroots_b.code,
        **{"Quốc tịch": "KR", "Số hộ chiếu": "M12345678"},
    )
    first = (await upload(factory.client, w.officer_b, xlsx_bytes(table([foreigner])))).json()
    assert first["error_count"] == 0, first["errors"]
    await commit(factory.client, f"{API}/{first['id']}/commit", headers=w.officer_b, json={})
    again = [{**foreigner, "Đơn vị (mã công đoàn)": w.grassroots_a.code}]
    # District A's officer learns nothing about district B's register from the refusal: not
    # "already on the register" (passport_taken), as for a personal ID.
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(again)))).json()
    assert report(job) == [(2, "Số hộ chiếu", "passport_unusable")]
    assert "register" not in json.dumps(job["errors"])
    # District B's own officer, who sees the holder, is told plainly.
    mine = [{**foreigner, "Họ và tên": "Kim Min Jun"}]
    job = (await upload(factory.client, w.officer_b, xlsx_bytes(table(mine)))).json()
    assert report(job) == [(2, "Số hộ chiếu", "passport_taken")]


async def test_csv_with_bom_and_semicolons(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    rows = [r for i, r in enumerate(mixed_rows(w)) if i in (0, 7)]
    content = csv_bytes(table(rows), delimiter=";", bom=True)
    assert content.startswith(b"\xef\xbb\xbf")
    job = (await upload(factory.client, w.officer_a, content, name="doan-vien.csv")).json()
    assert job["status"] == "validated" and job["error_count"] == 0, job["errors"]
    assert job["result"]["format"] == "csv" and job["result"]["encoding"] == "utf-8-sig"
    r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert r.json()["result"]["created"] == 2
    names = set((await db.execute(select(Member.full_name))).scalars())
    assert "Nguyễn Văn An" in names


async def test_csv_in_windows_1258(factory: Factory, db: AsyncSession, runner: QueueRunner) -> None:
    w = await build_world(factory)
    rows = [
        member("Nguyễn Văn An", date(1990, 5, 12), personal_id(1990, False, 1), w.grassroots_a.code)
    ]
    content = csv_bytes(table(rows), delimiter=",", bom=False, encoding="cp1258")
    job = (await upload(factory.client, w.officer_a, content, name="dv.csv")).json()
    assert job["result"]["encoding"] == "cp1258"
    assert job["error_count"] == 0, job["errors"]
    await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert (await db.execute(select(Member.full_name))).scalar_one() == "Nguyễn Văn An"


async def test_headers_are_matched_tolerantly(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    headers = [
        "stt",
        "ho va ten",
        "NGÀY SINH",
        "  Giới   tính ",
        "Số CCCD",
        "SĐT",
        "Ngày kết nạp",
        "Mã công đoàn",
        "Ghi chú",
    ]
    rows = [
        ["DANH SÁCH ĐOÀN VIÊN"],
        [],
        headers,
        [
            1,
            "Nguyễn Văn An",
            date(1990, 5, 12),
            "Nam",
            82090000001,
            912345678,
            date(2020, 3, 1),
            w.grassroots_a.code,
            "chuyển từ sổ giấy",
        ],
    ]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(rows))).json()
    assert job["status"] == "validated" and job["error_count"] == 0, job["errors"]
    assert job["result"]["header_row"] == 3
    assert job["result"]["ignored_columns"] == ["Ghi chú"]
    await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    m = (await db.execute(select(Member))).scalar_one()
    # Excel had stored the ID and the phone as numbers, dropping their leading zero.
    assert (m.personal_id, m.phone) == ("082090000001", "0912345678")


async def test_missing_columns_fail_the_job(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    rows = [["STT", "Họ và tên", "Ngày sinh", "Giới tính"], [1, "A", date(1990, 1, 1), "Nam"]]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(rows))).json()
    assert job["status"] == "failed"
    assert {(e["column"], e["code"]) for e in job["errors"]} == {
        ("Ngày vào công đoàn", "missing_column"),
        ("Đơn vị (mã công đoàn)", "missing_column"),
        ("Số định danh cá nhân", "missing_column"),
    }


async def test_new_members_levels_become_records_as_for_existing_members(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    """A new member's education and political-theory levels from the file become qualification
    records (source migrated) and the member's derived levels, built in Python for the COPY;
    the same file's levels given to an existing member go through member_levels.write (SQL):
    both end the same, qualification facts included (written by the import for new members,
    by the trigger for existing ones). "Không" is no level and no record."""
    w = await build_world(factory)
    a = w.grassroots_a.code
    rows = [
        member(
            "Nguyễn Văn An",
            date(1990, 5, 12),
            personal_id(1990, False, 1),
            a,
            **{"Trình độ học vấn": "Trung cấp", "Trình độ chuyên môn": "Kế toán"},
        ),
        member(
            "Trần Văn Bình",
            date(1991, 1, 2),
            personal_id(1991, False, 2),
            a,
            **{"Trình độ học vấn": "Trung học cơ sở", "Lý luận chính trị": "Không"},
        ),
        member(
            "Lê Thị Cúc",
            date(1995, 7, 7),
            personal_id(1995, True, 3),
            a,
            gender="Nữ",
            **{"Trình độ học vấn": "Không", "Lý luận chính trị": "Cử nhân"},
        ),
    ]

    async def levels() -> list[tuple]:
        found = await db.execute(
            select(
                Member.full_name,
                Member.education_level,
                Member.political_theory,
                Qualification.kind,
                Qualification.level,
                Qualification.major,
                Qualification.source,
                Qualification.evidence,
            )
            .outerjoin(Qualification, Qualification.member_id == Member.id)
            .order_by(Member.full_name, Qualification.kind)
        )
        return [tuple(r) for r in found.all()]

    async def imported(mode: str) -> None:
        job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)), mode=mode)).json()
        assert job["error_count"] == 0, job["errors"]
        r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
        assert r.json()["status"] == "committed", r.json()

    async def stored_facts() -> dict[str, tuple[str, str, str]]:
        found = await db.execute(
            text(
                "SELECT m.full_name, f.professional_on::text, f.political_theory_on::text, "
                "f.union_work_on::text FROM qualification_facts f "
                "JOIN members m ON m.id = f.member_id"
            )
        )
        return {name: (prof, theory, work) for name, prof, theory, work in found.all()}

    await imported("create")
    # Trung cấp (vocational) is the lowest professional rank, trung cấp theory the second, cử
    # nhân counts as cao cấp; an undated diploma is held on every day; lower secondary school
    # is no indicator's record (no row).
    expected_facts = {
        "Nguyễn Văn An": (
            "{-infinity,NULL,NULL,NULL,NULL}",
            "{-infinity,-infinity,NULL}",
            "{}",
        ),
        "Lê Thị Cúc": ("{NULL,NULL,NULL,NULL,NULL}", "{-infinity,-infinity,-infinity}", "{}"),
    }
    assert await stored_facts() == expected_facts
    assert (await facts.check(db))[0] == 0
    expected = [
        ("Lê Thị Cúc", None, "cu_nhan", "political_theory", "cu_nhan", None, "migrated", "diploma"),
        (
            "Nguyễn Văn An",
            "vocational",
            "trung_cap",
            "political_theory",
            "trung_cap",
            None,
            "migrated",
            "diploma",
        ),
        (
            "Nguyễn Văn An",
            "vocational",
            "trung_cap",
            "professional",
            "intermediate",
            "Kế toán",
            "migrated",
            "diploma",
        ),
        (
            "Trần Văn Bình",
            "lower_secondary",
            None,
            "general_education",
            "lower_secondary",
            None,
            "migrated",
            "diploma",
        ),
    ]
    assert await levels() == expected

    # The same levels imported again onto the members (update mode, SQL path): no new record,
    # the same derived levels.
    await db.execute(delete(Qualification))
    await db.execute(update(Member).values(education_level=None, political_theory=None))
    assert await stored_facts() == {}
    await imported("update")
    db.expire_all()
    assert await levels() == expected
    assert await stored_facts() == expected_facts
    assert (await facts.check(db))[0] == 0
