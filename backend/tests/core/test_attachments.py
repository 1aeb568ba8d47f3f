"""The name a browser saves a download under: Vietnamese where the file's name is, ASCII beside."""

from unionhub.core.attachments import attachment


def test_a_plain_name_is_sent_as_is() -> None:
    assert (
        attachment("doan-vien-2026-12-05.xlsx")
        == 'attachment; filename="doan-vien-2026-12-05.xlsx"'
    )


def test_a_vietnamese_name_gets_an_ascii_fallback_and_the_utf8_name() -> None:
    value = attachment("Mẫu nhập đoàn viên.xlsx")
    assert value == (
        'attachment; filename="Mau nhap doan vien.xlsx"; '
        "filename*=UTF-8''M%E1%BA%ABu%20nh%E1%BA%ADp%20%C4%91o%C3%A0n%20vi%C3%AAn.xlsx"
    )


def test_quotes_and_control_characters_never_break_the_header() -> None:
    value = attachment('báo "cáo"\r\n.pdf')
    assert "\r" not in value and "\n" not in value and "%0D" not in value
    assert value.startswith("attachment; filename=\"bao cao.pdf\"; filename*=UTF-8''")
