"""A member's e-card: the facts on it signed (core.security.sign_card), and the online check
that adds what a signature cannot know: the member has left, or the card was reissued."""

import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import segno
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope, own_member, own_member_id, unscoped
from unionhub.cards.schemas import CardRead, CardVerdict
from unionhub.core.config import get_settings
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import NotFound, Unprocessable
from unionhub.core.security import TokenError, sign_card, verify_card
from unionhub.members.models import IN_MEMBERSHIP, Member, MemberPhoto
from unionhub.unions.models import Union

ISSUER = "unionhub"


async def card(session: AsyncSession, principal: Principal, member_id: uuid.UUID) -> CardRead:
    """The member's card, signed now; 404 outside the caller's scope."""
    return await _card(
        session,
        select(Member, Union.name, MemberPhoto.sha256)
        .join(Union, Union.id == Member.union_id)
        .outerjoin(MemberPhoto, MemberPhoto.member_id == Member.id)
        .where(
            Member.id == member_id, in_scope(principal, Member.union_id, Permission.MEMBERS_READ)
        ),
        f"/api/v1/members/{member_id}/photo.jpg",
    )


async def own_card(session: AsyncSession, principal: Principal) -> CardRead:
    """The card of a member signed in to their own account."""
    own_member_id(principal)
    return await _card(
        session,
        select(Member, Union.name, MemberPhoto.sha256)
        .join(Union, Union.id == Member.union_id)
        .outerjoin(MemberPhoto, MemberPhoto.member_id == Member.id)
        .where(own_member(principal, Member.id)),
        "/api/v1/me/photo.jpg",
    )


async def _card(
    session: AsyncSession, stmt: Select[Member, str, str | None], photo_path: str
) -> CardRead:
    """The card of the one member `stmt` finds; `photo_path` serves their photo to the same
    caller (the hash in its query makes a new photo a new URL)."""
    row = (await session.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound("No member with this id.", code=ErrorCode.MEMBER_NOT_FOUND)
    member, union_name, photo_sha256 = row
    if member.status not in IN_MEMBERSHIP or not member.card_number:
        raise Unprocessable(
            "member_id",
            ErrorCode.CARD_UNAVAILABLE,
            "Only a member in membership with a card number has a card.",
            in_="path",
        )
    now = datetime.now(UTC).replace(microsecond=0)
    until = now + timedelta(days=get_settings().card_valid_days)
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": str(member.id),
        "cn": member.card_number,
        "name": member.full_name,
        "uid": str(member.union_id),
        "un": union_name,
        "st": member.status,
        "iat": int(now.timestamp()),
        "exp": int(until.timestamp()),
    }
    if photo_sha256:
        # The photo is not in the token (it would not fit a QR code): its hash binds it, so a
        # verifier shown the card compares the photo it sees against the one signed.
        claims["ph"] = photo_sha256
    return CardRead(
        member_id=member.id,
        card_number=member.card_number,
        full_name=member.full_name,
        photo_url=f"{photo_path}?v={photo_sha256[:12]}" if photo_sha256 else None,
        photo_sha256=photo_sha256,
        union_id=member.union_id,
        union_name=union_name,
        status=member.status,
        issued_at=now,
        valid_until=until,
        token=sign_card(claims),
    )


def qr(token: str, kind: str) -> bytes:
    """The token as a QR code (error correction M: still readable when printed small)."""
    code = segno.make(token, error="m", micro=False)
    out = io.BytesIO()
    if kind == "svg":
        code.save(out, kind="svg", scale=4, xmldecl=False)
    else:
        code.save(out, kind="png", scale=6)
    return out.getvalue()


async def verify(session: AsyncSession, token: str) -> CardVerdict:
    """Signature and expiry (as offline), then revocation: the member still in membership and
    the card number still theirs."""
    try:
        claims = verify_card(token)
    except TokenError as exc:
        reason = "expired" if "expired" in str(exc).lower() else "bad_signature"
        return CardVerdict(valid=False, reason=reason)
    facts = {
        "card_number": claims.get("cn"),
        "full_name": claims.get("name"),
        "union_name": claims.get("un"),
        "valid_until": datetime.fromtimestamp(int(claims["exp"]), UTC),
    }
    try:
        member_id = uuid.UUID(str(claims["sub"]))
    except ValueError:
        return CardVerdict(valid=False, reason="unknown", **facts)
    current = (
        await session.execute(
            unscoped(
                select(Member.status, Member.card_number).where(Member.id == member_id),
                reason="a card's holder is checked for whoever shows it: the answer says only "
                "whether the signed card still stands",
            )
        )
    ).one_or_none()
    if current is None:
        return CardVerdict(valid=False, reason="unknown", **facts)
    if current[0] not in IN_MEMBERSHIP:
        return CardVerdict(valid=False, reason="member_left", **facts)
    if current[1] != claims.get("cn"):
        return CardVerdict(valid=False, reason="card_reissued", **facts)
    return CardVerdict(valid=True, reason="ok", **facts)
