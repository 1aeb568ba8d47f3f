"""Exports in the layout of the screen (issue 14): the columns the list shows, in its order,
under a title block that says what the file is - union, filters in words, date, who.

The web app sends its visible columns (`columns=full_name&columns=status...`); each must be on
the allow-list here, so nobody can ask for a column the list does not offer. Personal data is
masked unless the caller asks for an unmasked file, holds members:pii (row by row, at the
member's union) and states the purpose, which the export's audit entry records. Without
`columns` an export keeps the import layout (imports.export), masked the same way.
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope, union_filter
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Forbidden, Unprocessable
from unionhub.core.text import clean_text
from unionhub.enterprises.models import Enterprise
from unionhub.enterprises.repository import EnterpriseFilters
from unionhub.enterprises.validation import format_tax_code
from unionhub.imports.vocab import GENDER, NO, OPERATING, OWNERSHIP, YES
from unionhub.imports.xlsx_reader import Cell
from unionhub.imports.xlsx_writer import ColumnFormat
from unionhub.members import id_search
from unionhub.members.masking import mask_passport, mask_personal_id, mask_phone
from unionhub.members.models import IN_MEMBERSHIP, Member
from unionhub.members.repository import MemberFilters, holds_post_on
from unionhub.places.models import Commune, Province
from unionhub.unions.models import Union, UnionStatus

P = Permission
Row = Any

MEMBER_STATUS = {
    "active": "Đang sinh hoạt",
    "suspended": "Tạm dừng sinh hoạt",
    "left": "Đã ra khỏi tổ chức",
    "struck_off": "Đã xóa tên",
    "expelled": "Bị khai trừ",
    "deceased": "Đã từ trần",
}
SECTOR = {"state": "Khu vực nhà nước", "non_state": "Khu vực ngoài nhà nước"}


@dataclass(frozen=True)
class ViewColumn:
    key: str
    header: str
    width: int = 18
    kind: str = "text"  # text | date | int | general


def _by_key(*columns: ViewColumn) -> dict[str, ViewColumn]:
    return {c.key: c for c in columns}


# The member list's columns (frontend MembersPage ALL_COLUMNS), with the screen's titles.
MEMBER_VIEW = _by_key(
    ViewColumn("full_name", "Họ và tên", 28),
    ViewColumn("card_number", "Số thẻ đoàn viên", 16),
    ViewColumn("date_of_birth", "Ngày sinh", 12, "date"),
    ViewColumn("gender", "Giới tính", 10),
    ViewColumn("personal_id", "Số định danh cá nhân", 16),
    ViewColumn("phone", "Số điện thoại", 14),
    ViewColumn("union_name", "Đơn vị sinh hoạt", 36),
    ViewColumn("enterprise_name", "Nơi làm việc (doanh nghiệp)", 32),
    ViewColumn("commune_code", "Xã, phường nơi ở", 32),
    ViewColumn("occupation", "Nghề nghiệp", 18),
    ViewColumn("admission_date", "Ngày vào công đoàn", 14, "date"),
    ViewColumn("status", "Trạng thái", 18),
    ViewColumn("is_cadre", "Cán bộ công đoàn", 12),
)

# The enterprise list's columns (frontend EnterprisesPage; figures shown under another in one
# cell there are columns of their own here).
ENTERPRISE_VIEW = _by_key(
    ViewColumn("name", "Tên doanh nghiệp", 36),
    ViewColumn("tax_code", "Mã số thuế", 16),
    ViewColumn("ownership", "Loại hình", 16),
    ViewColumn("responsible_union", "Công đoàn phụ trách", 32),
    ViewColumn("total_workers", "Số lao động", 10, "int"),
    ViewColumn("female_workers", "Số lao động nữ", 10, "int"),
    ViewColumn("surveyed_on", "Ngày khảo sát", 12, "date"),
    ViewColumn("union", "Công đoàn cơ sở", 32),
    ViewColumn("member_count", "Đoàn viên", 10, "int"),
    ViewColumn("union_density", "Tỷ lệ đoàn viên", 10),
    ViewColumn("operating_status", "Tình trạng hoạt động", 16),
)


@dataclass(frozen=True)
class ExportRequest:
    """What the caller asked the file to hold. `columns` None: the import layout."""

    columns: tuple[str, ...] | None = None
    unmasked: bool = False
    purpose: str | None = None
    # The list's sort key (members.repository.SortKey): the rows come in the screen's order.
    sort: str | None = None

    def params(self) -> dict[str, Any]:
        return {
            "columns": list(self.columns) if self.columns is not None else None,
            "unmasked": self.unmasked,
            "purpose": self.purpose,
            "sort": self.sort,
        }

    @classmethod
    def of(cls, params: dict[str, Any]) -> "ExportRequest":
        columns = params.get("columns")
        return cls(
            tuple(columns) if columns is not None else None,
            bool(params.get("unmasked")),
            params.get("purpose"),
            params.get("sort"),
        )


def checked_request(
    principal: Principal,
    allowed: dict[str, ViewColumn],
    columns: Sequence[str] | None,
    *,
    unmasked: bool = False,
    purpose: str | None = None,
    sort: str | None = None,
) -> ExportRequest:
    """The request validated: known columns, each once; an unmasked file only for a holder of
    members:pii who gave a purpose (422 `export_purpose_required` without one)."""
    if columns is not None:
        seen: set[str] = set()
        for key in columns:
            if key not in allowed:
                raise Unprocessable(
                    "columns",
                    ErrorCode.EXPORT_COLUMN_UNKNOWN,
                    f"The list has no column {key!r} to export.",
                    in_="query",
                    params={"column": key},
                )
            if key in seen:
                raise Unprocessable(
                    "columns",
                    ErrorCode.DUPLICATE_COLUMN,
                    f"The column {key!r} is asked for twice.",
                    in_="query",
                    params={"column": key},
                )
            seen.add(key)
    text = clean_text(purpose) if purpose else None
    if unmasked:
        if not principal.has(P.MEMBERS_PII):
            raise Forbidden(
                "Your role does not include the permission members:pii.",
                code=ErrorCode.PERMISSION_DENIED,
            )
        if not text:
            raise Unprocessable(
                "purpose",
                ErrorCode.EXPORT_PURPOSE_REQUIRED,
                "An unmasked export needs its purpose (recorded in the audit log).",
                in_="query",
            )
    return ExportRequest(
        tuple(columns) if columns is not None else None,
        unmasked,
        text if unmasked else None,
        sort,
    )


def formats_of(allowed: dict[str, ViewColumn], keys: Sequence[str]) -> list[ColumnFormat]:
    return [ColumnFormat(width=allowed[k].width, kind=allowed[k].kind) for k in keys]


def headers_of(allowed: dict[str, ViewColumn], keys: Sequence[str]) -> list[str]:
    return [allowed[k].header for k in keys]


# --- members -----------------------------------------------------------------------------


def members_view_stmt(base: Any, principal: Principal, filters: MemberFilters) -> Any:
    """The list's rows (`base`: its filtered query) with every column the screen can show."""
    unit = aliased(Union)
    employer = aliased(Enterprise)
    m = Member
    day = filters.as_of or filters.today
    # The residence by its name on the official list ("Phường Mỹ Tho, Đồng Tháp").
    commune_name = (
        select(Commune.name + ", " + Province.name)
        .join(Province, Province.code == Commune.province_code)
        .where(Commune.code == m.commune_code)
        .correlate(m)
        .scalar_subquery()
    )
    return (
        base.with_only_columns(
            m.id,
            m.full_name,
            m.card_number,
            m.date_of_birth,
            m.gender,
            m.personal_id,
            m.passport_no,
            m.phone,
            unit.name.label("union_name"),
            employer.name.label("enterprise_name"),
            m.commune_code,
            commune_name.label("commune_name"),
            m.occupation,
            m.admission_date,
            m.status,
            holds_post_on(m.id, day).label("is_cadre"),
            in_scope(principal, m.union_id, P.MEMBERS_PII).label("pii"),
            maintain_column_froms=False,
        )
        .select_from(m)
        .join(unit, unit.id == m.union_id)
        .outerjoin(employer, employer.id == m.enterprise_id)
    )


