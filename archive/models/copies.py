"""Copies (cung cấp bản sao): the price list and copy requests with their files and pages."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.models.base import Base, UTCDateTime, utcnow
from archive.models.files import File
from archive.models.loans import UsePurpose
from archive.models.reading import ID_PAPER_KINDS

COPY_KINDS = ("photocopy", "certified", "digital")
COPY_STATUSES = ("requested", "approved", "refused", "produced", "delivered", "cancelled")
REQUESTER_KINDS = ("internal", "citizen")


class CopyPrice(Base):
    """One price of the editable list, in whole đồng: per page of a kind, plus a fixed fee per
    request (certification). A new price is a new row from its date; old requests keep theirs."""

    __tablename__ = "copy_prices"
    __table_args__ = (
        CheckConstraint(f"kind IN {COPY_KINDS!r}", name="kind_known"),
        CheckConstraint("per_page_dong >= 0 AND per_request_dong >= 0", name="not_negative"),
        Index("ix_copy_prices_kind_from", "kind", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    per_page_dong: Mapped[int] = mapped_column(Integer)
    per_request_dong: Mapped[int] = mapped_column(Integer, default=0)
    valid_from: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CopyRequest(Base):
    """A request for copies from an internal officer or a citizen, through to delivery."""

    __tablename__ = "copy_requests"
    __table_args__ = (
        CheckConstraint(f"kind IN {COPY_KINDS!r}", name="kind_known"),
        CheckConstraint(f"status IN {COPY_STATUSES!r}", name="status_known"),
        CheckConstraint(f"requester_kind IN {REQUESTER_KINDS!r}", name="requester_known"),
        CheckConstraint(
            f"id_paper_kind IS NULL OR id_paper_kind IN {ID_PAPER_KINDS!r}", name="id_paper_known"
        ),
        CheckConstraint(
            "requester_kind = 'internal' OR id_paper_number IS NOT NULL", name="citizen_identified"
        ),
        CheckConstraint("fee_dong >= 0", name="fee_not_negative"),
        Index("ix_copy_requests_office_at", "office_id", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(20))
    requester_kind: Mapped[str] = mapped_column(String(20))
    requester_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requester_name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    id_paper_kind: Mapped[str | None] = mapped_column(String(20))
    id_paper_number: Mapped[str | None] = mapped_column(String(40))
    purpose_id: Mapped[int] = mapped_column(ForeignKey("use_purposes.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="requested")
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    # The fee as quoted from the price list when approved (whole đồng) and its receipt.
    fee_dong: Mapped[int] = mapped_column(Integer, default=0)
    receipt_number: Mapped[str] = mapped_column(String(40), default="")
    produced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    produced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A digital copy: the certified PDF, kept in the derived store under its SHA-256.
    output_sha256: Mapped[str | None] = mapped_column(String(64))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_to: Mapped[str] = mapped_column(String(200), default="")

    purpose: Mapped[UsePurpose] = relationship(lazy="raise")
    items: Mapped[list[CopyItem]] = relationship(
        lazy="raise", back_populates="request", order_by="CopyItem.id"
    )


class CopyItem(Base):
    """A file of a copy request and which of its pages (`""` = all), counted when approved."""

    __tablename__ = "copy_items"
    __table_args__ = (CheckConstraint("page_count >= 0", name="page_count_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("copy_requests.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    pages: Mapped[str] = mapped_column(String(200), default="")
    page_count: Mapped[int] = mapped_column(Integer, default=0)

    request: Mapped[CopyRequest] = relationship(lazy="raise", back_populates="items")
    file: Mapped[File] = relationship(lazy="raise")
