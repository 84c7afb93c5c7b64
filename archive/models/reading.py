"""The reading room (nghiên cứu tại chỗ): visits and the files served in them; and lookups
(tra cứu) answered without a visit."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.models.base import Base, UTCDateTime, utcnow
from archive.models.files import File
from archive.models.loans import UsePurpose

VISIT_STATUSES = ("requested", "approved", "refused", "open", "closed")
VISIT_ITEM_STATUSES = ("requested", "served", "returned", "not_served")
ID_PAPER_KINDS = ("citizen_id", "passport", "staff_card", "other")
LOOKUP_CHANNELS = ("in_person", "phone", "letter", "internal", "online")


class ReadingVisit(Base):
    """A visit to the reading room: who, from where, with which identity paper, why, which files."""

    __tablename__ = "reading_visits"
    __table_args__ = (
        CheckConstraint(f"status IN {VISIT_STATUSES!r}", name="status_known"),
        CheckConstraint(f"id_paper_kind IN {ID_PAPER_KINDS!r}", name="id_paper_known"),
        Index("ix_reading_visits_office_day", "office_id", "visit_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    visitor_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    id_paper_kind: Mapped[str] = mapped_column(String(20))
    id_paper_number: Mapped[str] = mapped_column(String(40))
    purpose_id: Mapped[int] = mapped_column(ForeignKey("use_purposes.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    visit_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    needs_approval: Mapped[bool] = mapped_column(default=False)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    purpose: Mapped[UsePurpose] = relationship(lazy="raise")
    items: Mapped[list[VisitItem]] = relationship(
        lazy="raise", back_populates="visit", order_by="VisitItem.id"
    )


class VisitItem(Base):
    """A file requested in a visit: served at the desk, returned the same day (or flagged)."""

    __tablename__ = "visit_items"
    __table_args__ = (
        UniqueConstraint("visit_id", "file_id"),
        CheckConstraint(f"status IN {VISIT_ITEM_STATUSES!r}", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("reading_visits.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    served_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by the closing-time check when the file is still out of its box.
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    visit: Mapped[ReadingVisit] = relationship(lazy="raise", back_populates="items")
    file: Mapped[File] = relationship(lazy="raise")


class Lookup(Base):
    """A question answered from the records without a visit (phone, letter, an internal ask)."""

    __tablename__ = "lookups"
    __table_args__ = (
        CheckConstraint(f"channel IN {LOOKUP_CHANNELS!r}", name="channel_known"),
        Index("ix_lookups_office_at", "office_id", "asked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    asker_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    channel: Mapped[str] = mapped_column(String(20))
    purpose_id: Mapped[int] = mapped_column(ForeignKey("use_purposes.id"))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    purpose: Mapped[UsePurpose] = relationship(lazy="raise")
