"""Custody moves: passbooks (sổ BHXH) and their review stages, and handover slips that move
files or passbooks between holders (archive, a department, the post office, an employer)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.models.base import Base, UTCDateTime, utcnow
from archive.models.files import File

HOLDER_KINDS = ("archive", "department", "post_office", "employer", "person", "office")
TRANSFER_STATUSES = ("sent", "received", "cancelled")
# The passbook-review stages, in the order of the progress report's columns.
PASSBOOK_STAGES = (
    "received",  # Số lượng 04: the passbook came in for review
    "form03_printed",  # Mẫu 03 printed
    "form03_handed_out",  # Mẫu 03 handed to the employer / worker
    "form03_returned",  # Mẫu 03 received back, signed
    "approved",
    "passbook_printed",
)


class Passbook(Base):
    """A worker's passbook: where it is now (holder, since when) and how far its review got."""

    __tablename__ = "passbooks"
    __table_args__ = (
        CheckConstraint(f"holder_kind IN {HOLDER_KINDS!r}", name="holder_known"),
        Index("ix_passbooks_office", "office_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    holder_kind: Mapped[str] = mapped_column(String(20), default="archive")
    holder_name: Mapped[str] = mapped_column(String(300), default="")
    holder_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A slip sent but not yet received: the passbook is in transit and cannot be sent again.
    pending_transfer_id: Mapped[int | None] = mapped_column(ForeignKey("custody_transfers.id"))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    form03_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    form03_handed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    form03_returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    passbook_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CustodyTransfer(Base):
    """A handover slip (phiếu giao nhận): items from one holder to another, sent then received."""

    __tablename__ = "custody_transfers"
    __table_args__ = (
        CheckConstraint(f"from_kind IN {HOLDER_KINDS!r}", name="from_known"),
        CheckConstraint(f"to_kind IN {HOLDER_KINDS!r}", name="to_known"),
        CheckConstraint(f"status IN {TRANSFER_STATUSES!r}", name="status_known"),
        Index("ix_custody_transfers_office_at", "office_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    from_kind: Mapped[str] = mapped_column(String(20))
    from_name: Mapped[str] = mapped_column(String(300))
    from_person: Mapped[str] = mapped_column(String(200), default="")
    to_kind: Mapped[str] = mapped_column(String(20))
    to_name: Mapped[str] = mapped_column(String(300))
    to_person: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="sent")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_by_name: Mapped[str] = mapped_column(String(200), default="")
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    items: Mapped[list[CustodyItem]] = relationship(
        lazy="raise", back_populates="transfer", order_by="CustodyItem.id"
    )


class CustodyItem(Base):
    """One file or one passbook on a slip."""

    __tablename__ = "custody_items"
    __table_args__ = (
        CheckConstraint("(file_id IS NULL) <> (passbook_id IS NULL)", name="file_or_passbook"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("custody_transfers.id"), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"), index=True)
    passbook_id: Mapped[int | None] = mapped_column(ForeignKey("passbooks.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")

    transfer: Mapped[CustodyTransfer] = relationship(lazy="raise", back_populates="items")
    file: Mapped[File | None] = relationship(lazy="raise")
