import uuid
from datetime import datetime

from pydantic import Field

from unionhub.core.schemas import OutputModel


class ChangeRead(OutputModel):
    id: str = Field(description="The event's id (stable; a webhook delivery carries it too)")
    type: str = Field(description="What happened, e.g. member.admit, union.update")
    entity_type: str = Field(description="union, member, enterprise, evaluation, ...")
    entity_id: uuid.UUID | None
    union_id: uuid.UUID | None = Field(description="The union the record belongs to")
    changed: list[str] = Field(description="Names of the fields that changed (no values)")
    at: datetime
    cursor: str = Field(description="Resume after this event with ?cursor=")


class ChangePage(OutputModel):
    items: list[ChangeRead]
    next_cursor: str = Field(description="Send as ?cursor= to continue (also when items is empty)")
    has_more: bool = Field(description="More events are ready now; else poll again later")
