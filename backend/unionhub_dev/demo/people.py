"""Vietnamese people for the demo register: names, personal IDs, phones and e-mail addresses.

Family names follow their real frequency (Nguyễn about 38%, Trần 11%, Lê 9.5% ...), with the
southern spellings Huỳnh and Võ ahead of Hoàng and Vũ, as in Tiền Giang. Middle and given
names depend on gender. Personal ID numbers (CCCD) are built to agree with the birth year and
gender (digit 4 = century and gender, digits 5-6 = year) and are unique by construction: the
last six digits of each 6-digit prefix come from a bijection of a per-prefix counter, so no set
of a million issued numbers has to be kept.
"""

import random
from bisect import bisect
from datetime import date
from functools import lru_cache
from itertools import accumulate
from math import gcd

from unionhub.core.text import fold

# (family name, share in percent); "others" fill the rest of the hundred.
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Huỳnh", 3.4),
    ("Hoàng", 1.6),
    ("Phan", 4.5),
    ("Võ", 2.6),
    ("Vũ", 1.3),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Trương", 1.0),
    ("Đoàn", 0.6),
    ("Lâm", 0.6),
    ("Mai", 0.5),
    ("Đinh", 0.4),
    ("Châu", 0.4),
    ("Thái", 0.4),
    ("Cao", 0.3),
    ("Tô", 0.3),
    ("Lưu", 0.3),
    ("Hà", 0.3),
    ("Tạ", 0.2),
    ("Quách", 0.2),
    ("Kiều", 0.1),
    ("Từ", 0.1),
    ("Tăng", 0.1),
    ("La", 0.1),
    ("Lương", 0.3),
    ("Trịnh", 0.3),
    ("Văn", 0.1),
)

MIDDLE_NAMES = {
    "male": (
        ("Văn", 42),
        ("Hữu", 7),
        ("Minh", 9),
        ("Quốc", 6),
        ("Thanh", 7),
        ("Đức", 4),
        ("Công", 4),
        ("Hoàng", 3),
        ("Ngọc", 3),
        ("Tấn", 4),
        ("Thành", 3),
        ("Trung", 2),
        ("Chí", 2),
        ("Duy", 2),
        ("Anh", 2),
        ("Hoài", 1),
        ("Nhật", 1),
        ("Xuân", 1),
    ),
    "female": (
        ("Thị", 48),
        ("Ngọc", 10),
        ("Thu", 5),
        ("Thanh", 5),
        ("Kim", 6),
        ("Mỹ", 4),
        ("Thúy", 3),
        ("Hồng", 3),
        ("Bích", 2),
        ("Phương", 2),
        ("Diễm", 2),
        ("Kiều", 2),
        ("Minh", 2),
        ("Hoàng", 1),
        ("Tuyết", 1),
        ("Cẩm", 2),
        ("Như", 2),
    ),
}
# Women named "Thị" often carry a second middle name: Nguyễn Thị Thu Hà.
SECOND_FEMALE_MIDDLE = ("Thu", "Ngọc", "Kim", "Thanh", "Mỹ", "Hồng", "Bích", "Tuyết", "Cẩm")

GIVEN_NAMES = {
    "male": (
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khang",
        "Khoa", "Lâm", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phát", "Phong", "Phúc",
        "Phước", "Quang", "Sang", "Sơn", "Tài", "Tâm", "Tân", "Thắng", "Thành", "Thiện",
        "Thịnh", "Toàn", "Trí", "Trung", "Tuấn", "Tùng", "Vinh", "Việt", "Vũ", "Hậu", "Lợi",
        "Tín", "Nhân", "Kiệt", "Duy", "Khánh", "Bảo", "Đông", "Hưng", "Mạnh", "Thông", "Tiến",
        "Định", "Châu", "Quý", "Hiền", "Nhựt", "Tú", "Đức", "Danh", "Hoàng", "Kha", "Luân",
    ),
    "female": (
        "An", "Anh", "Bích", "Châu", "Chi", "Diễm", "Dung", "Duyên", "Giang", "Hà", "Hạnh",
        "Hằng", "Hân", "Hiền", "Hoa", "Hồng", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan",
        "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi", "Nhung", "Oanh", "Phượng", "Phương",
        "Quyên", "Thảo", "Thanh", "Thắm", "Thơ", "Thu", "Thủy", "Thúy", "Thư", "Trang",
        "Trâm", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Kiều", "Lệ", "Nguyệt",
        "Diệu", "Hậu", "Tiên", "Nhàn", "Lài", "Ly", "Ngoan", "Thảo Vy", "Khánh Linh",
    ),
}  # fmt: skip

