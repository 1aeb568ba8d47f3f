"""The dated membership actions: suspend, resume, leave, strike off, expel, deceased, rejoin,
card reissue, and the effective-dated period history they all keep.

Each action checks the status it starts from, dates the change (not in the future, not before
the member's last change), closes the current membership period and opens the next (a second
change on the same day replaces the period in place), writes a member event and an audit entry,
and bumps the member's version. An exit (left, struck off, expelled, deceased) also ends the
member's posts and closes their own account (members.account_states.close_on_exit).
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.authz.scope import ancestor_ids
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Unprocessable
from unionhub.core.etag import check_version
from unionhub.members import account_states, lookups, reads
from unionhub.members import repository as repo
from unionhub.members.models import (
    IN_MEMBERSHIP,
    CadreAssignment,
    Member,
    MemberEvent,
    MemberEventType,
    MembershipPeriod,
    MemberStatus,
)
from unionhub.members.schemas import CardReissue, MemberAction, MemberRead, MemberRejoin
from unionhub.members.service import (
    check_effective_date,
    check_member_union,
    flush_unique,
    personal_id_problem,
    raise_if,
    raise_problems,
    require_write,
)
from unionhub.members.validation import (
    REJOIN_WAIT_MONTHS,
    Problem,
    add_months,
    check_card_number,
    clean_card_number,
    fmt,
)
from unionhub.unions.models import Union

S = MemberStatus
E = MemberEventType


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[str]
    to: MemberStatus
    event: MemberEventType
    verb: str
    ends_membership: bool = False


_IN = frozenset(IN_MEMBERSHIP)
TRANSITIONS: dict[str, Transition] = {
    "suspend": Transition(frozenset({S.ACTIVE.value}), S.SUSPENDED, E.SUSPENDED, "suspended"),
    "resume": Transition(frozenset({S.SUSPENDED.value}), S.ACTIVE, E.RESUMED, "resumed"),
    "leave": Transition(_IN, S.LEFT, E.LEFT, "recorded as left", True),
    "strike_off": Transition(_IN, S.STRUCK_OFF, E.STRUCK_OFF, "struck off", True),
    "expel": Transition(_IN, S.EXPELLED, E.EXPELLED, "expelled", True),
    "deceased": Transition(_IN, S.DECEASED, E.DECEASED, "recorded as deceased", True),
    "rejoin": Transition(
        frozenset({S.LEFT.value, S.STRUCK_OFF.value}), S.ACTIVE, E.REJOINED, "rejoined"
    ),
}


def actor(principal: Principal) -> uuid.UUID | None:
    return None if principal.system else principal.user_id


def state(member: Member) -> dict[str, Any]:
    return {
        "status": member.status,
        "union_id": str(member.union_id),
        "status_since": member.status_since.isoformat(),
        "card_number": member.card_number,
        "version": member.version,
    }


async def move_membership(
    session: AsyncSession,
    member: Member,
    effective: date,
    *,
    status: str | None = None,
    union_id: uuid.UUID | None = None,
) -> None:
    """Close the current membership period at `effective` and open the next one.

    A change on the day the current period began replaces it in place; if that makes it equal
    to the period before (a suspension undone the same day), the two are joined again.
    """
    current = await lookups.current_period(session, member.id)
    assert current is not None, "every member has a current period"
    new_status = status or current.status
    new_union = union_id or current.union_id
    if current.valid_from == effective:
        previous = await lookups.period_ending(session, member.id, effective)
        if previous and previous.status == new_status and previous.union_id == new_union:
            await session.delete(current)
            await session.flush()
            previous.valid_to = None
        else:
            current.status = new_status
            current.union_id = new_union
    else:
        current.valid_to = effective
        await session.flush()
        session.add(
            MembershipPeriod(
                member_id=member.id, union_id=new_union, status=new_status, valid_from=effective
            )
        )
    if new_status != member.status:
        member.status_since = effective
    member.status = new_status
    member.union_id = new_union
    member.version += 1
    await session.flush()


async def end_posts(
    session: AsyncSession, member_ids: Any, effective: date, keep_under: str | None = None
) -> None:
    """End the union posts of members leaving (or moving away from) the unions of the posts.

    The last day in a post is the day before the change. With `keep_under` (the new union's
    path), posts in that union or the unions above it are kept.
    """
    last_day = effective - timedelta(days=1)
    stmt = (
        update(CadreAssignment)
        .where(
            CadreAssignment.member_id.in_(member_ids),
            or_(CadreAssignment.to_date.is_(None), CadreAssignment.to_date > last_day),
        )
        .values(
            to_date=case(
                (CadreAssignment.from_date > last_day, CadreAssignment.from_date), else_=last_day
            ),
            version=CadreAssignment.version + 1,
            updated_at=func.now(),
        )
        .execution_options(synchronize_session=False)
    )
    if keep_under is not None:
        stmt = stmt.where(CadreAssignment.union_id.not_in(ancestor_ids(keep_under)))
    await session.execute(stmt)


async def _load(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID, if_match: int | None
) -> tuple[Member, Union]:
    member = await repo.get_scoped(session, principal, member_id, for_update=True)
    union = await require_write(session, principal, member)
    check_version(member, if_match, "member")
    return member, union


async def last_change(session: AsyncSession, member: Member) -> date | None:
    current = await lookups.current_period(session, member.id)
    return current.valid_from if current else None


def rejoin_wait(member: Member, effective: date) -> None:
    possible = add_months(member.status_since, REJOIN_WAIT_MONTHS)
    if effective < possible:
        message = (
            f"A member who left on {fmt(member.status_since)} may rejoin {REJOIN_WAIT_MONTHS} "
            f"months later, from {fmt(possible)}."
        )
        err = Unprocessable(
            "effective_date",
            ErrorCode.REJOIN_TOO_SOON,
            message,
            params={
                "left": member.status_since,
                "earliest": possible,
                "months": REJOIN_WAIT_MONTHS,
            },
            problem_code=ErrorCode.REJOIN_TOO_SOON,
        )
        err.extra = {"possible_from": possible.isoformat()}
        raise err


async def change_status(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    action: str,
    body: MemberAction,
    if_match: int | None = None,
) -> MemberRead:
    """Apply one of TRANSITIONS to a member (see the module docstring for the rules).

    Returns the member as the API shows them.
    """
    rule = TRANSITIONS[action]
    member, union = await _load(session, principal, member_id, if_match)
    if member.status not in rule.allowed_from:
        raise Conflict(
            f"A member who is {member.status} cannot be {rule.verb}.",
            code=ErrorCode.STATUS_NOT_ALLOWED,
            params={"status": member.status, "action": action},
            extra={"member_status": member.status},
        )
    if rule.ends_membership and await lookups.pending_transfer(session, member.id):
        raise Conflict(
            "A transfer of this member is waiting for the receiving union; cancel it first.",
            code=ErrorCode.TRANSFER_PENDING,
        )
    check_effective_date(body.effective_date, await last_change(session, member))
    target = union
    if action == "rejoin":
        assert isinstance(body, MemberRejoin)
        rejoin_wait(member, body.effective_date)
        target_id = body.union_id or member.union_id
        found, problems = await check_member_union(session, principal, target_id)
        if member.personal_id:
            problems += personal_id_problem(
                principal,
                await lookups.personal_id_holder(session, member.personal_id, member.id),
                member.personal_id,
                "Another member with this personal ID number is on the register.",
            )
        await raise_problems(session, principal, problems, member.personal_id)
        assert found is not None
        target = found
    before = state(member)
    await move_membership(
        session, member, body.effective_date, status=rule.to.value, union_id=target.id
    )
    if rule.ends_membership:
        await end_posts(session, [member.id], body.effective_date)
        await account_states.close_on_exit(session, principal, member)
    details: dict[str, Any] = {"from_status": before["status"]}
    if body.decision_no:
        details["decision_no"] = body.decision_no
    if target.id != union.id:
        details["from_union_id"] = str(union.id)
    session.add(
        MemberEvent(
            member_id=member.id,
            event_type=rule.event.value,
            effective_date=body.effective_date,
            union_id=target.id,
            reason=body.reason,
            details=details,
            actor_id=actor(principal),
        )
    )
    await audit.record(
        session,
        principal,
        f"member.{action}",
        "member",
        member.id,
        union_id=target.id,
        before=before,
        after={**state(member), "reason": body.reason},
    )
    await session.flush()
    return await reads.read_written(session, principal, member.id)


async def reissue_card(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    body: CardReissue,
    if_match: int | None = None,
) -> MemberRead:
    """Issue a new card number (lost or damaged card); the old number stays in the event.

    Returns the member as the API shows them.
    """
    member, _ = await _load(session, principal, member_id, if_match)
    if member.status not in IN_MEMBERSHIP:
        raise Conflict(
            f"A member who is {member.status} holds no card to reissue.",
            code=ErrorCode.STATUS_NOT_ALLOWED,
            params={"status": member.status, "action": "reissue_card"},
            extra={"member_status": member.status},
        )
    effective = body.effective_date or date.today()
    check_effective_date(effective, None)
    wanted = clean_card_number(body.card_number)
    problems = check_card_number(wanted)
    if wanted and not problems and await lookups.card_number_taken(session, wanted):
        problems.append(
            Problem(
                "card_number",
                ErrorCode.CARD_NUMBER_TAKEN,
                f"The card number {wanted} is already issued to a member.",
                {"value": wanted},
            )
        )
    raise_if(problems)
    before = state(member)
    old = member.card_number
    member.card_number = wanted or await lookups.next_card_number(session)
    member.version += 1
    await flush_unique(session)
    session.add(
        MemberEvent(
            member_id=member.id,
            event_type=E.CARD_REISSUED.value,
            effective_date=effective,
            union_id=member.union_id,
            reason=body.reason,
            details={"old_card_number": old, "new_card_number": member.card_number},
            actor_id=actor(principal),
        )
    )
    await audit.record(
        session,
        principal,
        "member.reissue_card",
        "member",
        member.id,
        union_id=member.union_id,
        before=before,
        after=state(member),
    )
    await session.flush()
    return await reads.read_written(session, principal, member.id)
