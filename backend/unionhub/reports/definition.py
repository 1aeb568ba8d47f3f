"""A report template's definition: what a form holds, as data.

    {"title": "...", "sections": [
      {"kind": "table", "key": "org", "title": "...",
       "columns": [{"key": "total", "label": "Tổng số"},
                   {"key": "female", "label": "Nữ", "breakdown": "gender", "group": "female"}],
       "rows": [{"key": "members", "label": "Tổng số đoàn viên", "indicator": "members_total"}]},
      {"kind": "list", "key": "admitted", "title": "...", "indicator": "new_members"},
      {"kind": "text", "key": "assessment", "title": "..."}]}

A table's cell is its row's indicator, narrowed to its column's group of a breakdown (or the
whole figure when the column has none). The shape is checked by pydantic; `check` adds the
rules that need the indicator catalogue (a key that does not exist, a breakdown the indicator
does not have, the same key twice) and answers each with the field it is about.
"""

from typing import Annotated, Literal

from pydantic import Field

from unionhub.core.error_codes import ErrorCode as E
from unionhub.core.errors import FieldIssue, Unprocessable
from unionhub.core.schemas import InputModel, Text
from unionhub.indicators.catalogue import BY_KEY, Breakdown

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Label = Annotated[str, Text(255)]
GROUPS: dict[str, tuple[str, ...]] = {
    Breakdown.GENDER.value: ("male", "female"),
    Breakdown.SECTOR.value: ("state", "non_state"),
}


class Column(InputModel):
    key: Key
    label: Label
    breakdown: Literal["gender", "sector"] | None = None
    group: Literal["male", "female", "state", "non_state"] | None = None


class Row(InputModel):
    key: Key
    label: Label
    indicator: Annotated[str, Field(max_length=40)]
    # A level (as_of indicator) at the end of the period (default) or at its start.
    at: Literal["start", "end"] = "end"


class TableSection(InputModel):
    kind: Literal["table"]
    key: Key
    title: Label
    columns: list[Column] = Field(min_length=1, max_length=20)
    rows: list[Row] = Field(min_length=1, max_length=100)


class ListSection(InputModel):
    kind: Literal["list"]
    key: Key
    title: Label
    indicator: Annotated[str, Field(max_length=40)]


class TextSection(InputModel):
    kind: Literal["text"]
    key: Key
    title: Label


Section = Annotated[TableSection | ListSection | TextSection, Field(discriminator="kind")]


class Definition(InputModel):
    title: Label
    sections: list[Section] = Field(min_length=1, max_length=30)


def issues(definition: Definition, prefix: str = "definition") -> list[FieldIssue]:
    """What the catalogue says is wrong with a definition whose shape is right."""
    found: list[FieldIssue] = []

    def indicator(field: str, key: str) -> None:
        if key not in BY_KEY:
            found.append(
                FieldIssue(
                    field, E.INDICATOR_NOT_FOUND, "No indicator with this key.", {"value": key}
                )
            )

    seen: set[str] = set()
    for i, section in enumerate(definition.sections):
        at = f"{prefix}.sections[{i}]"
        if section.key in seen:
            found.append(
                FieldIssue(
                    f"{at}.key",
                    E.DUPLICATE_KEY,
                    "Two sections have this key.",
                    {"value": section.key},
                )
            )
        seen.add(section.key)
        if isinstance(section, ListSection):
            indicator(f"{at}.indicator", section.indicator)
        if not isinstance(section, TableSection):
            continue
        columns: set[str] = set()
        for j, col in enumerate(section.columns):
            if col.key in columns:
                found.append(
                    FieldIssue(
                        f"{at}.columns[{j}].key",
                        E.DUPLICATE_KEY,
                        "Two columns have this key.",
                        {"value": col.key},
                    )
                )
            columns.add(col.key)
            if (col.breakdown is None) != (col.group is None) or (
                col.breakdown is not None and col.group not in GROUPS[col.breakdown]
            ):
                found.append(
                    FieldIssue(
                        f"{at}.columns[{j}].group",
                        E.INVALID_CHOICE,
                        "A column's group must belong to its breakdown.",
                        {
                            "value": col.group or "",
                            "expected": ", ".join(GROUPS.get(col.breakdown or "", ())),
                        },
                    )
                )
        rows: set[str] = set()
        for j, row in enumerate(section.rows):
            if row.key in rows:
                found.append(
                    FieldIssue(
                        f"{at}.rows[{j}].key",
                        E.DUPLICATE_KEY,
                        "Two rows have this key.",
                        {"value": row.key},
                    )
                )
            rows.add(row.key)
            indicator(f"{at}.rows[{j}].indicator", row.indicator)
    return found


def check(definition: Definition) -> None:
    """422 naming every problem of the definition (none: it is a valid template)."""
    found = issues(definition)
    if found:
        raise Unprocessable.of(found)


def applies(column: Column, indicator_key: str) -> bool:
    """Whether a row's indicator can fill the column (it has the column's breakdown)."""
    if column.breakdown is None:
        return True
    return Breakdown(column.breakdown) in BY_KEY[indicator_key].breakdowns
