"""Real databases for every test: each test runs on SQLite and on PostgreSQL.

SQLite: a migrated template file is copied per test. PostgreSQL: one migrated database per test
session (per xdist worker); each test runs inside an outer transaction that is rolled back, the
code under test committing only savepoints. PostgreSQL not reachable is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from archive import migrate
from archive.db import WRITE, make_engine, session_factory
from archive.settings import Settings

PG_ADMIN_URL = os.environ.get(
    "ARCHIVE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "archive.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    name = f"archive_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # a stopped server must fail the run loudly, never skip it
        pytest.fail(f"PostgreSQL is required for the tests and is not reachable: {exc}")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def factory(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[sessionmaker[Session]]:
    """A session factory on a clean migrated database of the test's backend."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "archive.sqlite3"
        shutil.copyfile(template, path)
        engine = make_engine(f"sqlite:///{path}")
        yield session_factory(engine)
        engine.dispose()
        return
    pg: Engine = request.getfixturevalue("pg_engine")
    conn = pg.connect()
    outer = conn.begin()
    yield sessionmaker(bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint")
    outer.rollback()
    conn.close()


@pytest.fixture
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One open write transaction, rolled back after the test."""
    s = factory()
    s.begin()
    s.connection(execution_options=WRITE)
    yield s
    s.rollback()
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(env="test", data_dir=tmp_path / "data", database_url="unused://")
