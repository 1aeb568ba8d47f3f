"""Load the Tiền Giang / Đồng Tháp demo data: `unionhub-dev demo-data` and `make run`.

Steps run in order on one session, each reading the plan (plain data, see plan.py):
unions (founded through the unions service, so periods, events and audit are real),
reorganisation (1 July 2025: rename, commune/ward unions, moves, dissolutions), users, then
the registers written in bulk with COPY (registers.py, officers.py): enterprises with their
surveys, members with their periods, events and grassroots posts, full-time officers and
pending transfers.

Without a session the loader opens its own and commits once at the end: a failure leaves
nothing behind, and a second run sees the province and does nothing.
"""

import asyncio
import hashlib
import io
import time
import uuid
from collections.abc import Awaitable, Callable

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import unionhub.models  # noqa: F401  (every mapped table, so flushes can order the foreign keys)
from unionhub.auth import repository as auth_repo
from unionhub.auth.models import MemberAccount, RoleAssignment, User
from unionhub.authz import scope
from unionhub.core import audit
from unionhub.core.db import dispose_engine, get_sessionmaker
from unionhub.core.security import hash_password
from unionhub.members.models import Member, MemberPhoto
from unionhub.members.photos import normalise
from unionhub.places import service as places
from unionhub.unions import service
from unionhub.unions.models import Union
from unionhub.unions.schemas import UnionCreate, UnionDissolve, UnionMove, UnionUpdate
from unionhub.workflows import union_move
from unionhub_dev.demo.evaluations import write_evaluations
from unionhub_dev.demo.officers import write_officers
from unionhub_dev.demo.plan import PASSWORD, PROVINCE_CODE, build_plan
from unionhub_dev.demo.programmes import write_programmes
from unionhub_dev.demo.registers import Registers, write_enterprises, write_members
from unionhub_dev.demo.reports import write_reports
from unionhub_dev.demo.run import Run
from unionhub_dev.demo.specs import UnionSpec
from unionhub_dev.demo.training import write_training


async def load_demo(
    seed: int = 2018,
    scale: float = 1.0,
    session: AsyncSession | None = None,
    *,
    members: int | None = None,
    enterprises: int | None = None,
) -> str:
    """Load the demo data set and return a one-paragraph summary.

    `scale` sizes the union tree and, unless `members` / `enterprises` are given, the registers
    (about 110,000 members at 1.0). With `session` the data is only flushed into it (the caller
    commits or rolls back); without, a session of its own is committed once at the end.
    """
    sizes = (members, enterprises)
    if session is not None:
        return await _load(session, seed, scale, sizes)
    try:
        async with get_sessionmaker()() as own:
            summary = await _load(own, seed, scale, sizes)
            await own.commit()
            return summary
    finally:
        # The command line's event loop ends right after; close the pool while it still runs.
        await dispose_engine()


async def _load(
    session: AsyncSession, seed: int, scale: float, sizes: tuple[int | None, int | None]
) -> str:
    # The administrative list first (idempotent): pickers and commune names need it.
    await places.load(session)
    loaded = scope.unscoped(
        select(Union.id).where(Union.code == PROVINCE_CODE),
        reason="the demo loader runs before anyone signs in",
    )
    if await session.scalar(loaded):
        return (
            f"The demo data is already loaded (union {PROVINCE_CODE} exists); nothing was changed."
        )
    started = time.perf_counter()
    run = Run(session=session, plan=build_plan(seed, scale), members=sizes[0], enterprises=sizes[1])
    for name, step in STEPS:
        t0 = time.perf_counter()
        await step(run)
        run.timings[name] = time.perf_counter() - t0
    await session.flush()
    return summary(run, time.perf_counter() - started)


def _create(spec: UnionSpec, ids: dict[str, uuid.UUID]) -> UnionCreate:
    return UnionCreate(
        code=spec.code,
        name=spec.name,
        short_name=spec.short_name,
        level=spec.level,
        kind=spec.kind,
        sector=spec.sector,
        parent_id=ids[spec.parent] if spec.parent else None,
        founded_on=spec.founded_on,
        founding_decision_no=spec.decision_no,
        decision_date=spec.decision_date,
        address=spec.address,
        commune_code=spec.commune_code,
        phone=spec.phone,
    )