def member_cells(keys: Sequence[str], unmasked: bool) -> Callable[[Row], list[Cell]]:
    """Row -> cells of `keys`, personal data masked unless `unmasked` and the row's `pii`."""

    def value(key: str, r: Row, reveal: bool) -> Any:  # a Cell; rows are untyped
        if key == "personal_id":
            if r.personal_id is not None:
                return r.personal_id if reveal else mask_personal_id(r.personal_id)
            return r.passport_no if reveal else mask_passport(r.passport_no)
        if key == "phone":
            return r.phone if reveal else mask_phone(r.phone)
        if key == "gender":
            return GENDER.get(r.gender, r.gender)
        if key == "status":
            return MEMBER_STATUS.get(r.status, r.status)
        if key == "is_cadre":
            return YES if r.is_cadre else NO
        if key == "commune_code":
            return r.commune_name or r.commune_code
        return getattr(r, key)

    def cells(r: Row) -> list[Cell]:
        reveal = unmasked and bool(r.pii)
        return [value(k, r, reveal) for k in keys]

    return cells


async def member_title(
    session: AsyncSession,
    principal: Principal,
    filters: MemberFilters,
    request: ExportRequest,
    rows: int,
) -> list[str]:
    """The title block above the header row."""
    words: list[str] = []
    if filters.q:
        words.append(f"tìm “{id_search.for_audit(filters.q)}”")
    if filters.union_id is not None:
        name = await _union_name(session, principal, filters.union_id, P.MEMBERS_READ)
        subtree = "gồm cả đơn vị trực thuộc" if filters.include_subtree else "chỉ đơn vị này"
        words.append(f"công đoàn: {name} ({subtree})")
    if filters.status:
        words.append("trạng thái: " + ", ".join(MEMBER_STATUS.get(s, s) for s in filters.status))
    if filters.gender:
        words.append(f"giới tính: {GENDER.get(filters.gender, filters.gender)}")
    if filters.age_min is not None or filters.age_max is not None:
        words.append("tuổi: " + _range(filters.age_min, filters.age_max))
    if filters.admitted_from or filters.admitted_to:
        words.append(
            "ngày vào công đoàn: " + _range(_day(filters.admitted_from), _day(filters.admitted_to))
        )
    if filters.enterprise_id is not None:
        employer = await _employer_name(session, principal, filters.enterprise_id)
        words.append(f"nơi làm việc: {employer}")
    if filters.sector:
        words.append(SECTOR.get(filters.sector, filters.sector).lower())
    if filters.is_cadre is not None:
        words.append("chỉ cán bộ công đoàn" if filters.is_cadre else "không là cán bộ công đoàn")
    if filters.as_of:
        words.append(f"tại ngày {_day(filters.as_of)}")
    union = (
        await _union_name(session, principal, filters.union_id, P.MEMBERS_READ)
        if filters.union_id is not None
        else _home_unions(principal, P.MEMBERS_READ)
    )
    pii = (
        f"Thông tin cá nhân: đầy đủ, không che. Mục đích: {request.purpose}"
        if request.unmasked
        else "Thông tin cá nhân: đã che một phần (số định danh, điện thoại)"
    )
    return [
        union,
        "DANH SÁCH ĐOÀN VIÊN",
        "Điều kiện lọc: " + ("; ".join(words) if words else "không (mọi đoàn viên được xem)"),
        _stamp(principal, rows, "đoàn viên"),
        pii,
    ]


