"""Handover in (giao nhận): a batch of files handed to the archive, checked against its catalogue."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.models.base import Base, UTCDateTime, utcnow
from archive.models.locations import Office

BATCH_STATUSES = ("open", "completed", "cancelled")
ITEM_STATUSES = ("expected", "received", "missing", "extra")


class HandoverBatch(Base):
    """One handover from a department or district office, with both parties and its catalogue."""

    __tablename__ = "handover_batches"
    __table_args__ = (
        CheckConstraint(f"status IN {BATCH_STATUSES!r}", name="status_known"),
        CheckConstraint("kind IN ('general', 'passbook_review')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="general")
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    source_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    source_department: Mapped[str] = mapped_column(String(300), default="")
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"))
    giver_name: Mapped[str] = mapped_column(String(200))
    giver_position: Mapped[str] = mapped_column(String(200), default="")
    receiver_name: Mapped[str] = mapped_column(String(200))
    receiver_position: Mapped[str] = mapped_column(String(200), default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    condition: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    office: Mapped[Office] = relationship(lazy="raise", foreign_keys=[office_id])


class HandoverItem(Base):
    """A catalogue line of a batch, and what the check found (received, missing, extra)."""

    __tablename__ = "handover_items"
    __table_args__ = (
        UniqueConstraint("batch_id", "file_code"),
        CheckConstraint(f"status IN {ITEM_STATUSES!r}", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("handover_batches.id"), index=True)
    row_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="expected")
    file_code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    sheet_count: Mapped[int | None] = mapped_column(Integer)
    retention_text: Mapped[str] = mapped_column(String(100), default="")
    box_number: Mapped[int | None] = mapped_column(Integer)
    ssn: Mapped[str | None] = mapped_column(String(10))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    employer_code: Mapped[str | None] = mapped_column(String(20))
    employer_name: Mapped[str] = mapped_column(String(300), default="")
    passbook_number: Mapped[str | None] = mapped_column(String(20))
    benefit_type: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    discrepancy: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
