"""A member's card photo: uploaded by an officer who manages the member, checked by its first
bytes (JPEG or PNG, whatever the file name or content type say), decoded within a pixel limit,
turned upright (EXIF orientation), flattened on white and re-encoded as a JPEG of at most
600 x 800 without any metadata: no GPS position, camera serial or embedded thumbnail of the
original leaves with the card, and what is stored is an image Pillow wrote, never the upload.

Members do not upload their own photo: a card photo identifies its holder to third parties, so
it is the union, which sees the person, that sets it (docs/api.md, "Member photos").
"""

import hashlib
import io
import uuid
import warnings
from datetime import UTC, datetime

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer
from starlette.concurrency import run_in_threadpool

from unionhub.authz.principal import Principal
from unionhub.authz.scope import own_member
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import AppError, NotFound, Unprocessable
from unionhub.members import repository as repo
from unionhub.members.models import MemberPhoto
from unionhub.members.schemas import MemberPhotoRead
from unionhub.members.service import require_write

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A phone photo is 12-50 megapixels; more is a decompression bomb, refused before decoding.
MAX_PIXELS = 60_000_000
MIN_SIDE = 240
OUT_BOX = (600, 800)
JPEG_QUALITY = 85
_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"


class PhotoTooLarge(AppError):
    status = 413
    code = ErrorCode.PHOTO_TOO_LARGE
    title = "Photo too large"


def _refuse(code: ErrorCode, message: str, **params: int) -> Unprocessable:
    return Unprocessable("file", code, message, params=params or None)


def normalise(content: bytes) -> tuple[bytes, int, int]:
    """The upload as the stored JPEG and its size; Unprocessable for anything else.

    Blocking (decoding, resizing, encoding): run it off the event loop."""
    if content.startswith(_JPEG):
        formats = ["JPEG"]
    elif content.startswith(_PNG):
        formats = ["PNG"]
    else:
        raise _refuse(ErrorCode.PHOTO_TYPE_UNSUPPORTED, "Only JPEG or PNG photos are accepted.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=formats) as opened:
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise _refuse(ErrorCode.PHOTO_UNREADABLE, "The photo has too many pixels.")
                if min(width, height) < MIN_SIDE:
                    raise _refuse(
                        ErrorCode.PHOTO_TOO_SMALL,
                        f"The photo needs at least {MIN_SIDE} pixels each way.",
                        min_px=MIN_SIDE,
                    )
                opened.load()
                image = ImageOps.exif_transpose(opened) or opened
                if image.mode in ("RGBA", "LA") or (
                    image.mode == "P" and "transparency" in image.info
                ):
                    rgba = image.convert("RGBA")
                    flat = Image.new("RGB", rgba.size, "white")
                    flat.paste(rgba, mask=rgba.getchannel("A"))
                else:
                    flat = image.convert("RGB")
                flat.thumbnail(OUT_BOX, Image.Resampling.LANCZOS)
                out = io.BytesIO()
                # No exif=, icc_profile= or comment: the JPEG carries pixels only.
                flat.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
                return out.getvalue(), flat.width, flat.height
    except Unprocessable:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(ErrorCode.PHOTO_UNREADABLE, "The photo cannot be read.") from None
    except (OSError, SyntaxError, ValueError):  # truncated or malformed image data
        raise _refuse(ErrorCode.PHOTO_UNREADABLE, "The photo cannot be read.") from None


def _read(row: MemberPhoto) -> MemberPhotoRead:
    return MemberPhotoRead(
        member_id=row.member_id,
        has_photo=True,
        sha256=row.sha256,
        width=row.width,
        height=row.height,
        size=row.size,
        uploaded_at=row.uploaded_at,
        url=photo_url(row.member_id, row.sha256),
    )


def photo_url(member_id: uuid.UUID, sha256: str) -> str:
    """Where officers' screens load the photo; the hash in the query makes a new photo a new
    URL (no stale cached image)."""
    return f"/api/v1/members/{member_id}/photo.jpg?v={sha256[:12]}"


async def info(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> MemberPhotoRead:
    """Whether the member has a photo, and its hash, size and URL (404 outside the scope)."""
    member = await repo.get_scoped(session, principal, member_id)
    row = await session.get(MemberPhoto, member.id)
    return _read(row) if row else MemberPhotoRead(member_id=member.id, has_photo=False)


async def content(session: AsyncSession, principal: Principal, member_id: uuid.UUID) -> MemberPhoto:
    """The stored JPEG of a member the caller sees."""
    member = await repo.get_scoped(session, principal, member_id)
    return await _content(session, select(MemberPhoto).where(MemberPhoto.member_id == member.id))


async def own_content(session: AsyncSession, principal: Principal) -> MemberPhoto:
    """The stored JPEG of the member signed in to their own account."""
    return await _content(
        session, select(MemberPhoto).where(own_member(principal, MemberPhoto.member_id))
    )


async def _content(session: AsyncSession, stmt: Select[MemberPhoto]) -> MemberPhoto:
    row = (await session.execute(stmt.options(undefer(MemberPhoto.content)))).scalar_one_or_none()
    if row is None:
        raise NotFound("This member has no photo.", code=ErrorCode.PHOTO_NOT_FOUND)
    return row


async def upload(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID, data: bytes
) -> MemberPhotoRead:
    """Set (or replace) the member's photo (members:write at their union); audited with the
    hashes of the old and new photo."""
    member = await repo.get_scoped(session, principal, member_id, for_update=True)
    await require_write(session, principal, member)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoTooLarge(
            f"The photo is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
            params={"max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    jpeg, width, height = await run_in_threadpool(normalise, data)
    digest = hashlib.sha256(jpeg).hexdigest()
    now = datetime.now(UTC)
    row = await session.get(MemberPhoto, member.id, with_for_update=True)
    before = {"sha256": row.sha256} if row else None
    if row is None:
        row = MemberPhoto(member_id=member.id)
        session.add(row)
    row.content = jpeg
    row.sha256 = digest
    row.width = width
    row.height = height
    row.size = len(jpeg)
    row.uploaded_by = None if principal.system else principal.user_id
    row.uploaded_at = now
    await audit.record(
        session,
        principal,
        "member.photo_set",
        "member",
        member.id,
        union_id=member.union_id,
        before=before,
        after={"sha256": digest, "width": width, "height": height, "size": len(jpeg)},
    )
    await session.flush()
    return _read(row)


async def remove(session: AsyncSession, principal: Principal, member_id: uuid.UUID) -> None:
    """Remove the member's photo (members:write at their union); the card shows none."""
    member = await repo.get_scoped(session, principal, member_id, for_update=True)
    await require_write(session, principal, member)
    sha = await session.scalar(
        delete(MemberPhoto).where(MemberPhoto.member_id == member.id).returning(MemberPhoto.sha256)
    )
    if sha is None:
        raise NotFound("This member has no photo.", code=ErrorCode.PHOTO_NOT_FOUND)
    await audit.record(
        session,
        principal,
        "member.photo_delete",
        "member",
        member.id,
        union_id=member.union_id,
        before={"sha256": sha},
    )
    await session.flush()
