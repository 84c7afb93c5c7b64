"""Scanned pages: intake batches, the documents they brought, and every page with its text.

A page is identified by its original's SHA-256 and its index within that original; the pair is
unique in the database, which is what makes the same page uploaded twice exist once. Originals
are never modified: removing a page from a file marks the row, the bytes stay in the store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column

from archive.models.base import Base, UTCDateTime, utcnow

BATCH_SOURCES = ("upload", "folder", "cli")
BATCH_STATUSES = ("processing", "done", "failed")
PAGE_ROLES = ("content", "cover", "blank")
# pending: waiting for a worker; working: a worker holds it (claimed_at is its lease);
# done: processed (content OCR'd or taken from the PDF's text layer; covers and blanks read).
PAGE_STATUSES = ("pending", "working", "done", "failed")
TEXT_SOURCES = ("ocr", "pdf", "manual")


class ScanBatch(Base):
    """One intake: an upload of one or more documents, a hot-folder pick-up or a CLI run."""

    __tablename__ = "scan_batches"
    __table_args__ = (
        CheckConstraint(f"source IN {BATCH_SOURCES!r}", name="source_known"),
        CheckConstraint(f"status IN {BATCH_STATUSES!r}", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    source: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(Text, default="")
    # All pages go to this file unless a cover sheet in the batch says otherwise.
    target_file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    status: Mapped[str] = mapped_column(String(12), default="processing")
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    pages_new: Mapped[int] = mapped_column(Integer, default=0)
    pages_known: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ScanSource(Base):
    """A document of a batch as received: an original in the store, split into pages."""

    __tablename__ = "scan_sources"
    __table_args__ = (UniqueConstraint("batch_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("scan_batches.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    page_count: Mapped[int] = mapped_column(Integer)


class Page(Base):
    """One scanned page: where it came from, which file it belongs to, and its text."""

    __tablename__ = "pages"
    __table_args__ = (
        UniqueConstraint("sha256", "source_index"),
        CheckConstraint(f"role IN {PAGE_ROLES!r}", name="role_known"),
        CheckConstraint(f"status IN {PAGE_STATUSES!r}", name="status_known"),
        CheckConstraint("source_index >= 0", name="index_not_negative"),
        Index("ix_pages_file_order", "file_id", "position"),
        Index("ix_pages_batch_order", "batch_id", "batch_seq"),
        Index("ix_pages_office_tray", "office_id", "file_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    source_index: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("scan_batches.id"))
    batch_seq: Mapped[int] = mapped_column(Integer)  # order within the batch, across its sources
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    position: Mapped[int | None] = mapped_column(Integer)  # order within the file, from 1
    role: Mapped[str] = mapped_column(String(10), default="content")
    barcode: Mapped[str | None] = mapped_column(String(40))  # an archive barcode read on it
    status: Mapped[str] = mapped_column(String(10), default="pending")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(60))
    dpi: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = deferred(mapped_column(Text, default="", nullable=False))
    words: Mapped[str] = deferred(
        mapped_column(Text, default="[]", nullable=False)
    )  # JSON rows of Word
    text_source: Mapped[str | None] = mapped_column(String(10))
    confidence: Mapped[float | None] = mapped_column(Float)
    ocr_engine: Mapped[str] = mapped_column(String(60), default="")
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScanFolder(Base):
    """A scanner's output directory, watched by the worker for one office."""

    __tablename__ = "scan_folders"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchOutbox(Base):
    """Files whose index documents are stale: written in the same transaction as the change,
    drained by the single index writer after the commit (so no change is ever forgotten)."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(Integer, index=True)
    # A range of files (file_id..file_id_to, inclusive): what a bulk import marks in one row.
    file_id_to: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
