"""A members import of 600 rows typed every way officers type them, checked against a stored
record of its whole outcome: every error of the report (row, column, code, message, params),
the counts, and every record the valid-only commit writes (members, periods, events,
qualifications and their facts, audit links, change feed), ids and drawn card numbers aside.

The import's hot paths (reading the sheet, converting cells, the checks, planning the COPY
records) are tuned for speed; this is what tells a faster version from a different one.
The record was written by the code before that tuning. After a deliberate change of the
outcome, write it again: `UPDATE_GOLDEN=1 pytest tests/imports/test_members_golden.py`, and
read its diff.
"""

import json
import os
import random
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports import helpers as h
from tests.imports.conftest import QueueRunner

GOLDEN = Path(__file__).with_name("golden") / "members_import.json"

# Values a cell may hold instead of the right one: typos, other spellings, Excel's types.
ODD_VALUES: list[Any] = [
    None,
    "  padded   text ",
    "nguyễn văn a",
    unicodedata.normalize("NFD", "Nguyễn Thị Bé"),
    "31/02/1990",
    "1990-13-01",
    "12/05/1990",
    "1990-05-12T00:00",
    12345.5,
    33000,
    "abc",
    "'0912345678",
    "=cmd",
    "x" * 300,
    "\u200bNgu\u200byễn",
    True,
    "Có",
    "không",
    "Nam",
    "nữ",
    "Đại học",
    "dv",
    "0",
    1,
    "CD00000001",
    "082090000001",
    82090000001,
    "0312345678-001",
    "0312345678",
    "VN",
    "Việt Nam",
    "lào",
    "a@b.com",
    "Bad@@mail",
    "x@y.local",
    "09 1234 5678",
    "+84912345678",
    "_x0001_ctl",
    "tab\there",
    "  ",
    "''",
    datetime(1990, 5, 12),
    datetime(2099, 1, 1),
    "01234",
    1234,
    "Trung cấp",
    "Cao cấp",
    "cử nhân",
    "khác",
    "a  b",
    "\u00a0nbsp",
    "x" * 121,
]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Minh Đức"]
EDUCATION = ["Không", "Tiểu học", "Trung học cơ sở", "Trung học phổ thông", "Trung cấp", "Đại học"]
THEORY = ["Không", "Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân", None]


def _rows(codes: list[str]) -> list[dict[str, Any]]:
    rng = random.Random(2026)
    rows: list[dict[str, Any]] = []
    for n in range(600):
        female = rng.random() < 0.5
        born = date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
        pid = h.personal_id(born.year, female, 900_000 + n)
        row = h.member(
            f"{rng.choice(NAMES)} {n}",
            born,
            pid if rng.random() < 0.95 else None,
            rng.choice(codes),
            gender="Nữ" if female else "Nam",
            phone=rng.choice(["0912345678", "0987654321", None, 912345678]),
            admitted=date(rng.randint(2000, 2024), rng.randint(1, 12), rng.randint(1, 28)),
            **{
                "Trình độ học vấn": rng.choice(EDUCATION),
                "Lý luận chính trị": rng.choice(THEORY),
                "Trình độ chuyên môn": rng.choice([None, "Kế toán", "May công nghiệp"]),
                "Số thẻ đoàn viên": f"GT{n:06d}" if rng.random() < 0.3 else None,
                "Email": rng.choice([None, f"dv{n}@example.com", f"DV{n}@Example.COM"]),
            },
        )
        if rng.random() < 0.35:
            for _ in range(rng.randint(1, 3)):
                row[rng.choice(h.HEADERS)] = rng.choice(ODD_VALUES)
        if rows and rng.random() < 0.03:
            row = dict(rng.choice(rows))  # the same person twice
        rows.append(row)
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


