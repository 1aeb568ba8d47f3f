from pydantic import Field

from unionhub.core.schemas import OutputModel


class ProvinceRead(OutputModel):
    code: str = Field(description="2-digit code of the official list")
    name: str
    kind: str


class CommuneRead(OutputModel):
    code: str = Field(description="5-digit code, as stored in commune_code fields")
    name: str = Field(description="'Phường Mỹ Tho', 'Xã Cái Bè'")
    kind: str
    province_code: str
    province_name: str
    current: bool = Field(description="False: no longer on the official list (an older code)")


class CountryRead(OutputModel):
    code: str = Field(description="ISO 3166-1 alpha-2, as stored in `nationality`")
    name: str = Field(description="Vietnamese name (Unicode CLDR): 'Hàn Quốc'")
    english: str = Field(description="English name, for searching: 'South Korea'")


class IndustryRead(OutputModel):
    code: str = Field(description="A section letter ('C') or a 2-digit division ('14')")
    level: int = Field(description="1: section, 2: division")
    section: str
    name: str = Field(description="As in VSIC 2018 (Decision 27/2018/QĐ-TTg)")


class PlacesLoaded(OutputModel):
    provinces: int
    communes: int
    industries: int = Field(description="VSIC 2018 sections and divisions")
    retired: int = Field(description="Codes no longer on the list, kept for the rows storing them")
    data_version: str
