"""Geography of the demo: Tiền Giang's 11 districts, their communes, and the July 2025 map.

Each district lists the commune/ward units created on 1 July 2025 with the old communes merged
into each one (following the Đồng Tháp reorganisation resolution as far as it is known here;
a few old communes may be attached to the wrong new unit, which is harmless for demo data).

Commune codes: the official post-2025 codes of Đồng Tháp (province 82) from the
vietnam-provinces package; a place of an old commune is stored with the code of the
commune/ward it was merged into, so every stored code has a name on the official list.
"""

from dataclasses import dataclass
from datetime import date

from vietnam_provinces import ProvinceCode, Ward

PROVINCE_OLD = "Tiền Giang"
PROVINCE_NEW = "Đồng Tháp"
PHONE_AREA = "0273"


@dataclass(frozen=True)
class NewCommune:
    """A commune or ward of the post-2025 map and the old communes merged into it."""

    name: str  # "Phường Mỹ Tho", "Xã Hậu Mỹ"
    old: tuple[str, ...]

    @property
    def bare(self) -> str:
        """'Phường Mỹ Tho' -> 'Mỹ Tho'."""
        return self.name.split(" ", 1)[1]


@dataclass(frozen=True)
class District:
    key: str  # code segment: TG-<key>-0001
    kind_word: str  # "thành phố" | "thị xã" | "huyện"
    name: str
    founded_on: date  # of its labour federation
    grassroots: int  # grassroots + occupational unions at scale 1.0
    streets: tuple[str, ...]
    communes: tuple[NewCommune, ...]

    @property
    def full_name(self) -> str:
        return f"{self.kind_word} {self.name}"

    @property
    def short_name(self) -> str:
        prefix = {"thành phố": "TP", "thị xã": "TX", "huyện": "H."}[self.kind_word]
        return f"{prefix} {self.name}"

    @property
    def party_office(self) -> str:
        return {"thành phố": "Thành ủy", "thị xã": "Thị ủy", "huyện": "Huyện ủy"}[self.kind_word]

    @property
    def old_communes(self) -> tuple[str, ...]:
        return tuple(old for c in self.communes for old in c.old)


def _c(name: str, *old: str) -> NewCommune:
    return NewCommune(name, old)


