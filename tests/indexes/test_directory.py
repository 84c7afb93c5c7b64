"""Index directories (tantivy, Whoosh): a foreign directory is refused; our own of another schema
version, or one the engine cannot open, is outdated and rebuilt beside it, the old one kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from indexes.backend import IndexOptions, IndexOutdated, IndexUnusable, SearchBackend
from indexes.backends import directory
from indexes.backends.tantivy_backend import TantivyBackend
from indexes.backends.whoosh_backend import WhooshBackend
from indexes.query import parse
from tests.indexes.corpus import CORPUS

OPENERS: dict[str, Callable[[Path], SearchBackend]] = {
    "tantivy": lambda path: TantivyBackend(IndexOptions(path=path, writer_heap_bytes=15_000_000)),
    "whoosh": lambda path: WhooshBackend(IndexOptions(path=path)),
}


@pytest.fixture(params=sorted(OPENERS))
def opener(request: pytest.FixtureRequest) -> Callable[[Path], SearchBackend]:
    return OPENERS[request.param]


def _built(opener: Callable[[Path], SearchBackend], path: Path, docs: int) -> None:
    index = opener(path)
    index.add(list(CORPUS[:docs]))
    index.commit()
    index.close()


def _total(opener: Callable[[Path], SearchBackend], path: Path) -> int:
    index = opener(path)
    try:
        return index.search(parse(""), None).total
    finally:
        index.close()


def test_another_schema_version_is_outdated_and_rebuilt_beside_it(
    opener: Callable[[Path], SearchBackend], tmp_path: Path
) -> None:
    live = tmp_path / "index"
    _built(opener, live, 2)
    marker = live / directory.MARKER
    old = json.loads(marker.read_text(encoding="utf-8"))
    marker.write_text(json.dumps({**old, "schema": 0}), encoding="utf-8")
    with pytest.raises(IndexOutdated):
        opener(live)
    (live.with_name("index.rebuild")).mkdir()  # left by an interrupted rebuild
    (live.with_name("index.rebuild") / "half-written").write_text("x", encoding="utf-8")
    _built(opener, directory.staging(live), len(CORPUS))
    kept = directory.swap_in(live, "20261123170000")
    assert kept == tmp_path / "index.replaced-20261123170000"
    assert _total(opener, live) == len(CORPUS)
    assert json.loads((kept / directory.MARKER).read_text(encoding="utf-8"))["schema"] == 0
    assert not live.with_name("index.rebuild").exists()


# Whoosh leaves the table-of-contents file it failed to read open (its leak, not ours).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_our_directory_the_engine_cannot_open_is_outdated(
    opener: Callable[[Path], SearchBackend], tmp_path: Path
) -> None:
    live = tmp_path / "index"
    _built(opener, live, 2)
    for path in live.iterdir():
        if path.name != directory.MARKER and path.is_file():
            path.write_bytes(b"\0garbage")
    with pytest.raises(IndexOutdated):
        _total(opener, live)


def test_a_foreign_marker_is_unusable_not_outdated(
    opener: Callable[[Path], SearchBackend], tmp_path: Path
) -> None:
    live = tmp_path / "index"
    live.mkdir()
    (live / directory.MARKER).write_text('{"backend": "lucene", "schema": 1}', encoding="utf-8")
    with pytest.raises(IndexUnusable) as refused:
        opener(live)
    assert not isinstance(refused.value, IndexOutdated)


def test_a_rebuild_stopped_between_its_renames_is_not_replaced_by_an_empty_index(
    opener: Callable[[Path], SearchBackend], tmp_path: Path
) -> None:
    live = tmp_path / "index"
    _built(opener, directory.staging(live), len(CORPUS))
    assert not live.exists()  # the old index was renamed aside, the new one not yet in place
    with pytest.raises(IndexOutdated):
        opener(live)
    assert not live.exists()
    directory.swap_in(live, "20261123170000")  # as the next rebuild ends, after its own staging
    assert _total(opener, live) == len(CORPUS)
