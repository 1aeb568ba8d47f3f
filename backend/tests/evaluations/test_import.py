"""A round's results imported from a spreadsheet in the export's layout: a dry run reports
every problem by row and column and writes nothing; a commit writes only when every row passes;
the round's export imports back unchanged."""

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from tests.evaluations.helpers import EVALS, ROUNDS, detail, evaluations_of, open_round, scheme_id
from tests.factories import Factory
from tests.imports.conftest import private_spool, runner  # noqa: F401 (the queue's worker)
from tests.imports.helpers import sheet_import, xlsx_bytes

HEADER = [
    "Mã công đoàn",
    "Tên công đoàn",
    "Khu vực",
    "Trạng thái",
    "Nhóm 1",
    "Nhóm 2",
    "Nhóm 3",
    "Tổng điểm",
    "Xếp loại",
    "Vững mạnh",
    "Lý do không xếp loại",
]
EXCELLENT = "Hoàn thành xuất sắc nhiệm vụ"
GOOD = "Hoàn thành tốt nhiệm vụ"


def row(code: str, g1: Any, g2: Any, g3: Any, total: Any, level: Any) -> list[Any]:
    return [code, None, None, None, g1, g2, g3, total, level, None, None]


async def upload(
    factory: Factory,
    headers: dict[str, str],
    round_id: str,
    content: bytes,
    *,
    dry_run: bool,
    name: str = "xep-loai.xlsx",
    expect: int = 202,
) -> dict[str, Any]:
    url = f"{ROUNDS}/{round_id}/import"
    return await sheet_import(
        factory.client, url, headers, content, dry_run=dry_run, name=name, expect=expect
    )


pytestmark = pytest.mark.usefixtures("runner")


async def export(factory: Factory, headers: dict[str, str], round_id: str) -> list[list[Any]]:
    r = await factory.client.get(f"{ROUNDS}/{round_id}/export.xlsx", headers=headers)
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
    return [list(values) for values in sheet.iter_rows(values_only=True)]


async def _setup(factory: Factory) -> dict[str, Any]:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    district = await factory.union(province, name="LĐLĐ huyện Cai Lậy", sector="state")
    other = await factory.union(province, name="LĐLĐ huyện Cái Bè", sector="state")
    await factory.union(district, code="IM-FIRM", name="CĐCS Công ty May")
    await factory.union(district, code="IM-FIRM2", name="CĐCS Công ty Gạch")
    await factory.union(
        district, code="IM-SCHOOL", name="CĐCS Trường THCS", sector="state", kind="school_union"
    )
    await factory.union(district, code="IM-NEW", founded_on=date(2023, 6, 1))
    superior = await factory.headers_for("union_officer", district)
    sibling = await factory.headers_for("union_officer", other)
    scheme = await scheme_id(factory, "HD1294-TLD-2019")
    round_ = await open_round(factory, superior, 2023, scheme, district)
    evals = await evaluations_of(factory, superior, round_["id"])
    return {"superior": superior, "sibling": sibling, "round": round_, "evals": evals}


async def test_dry_run_then_commit_then_the_export_imports_back_unchanged(
    factory: Factory,
) -> None:
    s = await _setup(factory)
    superior, round_id, evals = s["superior"], s["round"]["id"], s["evals"]
    # The export's layout is the import's layout.
    assert (await export(factory, superior, round_id))[0] == HEADER
    content = xlsx_bytes(
        [
            HEADER,
            # non-state sheet: groups of 50 / 35 / 15 points
            row("IM-FIRM", 46, 32, 13, 91, EXCELLENT),
            # state sheet: 40 / 35 / 25; the total may be left out, a decimal comma is read
            row("im-school", "30,5", 25, 20, None, GOOD),
        ]
    )
    report = await upload(factory, superior, round_id, content, dry_run=True)
    assert (report["committed"], report["total_rows"], report["valid_rows"]) == (False, 2, 2)
    assert report["error_count"] == 0 and report["errors"] == []
    assert (await detail(factory, superior, evals["IM-FIRM"]["id"]))["status"] == "draft"

    report = await upload(factory, superior, round_id, content, dry_run=False)
    assert report["committed"] is True and report["counts"] == {"approved": 2, "unchanged": 0}
    firm = await detail(factory, superior, evals["IM-FIRM"]["id"])
    assert (firm["status"], firm["level"], firm["total_points"], firm["strong"]) == (
        "approved",
        "excellent",
        "91.00",
        True,
    )
    school = await detail(factory, superior, evals["IM-SCHOOL"]["id"])
    assert (school["level"], school["total_points"]) == ("good", "75.50")
    r = await factory.client.get(f"{EVALS}/{evals['IM-FIRM']['id']}/history", headers=superior)
    last = r.json()[-1]
    assert last["action"] == "approved" and last["details"]["source"] == "import"
    assert last["details"]["groups"] == {"1": "46.00", "2": "32.00", "3": "13.00"}

    # The export carries the imported groups; imported back, it changes nothing (the units
    # without a result - not rated, not started - are left alone).
    exported = await export(factory, superior, round_id)
    by_code = {r[0]: r for r in exported[1:]}
    assert by_code["IM-FIRM"][4:9] == [46, 32, 13, 91, EXCELLENT]
    assert by_code["IM-NEW"][8] is None
    again = await upload(factory, superior, round_id, xlsx_bytes(exported), dry_run=False)
    assert again["committed"] is True, again["errors"]
    assert again["counts"] == {"approved": 0, "unchanged": 2}

    # Published results are locked against imports too; another district's officer does not
    # see the round at all.
    r = await factory.client.post(f"{ROUNDS}/{round_id}/publish", headers=superior)
    assert r.status_code == 409  # IM-FIRM2 is not rated yet
    await upload(factory, s["sibling"], round_id, content, dry_run=True, expect=404)


