"""A throwaway PostgreSQL database for the search conformance suite (issue 4).

One database per test session (per xdist worker), created on first use and dropped at the end;
each index path gets its own schema, so every test starts from an empty index.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from indexes.backend import IndexOptions
from indexes.backends.postgres_backend import PostgresBackend
from tests.conftest import PG_ADMIN_URL


class SearchDatabase:
    """The session's database for PostgreSQL indexes; `drop` removes it with every schema."""

    def __init__(self) -> None:
        self._name = f"archive_search_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self._name}"'))
            admin.dispose()
            self._engine = create_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{self._name}")
        return self._engine

    def drop(self) -> None:
        if self._engine is None:
            return
        self._engine.dispose()
        self._engine = None
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)'))
        admin.dispose()


SEARCH_DATABASE = SearchDatabase()


def schema_for(path: Path) -> str:
    """The schema standing for the index directory `path` (the same path, the same schema)."""
    return "search_" + hashlib.sha1(str(path).encode()).hexdigest()[:16]


def open_postgres(path: Path) -> PostgresBackend:
    """The PostgreSQL index for `path`; a directory holding files stands for a foreign schema."""
    engine = SEARCH_DATABASE.engine()
    schema = schema_for(path)
    if path.is_dir() and any(path.iterdir()):
        # The conformance suite's "foreign directory": someone else's table in our schema name.
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            conn.execute(text(f'CREATE TABLE IF NOT EXISTS "{schema}".notes (body text)'))
    return PostgresBackend(IndexOptions(path=path), database=engine, schema=schema)