# --- enterprises -------------------------------------------------------------------------


def enterprises_view_stmt(base: Any) -> Any:
    responsible = aliased(Union)
    own = aliased(Union)
    e = Enterprise
    union_name = (
        select(own.name)
        .where(own.enterprise_id == e.id, own.status == UnionStatus.ACTIVE.value)
        .order_by(own.founded_on.desc().nulls_last(), own.id)
        .limit(1)
        .correlate(e)
        .scalar_subquery()
    )
    members = (
        select(func.count())
        .select_from(Member)
        .where(Member.enterprise_id == e.id, Member.status.in_(IN_MEMBERSHIP))
        .correlate(e)
        .scalar_subquery()
    )
    return (
        base.with_only_columns(
            e.id,
            e.name,
            e.tax_code,
            e.ownership,
            responsible.name.label("responsible_union"),
            e.total_workers,
            e.female_workers,
            e.surveyed_on,
            union_name.label("union"),
            members.label("member_count"),
            e.operating_status,
            maintain_column_froms=False,
        )
        .select_from(e)
        .join(responsible, responsible.id == e.responsible_union_id)
    )


def enterprise_cells(keys: Sequence[str]) -> Callable[[Row], list[Cell]]:
    def value(key: str, r: Row) -> Any:  # a Cell; rows are untyped
        if key == "tax_code":
            return format_tax_code(r.tax_code)
        if key == "ownership":
            return OWNERSHIP.get(r.ownership, r.ownership)
        if key == "operating_status":
            return OPERATING.get(r.operating_status, r.operating_status)
        if key == "union_density":
            if not r.total_workers:
                return None
            return f"{r.member_count / r.total_workers * 100:.1f}%".replace(".", ",")
        return getattr(r, key)

    return lambda r: [value(k, r) for k in keys]


