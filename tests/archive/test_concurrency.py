"""Concurrent writers on a real database: the audit chain never forks, barcodes never repeat."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, text

from archive import migrate
from archive.db import make_engine, session_factory, transaction
from archive.models import Store
from archive.services import audit, locations, offices
from tests.conftest import PG_ADMIN_URL
from tests.factories import ADMIN

WRITERS = 6
EACH = 8


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database of its own: these tests commit for real, from several connections."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
        migrate.upgrade(engine)
        yield engine
        engine.dispose()
        return
    name = f"archive_conc_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", pool_size=WRITERS)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_concurrent_writers_keep_one_chain_and_unique_barcodes(fresh_engine: Engine) -> None:
    factory = session_factory(fresh_engine)
    with transaction(factory) as session:
        office_id = offices.create_office(session, ADMIN, code="00", name="BHXH tỉnh").id

    def writer(n: int) -> None:
        for i in range(EACH):
            with transaction(factory) as session:
                locations.create_store(
                    session, ADMIN, office_id=office_id, code=f"{n}-{i}", name="Kho"
                )

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))
    with transaction(factory, write=False) as session:
        report = audit.verify(session)
        codes = session.scalars(select(Store.barcode)).all()
    assert report.first_broken_id is None
    assert report.checked == 1 + WRITERS * EACH
    assert len(codes) == len(set(codes)) == WRITERS * EACH
