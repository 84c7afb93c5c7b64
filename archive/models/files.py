"""What is kept: record series with versioned retention, files (hồ sơ), people, employers, moves."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.models.base import Base, UTCDateTime, utcnow
from archive.models.locations import Box, Office

SERIES_KINDS = ("benefit", "operational", "passbook_review")
RETENTION_TRIGGERS = (
    "none",
    "closed_year",
    "fiscal_year_end",
    "benefit_end",
    "contract_end",
    "destruction_year",
)
FILE_STATUSES = ("active", "on_loan", "missing", "destroyed", "transferred")


class Series(Base):
    """A record series (loại hồ sơ); its retention rule is data, versioned below."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20))
    restricted: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (CheckConstraint(f"kind IN {SERIES_KINDS!r}", name="kind_known"),)


class RetentionRule(Base):
    """One version of a series' retention: permanent (no years) or N years from a trigger."""

    __tablename__ = "retention_rules"
    __table_args__ = (
        UniqueConstraint("series_id", "version"),
        CheckConstraint(f"trigger IN {RETENTION_TRIGGERS!r}", name="trigger_known"),
        CheckConstraint(
            "(period_years IS NULL AND trigger = 'none') OR "
            "(period_years > 0 AND trigger <> 'none')",
            name="period_matches_trigger",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    version: Mapped[int] = mapped_column(Integer)
    period_years: Mapped[int | None] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    series: Mapped[Series] = relationship(lazy="raise")


class Person(Base):
    """One record per social-insurance number, linked to all of that person's files."""

    __tablename__ = "people"
    __table_args__ = (Index("ix_people_name_folded_birth", "name_folded", "birth_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ssn: Mapped[str] = mapped_column(String(10), unique=True)
    citizen_id: Mapped[str | None] = mapped_column(String(12), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    name_exact: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)


class Employer(Base):
    """An employer unit (mã đơn vị), unique within the province."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300), default="")


class File(Base):
    """A file (hồ sơ): the unit that is counted, located, lent and destroyed."""

    __tablename__ = "files"
    __table_args__ = (
        UniqueConstraint("office_id", "code"),
        UniqueConstraint("box_id", "position"),
        CheckConstraint("sheet_count >= 0", name="sheets_not_negative"),
        CheckConstraint(f"status IN {FILE_STATUSES!r}", name="status_known"),
        CheckConstraint(
            "start_date IS NULL OR end_date IS NULL OR start_date <= end_date",
            name="dates_ordered",
        ),
        Index("ix_files_office_series", "office_id", "series_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    sheet_count: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")
    box_id: Mapped[int | None] = mapped_column(ForeignKey("boxes.id"), index=True)
    position: Mapped[int | None] = mapped_column(Integer)
    barcode: Mapped[str] = mapped_column(String(20), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    benefit_type: Mapped[str] = mapped_column(String(100), default="")
    passbook_number: Mapped[str | None] = mapped_column(String(20), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"), index=True)
    district_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    handover_id: Mapped[int | None] = mapped_column(ForeignKey("handover_batches.id"), index=True)
    # Indexed for "files received per period" (reports.received).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    office: Mapped[Office] = relationship(lazy="raise", foreign_keys=[office_id])
    series: Mapped[Series] = relationship(lazy="raise")
    box: Mapped[Box | None] = relationship(lazy="raise")
    person: Mapped[Person | None] = relationship(lazy="raise")
    employer: Mapped[Employer | None] = relationship(lazy="raise")


class Movement(Base):
    """One move of a file between boxes, or of a box between tiers: from, to, who, when, why."""

    __tablename__ = "movements"
    __table_args__ = (
        CheckConstraint("kind IN ('file', 'box')", name="kind_known"),
        Index("ix_movements_file", "file_id", "at"),
        Index("ix_movements_box", "box_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    box_id: Mapped[int | None] = mapped_column(ForeignKey("boxes.id"))
    from_ref_id: Mapped[int | None] = mapped_column(Integer)
    from_position: Mapped[int | None] = mapped_column(Integer)
    to_ref_id: Mapped[int | None] = mapped_column(Integer)
    to_position: Mapped[int | None] = mapped_column(Integer)
    from_path: Mapped[str] = mapped_column(Text, default="")
    to_path: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