async def enterprise_title(
    session: AsyncSession, principal: Principal, filters: EnterpriseFilters, rows: int
) -> list[str]:
    words: list[str] = []
    if filters.q:
        words.append(f"tìm “{filters.q}”")
    if filters.ownership:
        words.append("loại hình: " + ", ".join(OWNERSHIP.get(o, o) for o in filters.ownership))
    if filters.operating_status:
        words.append(
            "tình trạng: " + ", ".join(OPERATING.get(s, s) for s in filters.operating_status)
        )
    if filters.responsible_union_id is not None:
        name = await _union_name(
            session, principal, filters.responsible_union_id, P.ENTERPRISES_READ
        )
        words.append(f"công đoàn phụ trách: {name} (gồm cả đơn vị trực thuộc)")
    if filters.commune_code:
        words.append(f"xã/phường: {filters.commune_code}")
    if filters.industrial_zone:
        words.append(f"khu công nghiệp: {filters.industrial_zone}")
    if filters.has_union is not None:
        words.append("đã có công đoàn cơ sở" if filters.has_union else "chưa có công đoàn cơ sở")
    if filters.eligible is not None:
        words.append(
            "đủ điều kiện thành lập công đoàn cơ sở"
            if filters.eligible
            else "không thuộc diện đủ điều kiện thành lập công đoàn cơ sở"
        )
    if filters.min_workers is not None:
        words.append(f"từ {_number(filters.min_workers)} lao động")
    union = (
        await _union_name(session, principal, filters.responsible_union_id, P.ENTERPRISES_READ)
        if filters.responsible_union_id is not None
        else _home_unions(principal, P.ENTERPRISES_READ)
    )
    return [
        union,
        "DANH SÁCH DOANH NGHIỆP",
        "Điều kiện lọc: " + ("; ".join(words) if words else "không (mọi doanh nghiệp được xem)"),
        _stamp(principal, rows, "doanh nghiệp"),
    ]


# --- words ---------------------------------------------------------------------------------


def _day(value: date | None) -> str | None:
    return value.strftime("%d/%m/%Y") if value else None


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _range(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"từ {low} đến {high}"
    return f"từ {low}" if low is not None else f"đến {high}"


def _stamp(principal: Principal, rows: int, what: str) -> str:
    who = f"{principal.full_name} ({principal.username})"
    return f"Ngày xuất: {_day(date.today())}; người xuất: {who}; số dòng: {_number(rows)} {what}"


def _home_unions(principal: Principal, permission: Permission) -> str:
    """The unions the caller reads through (highest first), when no union filter narrows it."""
    if principal.system:
        return "Toàn hệ thống"
    paths = set(principal.paths_with(permission))
    held = sorted(
        {
            (a.union_path.count("."), a.union_name)
            for a in principal.assignments
            if a.union_path in paths
        }
    )
    names = [name for _, name in held]
    if len(names) > 3:
        return "; ".join(names[:3]) + f" và {len(names) - 3} đơn vị khác"
    return "; ".join(names)


async def _union_name(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID, permission: Permission
) -> str:
    name = await session.scalar(
        select(Union.name).where(Union.id == union_id, union_filter(principal, permission))
    )
    # A union outside the scope exports nothing (an empty list), and is not named.
    return name or "(đơn vị ngoài phạm vi)"


async def _employer_name(
    session: AsyncSession, principal: Principal, enterprise_id: uuid.UUID
) -> str:
    """The employer's name as the member list shows it: only where a member in scope works."""
    name = await session.scalar(
        select(Enterprise.name).where(
            Enterprise.id == enterprise_id,
            exists().where(
                Member.enterprise_id == Enterprise.id,
                in_scope(principal, Member.union_id, P.MEMBERS_READ),
            ),
        )
    )
    return name or "(doanh nghiệp không có đoàn viên trong phạm vi)"
