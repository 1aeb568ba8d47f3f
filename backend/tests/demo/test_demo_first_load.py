"""The demo's first load writes its plan; a second load of the same seed changes nothing."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.demo.test_demo import SCALE, SEED
from unionhub.auth.models import User
from unionhub.core.audit import AuditEntry
from unionhub.unions.models import Union, UnionEvent, UnionPeriod
from unionhub_dev.demo.generator import load_demo
from unionhub_dev.demo.plan import build_plan


async def _count(db: AsyncSession, model: Any) -> int:
    return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_load_writes_the_plan_and_a_second_run_changes_nothing(db: AsyncSession) -> None:
    summary = await load_demo(SEED, SCALE, session=db)
    assert "Loaded" in summary and "Đồng Tháp" in summary
    plan = build_plan(SEED, SCALE)
    renamed = {r.code: r.name for r in plan.renames}
    rows = (await db.execute(select(Union.code, Union.name, Union.status))).all()
    assert {(c, n) for c, n, _ in rows} == {
        (u.code, renamed.get(u.code, u.name)) for u in [*plan.unions, *plan.new_unions]
    }
    dissolved = {c for c, _, s in rows if s == "dissolved"}
    assert dissolved == {d.code for d in plan.dissolutions}
    assert "TG-VC" not in dissolved and "TG-KCN" not in dissolved

    counts = [await _count(db, m) for m in (Union, UnionPeriod, UnionEvent, User, AuditEntry)]
    again = await load_demo(SEED, SCALE, session=db)
    assert "already loaded" in again
    assert [await _count(db, m) for m in (Union, UnionPeriod, UnionEvent, User, AuditEntry)] == (
        counts
    )
