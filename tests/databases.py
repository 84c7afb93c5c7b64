"""A migrated database of a test's own, for tests that commit for real from several connections
(concurrency): a SQLite file, or a PostgreSQL database created and dropped around the test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from archive import migrate
from archive.db import make_engine
from tests.conftest import PG_ADMIN_URL


@contextmanager
def own_database(kind: str, tmp_path: Path, *, connections: int = 5) -> Iterator[Engine]:
    """A fresh migrated database of `kind` ("sqlite" or "postgresql") with a pool of at least
    `connections` connections; dropped afterwards."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / f'own-{uuid.uuid4().hex[:6]}.sqlite3'}")
        migrate.upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    name = f"archive_own_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(
        PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", pool_size=connections, max_overflow=5
    )
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
