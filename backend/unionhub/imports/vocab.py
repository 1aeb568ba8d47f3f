"""The spreadsheet layouts officers use: Vietnamese headers, Vietnamese labels of enum values.

One source for the import (header matching, value parsing), the templates and the exports, so
an exported file re-imports as it is.
"""

from unionhub.imports.headers import Column, Layout
from unionhub.imports.values import folded_map

MEMBER_COLUMNS = (
    Column("row_no", "STT", ("so tt", "tt", "so thu tu"), width=6, kind="int"),
    Column(
        "full_name",
        "Họ và tên",
        ("ho ten", "ho ten doan vien", "ten doan vien"),
        required=True,
        width=28,
    ),
    Column(
        "date_of_birth",
        "Ngày sinh",
        ("ngay thang nam sinh", "sinh ngay", "ngay sinh dd mm yyyy"),
        required=True,
        width=12,
        kind="date",
    ),
    Column(
        "gender",
        "Giới tính",
        ("gioi", "nam nu", "phai"),
        required=True,
        width=10,
        choices=("Nam", "Nữ"),
    ),
    Column("ethnicity", "Dân tộc", width=10),
    Column("nationality", "Quốc tịch", ("quoc gia",), width=12, note="Việt Nam, hoặc mã nước"),
    Column(
        "personal_id",
        "Số định danh cá nhân",
        (
            "cccd",
            "so cccd",
            "can cuoc",
            "so can cuoc",
            "can cuoc cong dan",
            "so can cuoc cong dan",
            "so dinh danh",
            "ma dinh danh",
            "dinh danh ca nhan",
            "cmnd cccd",
            "so cmnd cccd",
            "cmnd",
            "so cmnd",
        ),
        width=16,
    ),
    Column("passport_no", "Số hộ chiếu", ("ho chieu", "passport", "so passport"), width=14),
    Column(
        "phone",
        "Số điện thoại",
        ("dien thoai", "sdt", "so dt", "dien thoai di dong", "so di dong", "di dong"),
        width=14,
    ),
    Column("email", "Email", ("e mail", "thu dien tu", "dia chi email"), width=24),
    Column(
        "commune_code",
        "Mã xã/phường",
        ("ma xa", "ma phuong", "ma phuong xa", "ma xa phuong thi tran", "ma don vi hanh chinh"),
        width=10,
    ),
    Column(
        "education_level",
        "Trình độ học vấn",
        ("hoc van", "trinh do van hoa", "van hoa"),
        width=16,
        choices=(
            "Tiểu học",
            "Trung học cơ sở",
            "Trung học phổ thông",
            "Trung cấp",
            "Cao đẳng",
            "Đại học",
            "Thạc sĩ",
            "Tiến sĩ",
            "Không",
        ),
    ),
    Column(
        "professional_qualification",
        "Trình độ chuyên môn",
        ("chuyen mon", "trinh do chuyen mon nghiep vu", "chuyen mon nghiep vu"),
        width=20,
    ),
    Column(
        "political_theory",
        "Lý luận chính trị",
        ("trinh do ly luan chinh tri", "llct", "trinh do llct"),
        width=14,
        choices=("Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân", "Không"),
    ),
    Column("occupation", "Nghề nghiệp", ("nghe", "cong viec", "viec lam"), width=18),
    Column(
        "enterprise_tax_code",
        "Mã số thuế doanh nghiệp",
        ("mst doanh nghiep", "mst", "ma so thue", "ma so thue noi lam viec", "mst noi lam viec"),
        width=16,
    ),
    Column(
        "party_member",
        "Đảng viên",
        ("la dang vien", "dang vien dcsvn"),
        width=10,
        choices=("Có", "Không"),
    ),
    Column(
        "admission_date",
        "Ngày vào công đoàn",
        (
            "ngay ket nap",
            "ngay ket nap cong doan",
            "ngay ket nap doan vien",
            "ngay gia nhap",
            "ngay gia nhap cong doan",
            "ngay vao cd",
            "ngay vao cong doan viet nam",
        ),
        required=True,
        width=14,
        kind="date",
    ),
    Column(
        "card_number",
        "Số thẻ đoàn viên",
        ("ma the doan vien", "so the", "ma the", "the doan vien", "so the dv"),
        width=16,
    ),
    Column(
        "union_code",
        "Đơn vị (mã công đoàn)",
        ("ma cong doan", "ma don vi", "ma cdcs", "ma cong doan co so", "don vi ma"),
        required=True,
        width=16,
    ),
)

ENTERPRISE_COLUMNS = (
    Column("row_no", "STT", ("so tt", "tt", "so thu tu"), width=6, kind="int"),
    Column(
        "name",
        "Tên doanh nghiệp",
        ("ten don vi", "ten cong ty", "doanh nghiep"),
        required=True,
        width=36,
    ),
    Column("short_name", "Tên viết tắt", ("ten tat", "viet tat"), width=16),
    Column(
        "tax_code",
        "Mã số thuế",
        ("mst", "ma so doanh nghiep", "ma so thue doanh nghiep"),
        required=True,
        width=16,
    ),
    Column(
        "ownership",
        "Loại hình (Nhà nước/Ngoài nhà nước/FDI/Hợp tác xã)",
        ("loai hinh doanh nghiep", "loai hinh so huu", "khu vuc"),
        required=True,
        width=18,
        choices=("Nhà nước", "Ngoài nhà nước", "FDI", "Hợp tác xã"),
    ),
    Column("vsic_code", "Mã ngành VSIC", ("ma nganh", "nganh nghe", "ma nganh kinh te"), width=10),
    Column("commune_code", "Mã xã/phường", ("ma xa", "ma phuong", "ma phuong xa"), width=10),
    Column("address", "Địa chỉ", ("dia chi tru so", "tru so"), width=36),
    Column(
        "industrial_zone", "Khu công nghiệp", ("kcn", "khu cong nghiep cum cong nghiep"), width=20
    ),
    Column(
        "union_code",
        "Công đoàn phụ trách (mã)",
        ("ma cong doan phu trach", "cong doan cap tren", "ma cong doan", "don vi phu trach"),
        required=True,
        width=16,
    ),
    Column(
        "operating_status",
        "Tình trạng hoạt động",
        ("tinh trang", "trang thai"),
        width=16,
        choices=("Đang hoạt động", "Tạm ngừng", "Giải thể"),
    ),
    Column(
        "total_workers",
        "Số lao động",
        ("tong so lao dong", "so cnvcld", "lao dong"),
        width=10,
        kind="int",
    ),
    Column(
        "female_workers",
        "Số lao động nữ",
        ("lao dong nu", "so lao dong nu cnvcld", "nu"),
        width=10,
        kind="int",
    ),
    Column(
        "surveyed_on",
        "Ngày khảo sát",
        ("ngay dieu tra", "thoi diem khao sat"),
        width=12,
        kind="date",
    ),
)

