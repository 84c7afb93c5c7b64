"""People who use the archive: users, their roles and office scope, API tokens, web sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.models.base import Base, UTCDateTime, utcnow
from archive.models.locations import Office

ROLES = ("administrator", "archivist", "approver", "staff", "inspector")


class User(Base):
    """A person who logs in; sees their own office's holdings unless granted more."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200), default="")
    # The barcode on the staff card scanned at the loans desk (`U` + office + sequence).
    card_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    all_offices: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(String(2), default="vi")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    office: Mapped[Office] = relationship(lazy="raise")


class Department(Base):
    """A department of an office and its head: overdue reminders from level 2 go to the head."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(200))
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_position: Mapped[str] = mapped_column(String(200), default="")
    head_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class UserRole(Base):
    """One role held by a user."""

    __tablename__ = "user_roles"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class OfficeGrant(Base):
    """An extra office whose holdings a user may see and change."""

    __tablename__ = "office_grants"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebSession(Base):
    """A logged-in browser: the cookie holds a random token (hashed here) and a CSRF secret."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
