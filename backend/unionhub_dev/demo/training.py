"""Training of the demo: qualification records for every cadre (from the register's education
and political-theory fields and its free-text trainings), courses 2018-2026 across the tree
(union-work basics for grassroots chairs and political-theory classes by the province, thematic
trainings by the direct-superior unions) with rosters, attendance and results whose
completions give qualification records, and spending figures per union and year.

Mostly set-based SQL (the benchmark's million members have tens of thousands of cadres). A
few records are made to miss the targets on purpose: some full-time cadres' degrees are
confirmation certificates issued after 9 July 2021 (which do not count), some leaders lack
political theory, and some unions spend under 15% on training. One `random.Random(seed)`.
"""

import random
import uuid
from datetime import date, timedelta

from sqlalchemy import insert, select, text

from unionhub.authz import scope
from unionhub.core.ids import uuid7
from unionhub.members.models import CadreAssignment, Member
from unionhub.training import repository as training_repo
from unionhub.training.models import (
    Attendance,
    Course,
    CourseInvitation,
    CourseKind,
    CourseStatus,
    Participant,
    ParticipantResult,
    ParticipantStatus,
    Qualification,
    Spending,
    SpendingStatus,
)
from unionhub.unions.models import Union
from unionhub_dev.demo.plan import PROVINCE_CODE
from unionhub_dev.demo.run import Run

YEARS = range(2018, 2026)
PROVIDERS = ("Trường Đại học Công đoàn", "Trường Chính trị tỉnh", None)
M = 1_000_000


async def write_training(run: Run) -> None:
    rng = random.Random(run.plan.seed * 17 + 11)
    await _qualifications_from_fields(run)
    counts = await _courses(run, rng)
    counts["spending"] = await _spending(run)
    if run.registers is not None:
        run.registers.counts.update(counts)


async def _qualifications_from_fields(run: Run) -> None:
    """The cadres' single fields and trainings as records (as the migration does for real
    data), with evidence and dates drawn from a hash of the member id."""
    s = run.session
    cadres = "SELECT DISTINCT member_id FROM cadre_assignments"
    await s.execute(
        text(
            f"""
            INSERT INTO qualifications (id, member_id, kind, level, major, issuer, issued_on,
                                        evidence, source, version)
            SELECT gen_random_uuid(), m.id,
                   CASE WHEN m.education_level IN ('primary', 'lower_secondary',
                        'upper_secondary') THEN 'general_education' ELSE 'professional' END,
                   CASE WHEN m.education_level = 'vocational' THEN 'intermediate'
                        ELSE m.education_level END,
                   left(m.professional_qualification, 255),
                   CASE WHEN m.education_level IN ('university', 'master', 'doctorate')
                        THEN 'Trường Đại học Cần Thơ' END,
                   CASE WHEN abs(hashtext(m.id::text)) % 20 = 0
                        THEN date '2022-05-20' + abs(hashtext(m.id::text)) % 300
                        ELSE make_date(extract(year FROM m.date_of_birth)::int + 22, 6, 30) END,
                   CASE WHEN abs(hashtext(m.id::text)) % 20 = 0 THEN 'confirmation'
                        ELSE 'diploma' END,
                   'migrated', 1
            FROM members m
            WHERE m.id IN ({cadres}) AND m.education_level IS NOT NULL
              AND m.education_level <> 'none'
            """
        )
    )
    await s.execute(
        text(
            f"""
            INSERT INTO qualifications (id, member_id, kind, level, issuer, issued_on,
                                        evidence, source, version)
            SELECT gen_random_uuid(), m.id, 'political_theory', m.political_theory,
                   'Trường Chính trị tỉnh',
                   LEAST(m.admission_date + abs(hashtext(m.id::text || 'pt')) % 1500,
                         date '2017-12-31'),
                   'diploma', 'migrated', 1
            FROM members m
            WHERE m.id IN ({cadres}) AND m.political_theory IS NOT NULL
              AND m.political_theory <> 'none'
              AND abs(hashtext(m.id::text || 'pt')) % 25 <> 0
            """
        )
    )
    await s.execute(
        text(
            f"""
            INSERT INTO qualifications (id, member_id, kind, level, issuer, issued_on,
                                        evidence, source, note, version)
            SELECT gen_random_uuid(), m.id, 'union_work', 'basic',
                   left(t ->> 'organiser', 255), make_date((t ->> 'year')::int, 12, 31),
                   'diploma', 'migrated', left(t ->> 'name', 1000), 1
            FROM members m, jsonb_array_elements(m.trainings) t
            WHERE m.id IN ({cadres}) AND (t ->> 'year') ~ '^[0-9]{{4}}$'
              AND abs(hashtext(m.id::text || 'uw')) % 4 <> 0
            """
        )
    )
    await s.flush()