MEMBER_LAYOUT = Layout(MEMBER_COLUMNS)
ENTERPRISE_LAYOUT = Layout(ENTERPRISE_COLUMNS)

GENDER = {"male": "Nam", "female": "Nữ"}
GENDER_MAP = folded_map(GENDER, {"m": "male", "f": "female", "nư": "female", "gái": "female"})

EDUCATION = {
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
EDUCATION_MAP = folded_map(
    EDUCATION,
    {
        "chưa qua đào tạo": "none",
        "mù chữ": "none",
        "chưa": "none",
        "cấp 1": "primary",
        "cấp 2": "lower_secondary",
        "cấp 3": "upper_secondary",
        "THCS": "lower_secondary",
        "THPT": "upper_secondary",
        "phổ thông": "upper_secondary",
        "sơ cấp": "vocational",
        "trung cấp nghề": "vocational",
        "công nhân kỹ thuật": "vocational",
        "cao đẳng nghề": "college",
        "cử nhân": "university",
        "kỹ sư": "university",
        "thạc sỹ": "master",
        "ThS": "master",
        "tiến sỹ": "doctorate",
        "TS": "doctorate",
        "tiến sĩ khoa học": "doctorate",
        # General education written as grade/12, the old school-record notation.
        **{f"{n}/12": "primary" for n in range(1, 6)},
        **{f"{n}/12": "lower_secondary" for n in range(6, 10)},
        **{f"{n}/12": "upper_secondary" for n in range(10, 13)},
        **{f"{n}/10": "upper_secondary" if n >= 10 else "lower_secondary" for n in range(6, 11)},
    },
)

POLITICAL = {
    "none": "Không",
    "so_cap": "Sơ cấp",
    "trung_cap": "Trung cấp",
    "cao_cap": "Cao cấp",
    "cu_nhan": "Cử nhân",
}
POLITICAL_MAP = folded_map(
    POLITICAL, {"chưa": "none", "chưa có": "none", "cử nhân chính trị": "cu_nhan"}
)

OWNERSHIP = {
    "state": "Nhà nước",
    "non_state_domestic": "Ngoài nhà nước",
    "fdi": "FDI",
    "cooperative": "Hợp tác xã",
}
OWNERSHIP_MAP = folded_map(
    OWNERSHIP,
    {
        "DNNN": "state",
        "doanh nghiệp nhà nước": "state",
        "khu vực nhà nước": "state",
        "ngoài quốc doanh": "non_state_domestic",
        "tư nhân": "non_state_domestic",
        "doanh nghiệp tư nhân": "non_state_domestic",
        "dân doanh": "non_state_domestic",
        "có vốn đầu tư nước ngoài": "fdi",
        "vốn đầu tư nước ngoài": "fdi",
        "doanh nghiệp FDI": "fdi",
        "HTX": "cooperative",
    },
)

OPERATING = {"operating": "Đang hoạt động", "suspended": "Tạm ngừng", "dissolved": "Giải thể"}
OPERATING_MAP = folded_map(
    OPERATING,
    {
        "hoạt động": "operating",
        "đang hđ": "operating",
        "tạm ngừng hoạt động": "suspended",
        "tạm dừng": "suspended",
        "tạm dừng hoạt động": "suspended",
        "ngừng hoạt động": "dissolved",
        "đã giải thể": "dissolved",
        "phá sản": "dissolved",
    },
)

# Nationality: Vietnamese names of the countries most foreign workers here come from; any
# other country is written with its ISO code.
NATIONALITY_NAMES = {
    "Việt Nam": "VN",
    "Trung Quốc": "CN",
    "Hàn Quốc": "KR",
    "Nhật Bản": "JP",
    "Nhật": "JP",
    "Đài Loan": "TW",
    "Lào": "LA",
    "Campuchia": "KH",
    "Thái Lan": "TH",
    "Hoa Kỳ": "US",
    "Mỹ": "US",
    "Ấn Độ": "IN",
    "Philippines": "PH",
    "Indonesia": "ID",
    "Malaysia": "MY",
    "Singapore": "SG",
    "Hồng Kông": "HK",
    "Anh": "GB",
    "Pháp": "FR",
    "Đức": "DE",
    "Úc": "AU",
    "Nga": "RU",
    "Myanmar": "MM",
    "Bangladesh": "BD",
}
NATIONALITY_MAP = folded_map({}, NATIONALITY_NAMES)
NATIONALITY_LABEL = {"VN": "Việt Nam"}

YES, NO = "Có", "Không"
