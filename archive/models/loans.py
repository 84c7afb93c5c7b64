"""Loans (cho mượn): purposes with their due-date policy, holidays, loans and their files, the
out-cards that say where a file is while it is out of its box, and inbox notices."""

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

from archive.models.accounts import User
from archive.models.base import Base, UTCDateTime, utcnow
from archive.models.files import File
from archive.models.locations import Office

LOAN_STATUSES = (
    "requested",  # waiting for an approver
    "approved",  # approved, files not yet handed out
    "refused",
    "cancelled",
    "sent",  # to another office: handed to the carrier, not yet received there
    "out",  # with the borrower
    "returned",  # every file back
)
LOAN_OPEN_STATUSES = ("requested", "approved", "sent", "out")
ITEM_STATUSES = ("requested", "out", "returned", "not_served")
OUT_KINDS = ("loan", "reading", "custody")
NOTICE_KINDS = ("loan.requested", "loan.decided", "loan.overdue", "loan.returned", "visit.open")


class UsePurpose(Base):
    """Why records are used (benefit settlement, inspection, complaint…): an editable list.

    For loans it carries the due-date policy: `loan_days` working days, `max_renewals` renewals
    of `renewal_days` working days each."""

    __tablename__ = "use_purposes"
    __table_args__ = (
        CheckConstraint("loan_days > 0", name="loan_days_positive"),
        CheckConstraint("max_renewals >= 0", name="renewals_not_negative"),
        CheckConstraint("renewal_days > 0", name="renewal_days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    loan_days: Mapped[int] = mapped_column(Integer, default=10)
    max_renewals: Mapped[int] = mapped_column(Integer, default=1)
    renewal_days: Mapped[int] = mapped_column(Integer, default=5)
    active: Mapped[bool] = mapped_column(default=True)


class Holiday(Base):
    """A public holiday (or a compensating day off): not a working day for due dates."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class Loan(Base):
    """One loan: a borrower, a purpose, an approval, a due date, one or more files."""

    __tablename__ = "loans"
    __table_args__ = (
        CheckConstraint(f"status IN {LOAN_STATUSES!r}", name="status_known"),
        CheckConstraint("renewals >= 0", name="renewals_not_negative"),
        CheckConstraint("overdue_level BETWEEN 0 AND 3", name="overdue_level_known"),
        CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id <> requested_by_id", name="not_self_approved"
        ),
        Index("ix_loans_office_status", "office_id", "status"),
        Index("ix_loans_borrower", "borrower_id", "status"),
        Index("ix_loans_due", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    borrower_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Snapshots: the slip and the register show who borrowed, as they were then.
    borrower_name: Mapped[str] = mapped_column(String(200))
    borrower_department: Mapped[str] = mapped_column(String(200), default="")
    # Set when the files travel to another office (two steps: sent, then received there).
    to_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    purpose_id: Mapped[int] = mapped_column(ForeignKey("use_purposes.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="requested")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    handed_out_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_by_name: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date | None] = mapped_column(Date)
    renewals: Mapped[int] = mapped_column(Integer, default=0)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 0 = not overdue; 1–3 = the reminder level the daily job has reached.
    overdue_level: Mapped[int] = mapped_column(Integer, default=0)
    overdue_since: Mapped[date | None] = mapped_column(Date)

    office: Mapped[Office] = relationship(lazy="raise", foreign_keys=[office_id])
    borrower: Mapped[User] = relationship(lazy="raise", foreign_keys=[borrower_id])
    purpose: Mapped[UsePurpose] = relationship(lazy="raise")
    items: Mapped[list[LoanItem]] = relationship(
        lazy="raise", back_populates="loan", order_by="LoanItem.id"
    )


class LoanItem(Base):
    """One file of a loan: requested, out, returned (with what the return check found)."""

    __tablename__ = "loan_items"
    __table_args__ = (
        UniqueConstraint("loan_id", "file_id"),
        CheckConstraint(f"status IN {ITEM_STATUSES!r}", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    sheets_out: Mapped[int | None] = mapped_column(Integer)
    sheets_back: Mapped[int | None] = mapped_column(Integer)
    condition_back: Mapped[str] = mapped_column(String(200), default="")
    discrepancy: Mapped[str] = mapped_column(Text, default="")
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    loan: Mapped[Loan] = relationship(lazy="raise", back_populates="items")
    file: Mapped[File] = relationship(lazy="raise")


class OutCard(Base):
    """A file out of its box (on loan, in the reading room, handed to another holder).

    The file id is the primary key: a file is out once or not at all. Two desks handing out the
    same file at the same moment both try to insert this row; the database lets exactly one in.
    The box slot keeps the file's position; the out-card says where it is and until when."""

    __tablename__ = "out_cards"
    __table_args__ = (
        CheckConstraint(f"kind IN {OUT_KINDS!r}", name="kind_known"),
        CheckConstraint(
            "(kind = 'loan' AND loan_id IS NOT NULL) OR "
            "(kind = 'reading' AND visit_id IS NOT NULL) OR "
            "(kind = 'custody' AND transfer_id IS NOT NULL)",
            name="source_given",
        ),
    )

    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("reading_visits.id"), index=True)
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("custody_transfers.id"), index=True)
    holder: Mapped[str] = mapped_column(String(300))
    until: Mapped[date | None] = mapped_column(Date)
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Notice(Base):
    """A message in a user's inbox (a loan to approve, an overdue loan, a decision)."""

    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint(f"kind IN {NOTICE_KINDS!r}", name="kind_known"),
        Index("ix_notices_user_unread", "user_id", "read_at"),
        UniqueConstraint("user_id", "kind", "loan_id", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"))
    # The overdue level a notice announces (0 for other kinds): one notice per level.
    level: Mapped[int] = mapped_column(Integer, default=0)
    params: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