async def test_a_malformed_file_is_reported_by_row_and_nothing_is_written(
    factory: Factory,
) -> None:
    s = await _setup(factory)
    superior, round_id, evals = s["superior"], s["round"]["id"], s["evals"]
    content = xlsx_bytes(
        [
            HEADER,
            row("IM-FIRM2", 45, 30, 14, 89, GOOD),  # row 2: fine
            row("XX-404", 10, 10, 10, 30, "Hoàn thành nhiệm vụ"),  # 3: not in the round
            row("IM-FIRM", 60, 30, 10, 100, EXCELLENT),  # 4: group 1 has 50 points at most
            row("IM-SCHOOL", 30, 25, 20, 80, GOOD),  # 5: the groups add up to 75
            row("IM-FIRM2", 45, 30, 14, 89, GOOD),  # 6: twice in the file
            row("IM-NEW", 40, 30, 10, 80, GOOD),  # 7: not rated this year
        ]
    )
    report = await upload(factory, superior, round_id, content, dry_run=True)
    problems = {(e["row"], e["column"], e["code"]) for e in report["errors"]}
    assert problems == {
        (3, "Mã công đoàn", "not_in_round"),
        (4, "Nhóm 1", "above_max_points"),
        (5, "Tổng điểm", "total_mismatch"),
        (6, "Mã công đoàn", "duplicate_in_file"),
        (7, "Mã công đoàn", "unit_ineligible"),
    }
    assert (report["total_rows"], report["valid_rows"]) == (6, 1)

    # Cells that are not points or not a level of the scheme; a level better than the points.
    content = xlsx_bytes(
        [
            HEADER,
            row("IM-FIRM", "abc", 30, 10, None, GOOD),
            row("IM-FIRM2", 45, 30, 14, 89, "Giỏi"),
            row("IM-SCHOOL", 20, 20, 10, 50, EXCELLENT),
        ]
    )
    report = await upload(factory, superior, round_id, content, dry_run=False)
    assert report["committed"] is False and report["commit_refused"] == "import_has_errors"
    problems = {(e["row"], e["column"], e["code"]) for e in report["errors"]}
    assert problems == {
        (2, "Nhóm 1", "not_number"),
        (3, "Xếp loại", "invalid_choice"),
        (4, "Xếp loại", "level_above_points"),
    }
    # All or nothing: the commit wrote none of the rows.
    for code in ("IM-FIRM", "IM-FIRM2", "IM-SCHOOL"):
        assert (await detail(factory, superior, evals[code]["id"]))["status"] == "draft"

    # A sheet without the level column, and a file that is no workbook at all.
    report = await upload(
        factory,
        superior,
        round_id,
        xlsx_bytes([HEADER[:8], ["IM-FIRM", 1, 1, 1, 3]]),
        dry_run=True,
    )
    assert report["committed"] is False
    assert [(e["code"], e["column"]) for e in report["errors"]] == [("missing_column", "Xếp loại")]
    r = await factory.client.post(
        f"{ROUNDS}/{round_id}/import",
        files={"file": ("xep-loai.xlsx", b"not a workbook at all")},
        headers=superior,
    )
    assert r.status_code == 422 and r.json()["code"] == "file_type_mismatch"
