"""Imports of one record's sheet - a round's results, a course's roster - on the queue like the
register imports (`imports.service`): the upload records an import job tied to the record
(`target_id`) and queues its validation, a dry run that reports every problem by row and
column; the commit (`POST /imports/{id}/commit`) queues an all-or-nothing pass that writes
only when every row still passes, the checks run once more against what is stored now.

A kind of sheet brings a `SheetKind`: the permission it needs and how to load its importer for
a record (the record found through the caller's scope, the rules that close it checked; on
the commit, locked), and the audit entry the commit leaves on the record.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import File, UploadFile
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.imports.readers import MAX_FILE_BYTES, FileTooLarge
from unionhub.imports.rows import Importer

Upload = Annotated[UploadFile, File(description=".xlsx or .csv, at most 20 MB")]


async def read_upload(file: UploadFile) -> bytes:
    content = await file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise FileTooLarge(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    return content


@dataclass(frozen=True)
class Loaded:
    """A record's importer, with the union the record belongs to (who may follow the job)."""

    importer: Importer
    union_id: uuid.UUID


# (session, principal, record id, file name, committing) -> the importer; raises the record's
# problem (404 outside the scope, 403 without the right, 409 when it is closed).
Loader = Callable[[AsyncSession, Principal, uuid.UUID, str, bool], Awaitable[Loaded]]


@dataclass(frozen=True)
class SheetKind:
    kind: str
    permission: Permission
    load: Loader
    # The commit's audit entry on the record: (action, entity type).
    action: str
    entity: str
