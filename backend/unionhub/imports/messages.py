"""What an import found wrong, in Vietnamese, for the error workbook an officer downloads.

The workbook is read outside the web app (in Excel, by whoever fixes the file), so the server
writes its "Lỗi" column itself, from each problem's code and params (the same ones the web app
renders through its own catalog). Every code an importer can report has a text here; a test
finds those codes in the import modules and sweeps them through `vietnamese`.

Texts name the column as the file does and quote the offending cell value, e.g.
`Số định danh cá nhân "0791234" phải có đúng 12 chữ số`.
"""

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from unionhub.core.error_codes import ErrorCode as E

Params = Mapping[str, Any]
Text = Callable[["_Ctx"], str]


class _Ctx:
    """One problem's params and column, with the formatting its text needs."""

    __slots__ = ("column", "params")

    def __init__(self, params: Params, column: str | None) -> None:
        self.params = params
        self.column = column

    def has(self, key: str) -> bool:
        return self.params.get(key) not in (None, "")

    def col(self, fallback: str = "Giá trị") -> str:
        return self.column or fallback

    def cell(self, fallback: str = "Giá trị") -> str:
        """The column and the cell's value as written: `Ngày sinh "31/02/1990"`."""
        if self.has("value"):
            return f'{self.col(fallback)} "{self.params["value"]}"'
        return self.col(fallback)

    def num(self, key: str) -> str:
        value = self.params.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return str(value) if value not in (None, "") else ""
        text = f"{value:,}".replace(",", " ").replace(".", ",").replace(" ", ".")
        return text

    def day(self, key: str) -> str:
        value = self.params.get(key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                return value
        return "" if value is None else str(value)

    def text(self, key: str) -> str:
        value = self.params.get(key)
        return "" if value is None else str(value)

    def opt(self, key: str, template: str, kind: str = "text") -> str:
        """`template` with {} replaced by the param, or nothing when the param is absent."""
        if not self.has(key):
            return ""
        value = {"text": self.text, "num": self.num, "day": self.day}[kind](key)
        return template.format(value)


def _gender(value: str) -> str:
    return {"male": "nam", "female": "nữ"}.get(value, value)


_UPDATE_MODE = "; muốn sửa thông tin đã có, hãy nhập ở chế độ cập nhật"

VI: dict[E, Text] = {
    # cells
    E.REQUIRED: lambda c: (
        "Số định danh cá nhân là bắt buộc với công dân Việt Nam"
        if c.text("reason") == "vietnamese_citizen"
        else "Số hộ chiếu là bắt buộc với đoàn viên người nước ngoài"
        if c.text("reason") == "foreign_member"
        else f"{c.col('Ô này')} là bắt buộc nhưng đang để trống"
    ),
    E.TOO_LONG: lambda c: f"{c.cell()} quá dài" + c.opt("max_length", " (tối đa {} ký tự)", "num"),
    E.TOO_SHORT: lambda c: f"{c.cell()} quá ngắn" + c.opt("min_length", " (tối thiểu {} ký tự)"),
    E.CONTROL_CHARACTER: lambda c: f"{c.cell()} chứa ký tự điều khiển không hợp lệ",
    E.NUL_CHARACTER: lambda c: f"{c.cell()} chứa ký tự không hợp lệ",
    E.INVALID_FORMAT: lambda c: (
        f"{c.cell()} không đúng định dạng"
        + (": chỉ được gồm chữ số" if c.text("expected") == "digits" else "")
    ),
    E.INVALID_DATE: lambda c: (
        f"{c.cell('Ngày')} không phải là một ngày có thật"
        if c.text("reason") == "no_such_day"
        else f"{c.cell('Ngày')} không phải là ngày; hãy ghi theo dạng dd/mm/yyyy, ví dụ 25/12/1990"
    ),
    E.DATE_OUT_OF_RANGE: lambda c: (
        f"{c.cell('Ngày')} không phải là ngày hợp lý: ngày phải nằm trong khoảng "
        f"{c.day('first') or '01/01/1900'} đến {c.day('last') or '31/12/2100'}"
    ),
    E.NOT_INTEGER: lambda c: f"{c.cell()} phải là số nguyên",
    E.TOO_SMALL: lambda c: f"{c.cell()} quá nhỏ" + c.opt("min", " (ít nhất là {})", "num"),
    E.TOO_LARGE: lambda c: f"{c.cell()} quá lớn" + c.opt("max", " (nhiều nhất là {})", "num"),
    E.INVALID_CHOICE: lambda c: (
        f"{c.cell()} không nằm trong các giá trị cho phép" + c.opt("expected", ": {}")
    ),
    E.INVALID: lambda c: f"{c.cell()} không hợp lệ",
    # member rules (members.validation)
    E.PERSONAL_ID_INVALID_FORMAT: lambda c: (
        f"{c.cell('Số định danh cá nhân')} phải có đúng 12 chữ số"
    ),
    E.PERSONAL_ID_UNKNOWN_PROVINCE: lambda c: (
        f"{c.cell('Số định danh cá nhân')}: ba chữ số đầu"
        + c.opt("province_code", " ({})")
        + " không phải mã tỉnh nơi đăng ký khai sinh"
    ),
    E.PERSONAL_ID_GENDER_MISMATCH: lambda c: (
        f"{c.cell('Số định danh cá nhân')} là số của người "
        f"{_gender(c.text('id_gender')) or 'khác giới'}, nhưng giới tính khai là "
        f"{_gender(c.text('gender')) or 'khác'}"
    ),
    E.PERSONAL_ID_YEAR_MISMATCH: lambda c: (
        f"{c.cell('Số định danh cá nhân')} ứng với năm sinh {c.text('id_year') or 'khác'}, "
        f"nhưng ngày sinh khai năm {c.text('birth_year') or 'khác'}"
    ),
    E.PASSPORT_INVALID_FORMAT: lambda c: (
        f"{c.cell('Số hộ chiếu')} phải gồm 6 đến 20 chữ cái hoặc chữ số"
    ),
    E.CARD_NUMBER_INVALID_FORMAT: lambda c: (
        f"{c.cell('Số thẻ đoàn viên')} phải gồm 4 đến 20 chữ cái, chữ số hoặc dấu gạch ngang"
    ),
    E.NATIONALITY_INVALID: lambda c: (
        f"{c.cell('Quốc tịch')} không phải tên nước hay mã quốc gia hai chữ cái (ví dụ VN)"
    ),
    E.PHONE_INVALID: lambda c: (
        f"{c.cell('Số điện thoại')} không phải số di động Việt Nam (ví dụ 0912 345 678)"
    ),
    E.EMAIL_INVALID: lambda c: f"{c.cell('Email')} không phải địa chỉ email hợp lệ",
    E.COMMUNE_CODE_INVALID: lambda c: f"{c.cell('Mã xã/phường')} phải gồm đúng 5 chữ số",
    E.DATE_IN_FUTURE: lambda c: (
        f"{c.cell('Ngày')} là ngày trong tương lai" + c.opt("today", " (hôm nay là {})", "day")
    ),
    E.TOO_YOUNG_AT_ADMISSION: lambda c: (
        f"{c.cell('Ngày vào công đoàn')}: người này chưa đủ "
        f"{c.num('min_age') or 15} tuổi khi kết nạp"
        + c.opt("earliest", " (đủ tuổi từ ngày {})", "day")
    ),
    # enterprise rules (enterprises.validation)
    E.TAX_CODE_INVALID_FORMAT: lambda c: (
        f"{c.cell('Mã số thuế')} phải gồm 10 chữ số, hoặc 13 chữ số với mã chi nhánh 001-999 "
        "(ví dụ 0312345678-001)"
    ),
    E.TAX_CODE_SERIAL: lambda c: (
        f"{c.cell('Mã số thuế')}: phần số thứ tự (chữ số 3 đến 9) không được là 0000000"
    ),
    E.TAX_CODE_CHECK_DIGIT: lambda c: (
        f"{c.cell('Mã số thuế')} có chữ số kiểm tra không đúng; hãy xem có gõ nhầm chữ số nào"
    ),
    E.VSIC_INVALID_FORMAT: lambda c: (
        f"{c.cell('Mã ngành VSIC')} phải là một chữ cái A-U hoặc từ 1 đến 5 chữ số"
    ),
    E.FEMALE_EXCEEDS_TOTAL: lambda c: (
        f"{c.cell('Số lao động nữ')} lớn hơn tổng số lao động" + c.opt("total", " ({})", "num")
    ),
    # checks against the file and the register
    E.DUPLICATE_IN_FILE: lambda c: (
        f"{c.cell()} trùng với "
        + (f"dòng {c.num('first_row')}" if c.has("first_row") else "một dòng khác")
        + " của tệp"
    ),
    E.UNION_NOT_FOUND: lambda c: (
        f"{c.cell('Mã công đoàn')}: không tìm thấy công đoàn có mã này trong phạm vi của bạn"
    ),
    E.UNION_INACTIVE: lambda c: f"{c.cell('Mã công đoàn')}: công đoàn đã giải thể hoặc sáp nhập",
    E.UNION_LEVEL_HOLDS_NO_MEMBERS: lambda c: (
        f"{c.cell('Mã công đoàn')}: công đoàn cấp này quản lý đơn vị, không quản lý đoàn viên; "
        "hãy dùng mã của công đoàn cơ sở hoặc đơn vị trong đó"
    ),
    E.UNION_DIFFERS: lambda c: (
        f"{c.cell('Mã công đoàn')}: đoàn viên đang sinh hoạt ở công đoàn khác; hãy làm thủ tục "
        "chuyển sinh hoạt thay vì đổi mã công đoàn trong tệp nhập"
    ),
    E.RESPONSIBLE_UNION_INACTIVE: lambda c: (
        f"{c.cell('Mã công đoàn')}: công đoàn phụ trách đã giải thể hoặc sáp nhập"
    ),
    E.RESPONSIBLE_UNION_LEVEL: lambda c: (
        f"{c.cell('Mã công đoàn')}: công đoàn phụ trách phải là Liên đoàn Lao động tỉnh hoặc "
        "công đoàn cấp trên trực tiếp cơ sở"
    ),
    E.ENTERPRISE_NOT_FOUND: lambda c: (
        f"{c.cell('Mã số thuế')}: không tìm thấy doanh nghiệp có mã số thuế này trong phạm vi "
        "của bạn"
    ),
    E.PERSONAL_ID_TAKEN: lambda c: (
        f"{c.cell('Số định danh cá nhân')} đã có trong sổ đoàn viên" + _UPDATE_MODE
    ),
    E.PERSONAL_ID_UNUSABLE: lambda c: (
        f"{c.cell('Số định danh cá nhân')}: không thể dùng số định danh này ở đây; nếu người này "
        "là đoàn viên của công đoàn khác, đề nghị công đoàn cấp trên làm thủ tục chuyển sinh hoạt"
    ),
    E.PASSPORT_TAKEN: lambda c: f"{c.cell('Số hộ chiếu')} đã có trong sổ đoàn viên" + _UPDATE_MODE,
    E.PASSPORT_UNUSABLE: lambda c: (
        f"{c.cell('Số hộ chiếu')}: không thể dùng số hộ chiếu này ở đây; nếu người này là đoàn "
        "viên của công đoàn khác, đề nghị công đoàn cấp trên làm thủ tục chuyển sinh hoạt"
    ),
    E.CARD_NUMBER_TAKEN: lambda c: (
        f"{c.cell('Số thẻ đoàn viên')} đã được cấp cho một đoàn viên khác"
    ),
    E.TAX_CODE_TAKEN: lambda c: f"{c.cell('Mã số thuế')} đã được đăng ký" + _UPDATE_MODE,
    # the file as a whole
    E.MISSING_COLUMN: lambda c: (
        f'Thiếu cột "{c.text("column") or c.col("?")}"' + c.opt("alternative", ' (hoặc cột "{}")')
    ),
    E.DUPLICATE_COLUMN: lambda c: f'Cột "{c.text("column") or c.col("?")}" xuất hiện hai lần',
    E.HEADER_NOT_FOUND: lambda c: (
        "Không tìm thấy dòng tiêu đề"
        + c.opt("rows", " trong {} dòng đầu", "num")
        + c.opt("sheet", ' của trang tính "{}"')
        + "; hãy dùng đúng tiêu đề cột của tệp mẫu"
        + c.opt("headers", ": {}, ...")
        + c.opt("other_sheets", ". Tệp còn có các trang tính {}: hãy chọn trang chứa danh sách")
    ),
    E.TOO_MANY_ROWS: lambda c: (
        "Tệp có quá nhiều dòng"
        + c.opt("max", " (tối đa {} dòng)", "num")
        + c.opt("row", " (có dòng số {}, vượt quá dòng cuối cùng của Excel)", "num")
        + "; hãy chia nhỏ tệp"
    ),
    E.FILE_ROW_TOO_LARGE: lambda c: (
        "Dòng"
        + c.opt("row", " {}", "num")
        + " của tệp lớn bất thường"
        + c.opt("max_mb", " (hơn {} MB)", "num")
        + " nên tệp bị từ chối"
    ),
    E.FILE_CELL_TOO_LARGE: lambda c: (
        "Một ô"
        + c.opt("row", " ở dòng {}", "num")
        + " có quá nhiều ký tự"
        + c.opt("max", " (tối đa {} ký tự một ô)", "num")
    ),
    E.FILE_TOO_MANY_COLUMNS: lambda c: (
        "Dòng"
        + c.opt("row", " {}", "num")
        + " có giá trị ở quá nhiều cột"
        + c.opt("max", " (tối đa {} cột)", "num")
        + "; hãy xóa phần nằm ngoài bảng"
    ),
    E.FILE_TOO_MANY_STRINGS: lambda c: (
        "Tệp chứa số lượng văn bản khác nhau bất thường"
        + c.opt("max", " (hơn {})", "num")
        + " nên bị từ chối"
    ),
    E.SHEET_NOT_FOUND: lambda c: (
        "Tệp không có trang tính"
        + c.opt("sheet", ' tên "{}"')
        + c.opt("sheets", "; các trang tính của tệp: {}")
    ),
    E.VALIDATION_TIMEOUT: lambda c: (
        "Đọc tệp quá lâu"
        + c.opt("minutes", " (hơn {} phút)", "num")
        + "; hãy chia thành các tệp nhỏ hơn"
    ),
    E.FILE_NO_ROWS: lambda c: "Tệp có dòng tiêu đề nhưng không có dòng dữ liệu nào",
    E.FILE_EMPTY: lambda c: "Tệp rỗng",
    E.FILE_TOO_COMPLEX: lambda c: (
        "Đọc tệp này cần quá nhiều bộ nhớ; hãy chia thành nhiều tệp nhỏ hơn"
    ),
    E.FILE_TOO_LARGE: lambda c: (
        "Tệp quá lớn" + c.opt("max_mb", " (tối đa {} MB)", "num") + "; hãy chia thành nhiều tệp"
    ),
    E.FILE_TYPE_UNSUPPORTED: lambda c: "Chỉ nhận tệp .xlsx hoặc .csv",
    E.FILE_TYPE_MISMATCH: lambda c: (
        "Nội dung tệp không khớp với phần mở rộng; hãy mở tệp bằng Excel và lưu lại dạng .xlsx"
    ),
    E.FILE_HAS_MACROS: lambda c: "Tệp chứa macro; hãy lưu lại dưới dạng .xlsx thông thường",
    E.FILE_UNREADABLE: lambda c: "Không đọc được tệp: tệp bị hỏng hoặc sai định dạng",
    E.FILE_ZIP_BOMB: lambda c: "Tệp có cấu trúc bất thường nên bị từ chối",
    E.FILE_REJECTED: lambda c: "Tệp bị từ chối",
    E.REGISTER_CHANGED: lambda c: (
        "Sổ đoàn viên vừa thay đổi trong lúc ghi nên chưa có gì được ghi; hãy tải tệp lên lại"
    ),
    E.INTERNAL_ERROR: lambda c: "Máy chủ gặp lỗi khi xử lý tệp; hãy thử lại sau",
    # the job (answered to the web app; listed so a job's errors never fall back to English)
    E.PERMISSION_DENIED: lambda c: "Vai trò của bạn không được nhập loại dữ liệu này",
    E.IMPORT_NOT_FOUND: lambda c: "Không tìm thấy lượt nhập dữ liệu",
    E.IMPORT_NOT_VALIDATED: lambda c: "Chỉ ghi được lượt nhập đã kiểm tra xong",
    E.IMPORT_HAS_ERRORS: lambda c: (
        "Tệp còn dòng lỗi: hãy sửa tệp, hoặc chọn chỉ ghi các dòng hợp lệ"
    ),
    E.IMPORT_NOTHING_VALID: lambda c: "Không có dòng nào hợp lệ để ghi",
    E.IMPORT_COMMITTED: lambda c: "Dữ liệu đã được ghi nên không thể hủy",
    E.IMPORT_FILE_GONE: lambda c: "Tệp đã tải lên của lượt nhập này không còn được lưu",
    E.TOO_MANY_EXPORTS: lambda c: (
        "Bạn đang có quá nhiều lượt xuất dữ liệu cùng lúc; hãy chờ một lượt tải xong rồi thử lại"
    ),
    E.EXPORT_COLUMN_UNKNOWN: lambda c: (
        "Không xuất được cột" + c.opt("column", ' "{}"') + ": danh sách không có cột này"
    ),
    E.EXPORT_PURPOSE_REQUIRED: lambda c: (
        "Hãy ghi mục đích trước khi xuất dữ liệu cá nhân đầy đủ (không che)"
    ),
    E.IMPORT_INTERRUPTED: lambda c: (
        "Việc kiểm tra tệp bị gián đoạn (máy chủ dừng) và không thể tiếp tục; chưa có gì được "
        "ghi. Hãy tải tệp lên lại"
    ),
    # a round's results (imports/evaluation_import.py)
    E.NOT_NUMBER: lambda c: f"{c.cell()} phải là một số",
    E.ABOVE_MAX_POINTS: lambda c: (
        f"{c.cell('Số điểm')} vượt quá số điểm tối đa" + c.opt("max", " ({} điểm)", "num")
    ),
    E.NOT_IN_ROUND: lambda c: (
        f"{c.cell('Mã công đoàn')}: đợt đánh giá không có đơn vị này (hoặc đơn vị ngoài phạm vi "
        "của bạn)"
    ),
    E.UNIT_INELIGIBLE: lambda c: (
        f"{c.cell('Mã công đoàn')}: đơn vị không thuộc diện xếp loại năm nay"
    ),
    E.UNKNOWN_GROUP: lambda c: (
        f"{c.col('Nhóm tiêu chí')}: bộ tiêu chí của đơn vị không có nhóm"
        + c.opt("group", " {}")
        + "; hãy để trống ô này"
    ),
    E.TOTAL_MISMATCH: lambda c: (
        f"{c.cell('Tổng điểm')} khác tổng điểm các nhóm" + c.opt("total", " ({})", "num")
    ),
    E.LEVEL_ABOVE_POINTS: lambda c: (
        f"{c.cell('Xếp loại')} cao hơn mức mà số điểm cho phép"
        + c.opt("total", " ({} điểm", "num")
        + (
            f" chỉ đạt «{c.text('expected')}»)"
            if c.has("total") and c.has("expected")
            else ")"
            if c.has("total")
            else ""
        )
    ),
    E.ROUND_PUBLISHED: lambda c: "Kết quả đợt đánh giá đã công bố; hãy mở lại đợt trước khi nhập",
    # a course's roster and results (imports/training_roster_import.py)
    E.MEMBER_CARD_NOT_FOUND: lambda c: (
        f"{c.cell('Số thẻ đoàn viên')}: không có đoàn viên nào mang số thẻ này trong phạm vi "
        "của bạn"
    ),
    E.NOT_ON_ROSTER: lambda c: (
        f"{c.cell('Số thẻ đoàn viên')}: người này không có trong danh sách lớp, và lớp đã kết "
        "thúc nên không thể thêm học viên"
    ),
    E.PARTICIPANT_NOT_ACCEPTED: lambda c: (
        f"{c.cell('Số thẻ đoàn viên')}: người này chưa được nhận vào lớp"
        + c.opt("status", " (đang ở tình trạng «{}»)")
        + "; hãy nhận hoặc bỏ dòng này"
    ),
    E.SEATS_FULL: lambda c: (
        f"{c.cell('Số thẻ đoàn viên')}: lớp đã đủ chỗ" + c.opt("seats", " ({} chỗ)", "num")
    ),
    E.COURSE_NOT_RUNNING: lambda c: (
        f"{c.col('Kết quả')}: chỉ ghi điểm danh và kết quả khi lớp đang học hoặc đã kết thúc; "
        "hãy để trống cột này"
    ),
    E.COURSE_CLOSED: lambda c: "Lớp học đã hủy nên danh sách học viên đã khóa",
}


def vietnamese(code: str, params: Params | None = None, column: str | None = None) -> str:
    """The Vietnamese text of one problem; never English (an unknown code reads as invalid)."""
    try:
        text = VI.get(E(code))
    except ValueError:
        text = None
    ctx = _Ctx(params or {}, column)
    return (text or VI[E.INVALID])(ctx)