async def found_unions(run: Run) -> None:
    """Every union as it stood before July 2025, parents first."""
    for spec in run.plan.unions:
        union = await service.found_union(run.session, run.actor, _create(spec, run.union_ids))
        run.union_ids[spec.code] = union.id


async def reorganise(run: Run) -> None:
    """1 July 2025: rename, found commune/ward unions, move grassroots unions, dissolve."""
    s, actor, ids, plan = run.session, run.actor, run.union_ids, run.plan
    for r in plan.renames:
        data = UnionUpdate(
            name=r.name,
            short_name=r.short_name,
            effective_date=r.effective,
            decision_no=r.decision_no,
            decision_date=r.decision_date,
        )
        await service.update_union(s, actor, ids[r.code], data, None)
    for spec in plan.new_unions:
        union = await service.found_union(s, actor, _create(spec, ids))
        ids[spec.code] = union.id
    for m in plan.moves:
        move = UnionMove(
            new_parent_id=ids[m.new_parent],
            effective_date=m.effective,
            decision_no=m.decision_no,
            decision_date=m.decision_date,
            note=m.note,
        )
        await union_move.move_union(s, actor, ids[m.code], move)
    for d in plan.dissolutions:
        end = UnionDissolve(
            effective_date=d.effective,
            decision_no=d.decision_no,
            decision_date=d.decision_date,
            note=d.note,
        )
        await service.dissolve_union(s, actor, ids[d.code], end)
    await s.flush()
    # move_union rewrites descendants' paths with one UPDATE, so union groups still held by
    # the session carry their old path; later steps must read unions afresh.
    s.expunge_all()


async def create_users(run: Run) -> None:
    """The demo accounts, all with the demo password; an existing username is left alone."""
    s = run.session
    wanted = [u.username for u in run.plan.users]
    existing = set((await s.scalars(select(User.username).where(User.username.in_(wanted)))).all())
    password_hash = await asyncio.to_thread(hash_password, PASSWORD)
    for spec in run.plan.users:
        if spec.username in existing:
            run.skipped_users.append(spec.username)
            continue
        user = User(
            username=spec.username,
            full_name=spec.full_name,
            email=f"{spec.username}@unionhub.example",
            password_hash=password_hash,
            is_active=True,
            version=1,
        )
        s.add(user)
        await s.flush()
        for role, code in spec.roles:
            s.add(RoleAssignment(user_id=user.id, role=role, union_id=run.union_ids[code]))
        run.user_ids[spec.username] = user.id
        await audit.record(
            s,
            run.actor,
            "user.create",
            "user",
            user.id,
            union_id=run.union_ids[spec.roles[0][1]],
            # Same shape as users.service writes, so the audit view reads both alike.
            after={
                **audit.snapshot(user),
                "roles": [{"role": r, "union_id": run.union_ids[c]} for r, c in spec.roles],
            },
        )
    await s.flush()


# A member of the showcase grassroots union (the one `cdcs` runs) with their own account,
# activated as a member would: the self-service area (/me) and the mobile API sign in with it.
MEMBER_USERNAME = "doanvien"


def portrait() -> bytes:
    """A drawn head-and-shoulders figure (the demo has no real person's photo)."""
    img = Image.new("RGB", (450, 600), (226, 233, 241))
    draw = ImageDraw.Draw(img)
    draw.ellipse((150, 110, 300, 290), fill=(224, 186, 150))
    draw.pieslice((60, 320, 390, 760), 180, 360, fill=(32, 70, 125))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


