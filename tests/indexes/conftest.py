"""Backends under the conformance suite: each test runs once per backend (issue 4).

Whoosh and PostgreSQL join by adding their opener to OPENERS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from indexes.backend import IndexOptions, SearchBackend
from indexes.backends.tantivy_backend import TantivyBackend
from indexes.backends.whoosh_backend import WhooshBackend
from tests.indexes.corpus import CORPUS
from tests.indexes.pg import SEARCH_DATABASE, open_postgres

Opener = Callable[[Path], SearchBackend]
OPENERS: dict[str, Opener] = {
    "tantivy": lambda path: TantivyBackend(IndexOptions(path=path, writer_heap_bytes=15_000_000)),
    "whoosh": lambda path: WhooshBackend(IndexOptions(path=path)),
    "postgresql": open_postgres,
}


@pytest.fixture(scope="session", autouse=True)
def _drop_search_database() -> Iterator[None]:
    yield
    SEARCH_DATABASE.drop()


@pytest.fixture(params=sorted(OPENERS))
def open_backend(request: pytest.FixtureRequest) -> Iterator[Opener]:
    opened: list[SearchBackend] = []

    def opener(path: Path) -> SearchBackend:
        backend = OPENERS[request.param](path)
        opened.append(backend)
        return backend

    yield opener
    for backend in opened:
        backend.close()


@pytest.fixture
def backend(open_backend: Opener, tmp_path: Path) -> SearchBackend:
    opened = open_backend(tmp_path / "index")
    opened.add(list(CORPUS))
    opened.commit()
    return opened
