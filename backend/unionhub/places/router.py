from typing import Annotated

from fastapi import APIRouter, Query

from unionhub.auth.dependencies import CurrentPrincipal, SessionDep
from unionhub.core.errors import problem_responses
from unionhub.core.schemas import SearchText
from unionhub.places import countries, service
from unionhub.places.schemas import CommuneRead, CountryRead, IndustryRead, ProvinceRead

router = APIRouter(prefix="/api/v1/places", tags=["places"])


@router.get(
    "/provinces",
    operation_id="places-provinces",
    response_model=list[ProvinceRead],
    responses=problem_responses(401),
    summary="Provinces of the official administrative list (after the 2025 reform)",
)
async def list_provinces(principal: CurrentPrincipal, session: SessionDep) -> list[ProvinceRead]:
    return await service.provinces(session)


@router.get(
    "/communes",
    operation_id="places-communes",
    response_model=list[CommuneRead],
    responses=problem_responses(401, 422),
    summary="Communes and wards: of a province, matching a name, or by their codes",
)
async def list_communes(
    principal: CurrentPrincipal,
    session: SessionDep,
    province_code: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
    q: Annotated[
        SearchText | None, Query(description="Part of the name, accents optional: 'my tho'")
    ] = None,
    code: Annotated[
        list[Annotated[str, Query(pattern=r"^\d{5}$")]] | None,
        Query(max_length=200, description="Name these stored codes (older ones included)"),
    ] = None,
) -> list[CommuneRead]:
    return await service.communes(session, province_code=province_code, q=q, codes=code)


@router.get(
    "/countries",
    operation_id="places-countries",
    response_model=list[CountryRead],
    responses=problem_responses(401),
    summary="Countries with their Vietnamese names (nationality), Việt Nam first",
)
async def list_countries(principal: CurrentPrincipal) -> list[CountryRead]:
    return countries.countries()


@router.get(
    "/industries",
    operation_id="places-industries",
    response_model=list[IndustryRead],
    responses=problem_responses(401),
    summary="VSIC 2018 sections and divisions (levels 1-2), to name enterprises' codes",
)
async def list_industries(principal: CurrentPrincipal, session: SessionDep) -> list[IndustryRead]:
    return await service.industries(session)
