"""The official administrative list: loaded from the vietnam-provinces package by a command,
updated in place (older codes kept, marked), and read by the pickers and for display."""

from sqlalchemy import select, update

from tests.factories import Factory
from unionhub.cli import main as cli_main
from unionhub.places import service
from unionhub.places.models import Commune, Province

API = "/api/v1/places"


async def test_the_list_loads_from_the_package_and_reloads_in_place(factory: Factory) -> None:
    db = factory.db
    first = await service.load(db)
    # After the 2025 reform: 34 provinces and a few thousand communes/wards.
    assert first.provinces == 34
    assert 3000 < first.communes < 3500
    assert first.data_version
    dong_thap = await db.get(Province, "82")
    assert dong_thap is not None and dong_thap.name == "Đồng Tháp"
    my_tho = await db.get(Commune, "28261")
    assert my_tho is not None and my_tho.name == "Phường Mỹ Tho" and my_tho.province_code == "82"

    # A code stored earlier that the list no longer has stays, marked not current; a renamed
    # place takes the list's name again.
    db.add(Commune(code="99999", name="Xã Cũ", kind="xã", province_code="82", search_text="xa cu"))
    await db.execute(update(Commune).where(Commune.code == "28261").values(name="Sửa tay"))
    again = await service.load(db)
    assert again.communes == first.communes and again.retired == first.retired + 1
    old = await db.get(Commune, "99999", populate_existing=True)
    assert old is not None and old.current is False
    renamed = await db.get(Commune, "28261", populate_existing=True)
    assert renamed is not None and renamed.name == "Phường Mỹ Tho" and renamed.current
    assert (await db.scalar(select(Commune.code).where(Commune.code == "28261"))) == "28261"


async def test_pickers_and_names_of_stored_codes(factory: Factory) -> None:
    await service.load(factory.db)
    root = await factory.union(name="Liên đoàn Lao động tỉnh Đồng Tháp")
    h = await factory.headers_for("viewer", root)
    c = factory.client
    provinces = (await c.get(f"{API}/provinces", headers=h)).json()
    assert {"code": "82", "name": "Đồng Tháp", "kind": "tỉnh"} in provinces
    communes = (await c.get(f"{API}/communes", params={"province_code": "82"}, headers=h)).json()
    assert len(communes) > 50 and all(x["province_code"] == "82" for x in communes)
    found = (
        await c.get(f"{API}/communes", params={"province_code": "82", "q": "my tho"}, headers=h)
    ).json()
    assert {x["name"] for x in found} == {"Phường Mỹ Tho", "Xã Mỹ Thọ"}  # accents optional
    # Naming stored codes; an unknown one is simply not named.
    named = (await c.get(f"{API}/communes", params={"code": ["28261", "00000"]}, headers=h)).json()
    assert [(x["code"], x["name"], x["province_name"]) for x in named] == [
        ("28261", "Phường Mỹ Tho", "Đồng Tháp")
    ]
    r = await c.get(f"{API}/communes", params={"code": "123"}, headers=h)
    assert r.status_code == 422
    assert (await c.get(f"{API}/provinces")).status_code == 401


def test_the_command_is_declared() -> None:
    try:
        cli_main(["places", "--help"])
    except SystemExit as done:
        assert done.code == 0
    else:
        raise AssertionError("--help exits")


async def test_countries_by_their_vietnamese_names(factory: Factory) -> None:
    headers = await factory.headers_for("viewer", await factory.union(code="PL-C"))
    r = await factory.client.get(f"{API}/countries", headers=headers)
    assert r.status_code == 200
    countries = r.json()
    names = {c["code"]: c["name"] for c in countries}
    # Every code the register accepts, Việt Nam first, names as officers write them.
    assert len(countries) == 249 and countries[0] == {
        "code": "VN",
        "name": "Việt Nam",
        "english": "Vietnam",
    }
    assert (names["KR"], names["KH"], names["LA"], names["JP"]) == (
        "Hàn Quốc",
        "Campuchia",
        "Lào",
        "Nhật Bản",
    )
    # in Vietnamese alphabetical order after Việt Nam: Ấn Độ (A) before Bỉ (B)
    order = [c["code"] for c in countries]
    assert order.index("IN") < order.index("BE")
    assert (await factory.client.get(f"{API}/countries")).status_code == 401


async def test_vsic_sections_and_divisions_load_and_read(factory: Factory) -> None:
    loaded = await service.load(factory.db)
    # VSIC 2018: 21 sections (A-U) and 88 divisions.
    assert loaded.industries == 109
    assert await service.load_industries(factory.db) == 109  # again: in place
    headers = await factory.headers_for("viewer", await factory.union(code="PL-V"))
    r = await factory.client.get(f"{API}/industries", headers=headers)
    assert r.status_code == 200
    rows = r.json()
    assert [row["code"] for row in rows[:5]] == ["A", "01", "02", "03", "B"]
    names = {row["code"]: row["name"] for row in rows}
    assert (names["C"], names["14"]) == ("Công nghiệp chế biến, chế tạo", "Sản xuất trang phục")
    assert sum(1 for row in rows if row["level"] == 1) == 21
