"""Provinces and communes/wards of the official list, as loaded (never hand-edited)."""

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base


class Province(Base):
    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))  # "tỉnh", "thành phố trung ương"
    # False once the list no longer has it: codes stored before stay readable.
    current: Mapped[bool] = mapped_column(Boolean, default=True)


class Commune(Base):
    """A commune, ward or special zone: the 5-digit code stored in `commune_code` columns."""

    __tablename__ = "communes"
    __table_args__ = (Index("ix_communes_province_code", "province_code"),)

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))  # "xã", "phường", "đặc khu"
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))
    search_text: Mapped[str] = mapped_column(String(120))
    current: Mapped[bool] = mapped_column(Boolean, default=True)


class Industry(Base):
    """A section (level 1, "C") or division (level 2, "14") of the Vietnam Standard Industrial
    Classification (VSIC 2018, Decision 27/2018/QĐ-TTg), as loaded from data/vsic2018.csv.
    Enterprises store deeper codes ("1410"): their division is the first two digits."""

    __tablename__ = "industries"
    __table_args__ = (CheckConstraint("level IN (1, 2)", name="level"),)

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    section: Mapped[str] = mapped_column(String(1))
    name: Mapped[str] = mapped_column(String(300))
