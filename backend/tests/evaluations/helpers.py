"""Driving the evaluation cycle through the API, as the officers do."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tests.factories import Factory
from unionhub.core.text import fold
from unionhub.enterprises.models import Enterprise, WorkerSurvey
from unionhub.evaluations.models import EvaluationScheme
from unionhub.unions.models import Union

ROUNDS = "/api/v1/evaluation-rounds"
EVALS = "/api/v1/evaluations"


async def scheme_id(factory: Factory, code: str) -> str:
    found = await factory.db.scalar(
        select(EvaluationScheme.id)
        .where(EvaluationScheme.code == code)
        .order_by(EvaluationScheme.version.desc())
    )
    assert found is not None, code
    return str(found)


async def open_round(
    factory: Factory, headers: dict[str, str], year: int, scheme: str, owner: Any
) -> dict[str, Any]:
    r = await factory.client.post(
        ROUNDS,
        json={"year": year, "scheme_id": scheme, "owner_union_id": str(owner.id)},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def evaluations_of(
    factory: Factory, headers: dict[str, str], round_id: str
) -> dict[str, dict[str, Any]]:
    """The round's evaluations by union code."""
    r = await factory.client.get(EVALS, params={"round_id": round_id, "size": 200}, headers=headers)
    assert r.status_code == 200, r.text
    return {e["union_code"]: e for e in r.json()["items"]}


async def detail(factory: Factory, headers: dict[str, str], evaluation_id: str) -> dict[str, Any]:
    r = await factory.client.get(f"{EVALS}/{evaluation_id}", headers=headers)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def sheet(scheme: dict[str, Any], variant: str, share: Decimal) -> dict[str, str]:
    """Points for every indicator of a variant: `share` of each indicator's maximum."""
    (v,) = [v for v in scheme["definition"]["variants"] if v["applies_to"] == variant]
    return {
        i["code"]: str((Decimal(str(i["max_points"])) * share).quantize(Decimal("0.01")))
        for g in v["groups"]
        for i in g["indicators"]
    }


async def act(
    factory: Factory,
    headers: dict[str, str],
    evaluation_id: str,
    action: str,
    body: dict[str, Any] | None = None,
    expect: int = 200,
) -> dict[str, Any]:
    r = await factory.client.post(
        f"{EVALS}/{evaluation_id}/{action}", json=body or {}, headers=headers
    )
    assert r.status_code == expect, f"{action}: {r.status_code} {r.text}"
    out: dict[str, Any] = r.json()
    return out


async def patch(
    factory: Factory,
    headers: dict[str, str],
    evaluation_id: str,
    body: dict[str, Any],
    expect: int = 200,
) -> dict[str, Any]:
    r = await factory.client.patch(f"{EVALS}/{evaluation_id}", json=body, headers=headers)
    assert r.status_code == expect, f"patch: {r.status_code} {r.text}"
    out: dict[str, Any] = r.json()
    return out


async def rate(
    factory: Factory,
    unit: dict[str, str],
    superior: dict[str, str],
    evaluation_id: str,
    scores: dict[str, str],
    flags: dict[str, bool] | None = None,
) -> dict[str, Any]:
    """Self-assess with `scores`, submit, appraise with the same points, approve."""
    await patch(factory, unit, evaluation_id, {"self_scores": scores})
    await act(factory, unit, evaluation_id, "submit")
    body: dict[str, Any] = {"appraisal_scores": scores}
    if flags:
        body["appraisal_flags"] = flags
    await patch(factory, superior, evaluation_id, body)
    return await act(factory, superior, evaluation_id, "approve")


async def surveyed_enterprise(
    factory: Factory, responsible: Union, tax_code: str, name: str, surveys: dict[date, int]
) -> Enterprise:
    """A non-state enterprise with worker surveys ({surveyed on: total workers})."""
    enterprise = Enterprise(
        tax_code=tax_code,
        name=name,
        ownership="non_state_domestic",
        responsible_union_id=responsible.id,
        search_text=fold(name),
        version=1,
    )
    factory.db.add(enterprise)
    await factory.db.flush()
    factory.db.add_all(
        WorkerSurvey(
            enterprise_id=enterprise.id,
            surveyed_on=day,
            total_workers=workers,
            female_workers=workers // 2,
        )
        for day, workers in surveys.items()
    )
    await factory.db.flush()
    return enterprise
