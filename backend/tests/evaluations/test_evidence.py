"""Evidence files of a self-assessment: the unit attaches them per indicator while it edits its
sheet; the appraising union and the unions above read them; nobody else even learns they exist;
after submission they are read-only; the files are what their bytes say."""

import io
import zipfile
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from sqlalchemy import select

from tests.evaluations.helpers import (
    EVALS,
    act,
    evaluations_of,
    open_round,
    patch,
    scheme_id,
    sheet,
)
from tests.factories import Factory
from unionhub.core.audit import AuditEntry

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _docx(*, with_document: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            z.writestr("word/document.xml", "<w:document/>")
        else:
            z.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


async def _world(factory: Factory) -> dict[str, Any]:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    district = await factory.union(province, name="LĐLĐ huyện Cái Bè", sector="state")
    other = await factory.union(province, name="LĐLĐ huyện Cai Lậy", sector="state")
    unit = await factory.union(district, code="CB-G1", name="CĐCS Công ty May Cái Bè")
    superior = await factory.headers_for("union_officer", district)
    scheme = await scheme_id(factory, "HD1294-TLD-2019")
    round_ = await open_round(factory, superior, 2020, scheme, district)
    evaluation = (await evaluations_of(factory, superior, round_["id"]))["CB-G1"]
    r = await factory.client.get(f"/api/v1/evaluation-schemes/{scheme}", headers=superior)
    return {
        "evaluation": evaluation,
        "scheme": r.json(),
        "unit": await factory.headers_for("grassroots_officer", unit),
        "superior": superior,
        "province": await factory.headers_for("federation_officer", province),
        "stranger": await factory.headers_for("union_officer", other),
        "viewer": await factory.headers_for("viewer", district),
    }


async def _upload(
    factory: Factory,
    headers: dict[str, str],
    evaluation_id: str,
    name: str,
    content: bytes,
    indicator: str = "1.1",
    expect: int = 201,
) -> dict[str, Any]:
    r = await factory.client.post(
        f"{EVALS}/{evaluation_id}/evidence",
        files={"file": (name, content, "application/octet-stream")},
        data={"indicator": indicator},
        headers=headers,
    )
    assert r.status_code == expect, f"upload {name}: {r.status_code} {r.text}"
    out: dict[str, Any] = r.json()
    return out


def _code(problem: dict[str, Any]) -> str:
    errors = problem.get("errors") or []
    return str(errors[0]["code"] if errors else problem["code"])


async def test_the_unit_attaches_evidence_the_appraiser_reads_it_and_it_locks_on_submit(
    factory: Factory,
) -> None:
    w = await _world(factory)
    eid = w["evaluation"]["id"]
    name = "Biên bản hội nghị người lao động.pdf"
    added = await _upload(factory, w["unit"], eid, name, PDF)
    assert added["indicator"] == "1.1" and added["file_name"] == name
    assert added["media_type"] == "application/pdf" and added["size"] == len(PDF)
    await _upload(factory, w["unit"], eid, "anh-hoi-nghi.jpg", JPEG, indicator="2.1")

    # The unit, its appraising union and the province list them; a sibling district gets 404.
    for who in ("unit", "superior", "province", "viewer"):
        r = await factory.client.get(f"{EVALS}/{eid}/evidence", headers=w[who])
        assert r.status_code == 200, (who, r.text)
        assert [(f["indicator"], f["file_name"]) for f in r.json()] == [
            ("1.1", name),
            ("2.1", "anh-hoi-nghi.jpg"),
        ], who
    r = await factory.client.get(f"{EVALS}/{eid}/evidence", headers=w["stranger"])
    assert r.status_code == 404 and r.json()["code"] == "evaluation_not_found"

    # The appraiser downloads the file as uploaded, under its Vietnamese name, never inline.
    url = f"{EVALS}/{eid}/evidence/{added['id']}"
    r = await factory.client.get(url, headers=w["superior"])
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["content-type"] == "application/pdf"
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment;") and quote(name, safe="") in disposition
    assert (await factory.client.get(url, headers=w["stranger"])).status_code == 404
    # A viewer reads but does not attach.
    await _upload(factory, w["viewer"], eid, "x.pdf", PDF, expect=403)

    # Each upload is in the audit log, on the evaluation and its union.
    actions = (
        await factory.db.scalars(
            select(AuditEntry.action).where(AuditEntry.entity_id == w["evaluation"]["id"])
        )
    ).all()
    assert actions.count("evaluation.evidence_add") == 2

    # Submitted: the files are read-only (no upload, no deletion) but still readable.
    scores = sheet(w["scheme"], w["evaluation"]["variant"], Decimal(1))
    await patch(factory, w["unit"], eid, {"self_scores": scores})
    await act(factory, w["unit"], eid, "submit")
    late = await _upload(factory, w["unit"], eid, "bo-sung.pdf", PDF, expect=409)
    assert late["code"] == "evaluation_status"
    r = await factory.client.delete(url, headers=w["unit"])
    assert r.status_code == 409 and r.json()["code"] == "evaluation_status"
    assert (await factory.client.get(url, headers=w["unit"])).status_code == 200

    # Returned for revision: the unit may take a file away again (audited).
    await act(factory, w["superior"], eid, "return", {"reason": "Thay biên bản có chữ ký."})
    assert (await factory.client.delete(url, headers=w["stranger"])).status_code == 404
    r = await factory.client.delete(url, headers=w["unit"])
    assert r.status_code == 204, r.text
    r = await factory.client.get(f"{EVALS}/{eid}/evidence", headers=w["superior"])
    assert [f["file_name"] for f in r.json()] == ["anh-hoi-nghi.jpg"]
    assert (await factory.client.get(url, headers=w["unit"])).status_code == 404
    deleted = await factory.db.scalar(
        select(AuditEntry).where(
            AuditEntry.entity_id == w["evaluation"]["id"],
            AuditEntry.action == "evaluation.evidence_delete",
        )
    )
    assert deleted is not None and deleted.before["evidence"]["file_name"] == name


async def test_files_are_judged_by_their_bytes_size_and_count(factory: Factory) -> None:
    w = await _world(factory)
    eid = w["evaluation"]["id"]
    unit = w["unit"]

    cases = [
        ("chuong-trinh.pdf", b"MZ\x90\x00" + b"\x00" * 64, "evidence_type_mismatch", None),
        ("anh.jpg", PNG, "evidence_type_mismatch", "png"),
        ("ghi-chu.txt", b"van ban", "evidence_type", None),
        ("bang-tinh.docx", _docx(with_document=False), "evidence_type_mismatch", None),
        ("rong.pdf", b"", "file_empty", None),
    ]
    for name, content, code, detected in cases:
        problem = await _upload(factory, unit, eid, name, content, expect=422)
        assert _code(problem) == code, (name, problem)
        if detected:
            assert problem["errors"][0]["params"]["detected"] == detected
    too_big = PDF + b"\x00" * (10 * 1024 * 1024)
    problem = await _upload(factory, unit, eid, "lon.pdf", too_big, expect=413)
    assert problem["code"] == "evidence_too_large" and problem["params"]["max_mb"] == 10
    problem = await _upload(factory, unit, eid, "x.pdf", PDF, indicator="9.9", expect=422)
    assert _code(problem) == "unknown_indicator"
    r = await factory.client.get(f"{EVALS}/{eid}/evidence", headers=unit)
    assert r.json() == [], "nothing refused was kept"

    # A real Word document and a png pass; five files per indicator, the sixth is refused.
    docx = await _upload(factory, unit, eid, "Báo cáo.docx", _docx())
    assert docx["media_type"].endswith("wordprocessingml.document")
    for i in range(4):
        await _upload(factory, unit, eid, f"anh-{i}.png", PNG)
    problem = await _upload(factory, unit, eid, "anh-5.png", PNG, expect=409)
    assert problem["code"] == "evidence_limit" and problem["params"]["max"] == 5
    await _upload(factory, unit, eid, "anh-5.png", PNG, indicator="1.2")
