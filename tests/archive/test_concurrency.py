"""Concurrent writers on a real database: the audit chain never forks, barcodes never repeat."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from archive.db import session_factory, transaction
from archive.models import Store
from archive.services import audit, locations, offices
from tests.databases import own_database
from tests.factories import ADMIN

WRITERS = 6
EACH = 8


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database of its own: these tests commit for real, from several connections."""
    with own_database(request.param, tmp_path, connections=WRITERS) as engine:
        yield engine


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
