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


class PlacesLoaded(OutputModel):
    provinces: int
    communes: int
    retired: int = Field(description="Codes no longer on the list, kept for the rows storing them")
    data_version: str
