"""/api/v1/members/{id}/photo: the member's card photo (officers set it; see members.photos)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Response, UploadFile

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.members import photos
from unionhub.members.models import MemberPhoto
from unionhub.members.schemas import MemberPhotoRead

router = APIRouter(prefix="/api/v1/members", tags=["member photos"])

Reader = Annotated[Principal, Depends(require(Permission.MEMBERS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.MEMBERS_WRITE))]
PHOTO = "/{member_id:uuid}/photo"


def jpeg(row: MemberPhoto) -> Response:
    """The stored JPEG, cacheable by this browser only, revalidated by its hash."""
    return Response(
        row.content,
        media_type="image/jpeg",
        headers={"ETag": f'"{row.sha256}"', "Cache-Control": "private, max-age=3600"},
    )


@router.get(
    PHOTO,
    operation_id="members-photo",
    response_model=MemberPhotoRead,
    responses=problem_responses(401, 403, 404),
    summary="Whether the member has a card photo, and its hash, size and URL",
)
async def photo_info(
    member_id: uuid.UUID, principal: Reader, session: SessionDep
) -> MemberPhotoRead:
    return await photos.info(session, principal, member_id)


@router.get(
    PHOTO + ".jpg",
    operation_id="members-photo-jpeg",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}, **problem_responses(401, 403, 404)},
    summary="The member's card photo (JPEG, at most 600 x 800, no metadata)",
)
async def photo_jpeg(member_id: uuid.UUID, principal: Reader, session: SessionDep) -> Response:
    return jpeg(await photos.content(session, principal, member_id))


@router.put(
    PHOTO,
    operation_id="members-photo-set",
    response_model=MemberPhotoRead,
    responses=problem_responses(401, 403, 404, 413, 422),
    summary="Set the member's card photo: JPEG or PNG, at most 5 MB, at least 240 px each way "
    "(re-encoded as a JPEG of at most 600 x 800 without metadata)",
)
async def photo_set(
    member_id: uuid.UUID,
    principal: Writer,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="JPEG or PNG, at most 5 MB")],
) -> MemberPhotoRead:
    data = await file.read(photos.MAX_UPLOAD_BYTES + 1)
    return await photos.upload(session, principal, member_id, data)


@router.delete(
    PHOTO,
    operation_id="members-photo-delete",
    status_code=204,
    response_class=Response,
    responses=problem_responses(401, 403, 404),
    summary="Remove the member's card photo",
)
async def photo_delete(member_id: uuid.UUID, principal: Writer, session: SessionDep) -> Response:
    await photos.remove(session, principal, member_id)
    return Response(status_code=204)