# In the national list's order (district codes 815-825), which fixes the commune codes below.
DISTRICTS: tuple[District, ...] = (
    District(
        "MT",
        "thành phố",
        "Mỹ Tho",
        date(1977, 5, 1),
        170,
        (
            "Ấp Bắc",
            "Hùng Vương",
            "Lê Lợi",
            "Nam Kỳ Khởi Nghĩa",
            "Trưng Trắc",
            "Học Lạc",
            "Lý Thường Kiệt",
            "Trần Hưng Đạo",
            "Lê Văn Phẩm",
            "Thái Sanh Hạnh",
            "Đinh Bộ Lĩnh",
        ),
        (
            _c("Phường Mỹ Tho", "Phường 1", "Phường 2", "Phường Tân Long"),
            _c("Phường Đạo Thạnh", "Phường 4", "Phường 5", "Xã Đạo Thạnh"),
            _c("Phường Mỹ Phong", "Phường 9", "Xã Tân Mỹ Chánh", "Xã Mỹ Phong"),
            _c("Phường Thới Sơn", "Phường 6", "Xã Thới Sơn"),
            _c("Phường Trung An", "Phường 10", "Xã Phước Thạnh", "Xã Trung An"),
        ),
    ),
    District(
        "GC",
        "thị xã",
        "Gò Công",
        date(1987, 6, 1),
        60,
        ("Nguyễn Trọng Dân", "Hai Bà Trưng", "Lý Tự Trọng", "Nguyễn Văn Côn", "Trương Định"),
        (
            _c("Phường Gò Công", "Phường 1", "Phường 5", "Phường Long Hòa"),
            _c("Phường Long Thuận", "Phường 2", "Phường Long Thuận"),
            _c("Phường Bình Xuân", "Phường Long Chánh", "Xã Bình Xuân"),
            _c("Phường Sơn Qui", "Phường Long Hưng", "Xã Tân Trung", "Xã Bình Đông"),
        ),
    ),
    District(
        "CLX",
        "thị xã",
        "Cai Lậy",
        date(2014, 2, 20),
        75,
        ("Quốc lộ 1A", "Thống Chế Sỹ", "Phan Văn Khỏe", "Trần Hưng Đạo", "Mạc Văn Thành"),
        (
            _c("Phường Cai Lậy", "Phường 4", "Phường 5", "Xã Long Khánh"),
            _c("Phường Thanh Hòa", "Phường 2", "Xã Tân Bình", "Xã Thanh Hòa"),
            _c("Phường Nhị Quý", "Phường Nhị Mỹ", "Xã Phú Quý", "Xã Nhị Quý"),
            _c(
                "Phường Mỹ Phước Tây", "Phường 1", "Phường 3", "Xã Mỹ Hạnh Trung", "Xã Mỹ Phước Tây"
            ),
            _c("Xã Tân Phú", "Xã Tân Hội", "Xã Tân Phú", "Xã Mỹ Hạnh Đông"),
        ),
    ),
    District(
        "TPC",
        "huyện",
        "Tân Phước",
        date(1995, 1, 10),
        55,
        ("Quốc lộ 30", "Đường tỉnh 865", "Đường tỉnh 866", "Đường tỉnh 867"),
        (
            _c("Xã Tân Phước 1", "Thị trấn Mỹ Phước", "Xã Thạnh Mỹ", "Xã Tân Hòa Đông"),
            _c("Xã Tân Phước 2", "Xã Thạnh Tân", "Xã Thạnh Hòa", "Xã Tân Hòa Tây"),
            _c("Xã Tân Phước 3", "Xã Phước Lập", "Xã Tân Lập 1", "Xã Tân Lập 2"),
            _c("Xã Hưng Thạnh", "Xã Hưng Thạnh", "Xã Phú Mỹ", "Xã Tân Hòa Thành"),
        ),
    ),
    District(
        "CB",
        "huyện",
        "Cái Bè",
        date(1977, 5, 1),
        110,
        ("Quốc lộ 1A", "Quốc lộ 30", "Đường tỉnh 863", "Đường tỉnh 875", "Đường 30 Tháng 4"),
        (
            _c("Xã Cái Bè", "Thị trấn Cái Bè", "Xã Đông Hòa Hiệp", "Xã Hòa Khánh"),
            _c("Xã Hậu Mỹ", "Xã Hậu Mỹ Bắc A", "Xã Hậu Mỹ Bắc B", "Xã Hậu Mỹ Trinh"),
            _c("Xã Hội Cư", "Xã Mỹ Hội", "Xã An Cư", "Xã Hậu Thành", "Xã Hậu Mỹ Phú"),
            _c("Xã Mỹ Thiện", "Xã Mỹ Tân", "Xã Mỹ Trung", "Xã Thiện Trung"),
            _c("Xã Mỹ Đức Tây", "Xã Thiện Trí", "Xã Mỹ Đức Đông", "Xã Mỹ Đức Tây"),
            _c("Xã Thanh Hưng", "Xã Tân Thanh", "Xã Tân Hưng", "Xã An Thái Trung"),
            _c("Xã An Hữu", "Xã Hòa Hưng", "Xã Mỹ Lương", "Xã An Hữu"),
            _c("Xã Mỹ Lợi", "Xã An Thái Đông", "Xã Mỹ Lợi A", "Xã Mỹ Lợi B"),
        ),
    ),
    District(
        "CL",
        "huyện",
        "Cai Lậy",
        date(1977, 5, 1),
        85,
        ("Quốc lộ 1A", "Đường tỉnh 868", "Đường tỉnh 874", "Đường huyện 54"),
        (
            _c("Xã Bình Phú", "Thị trấn Bình Phú", "Xã Phú An", "Xã Cẩm Sơn"),
            _c("Xã Hiệp Đức", "Xã Tân Phong", "Xã Hội Xuân", "Xã Hiệp Đức"),
            _c("Xã Long Tiên", "Xã Mỹ Long", "Xã Long Trung", "Xã Long Tiên"),
            _c("Xã Ngũ Hiệp", "Xã Tam Bình", "Xã Ngũ Hiệp"),
            _c("Xã Thạnh Phú", "Xã Phú Cường", "Xã Thạnh Lộc"),
            _c("Xã Mỹ Thành", "Xã Phú Nhuận", "Xã Mỹ Thành Bắc", "Xã Mỹ Thành Nam"),
        ),
    ),
    District(
        "CTH",
        "huyện",
        "Châu Thành",
        date(1977, 5, 1),
        120,
        ("Quốc lộ 1A", "Đường tỉnh 864", "Đường tỉnh 876", "Đường Nam Kỳ Khởi Nghĩa"),
        (
            _c("Xã Tân Hương", "Xã Tân Lý Đông", "Xã Tân Hội Đông", "Xã Tân Hương"),
            _c("Xã Châu Thành", "Thị trấn Tân Hiệp", "Xã Thân Cửu Nghĩa", "Xã Long An"),
            _c("Xã Long Hưng", "Xã Tam Hiệp", "Xã Thạnh Phú", "Xã Long Hưng"),
            _c("Xã Long Định", "Xã Nhị Bình", "Xã Đông Hòa", "Xã Long Định"),
            _c("Xã Bình Trưng", "Xã Điềm Hy", "Xã Bình Trưng"),
            _c("Xã Vĩnh Kim", "Xã Phú Phong", "Xã Bàn Long", "Xã Vĩnh Kim"),
            _c("Xã Kim Sơn", "Xã Song Thuận", "Xã Bình Đức", "Xã Kim Sơn"),
        ),
    ),
    District(
        "CG",
        "huyện",
        "Chợ Gạo",
        date(1977, 5, 1),
        75,
        ("Quốc lộ 50", "Đường tỉnh 879", "Đường tỉnh 877", "Đường huyện 24"),
        (
            _c("Xã Chợ Gạo", "Thị trấn Chợ Gạo", "Xã Long Bình Điền", "Xã Song Bình"),
            _c("Xã An Thạnh Thủy", "Xã Bình Phan", "Xã Bình Phục Nhứt", "Xã An Thạnh Thủy"),
            _c("Xã Bình Ninh", "Xã Xuân Đông", "Xã Hòa Định", "Xã Bình Ninh"),
            _c(
                "Xã Mỹ Tịnh An", "Xã Trung Hòa", "Xã Hòa Tịnh", "Xã Tân Bình Thạnh", "Xã Mỹ Tịnh An"
            ),
            _c("Xã Lương Hòa Lạc", "Xã Thanh Bình", "Xã Phú Kiết", "Xã Lương Hòa Lạc"),
            _c("Xã Tân Thuận Bình", "Xã Đăng Hưng Phước", "Xã Quơn Long", "Xã Tân Thuận Bình"),
        ),
    ),
    District(
        "GCT",
        "huyện",
        "Gò Công Tây",
        date(1980, 1, 15),
        65,
        ("Quốc lộ 50", "Đường tỉnh 872", "Đường tỉnh 877", "Đường huyện 13"),
        (
            _c("Xã Vĩnh Bình", "Thị trấn Vĩnh Bình", "Xã Thạnh Nhựt", "Xã Thạnh Trị"),
            _c("Xã Đồng Sơn", "Xã Bình Nhì", "Xã Đồng Thạnh", "Xã Đồng Sơn"),
            _c("Xã Phú Thành", "Xã Bình Phú", "Xã Thành Công", "Xã Yên Luông"),
            _c("Xã Long Bình", "Xã Bình Tân", "Xã Long Bình"),
            _c("Xã Vĩnh Hựu", "Xã Long Vĩnh", "Xã Vĩnh Hựu"),
        ),
    ),
    District(
        "GCD",
        "huyện",
        "Gò Công Đông",
        date(1980, 1, 15),
        70,
        ("Đường tỉnh 862", "Đường tỉnh 871", "Đường huyện 01", "Đường Trương Định"),
        (
            _c("Xã Gò Công Đông", "Xã Tân Thành", "Xã Tăng Hòa"),
            _c("Xã Tân Điền", "Xã Bình Ân", "Xã Tân Điền"),
            _c("Xã Tân Hòa", "Thị trấn Tân Hòa", "Xã Phước Trung", "Xã Bình Nghị"),
            _c("Xã Tân Đông", "Xã Tân Phước", "Xã Tân Tây", "Xã Tân Đông"),
            _c("Xã Gia Thuận", "Thị trấn Vàm Láng", "Xã Kiểng Phước", "Xã Gia Thuận"),
        ),
    ),
    District(
        "TPD",
        "huyện",
        "Tân Phú Đông",
        date(2009, 3, 2),
        25,
        ("Đường tỉnh 877B", "Đường huyện 81", "Đường huyện 82"),
        (
            _c("Xã Tân Thới", "Xã Tân Phú", "Xã Tân Thạnh", "Xã Tân Thới"),
            _c("Xã Tân Phú Đông", "Xã Phú Thạnh", "Xã Phú Đông", "Xã Phú Tân"),
        ),
    ),
)

