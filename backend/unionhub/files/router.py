"""/api/v1/file-jobs: the state of a file a worker builds, and its download when ready."""

import uuid

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from unionhub.auth.dependencies import CurrentPrincipal, SessionDep
from unionhub.core.attachments import attachment
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
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}},
        **problem_responses(401, 404, 409),
    },
    summary="Download a ready file",
)
async def download_file_job(
    job_id: uuid.UUID, principal: Caller, session: SessionDep
) -> StreamingResponse:
    download = await service.download(session, principal, job_id)
    return StreamingResponse(
        download.chunks(),
        media_type=download.media_type,
        headers={
            "Content-Disposition": attachment(download.file_name),
            "Content-Length": str(download.size),
        },
    )
