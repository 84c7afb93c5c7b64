"""Saved searches: a user's named queries, stored in our query model (issue 4, never engine syntax)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.models.base import Base, UTCDateTime, utcnow


class SavedSearch(Base):
    """One named search of one user; `query` is `indexes.query.Query.to_json()` (versioned)."""

    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique (user_id, name) index also serves "my saved searches".
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