DISTRICT_BY_KEY = {d.key: d for d in DISTRICTS}


def _old_codes() -> dict[tuple[str, str], str]:
    """(district, old commune) -> the official code of the commune/ward it lies in today (the
    administrative list of the vietnam-provinces package): every stored code names a place."""
    official = {w.name: f"{int(w.code):05d}" for w in Ward.iter_by_province(ProvinceCode(82))}
    codes: dict[tuple[str, str], str] = {}
    for d in DISTRICTS:
        for c in d.communes:
            for old in c.old:
                codes[(d.key, old)] = official[c.name]
    return codes


OLD_COMMUNE_CODES = _old_codes()


def new_commune_code(district: District, commune: NewCommune) -> str:
    return OLD_COMMUNE_CODES[(district.key, commune.old[0])]


def new_commune_of(district: District, old: str) -> NewCommune:
    for c in district.communes:
        if old in c.old:
            return c
    raise KeyError(old)


def old_address(district: District, old: str, street_part: str) -> str:
    """An address before July 2025: '<street part>, <commune>, <district>, tỉnh Tiền Giang'."""
    commune = (
        old.replace("Xã ", "xã ").replace("Phường ", "phường ").replace("Thị trấn ", "thị trấn ")
    )
    return f"{street_part}, {commune}, {district.full_name}, tỉnh {PROVINCE_OLD}"


# Industrial zones (Công đoàn các KCN): name, district key, old commune.
INDUSTRIAL_ZONES: tuple[tuple[str, str, str], ...] = (
    ("KCN Mỹ Tho", "MT", "Xã Trung An"),
    ("KCN Tân Hương", "CTH", "Xã Tân Hương"),
    ("KCN Long Giang", "TPC", "Xã Tân Lập 1"),
    ("KCN Bình Đông", "GC", "Xã Bình Đông"),
    ("KCN Soài Rạp", "GCD", "Xã Gia Thuận"),
    ("Cụm công nghiệp Trung An", "MT", "Xã Trung An"),
    ("Cụm công nghiệp An Thạnh", "CB", "Xã An Cư"),
)