async def _written(db: AsyncSession, codes: dict[str, str], job_id: str) -> dict[str, Any]:
    """What the commit wrote, keyed by the member's row in the file (its personal ID or name),
    ids replaced by what they point at."""

    async def rows(sql: str) -> list[list[Any]]:
        found = (await db.execute(text(sql))).all()
        return sorted(([_plain(v) for v in r] for r in found), key=json.dumps)

    def names(value: Any) -> Any:
        for union_id, code in codes.items():
            value = value.replace(union_id, code) if isinstance(value, str) else value
        return value.replace(job_id, "JOB") if isinstance(value, str) else value

    member_key = "coalesce(m.personal_id, m.full_name)"
    members = await rows(
        "SELECT full_name, search_name, date_of_birth, gender, ethnicity, nationality, "
        "personal_id, passport_no, phone, email, commune_code, education_level, "
        "professional_qualification, political_theory, occupation, enterprise_id IS NOT NULL, "
        "party_member, admission_date, admitted_by_union_id::text, "
        "CASE WHEN card_number LIKE 'CD%' THEN 'drawn' ELSE card_number END, union_id::text, "
        "status, status_since, trainings::text, version FROM members"
    )
    periods = await rows(
        f"SELECT {member_key}, p.union_id::text, p.status, p.valid_from, p.valid_to "
        "FROM membership_periods p JOIN members m ON m.id = p.member_id"
    )
    events = await rows(
        f"SELECT {member_key}, e.event_type, e.effective_date, e.union_id::text, "
        "regexp_replace(e.details::text, 'CD[0-9]+', 'drawn'), e.actor_id IS NULL "
        "FROM member_events e JOIN members m ON m.id = e.member_id"
    )
    qualifications = await rows(
        f"SELECT {member_key}, q.kind, q.level, q.major, q.evidence, q.source, q.note, "
        "q.version FROM qualifications q JOIN members m ON m.id = q.member_id"
    )
    facts = await rows(
        f"SELECT {member_key}, f.professional_on::text, f.political_theory_on::text, "
        "f.union_work_on::text FROM qualification_facts f JOIN members m ON m.id = f.member_id"
    )
    links = await rows(
        f"SELECT {member_key}, l.via_type FROM audit_links l JOIN members m ON m.id = l.entity_id"
    )
    feed = await rows(
        f"SELECT {member_key}, c.action, c.union_id::text, c.changed::text "
        "FROM change_events c JOIN members m ON m.id = c.entity_id"
    )
    out = {
        "members": members,
        "periods": periods,
        "events": events,
        "qualifications": qualifications,
        "facts": facts,
        "audit_links": links,
        "change_events": feed,
    }
    return json.loads(names(json.dumps(out, ensure_ascii=False)))


def _today_as_placeholder(errors: list[dict[str, Any]]) -> None:
    """A date-in-the-future error names the day it was checked on (the federation's today,
    which may be a day ahead of this machine's): within a day of the run, it is written as
    '<today>', so the golden outcome holds on any day."""
    for error in errors:
        day = (error.get("params") or {}).get("today")
        if day is not None:
            assert abs((date.fromisoformat(day) - date.today()).days) <= 1, error
            error["params"]["today"] = "<today>"


async def test_members_import_outcome_is_unchanged(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await h.build_world(factory)
    unions = [w.grassroots_a, w.grassroots_a2, w.grassroots_b, w.district_a]
    codes = [u.code for u in unions] + ["KHONG-CO", w.grassroots_a.code.lower()]
    content = h.xlsx_bytes(h.table(_rows(codes)))
    job = (await h.upload(factory.client, w.officer_a, content)).json()
    assert job["status"] == "validated", job
    outcome: dict[str, Any] = {
        "report": {
            k: job[k] for k in ("total_rows", "valid_rows", "error_count", "errors", "result")
        }
    }
    r = await h.commit(
        factory.client,
        f"{h.API}/{job['id']}/commit",
        headers=w.officer_a,
        json={"valid_only": True},
    )
    committed = r.json()
    assert committed["status"] == "committed", committed
    outcome["commit"] = {k: committed[k] for k in ("valid_rows", "error_count", "result")}
    outcome["written"] = await _written(db, {str(u.id): u.code for u in unions}, job["id"])
    outcome = json.loads(json.dumps(outcome, ensure_ascii=False, default=str))
    _today_as_placeholder(outcome["report"]["errors"])
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(outcome, ensure_ascii=False, indent=1, sort_keys=True))
    expected = json.loads(GOLDEN.read_text())
    for part in ("report", "commit", "written"):
        for key in expected[part]:
            assert outcome[part][key] == expected[part][key], (part, key)
    assert outcome == expected
