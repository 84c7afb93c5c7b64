"""`rebuild` on the PostgreSQL backend in the records database: an index of an older schema
version is rebuilt beside it (schema `search_rebuild`), swapped in, and kept aside (issue 4)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from archive.services.search_index import PG_SCHEMA, open_backend, rebuild
from archive.settings import Settings
from indexes.backend import IndexOutdated
from indexes.query import parse
from tests.search_world import build_world


@pytest.fixture
def pg_session(pg_engine: Engine) -> Iterator[Session]:
    """A rolled-back session on the test database (the index commits on its own connections)."""
    conn = pg_engine.connect()
    outer = conn.begin()
    yield Session(bind=conn, join_transaction_mode="create_savepoint")
    outer.rollback()
    conn.close()


@pytest.fixture
def pg_settings(pg_url: str, pg_engine: Engine, tmp_path: Path) -> Iterator[Settings]:
    yield Settings(env="test", data_dir=tmp_path, database_url=pg_url, search_backend="postgresql")
    with pg_engine.begin() as conn:
        names = conn.execute(
            text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"), {"p": f"{PG_SCHEMA}%"}
        ).scalars()
        for name in list(names):
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


def test_an_outdated_postgresql_index_is_rebuilt_beside_it_and_kept(
    pg_session: Session, pg_settings: Settings, pg_engine: Engine
) -> None:
    build_world(pg_session)
    assert rebuild(pg_session, pg_settings).kept_aside is None  # a new index: built in place
    with pg_engine.begin() as conn:
        conn.execute(text(f"UPDATE {PG_SCHEMA}.index_meta SET schema_version = 1"))
    with pytest.raises(IndexOutdated):
        open_backend(pg_settings)
    done = rebuild(pg_session, pg_settings)
    assert done.count == 7 and done.kept_aside is not None
    assert done.kept_aside.startswith(f"{PG_SCHEMA}_replaced_")
    index = open_backend(pg_settings)
    try:
        assert index.search(parse("4803004239"), None).total == 3
    finally:
        index.close()
    with pg_engine.connect() as conn:
        kept = f'"{done.kept_aside}".index_meta'
        assert conn.execute(text(f"SELECT schema_version FROM {kept}")).scalar() == 1
        assert conn.execute(text(f'SELECT count(*) FROM "{done.kept_aside}".documents')).scalar()
