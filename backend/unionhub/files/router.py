"""/api/v1/file-jobs: the state of a file a worker builds, and its download when ready."""

import uuid

from fastapi import APIRouter, Response

from unionhub.auth.dependencies import CurrentPrincipal, SessionDep
from unionhub.core.errors import problem_responses
from unionhub.files import service
from unionhub.files.schemas import FileJobRead

router = APIRouter(prefix="/api/v1/file-jobs", tags=["files"])

Caller = CurrentPrincipal


@router.get(
    "/{job_id:uuid}",
    operation_id="file-jobs-get",
    response_model=FileJobRead,
    responses=problem_responses(401, 404),
    summary="A file being prepared: its state (poll until ready or failed)",
)
async def get_file_job(job_id: uuid.UUID, principal: Caller, session: SessionDep) -> FileJobRead:
    return FileJobRead.model_validate(await service.get(session, principal, job_id))


@router.get(
    "/{job_id:uuid}/download",
    operation_id="file-jobs-download",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {}}},
        **problem_responses(401, 404, 409),
    },
    summary="Download a ready file",
)
async def download_file_job(job_id: uuid.UUID, principal: Caller, session: SessionDep) -> Response:
    job = await service.download(session, principal, job_id)
    assert job.content is not None
    return Response(
        job.content,
        media_type=job.media_type,
        # The names are ours and plain ASCII (doan-vien-2026-12-05.xlsx).
        headers={"Content-Disposition": f'attachment; filename="{job.file_name}"'},
    )
