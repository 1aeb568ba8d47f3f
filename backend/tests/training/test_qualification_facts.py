"""The qualification facts the cadre indicators read (`qualification_facts`, kept by triggers
on `qualifications`): every way a record is written moves the figures, and the stored facts
are what a recomputation from the records gives."""

from datetime import date
from typing import Any

from sqlalchemy import select, text

from tests.factories import Factory
from tests.training.cadres import AFTER, BEFORE, build_cadres
from tests.training.helpers import call, course, qualifications_url
from unionhub.members.models import Member
from unionhub.training import facts
from unionhub.training.models import QualificationFacts

URL = "/api/v1/training/compliance"


async def _figures(factory: Factory, headers: dict[str, str], union: Any, day: str) -> Any:
    params: dict[str, Any] = {
        "union_id": str(union.id),
        "as_of": day,
        "term_start": "2018-01-01",
        "year": 2023,
    }
    r = await factory.client.get(URL, params=params, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    return {i["code"]: (i["numerator"], i["denominator"]) for i in body["total"]}


async def _member_id(factory: Factory, name: str) -> str:
    found = await factory.db.scalar(select(Member.id).where(Member.full_name == name))
    assert found is not None, name
    return str(found)


async def test_a_qualification_write_moves_the_figures(factory: Factory) -> None:
    w = await build_cadres(factory)
    h, province = w.headers, w.province
    before = await _figures(factory, h, province, BEFORE)
    assert before["full_time_degree"] == (2, 3) and before["cadres_union_work"] == (3, 5)

    # Cường C (full-time chair, college) gets a university degree in January 2023...
    url = qualifications_url(await _member_id(factory, "Cường C"))
    degree = await call(
        factory,
        "POST",
        url,
        h,
        {"kind": "professional", "level": "university", "issued_on": "2023-01-10"},
        201,
    )
    assert (await _figures(factory, h, province, BEFORE))["full_time_degree"] == (3, 3)
    # ... no: in September (after the first day, before the second) ...
    await call(factory, "PATCH", f"{url}/{degree['id']}", h, {"issued_on": "2023-09-01"})
    assert (await _figures(factory, h, province, BEFORE))["full_time_degree"] == (2, 3)
    assert (await _figures(factory, h, province, AFTER))["full_time_degree"] == (3, 3)
    # ... by a confirmation of 2023, which does not count.
    await call(factory, "PATCH", f"{url}/{degree['id']}", h, {"evidence": "confirmation"})
    assert (await _figures(factory, h, province, AFTER))["full_time_degree"] == (2, 3)
    await call(factory, "DELETE", f"{url}/{degree['id']}", h, None, 204)
    assert (await _figures(factory, h, province, AFTER))["full_time_degree"] == (2, 3)

    # Dũng D (union work in 2017, before the term) completes a union-work course in 2023.
    dung = await _member_id(factory, "Dũng D")
    c = await course(factory, h, province, starts_on="2023-05-15", ends_on="2023-05-17")
    curl = f"/api/v1/training/courses/{c['id']}"
    (added,) = await call(factory, "POST", f"{curl}/participants", h, {"member_ids": [dung]})
    await call(factory, "PATCH", curl, h, {"status": "running"})
    result = {"participant_id": added["id"], "result": "completed"}
    done = await call(factory, "PUT", f"{curl}/results", h, {"results": [result]})
    assert done[0]["qualification_id"] is not None
    assert (await _figures(factory, h, province, BEFORE))["cadres_union_work"] == (4, 5)
    # The certificate dated after the first day: trained on the second day only.
    result |= {"certificate_no": "NV-2023-07", "certificate_date": "2023-07-20"}
    await call(factory, "PUT", f"{curl}/results", h, {"results": [result]})
    assert (await _figures(factory, h, province, BEFORE))["cadres_union_work"] == (3, 5)
    assert (await _figures(factory, h, province, AFTER))["cadres_union_work"] == (4, 6)
    # A corrected result takes the record, and the training, away.
    result = {"participant_id": added["id"], "result": "not_completed"}
    await call(factory, "PUT", f"{curl}/results", h, {"results": [result]})
    assert (await _figures(factory, h, province, AFTER))["cadres_union_work"] == (3, 6)
    assert (await facts.check(factory.db))[0] == 0


async def test_the_stored_facts_are_a_recomputation_of_the_records(factory: Factory) -> None:
    await build_cadres(factory)
    db = factory.db
    anh = await _member_id(factory, "Anh A")
    stored = await db.get(QualificationFacts, anh)
    assert stored is not None
    # A master's of 2010-06-01: ranks 1 to 4 from that day, never a doctorate; trung cấp from
    # 2015-06-01; union work on 2019-06-01.
    assert stored.professional_on == [date(2010, 6, 1)] * 4 + [None]
    assert stored.political_theory_on == [date(2015, 6, 1)] * 2 + [None]
    assert (await facts.check(db))[0] == 0

    # Set-based writes, as the import and the demo make them: many people in one statement,
    # a change of kind, an undated diploma, a person deleted with their records.
    await db.execute(
        text(
            "INSERT INTO qualifications (id, member_id, kind, level, evidence, source, version) "
            "SELECT gen_random_uuid(), id, 'political_theory', 'cao_cap', 'diploma', "
            "'migrated', 1 FROM members WHERE full_name IN ('Bình B', 'Dũng D', 'Em E')"
        )
    )
    await db.execute(
        text(
            "UPDATE qualifications SET kind = 'it' "
            "WHERE kind = 'union_work' AND level = 'basic' AND member_id = "
            "(SELECT id FROM members WHERE full_name = 'Anh A')"
        )
    )
    await db.execute(
        text(
            "UPDATE qualifications SET issued_on = NULL "
            "WHERE kind = 'professional' AND member_id = "
            "(SELECT id FROM members WHERE full_name = 'Phúc F')"
        )
    )
    await db.execute(text("DELETE FROM members WHERE full_name = 'Cường C'"))
    assert (await facts.check(db))[0] == 0
    rows = {
        name: (prof, pt, uw)
        for name, prof, pt, uw in await db.execute(
            text(
                "SELECT m.full_name, f.professional_on::text, f.political_theory_on::text, "
                "f.union_work_on::text FROM qualification_facts f "
                "JOIN members m ON m.id = f.member_id"
            )
        )
    }
    assert set(rows) == {"Anh A", "Bình B", "Dũng D", "Em E", "Phúc F"}
    assert rows["Dũng D"][1] == "{-infinity,-infinity,-infinity}"
    assert rows["Anh A"][2] == "{}"
    assert rows["Phúc F"][0] == "{-infinity,-infinity,-infinity,-infinity,-infinity}"

    # The check sees a row that drifted; the rebuild puts it right.
    await db.execute(
        text("UPDATE qualification_facts SET union_work_on = '{}' WHERE member_id = :m"),
        {"m": await _member_id(factory, "Em E")},
    )
    off, sample = await facts.check(db)
    assert off == 1 and " {-infinity,-infinity,-infinity} {}, expected " in sample[0]
    assert sample[0].endswith(" {[2021-03-01,2021-03-02)}")
    assert await facts.rebuild(db) == 5
    assert (await facts.check(db))[0] == 0
