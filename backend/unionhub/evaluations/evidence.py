"""Evidence files of a self-assessment (minh chứng): the unit attaches files to the indicators
of its sheet while it may still edit it (draft or returned, round open); after submission they
are read-only. Whoever sees the evaluation (the unit and the unions above it, the appraising
union among them) lists and downloads them; anyone else gets 404.

A file is what its bytes say it is: pdf, jpg, png or docx by signature, and the extension must
agree (a renamed .exe is refused, a .docx must be a Word package without macros). Files are
kept in the database like an import's file, so any replica serves them. Each upload and each
deletion is audited on the evaluation.
"""

import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import AppError, Conflict, NotFound, Unprocessable
from unionhub.evaluations import repository as repo
from unionhub.evaluations.models import EvaluationEvidence, EvaluationStatus
from unionhub.evaluations.service import (
    Loaded,
    check_open,
    check_status,
    load,
    may_self_assess,
)

MAX_BYTES = 10 * 1024 * 1024
# Per indicator: the few documents that prove it, not an archive.
MAX_PER_INDICATOR = 5
ALLOWED = "pdf, jpg, png, docx"


class EvidenceTooLarge(AppError):
    status = 413
    code = ErrorCode.EVIDENCE_TOO_LARGE
    title = "File too large"


@dataclass(frozen=True)
class Kind:
    name: str
    media_type: str
    extensions: tuple[str, ...]


PDF = Kind("pdf", "application/pdf", ("pdf",))
JPEG = Kind("jpg", "image/jpeg", ("jpg", "jpeg"))
PNG = Kind("png", "image/png", ("png",))
DOCX = Kind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
KINDS = (PDF, JPEG, PNG, DOCX)


def _is_docx(content: bytes) -> bool:
    """A Word package: reads the zip's directory only (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return (
        "[Content_Types].xml" in names
        and "word/document.xml" in names
        and "word/vbaProject.bin" not in names
    )


def detect(content: bytes) -> Kind | None:
    """The kind of file the bytes are, among those accepted; None for anything else."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"PK\x03\x04") and _is_docx(content):
        return DOCX
    return None


