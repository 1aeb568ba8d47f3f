"""Loading the official lists - the administrative list from the `vietnam-provinces` package,
VSIC 2018 sections and divisions from data/vsic2018.csv - and reading them."""

import csv
import io
from importlib.resources import files

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from vietnam_provinces import Province as PkgProvince
from vietnam_provinces import Ward as PkgWard
from vietnam_provinces import __data_version__

from unionhub.core.text import contains, fold
from unionhub.places.models import Commune, Industry, Province
from unionhub.places.schemas import CommuneRead, IndustryRead, PlacesLoaded, ProvinceRead

MAX_COMMUNES = 500


def _code(value: int, width: int) -> str:
    return f"{int(value):0{width}d}"


async def load(session: AsyncSession) -> PlacesLoaded:
    """Upsert every province and commune of the installed package's list. Codes the list no
    longer has are kept (members, unions and enterprises may store them), marked not current."""
    provinces = [
        {"code": _code(p.code, 2), "name": p.name, "kind": p.division_type.value, "current": True}
        for p in PkgProvince.iter_all()
    ]
    communes = [
        {
            "code": _code(w.code, 5),
            "name": w.name,
            "kind": w.division_type.value,
            "province_code": _code(w.province_code, 2),
            "search_text": fold(w.name),
            "current": True,
        }
        for w in PkgWard.iter_all()
    ]
    await session.execute(update(Province).values(current=False))
    await session.execute(update(Commune).values(current=False))
    stmt = insert(Province).values(provinces)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Province.code],
            set_={"name": stmt.excluded.name, "kind": stmt.excluded.kind, "current": True},
        )
    )
    for start in range(0, len(communes), 1000):
        stmt = insert(Commune).values(communes[start : start + 1000])
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Commune.code],
                set_={
                    "name": stmt.excluded.name,
                    "kind": stmt.excluded.kind,
                    "province_code": stmt.excluded.province_code,
                    "search_text": stmt.excluded.search_text,
                    "current": True,
                },
            )
        )
    retired = await session.scalar(
        select(func.count()).select_from(Commune).where(Commune.current.is_(False))
    )
    industries = await load_industries(session)
    return PlacesLoaded(
        provinces=len(provinces),
        communes=len(communes),
        retired=int(retired or 0),
        industries=industries,
        data_version=__data_version__,
    )


def _vsic_rows() -> list[dict[str, object]]:
    text = files("unionhub.places").joinpath("data/vsic2018.csv").read_text(encoding="utf-8")
    return [
        {"code": r["code"], "level": int(r["level"]), "section": r["section"], "name": r["name"]}
        for r in csv.DictReader(io.StringIO(text))
    ]


async def load_industries(session: AsyncSession) -> int:
    """Upsert the VSIC 2018 sections and divisions of data/vsic2018.csv (the decision's
    appendix, levels 1 and 2); returns how many there are."""
    rows = _vsic_rows()
    stmt = insert(Industry).values(rows)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Industry.code],
            set_={
                "level": stmt.excluded.level,
                "section": stmt.excluded.section,
                "name": stmt.excluded.name,
            },
        )
    )
    return len(rows)


async def industries(session: AsyncSession) -> list[IndustryRead]:
    """Sections and divisions, in the classification's order (A, 01, 02, 03, B, 05, ...)."""
    rows = await session.scalars(
        select(Industry).order_by(Industry.section, Industry.level, Industry.code)
    )
    return [IndustryRead(code=i.code, level=i.level, section=i.section, name=i.name) for i in rows]


async def provinces(session: AsyncSession) -> list[ProvinceRead]:
    rows = await session.scalars(
        select(Province).where(Province.current.is_(True)).order_by(Province.name)
    )
    return [ProvinceRead(code=p.code, name=p.name, kind=p.kind) for p in rows]


async def communes(
    session: AsyncSession,
    *,
    province_code: str | None = None,
    q: str | None = None,
    codes: list[str] | None = None,
) -> list[CommuneRead]:
    """Current communes of a province (or matching `q`), or the named `codes` (old ones too)."""
    stmt = select(Commune, Province.name).join(Province, Province.code == Commune.province_code)
    # Stored codes are named even when no longer current; pickers offer the current ones.
    stmt = stmt.where(Commune.code.in_(codes) if codes else Commune.current.is_(True))
    if province_code:
        stmt = stmt.where(Commune.province_code == province_code)
    if q and fold(q):
        stmt = stmt.where(Commune.search_text.like(contains(fold(q))))
    rows = await session.execute(stmt.order_by(Commune.search_text).limit(MAX_COMMUNES))
    return [
        CommuneRead(
            code=c.code,
            name=c.name,
            kind=c.kind,
            province_code=c.province_code,
            province_name=province,
            current=c.current,
        )
        for c, province in rows
    ]
