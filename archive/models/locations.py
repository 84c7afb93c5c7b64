"""Where paper lives: offices, stores (kho), shelves (giá), tiers (tầng), boxes (hộp)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.models.base import Base, UTCDateTime, utcnow


class Office(Base):
    """The provincial office (code 00) or a district office (01, 02, …)."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(100), default="")
    place: Mapped[str] = mapped_column(String(100), default="")


class Store(Base):
    """A room of shelves belonging to one office."""

    __tablename__ = "stores"
    __table_args__ = (UniqueConstraint("office_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    barcode: Mapped[str] = mapped_column(String(20), unique=True)

    office: Mapped[Office] = relationship(lazy="raise")


class Shelf(Base):
    """A rack (giá) in a store, numbered within it."""

    __tablename__ = "shelves"
    __table_args__ = (
        UniqueConstraint("store_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id"))
    number: Mapped[int] = mapped_column(Integer)
    barcode: Mapped[str] = mapped_column(String(20), unique=True)

    store: Mapped[Store] = relationship(lazy="raise")


class Tier(Base):
    """A level (tầng) of a shelf; its usable length in cm is the space boxes take."""

    __tablename__ = "tiers"
    __table_args__ = (
        UniqueConstraint("shelf_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("length_cm > 0", name="length_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shelf_id: Mapped[int] = mapped_column(ForeignKey("shelves.id"))
    number: Mapped[int] = mapped_column(Integer)
    length_cm: Mapped[int] = mapped_column(Integer, default=100)
    barcode: Mapped[str] = mapped_column(String(20), unique=True)

    shelf: Mapped[Shelf] = relationship(lazy="raise")


class BoxProfile(Base):
    """A kind of archival box: its width on the shelf and how many files it holds."""

    __tablename__ = "box_profiles"
    __table_args__ = (
        CheckConstraint("width_cm > 0", name="width_positive"),
        CheckConstraint("capacity_files > 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    width_cm: Mapped[float] = mapped_column(Numeric(6, 1, asdecimal=False))
    capacity_files: Mapped[int] = mapped_column(Integer)


class Box(Base):
    """An archival box: numbered within its office, standing at a position on a tier."""

    __tablename__ = "boxes"
    __table_args__ = (
        UniqueConstraint("office_id", "number"),
        UniqueConstraint("tier_id", "position"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    number: Mapped[int] = mapped_column(Integer)
    profile_id: Mapped[int] = mapped_column(ForeignKey("box_profiles.id"))
    tier_id: Mapped[int | None] = mapped_column(ForeignKey("tiers.id"), index=True)
    position: Mapped[int | None] = mapped_column(Integer)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"))
    barcode: Mapped[str] = mapped_column(String(20), unique=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    profile: Mapped[BoxProfile] = relationship(lazy="raise")
    tier: Mapped[Tier | None] = relationship(lazy="raise")
    office: Mapped[Office] = relationship(lazy="raise")


class BarcodeCounter(Base):
    """The next sequence number for barcodes of one kind in one office (allocated in blocks)."""

    __tablename__ = "barcode_counters"

    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    next_value: Mapped[int] = mapped_column(Integer, default=1)
