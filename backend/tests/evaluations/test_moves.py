"""A unit that moves to another superior mid-round is appraised by the new one: its undecided
ratings of open rounds follow it (audited, with the move as the cause); approved and published
ratings keep the superior that decided them."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tests.evaluations.helpers import (
    EVALS,
    ROUNDS,
    act,
    evaluations_of,
    open_round,
    patch,
    rate,
    scheme_id,
    sheet,
)
from tests.factories import Factory
from unionhub.core.audit import AuditEntry
from unionhub.unions.models import Union

TODAY = date.today()
SCHEME = "HD1294-TLD-2019"


async def _world(factory: Factory) -> dict[str, Any]:
    """Two districts under the province; last year's round of the first district published;
    this year's province round open, with G1 submitted and G3 approved by the first district."""
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    old = await factory.union(province, code="CB", name="LĐLĐ huyện Cái Bè", sector="state")
    new = await factory.union(province, code="CL", name="LĐLĐ huyện Cai Lậy", sector="state")
    g1 = await factory.union(old, code="CB-G1", name="CĐCS Công ty May Cái Bè")
    g3 = await factory.union(old, code="CB-G3", name="CĐCS Công ty Gốm Cái Bè")
    await factory.union(new, code="CL-G1", name="CĐCS Công ty Gạch Cai Lậy")
    w: dict[str, Any] = {
        "province": province,
        "old": old,
        "new": new,
        "g1": g1,
        "g3": g3,
        "p": await factory.headers_for("federation_officer", province),
        "o": await factory.headers_for("union_officer", old),
        "n": await factory.headers_for("union_officer", new),
        "u1": await factory.headers_for("grassroots_officer", g1),
        "u3": await factory.headers_for("grassroots_officer", g3),
    }
    scheme = await scheme_id(factory, SCHEME)
    w["scheme"] = (
        await factory.client.get(f"/api/v1/evaluation-schemes/{scheme}", headers=w["p"])
    ).json()
    scores = sheet(w["scheme"], "non_state", Decimal("0.8"))

    # Last year: the first district's own round, rated and published.
    last = await open_round(factory, w["o"], TODAY.year - 1, scheme, old)
    last_evals = await evaluations_of(factory, w["o"], last["id"])
    await rate(factory, w["u1"], w["o"], last_evals["CB-G1"]["id"], scores)
    await rate(factory, w["u3"], w["o"], last_evals["CB-G3"]["id"], scores)
    r = await factory.client.post(f"{ROUNDS}/{last['id']}/publish", json={}, headers=w["o"])
    assert r.status_code == 200, r.text
    w["published"] = last_evals["CB-G1"]["id"]

    # This year: the province's round; G1 submitted, G3 approved.
    current = await open_round(factory, w["p"], TODAY.year, scheme, province)
    w["round"] = current
    evals = await evaluations_of(factory, w["p"], current["id"])
    w["submitted"] = evals["CB-G1"]["id"]
    w["approved"] = evals["CB-G3"]["id"]
    await patch(factory, w["u1"], w["submitted"], {"self_scores": scores})
    await act(factory, w["u1"], w["submitted"], "submit")
    await rate(factory, w["u3"], w["o"], w["approved"], scores)
    w["scores"] = scores
    return w


async def _restructure(
    factory: Factory, w: dict[str, Any], union: Union, action: str, body: dict[str, str]
) -> None:
    """The province moves or merges `union` today, as the tree screen does."""
    await factory.db.refresh(union)
    r = await factory.client.post(
        f"/api/v1/unions/{union.id}/{action}",
        json={"effective_date": TODAY.isoformat(), "decision_no": "15/QĐ-LĐLĐ", **body},
        headers={**w["p"], "If-Match": f'"{union.version}"'},
    )
    assert r.status_code == 200, r.text


async def _move(factory: Factory, w: dict[str, Any], unit: Union, to: Union) -> None:
    await _restructure(factory, w, unit, "move", {"new_parent_id": str(to.id)})