def clean_name(file_name: str) -> str:
    """The name as the unit gave it (NFC, no folder, no control characters), at most 255."""
    name = unicodedata.normalize("NFC", file_name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip() or "minh-chung"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else name[:255]
    return name


def check_file(content: bytes, file_name: str) -> Kind:
    """The accepted kind of an upload, or the problem with it."""
    if len(content) > MAX_BYTES:
        raise EvidenceTooLarge(
            f"An evidence file may be at most {MAX_BYTES // (1024 * 1024)} MB.",
            params={"max_mb": MAX_BYTES // (1024 * 1024)},
        )
    if not content:
        raise Unprocessable("file", ErrorCode.FILE_EMPTY, "The file is empty.")
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    named = next((k for k in KINDS if ext in k.extensions), None)
    if named is None:
        raise Unprocessable(
            "file",
            ErrorCode.EVIDENCE_TYPE,
            f"Evidence files must be {ALLOWED}.",
            params={"allowed": ALLOWED, "ext": ext},
        )
    found = detect(content)
    if found is not named:
        raise Unprocessable(
            "file",
            ErrorCode.EVIDENCE_TYPE_MISMATCH,
            f"The file is named .{ext} but its content is "
            + (f"a {found.name} file." if found else "not a pdf, jpg, png or docx file."),
            params={"ext": ext, "detected": found.name if found else None},
        )
    return named


@dataclass(frozen=True)
class Checked:
    kind: Kind
    sha256: str


def _checked(content: bytes, file_name: str) -> Checked:
    kind = check_file(content, file_name)
    return Checked(kind, hashlib.sha256(content).hexdigest())


def _facts(evidence: EvaluationEvidence) -> dict[str, object]:
    return {
        "id": evidence.id,
        "indicator": evidence.indicator,
        "file_name": evidence.file_name,
        "size": evidence.size,
        "sha256": evidence.sha256,
    }


def _may_change(principal: Principal, loaded: Loaded) -> None:
    check_open(loaded)
    may_self_assess(principal, loaded)
    check_status(loaded, EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)


async def list_evidence(
    session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID
) -> list[EvaluationEvidence]:
    """The evaluation's evidence files, by indicator then upload time (404 if unseen)."""
    if await repo.get_evaluation(session, principal, evaluation_id) is None:
        raise NotFound("No evaluation with this id.", code=ErrorCode.EVALUATION_NOT_FOUND)
    return await repo.evidence_of(session, evaluation_id)


async def download(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    evidence_id: uuid.UUID,
) -> EvaluationEvidence:
    """One evidence file with its content (404 if the evaluation is unseen or not its own)."""
    if await repo.get_evaluation(session, principal, evaluation_id) is None:
        raise NotFound("No evaluation with this id.", code=ErrorCode.EVALUATION_NOT_FOUND)
    evidence = await repo.get_evidence(session, evaluation_id, evidence_id, with_content=True)
    if evidence is None:
        raise NotFound("No evidence file with this id.", code=ErrorCode.EVIDENCE_NOT_FOUND)
    return evidence


async def add(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    indicator: str,
    file_name: str,
    content: bytes,
) -> EvaluationEvidence:
    """Attach a file to one indicator of the unit's own sheet while it may still edit it."""
    loaded = await load(session, principal, evaluation_id, for_update=True)
    _may_change(principal, loaded)
    variant = loaded.variant
    if variant is None or indicator not in {i.code for i in variant.indicators()}:
        raise Unprocessable(
            "indicator",
            ErrorCode.UNKNOWN_INDICATOR,
            f"The scheme has no indicator {indicator}.",
            params={"indicator": indicator},
        )
    name = clean_name(file_name)
    checked = await run_in_threadpool(_checked, content, name)
    # The evaluation's row is locked: two uploads at once cannot both pass the count.
    if await repo.evidence_count(session, evaluation_id, indicator) >= MAX_PER_INDICATOR:
        raise Conflict(
            f"Indicator {indicator} already has {MAX_PER_INDICATOR} evidence files.",
            code=ErrorCode.EVIDENCE_LIMIT,
            params={"max": MAX_PER_INDICATOR, "indicator": indicator},
        )
    evidence = EvaluationEvidence(
        evaluation_id=evaluation_id,
        indicator=indicator,
        file_name=name,
        media_type=checked.kind.media_type,
        size=len(content),
        sha256=checked.sha256,
        content=content,
        uploaded_by=principal.user_id
        if principal.kind == "person" and not principal.system
        else None,
    )
    session.add(evidence)
    await session.flush()
    await session.refresh(evidence, ["created_at"])
    await audit.record(
        session,
        principal,
        "evaluation.evidence_add",
        "evaluation",
        evaluation_id,
        union_id=loaded.evaluation.union_id,
        after={"evidence": _facts(evidence)},
    )
    await session.flush()
    return evidence


async def delete(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    evidence_id: uuid.UUID,
) -> None:
    """Take a file off the unit's own sheet while it may still edit it."""
    loaded = await load(session, principal, evaluation_id, for_update=True)
    evidence = await repo.get_evidence(session, evaluation_id, evidence_id)
    if evidence is None:
        raise NotFound("No evidence file with this id.", code=ErrorCode.EVIDENCE_NOT_FOUND)
    _may_change(principal, loaded)
    facts = _facts(evidence)
    await session.delete(evidence)
    await session.flush()
    await audit.record(
        session,
        principal,
        "evaluation.evidence_delete",
        "evaluation",
        evaluation_id,
        union_id=loaded.evaluation.union_id,
        before={"evidence": facts},
        after={},
    )
    await session.flush()
