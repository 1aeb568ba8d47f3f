"""/api/v1/evaluations/{id}/evidence: the evidence files of a self-assessment (list, upload,
download, delete). Rules in evaluations.evidence."""

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.evaluations import evidence
from unionhub.evaluations.schemas import EvidenceRead

router = APIRouter(prefix="/api/v1/evaluations", tags=["evaluations"])

Reader = Annotated[Principal, Depends(require(Permission.EVALUATIONS_READ))]
SelfAssessor = Annotated[Principal, Depends(require(Permission.EVALUATIONS_SELF_ASSESS))]
INDICATOR = r"^[A-Za-z0-9._-]+$"


def _disposition(file_name: str) -> str:
    """attachment, with the Vietnamese name (RFC 6266 filename*) and a plain ASCII fallback;
    never inline, so a file is never rendered on the application's origin."""
    fallback = file_name.encode("ascii", "ignore").decode().replace('"', "") or "minh-chung"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


@router.get(
    "/{evaluation_id}/evidence",
    operation_id="evaluations-evidence-list",
    response_model=list[EvidenceRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="The evidence files of the self-assessment, by indicator",
)
async def list_evidence(
    evaluation_id: uuid.UUID, principal: Reader, session: SessionDep
) -> list[EvidenceRead]:
    files = await evidence.list_evidence(session, principal, evaluation_id)
    return [EvidenceRead.model_validate(f) for f in files]


@router.post(
    "/{evaluation_id}/evidence",
    operation_id="evaluations-evidence-upload",
    response_model=EvidenceRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 413, 422),
    summary="Attach an evidence file to an indicator (the unit, while draft or returned)",
)
async def upload_evidence(
    evaluation_id: uuid.UUID,
    principal: SelfAssessor,
    session: SessionDep,
    response: Response,
    indicator: Annotated[
        str,
        Form(min_length=1, max_length=32, pattern=INDICATOR, description="The indicator's code"),
    ],
    file: Annotated[
        UploadFile,
        File(description="pdf, jpg, png or docx, at most 10 MB; at most 5 per indicator"),
    ],
) -> EvidenceRead:
    # One byte past the limit is enough to refuse it.
    content = await file.read(evidence.MAX_BYTES + 1)
    added = await evidence.add(
        session, principal, evaluation_id, indicator, file.filename or "", content
    )
    response.headers["Location"] = f"{router.prefix}/{evaluation_id}/evidence/{added.id}"
    return EvidenceRead.model_validate(added)


@router.get(
    "/{evaluation_id}/evidence/{evidence_id}",
    operation_id="evaluations-evidence-download",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {}}},
        **problem_responses(401, 403, 404, 422),
    },
    summary="Download an evidence file",
)
async def download_evidence(
    evaluation_id: uuid.UUID, evidence_id: uuid.UUID, principal: Reader, session: SessionDep
) -> Response:
    found = await evidence.download(session, principal, evaluation_id, evidence_id)
    return Response(
        found.content,
        media_type=found.media_type,
        headers={"Content-Disposition": _disposition(found.file_name)},
    )


@router.delete(
    "/{evaluation_id}/evidence/{evidence_id}",
    operation_id="evaluations-evidence-delete",
    status_code=204,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Remove an evidence file (the unit, while draft or returned)",
)
async def delete_evidence(
    evaluation_id: uuid.UUID, evidence_id: uuid.UUID, principal: SelfAssessor, session: SessionDep
) -> Response:
    await evidence.delete(session, principal, evaluation_id, evidence_id)
    return Response(status_code=204)