async def create_member_account(run: Run) -> None:
    s = run.session
    if await s.scalar(select(User.id).where(User.username == MEMBER_USERNAME)):
        run.skipped_users.append(MEMBER_USERNAME)
        return
    member = await s.scalar(
        scope.unscoped(
            select(Member)
            .where(
                Member.union_id == run.union_ids[run.plan.showcase_grassroots],
                Member.status == "active",
                Member.card_number.is_not(None),
                Member.personal_id.is_not(None),
                Member.id.not_in(select(MemberAccount.member_id)),
            )
            .order_by(Member.card_number)
            .limit(1),
            reason="the demo picks a member of its showcase union",
        )
    )
    if member is None:
        return
    user = await auth_repo.create_member_account(
        s,
        member_id=member.id,
        username=MEMBER_USERNAME,
        full_name=member.full_name,
        password_hash=await asyncio.to_thread(hash_password, PASSWORD),
        via="identity",
    )
    run.user_ids[MEMBER_USERNAME] = user.id
    jpeg, width, height = await asyncio.to_thread(normalise, portrait())
    s.add(
        MemberPhoto(
            member_id=member.id,
            content=jpeg,
            sha256=hashlib.sha256(jpeg).hexdigest(),
            width=width,
            height=height,
            size=len(jpeg),
        )
    )
    await audit.record(
        s,
        run.actor,
        "member_account.activate",
        "member",
        member.id,
        union_id=member.union_id,
        after={"username": MEMBER_USERNAME, "via": "identity", "user_id": str(user.id)},
    )
    await s.flush()


Step = Callable[[Run], Awaitable[None]]
STEPS: list[tuple[str, Step]] = [
    ("unions", found_unions),
    ("reorganisation", reorganise),
    ("users", create_users),
    ("enterprises", write_enterprises),
    ("members", write_members),
    ("officers", write_officers),
    ("evaluations", write_evaluations),
    ("programmes", write_programmes),
    ("training", write_training),
    ("reports", write_reports),
    ("member account", create_member_account),
]


SECTOR_KINDS = ("sector_union", "public_servants_union", "industrial_zone_union")


def summary(run: Run, seconds: float) -> str:
    plan = run.plan
    count: dict[str, int] = {}
    for u in plan.unions:
        count[u.kind] = count.get(u.kind, 0) + 1
    grassroots = sum(1 for u in plan.unions if u.level in ("grassroots", "occupational"))
    groups = sum(1 for u in plan.unions if u.level == "union_group")
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in run.timings.items())
    users = ", ".join(
        [u.username for u in plan.users if u.username not in run.skipped_users]
        + [n for n in (MEMBER_USERNAME,) if n in run.user_ids]
    )
    skipped = (
        f" (already present, left unchanged: {', '.join(run.skipped_users)})"
        if run.skipped_users
        else ""
    )
    return (
        f"Loaded the Tiền Giang / Đồng Tháp demo data (seed {plan.seed}, scale {plan.scale:g}) "
        f"in {seconds:.1f} s ({steps}): the provincial federation, "
        f"{count.get('district_federation', 0)} district federations, "
        f"{sum(count.get(k, 0) for k in SECTOR_KINDS)} "
        f"sector/public-servants/industrial-zone unions, {grassroots} grassroots and occupational "
        f"unions and {groups} union groups, founded 1976-2024; on 1 July 2025 "
        f"{len(plan.renames)} renames (the province became "
        f'"{plan.renames[0].name}"), {len(plan.new_unions)} commune/ward unions founded, '
        f"{len(plan.moves)} unions moved and {len(plan.dissolutions)} dissolved. "
        f"{_registers(run.registers)}"
        f"Accounts {users or 'none'}{skipped} sign in with the password {PASSWORD}."
    )


def _registers(reg: Registers | None) -> str:
    if reg is None:
        return ""
    c = reg.counts
    gap = sum(1 for f in reg.firms if f.union is None and f.surveys[-1][1] >= 20)
    return (
        f"Registers: {c.get('members', 0):,} members ({c.get('membership_periods', 0):,} "
        f"membership periods, {c.get('member_events', 0):,} events), "
        f"{c.get('cadre_assignments', 0):,} union posts ({c.get('full_time_cadres', 0)} "
        f"full-time), {c.get('transfer_requests', 0)} pending transfers, "
        f"{c.get('enterprises', 0):,} enterprises with {c.get('worker_surveys', 0):,} worker "
        f"surveys ({gap:,} without a union employ 20 or more). "
    )
