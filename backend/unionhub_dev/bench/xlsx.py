"""The import file of the benchmark: new members in the members template layout (the headers
of imports.vocab), drawn like the demo's members but with personal ID serials the demo never
issues (900000-999999), so the file imports cleanly into the benchmark database every time."""

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]

from unionhub.imports.vocab import MEMBER_COLUMNS
from unionhub_dev.demo.members import MemberMaker
from unionhub_dev.demo.people import PersonMaker

EDUCATION_LABELS = {
    "none": "Không",
    "primary": "Tiểu học",
    "lower_secondary": "Trung học cơ sở",
    "upper_secondary": "Trung học phổ thông",
    "vocational": "Trung cấp",
    "college": "Cao đẳng",
    "university": "Đại học",
    "master": "Thạc sĩ",
    "doctorate": "Tiến sĩ",
}
THEORY_LABELS = {
    "none": "Không",
    "so_cap": "Sơ cấp",
    "trung_cap": "Trung cấp",
    "cao_cap": "Cao cấp",
    "cu_nhan": "Cử nhân",
}


@dataclass(frozen=True)
class ImportUnion:
    code: str
    founded_on: date
    tax_code: str | None


def write_import_file(path: Path, rows: int, unions: list[ImportUnion], seed: int) -> Path:
    """An .xlsx of `rows` new members spread over `unions` (written once, then reused)."""
    if path.exists():
        return path
    rng = random.Random(f"{seed}:bench-import")
    maker = MemberMaker(rng)
    maker.people = PersonMaker(rng, serial_slice=(900_000, 1_000_000))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đoàn viên")
    keys = [c.key for c in MEMBER_COLUMNS]
    sheet.append([c.header for c in MEMBER_COLUMNS])
    for n in range(1, rows + 1):
        u = unions[n % len(unions)]
        d = maker.draw(u.founded_on, "garment", foreign_ok=False)
        x = maker.details(d, "garment", None)
        values = {
            "row_no": n,
            "full_name": d.full_name,
            "date_of_birth": d.born,
            "gender": "Nữ" if d.gender == "female" else "Nam",
            "ethnicity": x["ethnicity"],
            "nationality": "Việt Nam",
            "personal_id": d.personal_id,
            "phone": x["phone"],
            "email": x["email"],
            "education_level": EDUCATION_LABELS[x["education_level"]],
            "professional_qualification": x["professional_qualification"],
            "political_theory": THEORY_LABELS.get(x["political_theory"] or ""),
            "occupation": x["occupation"],
            "enterprise_tax_code": u.tax_code,
            "party_member": "Có" if x["party_member"] else "Không",
            "admission_date": d.admitted,
            "union_code": u.code,
        }
        sheet.append([values.get(k) for k in keys])
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    book.save(partial)
    partial.rename(path)
    return path