async def _queue(factory: Factory, headers: dict[str, str], appraiser: Union) -> set[str]:
    """The appraisal queue as the web app asks for it (submitted ratings in scope), kept to
    those the union appraises."""
    r = await factory.client.get(
        EVALS,
        params={"status": "submitted", "appraiser_union_id": str(appraiser.id), "size": 100},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    return {e["union_code"] for e in r.json()["items"]}


async def _appraiser(factory: Factory, w: dict[str, Any], evaluation_id: str) -> str:
    r = await factory.client.get(f"{EVALS}/{evaluation_id}", headers=w["p"])
    assert r.status_code == 200, r.text
    out: str = r.json()["appraiser_union_id"]
    return out


async def test_a_unit_moved_mid_round_is_appraised_by_its_new_superior(factory: Factory) -> None:
    w = await _world(factory)
    old, new = w["old"], w["new"]
    assert await _queue(factory, w["o"], old) == {"CB-G1"}
    assert await _queue(factory, w["n"], new) == set()
    todo = (await factory.client.get(f"{EVALS}/todo", headers=w["o"])).json()
    assert todo["to_appraise"] == 1

    await _move(factory, w, w["g1"], new)

    # The new superior's queue and to-do show it, and it may appraise it.
    assert await _queue(factory, w["n"], new) == {"CB-G1"}
    assert (await factory.client.get(f"{EVALS}/todo", headers=w["n"])).json()["to_appraise"] == 1
    sheet_ = (await factory.client.get(f"{EVALS}/{w['submitted']}", headers=w["n"])).json()
    assert sheet_["appraiser_union_id"] == str(new.id) and sheet_["may_appraise"] is True
    await patch(factory, w["n"], w["submitted"], {"appraisal_scores": w["scores"]})
    approved = await act(factory, w["n"], w["submitted"], "approve")
    assert approved["status"] == "approved"

    # The old superior no longer has it: not in its queue or to-do, 404 on the id.
    assert await _queue(factory, w["o"], old) == set()
    todo = (await factory.client.get(f"{EVALS}/todo", headers=w["o"])).json()
    assert todo["to_appraise"] == 0
    r = await factory.client.get(f"{EVALS}/{w['submitted']}", headers=w["o"])
    assert r.status_code == 404
    r = await factory.client.post(
        f"{EVALS}/{w['submitted']}/return", json={"reason": "Thiếu minh chứng"}, headers=w["o"]
    )
    assert r.status_code == 404

    # Last year's published rating keeps the superior that decided it.
    assert await _appraiser(factory, w, w["published"]) == str(old.id)

    # The change is audited: who, before and after, the move as the cause.
    entry = await factory.db.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "evaluation.appraiser_change",
            AuditEntry.entity_id == uuid.UUID(w["submitted"]),
        )
    )
    assert entry is not None
    assert entry.actor_username is not None and entry.actor_id is not None
    assert entry.union_id == w["g1"].id
    assert entry.before is not None and entry.before["appraiser_union_id"] == str(old.id)
    assert entry.after is not None and entry.after["appraiser_union_id"] == str(new.id)
    assert entry.after["cause"] == {
        "action": "union.move",
        "union_id": str(w["g1"].id),
        "effective_date": TODAY.isoformat(),
    }
    # One entry per re-pointed rating: the published one and the approved one have none.
    changed = (
        await factory.db.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.action == "evaluation.appraiser_change")
        )
    ).all()
    assert changed == [uuid.UUID(w["submitted"])]


async def test_an_approved_rating_keeps_the_superior_that_approved_it(factory: Factory) -> None:
    w = await _world(factory)
    await _move(factory, w, w["g3"], w["new"])
    assert await _appraiser(factory, w, w["approved"]) == str(w["old"].id)
    assert await _appraiser(factory, w, w["submitted"]) == str(w["old"].id)
    changed = await factory.db.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "evaluation.appraiser_change")
    )
    assert changed is None


async def test_a_merge_hands_its_units_ratings_to_the_target(factory: Factory) -> None:
    """The first district merges into the second: its units move under the second, and their
    undecided ratings go with them; its own rating (appraised by the province) is untouched."""
    w = await _world(factory)
    old, new = w["old"], w["new"]
    await _restructure(factory, w, old, "merge", {"target_id": str(new.id)})
    assert await _queue(factory, w["n"], new) == {"CB-G1"}
    assert await _appraiser(factory, w, w["approved"]) == str(old.id)
    assert await _appraiser(factory, w, w["published"]) == str(old.id)
    entry = await factory.db.scalar(
        select(AuditEntry).where(AuditEntry.action == "evaluation.appraiser_change")
    )
    assert entry is not None and entry.entity_id == uuid.UUID(w["submitted"])
    assert entry.after is not None
    assert entry.after["cause"]["action"] == "union.merge"
    assert entry.after["cause"]["union_id"] == str(old.id)
    evals = await evaluations_of(factory, w["p"], w["round"]["id"])
    assert evals["CB"]["appraiser_union_id"] == str(w["province"].id)