async def _children(run: Run, union_id: uuid.UUID, day: date) -> list[uuid.UUID]:
    return [u for u, _ in await training_repo.children_names(run.session, union_id, day)]


async def _candidates(
    run: Run, root: uuid.UUID, day: date, posts: tuple[str, ...], salt: str, n: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Up to `n` (member id, member's union id) holding one of `posts` on `day` under `root`
    (the tree of that day), drawn by a hash so the same seed gives the same roster."""
    stmt = scope.unscoped(
        select(CadreAssignment.member_id, Member.union_id)
        .join(Member, Member.id == CadreAssignment.member_id)
        .where(
            CadreAssignment.union_id.in_(scope.subtree_ids(root, as_of=day)),
            training_repo.held_on(day),
            CadreAssignment.post.in_(posts),
        )
        .order_by(text(f"md5(cadre_assignments.member_id::text || '{salt}')"))
        .limit(n * 3),
        reason="the demo loader runs before anyone signs in",
    )
    # A person may hold two of the posts: keep them once.
    picked = {m: u for m, u in (await run.session.execute(stmt)).all()}
    return list(picked.items())[:n]


async def _courses(run: Run, rng: random.Random) -> dict[str, int]:
    s = run.session
    province = run.union_ids[PROVINCE_CODE]
    kinds = {k.code: k for k in (await s.scalars(select(CourseKind))).all()}
    counts = {"courses": 0, "course_participants": 0, "course_qualifications": 0}
    attendance: list[dict[str, object]] = []
    participants: list[dict[str, object]] = []
    quals: list[dict[str, object]] = []
    for year in [*YEARS, 2026]:
        offerings: list[
            tuple[uuid.UUID, str, str, date, tuple[str, ...], int, uuid.UUID | None]
        ] = []
        for n, month in enumerate((3, 9), start=1):
            offerings.append(
                (
                    province,
                    "UW-BASIC",
                    f"Bồi dưỡng nghiệp vụ công đoàn cho chủ tịch CĐCS mới, khóa {n}/{year}",
                    date(year, month, 10 + n),
                    ("chair", "vice_chair"),
                    120,
                    None,
                )
            )
        offerings.append(
            (
                province,
                "PT-TRUNG-CAP",
                f"Trung cấp lý luận chính trị - hành chính khóa {year}",
                date(year, 5, 6),
                ("chair", "vice_chair"),
                25,
                None,
            )
        )
        if year == 2026:
            # The new term's round: every commune/ward and sector union's cadres.
            for n, child in enumerate(await _children(run, province, date(2026, 3, 1))):
                offerings.append(
                    (
                        province,
                        "UW-BASIC",
                        f"Bồi dưỡng cán bộ công đoàn nhiệm kỳ 2025-2030, lớp {n + 1}",
                        date(2026, 3 + n % 6, 2 + n % 20),
                        (
                            "chair",
                            "vice_chair",
                            "executive_member",
                            "inspection_chair",
                            "inspection_member",
                            "group_leader",
                            "group_deputy",
                            "standing_member",
                        ),
                        200,
                        child,
                    )
                )
        for district in (await _children(run, province, date(year, 4, 1)))[:4]:
            offerings.append(
                (
                    district,
                    "THEMATIC",
                    f"Tập huấn chuyên đề Bộ luật Lao động và thương lượng tập thể {year}",
                    date(year, 4, 15 + rng.randint(0, 10)),
                    ("chair", "vice_chair", "executive_member", "group_leader"),
                    30,
                    None,
                )
            )
        for organiser, code, title, start, posts, seats, pool in offerings:
            kind = kinds[code]
            days = 3 if code != "PT-TRUNG-CAP" else 5
            end = start + timedelta(days=days - 1)
            status = _status(start, end)
            course = Course(
                kind_id=kind.id,
                title=title,
                organiser_union_id=organiser,
                provider=rng.choice(PROVIDERS) if organiser == province else None,
                starts_on=start,
                ends_on=end,
                session_dates=[start + timedelta(days=i) for i in range(days)],
                place="Hội trường Liên đoàn Lao động" if rng.random() < 0.8 else None,
                online=rng.random() < 0.1,
                seats=seats,
                audience_posts=list(posts),
                planned_budget=seats * rng.randint(8, 15) * 100_000 * days,
                actual_budget=None,
                status=status,
                version=1,
            )
            s.add(course)
            await s.flush()
            counts["courses"] += 1
            invited = [pool] if pool else await _children(run, organiser, start)
            if organiser == province:
                invited = invited[:12]
            for uid in invited:
                s.add(CourseInvitation(course_id=course.id, union_id=uid))
            if status in (CourseStatus.PLANNED.value, CourseStatus.OPEN.value):
                continue
            roster = await _candidates(run, pool or organiser, start, posts, str(course.id), seats)
            if roster and course.planned_budget:
                course.actual_budget = int(course.planned_budget * rng.uniform(0.8, 1.0))
            for i, (member_id, union_id) in enumerate(roster):
                completed = rng.random() < 0.9
                pid, qid = uuid7(), None
                cert_no = f"{i + 1:03d}/GCN-{year}" if completed else None
                cert_on = end + timedelta(days=7) if completed else None
                if completed and kind.qualification_kind and kind.qualification_level:
                    qid = uuid7()
                    quals.append(
                        {
                            "id": qid,
                            "member_id": member_id,
                            "kind": kind.qualification_kind,
                            "level": kind.qualification_level,
                            "issuer": course.provider or "Liên đoàn Lao động tỉnh",
                            "certificate_no": cert_no,
                            "issued_on": cert_on,
                            "evidence": "diploma",
                            "source": "course",
                            "course_id": course.id,
                            "note": title,
                            "version": 1,
                        }
                    )
                    counts["course_qualifications"] += 1
                participants.append(
                    {
                        "id": pid,
                        "course_id": course.id,
                        "member_id": member_id,
                        "union_id": union_id,
                        "status": ParticipantStatus.ACCEPTED.value,
                        "result": (
                            ParticipantResult.COMPLETED.value
                            if completed
                            else ParticipantResult.NOT_COMPLETED.value
                        ),
                        "certificate_no": cert_no,
                        "certificate_date": cert_on,
                        "qualification_id": qid,
                        "version": 1,
                    }
                )
                counts["course_participants"] += 1
                for day in course.session_dates:
                    attendance.append(
                        {"participant_id": pid, "session_on": day, "present": rng.random() < 0.95}
                    )
    await s.flush()
    for table, rows in ((Qualification, quals), (Participant, participants)):
        for at in range(0, len(rows), 5000):
            await s.execute(insert(table), rows[at : at + 5000])
    for at in range(0, len(attendance), 5000):
        await s.execute(insert(Attendance), attendance[at : at + 5000])
    await s.flush()
    return counts


def _status(start: date, end: date) -> str:
    today = date.today()
    if end < today:
        return CourseStatus.FINISHED.value
    if start <= today:
        return CourseStatus.RUNNING.value
    if (start - today).days < 60:
        return CourseStatus.OPEN.value
    return CourseStatus.PLANNED.value


async def _spending(run: Run) -> int:
    """Every province, direct-superior and grassroots union's figures of each year it
    operated: totals scaled by level, training around 15% (under it for about a third);
    approved up to 2024, 2025 submitted."""
    s = run.session
    rows = scope.unscoped(
        select(Union.id, Union.level, Union.founded_on, Union.ended_on).where(
            Union.level.in_(("province_federation", "direct_superior", "grassroots"))
        ),
        reason="the demo loader runs before anyone signs in",
    )
    base = {"province_federation": 12_000, "direct_superior": 1_500, "grassroots": 120}
    out: list[dict[str, object]] = []
    for uid, level, founded, ended in (await s.execute(rows)).all():
        draw = random.Random(f"{run.plan.seed}-{uid}")
        for year in YEARS:
            if (founded and founded.year > year) or (ended and ended.year < year):
                continue
            total = base[level] * M * draw.randint(80, 140) // 100
            share = draw.choice((9, 11, 13, 14, 15, 16, 17, 18, 19, 21))
            out.append(
                {
                    "id": uuid.uuid4(),
                    "union_id": uid,
                    "year": year,
                    "total_spend": total,
                    "training_spend": total * share // 100,
                    "source": f"Báo cáo quyết toán kinh phí công đoàn năm {year}",
                    "status": (
                        SpendingStatus.APPROVED.value
                        if year < 2025
                        else SpendingStatus.SUBMITTED.value
                    ),
                    "version": 1,
                }
            )
    if out:
        await s.execute(insert(Spending), out)
    return len(out)