# Province codes of birth registration: mostly Tiền Giang, then its neighbours.
ID_PROVINCES: tuple[tuple[str, float], ...] = (
    ("082", 80.0),  # Tiền Giang
    ("087", 6.0),  # Đồng Tháp
    ("079", 3.5),  # TP Hồ Chí Minh
    ("083", 3.5),  # Bến Tre
    ("080", 3.0),  # Long An
    ("086", 1.2),  # Vĩnh Long
    ("084", 0.6),  # Trà Vinh
    ("089", 0.6),  # An Giang
    ("092", 0.5),  # Cần Thơ
    ("094", 0.3),  # Sóc Trăng
    ("040", 0.4),  # Nghệ An
    ("038", 0.4),  # Thanh Hóa
)

# Mobile prefixes in use (Viettel 03x, Vietnamobile 05x, MobiFone 07x, VinaPhone 08x, 09x).
MOBILE_PREFIXES = (
    "032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "059", "070",
    "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "088", "089",
    "090", "091", "093", "094", "096", "097", "098",
)  # fmt: skip

MAIL_DOMAINS = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "tiengiang.gov.vn",
)

# Names repeat a great deal (a few thousand distinct full names per hundred thousand people).
folded = lru_cache(maxsize=1 << 16)(fold)

# Serials are a counter times a step coprime to the slice width, modulo the width: a bijection,
# so numbers of one prefix never repeat, yet look random.
_SERIAL_STEP = 738_271


def _table(pairs: tuple[tuple[str, float], ...]) -> tuple[tuple[str, ...], list[float]]:
    return tuple(p for p, _ in pairs), list(accumulate(w for _, w in pairs))


class PersonMaker:
    """Draws people from one random stream; personal IDs never repeat within one maker.

    `serial_slice` separates makers that must not collide (the demo register and the
    benchmark's import file): each uses its own range of the last six digits.
    """

    def __init__(self, rng: random.Random, serial_slice: tuple[int, int] = (0, 900_000)) -> None:
        self.rng = rng
        self._families, self._family_cum = _table(FAMILY_NAMES)
        self._middles = {
            g: _table(tuple((n, float(w)) for n, w in v)) for g, v in MIDDLE_NAMES.items()
        }
        self._provinces, self._province_cum = _table(ID_PROVINCES)
        self._serials: dict[str, tuple[int, int]] = {}  # prefix -> (offset, issued)
        self._slice = serial_slice
        width = serial_slice[1] - serial_slice[0]
        self._step = next(s for s in range(_SERIAL_STEP, _SERIAL_STEP + 1000) if gcd(s, width) == 1)

    def _pick(self, names: tuple[str, ...], cum: list[float]) -> str:
        return names[bisect(cum, self.rng.random() * cum[-1])]

    def full_name(self, gender: str) -> str:
        rng = self.rng
        family = self._pick(self._families, self._family_cum)
        names, cum = self._middles[gender]
        middle = self._pick(names, cum)
        if gender == "female" and middle == "Thị" and rng.random() < 0.3:
            middle = f"Thị {rng.choice(SECOND_FEMALE_MIDDLE)}"
        elif gender == "male" and middle == "Văn" and rng.random() < 0.05:
            middle = f"Văn {rng.choice(('Minh', 'Thanh', 'Hoàng', 'Quốc'))}"
        given = rng.choice(GIVEN_NAMES[gender])
        return f"{family} {middle} {given}"

    def personal_id(self, born: date, gender: str) -> str:
        """12 digits: province, century+gender, year, then a serial unique for the prefix."""
        province = self._pick(self._provinces, self._province_cum)
        marker = (born.year - 1900) // 100 * 2 + (1 if gender == "female" else 0)
        prefix = f"{province}{marker}{born.year % 100:02d}"
        start, stop = self._slice
        width = stop - start
        offset, issued = self._serials.get(prefix) or (self.rng.randrange(width), 0)
        if issued >= width:  # pragma: no cover - more people than serials for one birth year
            raise RuntimeError(f"personal ID serials exhausted for prefix {prefix}")
        self._serials[prefix] = (offset, issued + 1)
        serial = start + ((offset + issued) * self._step) % width
        return f"{prefix}{serial:06d}"

    def phone(self) -> str:
        return f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10_000_000):07d}"

    def email(self, full_name: str, born: date) -> str:
        parts = folded(full_name).split()
        local = f"{parts[-1]}{''.join(p[0] for p in parts[:-1])}{born.year % 100:02d}"
        if self.rng.random() < 0.4:
            local += str(self.rng.randint(1, 99))
        return f"{local}@{self.rng.choice(MAIL_DOMAINS)}"
