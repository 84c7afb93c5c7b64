"""Bulk inserts with SQLAlchemy Core: executemany in chunks, never one ORM object per row."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from archive.models import Base

CHUNK = 10_000


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def insert_rows(session: Session, model: type[Base], rows: Iterable[dict[str, Any]]) -> int:
    """Insert `rows` (consumed lazily) in chunks; returns how many were written.

    The Core path is about 1.5x the ORM bulk path (reference/measurements.md)."""
    statement = insert(table_of(model))
    written = 0
    it = iter(rows)
    while chunk := list(islice(it, CHUNK)):
        session.execute(statement, chunk)
        written += len(chunk)
    return written
