"""The contract every search backend keeps, and the results it returns (issue 4).

A backend indexes `FileDoc`s with the one analyser in `indexes.analyzer` and answers our `Query`:

* `add` adds or replaces files by `file_id`; `delete` removes them; neither is visible before
  `commit`. A writer error raises `IndexWriteFailed` after cancelling the pending changes; a
  backend never deletes or recreates an index to get past an error.
* `search(query, acl_offices)` returns files, never pages: each hit carries its best pages with
  snippets. `acl_offices=None` means province-wide; otherwise only those offices' files are
  matched *and counted* (total and facets). Exact-diacritic matches rank above folded-only ones.
  When the text matches nothing, a fuzzy pass (one edit per word) runs and `Results.fuzzy` says
  so. Hits must still be re-checked against the database before display.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from archive.errors import ArchiveError
from indexes.documents import FileDoc
from indexes.query import Query

# Ranking every backend applies: metadata (name, code, numbers) outweighs page text, and an
# exact-diacritic match outweighs any folded-only one, so "Hương" files rank above "hưởng" pages
# (measurements.md, folding pitfalls).
META_BOOST = 3
EXACT_BOOST = 10


class IndexWriteFailed(ArchiveError):
    """The index refused a change; pending changes were cancelled and nothing was deleted."""

    code = "search.index_write_failed"


class IndexUnusable(ArchiveError):
    """The index location holds something we did not write, or cannot be reached."""

    code = "search.index_unusable"


class IndexOutdated(IndexUnusable):
    """Our index, but of another schema version or one the engine can no longer open:
    `archive reindex` builds a new one beside it and keeps this one aside."""

    code = "search.index_outdated"


@dataclass(frozen=True)
class IndexOptions:
    """What a backend needs to know; built from Settings by the caller, never read from it."""

    path: Path
    writer_heap_bytes: int = 50_000_000
    writer_threads: int = 1
    best_pages: int = 3
    snippet_chars: int = 160


@dataclass(frozen=True)
class Snippet:
    """A stretch of page text with the matched spans (offsets into `text`) to highlight."""

    text: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class PageHit:
    page_number: int
    snippet: Snippet


@dataclass(frozen=True)
class Hit:
    """One matching file; `score` is the relevance (0.0 when sorted by a field)."""

    file_id: int
    score: float
    pages: tuple[PageHit, ...]


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class Facets:
    office: tuple[FacetCount, ...] = ()
    series: tuple[FacetCount, ...] = ()
    year: tuple[FacetCount, ...] = ()
    status: tuple[FacetCount, ...] = ()


@dataclass(frozen=True)
class Results:
    """One page of hits, the total of matching files, facet counts, and whether it was fuzzy."""

    hits: tuple[Hit, ...]
    total: int
    facets: Facets
    fuzzy: bool = False


class SearchBackend(Protocol):
    """A full-text engine behind our query model; see the module docstring for the contract."""

    def add(self, docs: Sequence[FileDoc]) -> None:
        """Add or replace these files (by file_id), visible after `commit`."""

    def delete(self, file_ids: Sequence[int]) -> None:
        """Remove these files, visible after `commit`; unknown ids are ignored."""

    def commit(self) -> None:
        """Make pending changes durable and visible; raises IndexWriteFailed on failure."""

    def search(self, query: Query, acl_offices: frozenset[str] | None) -> Results:
        """Files matching `query` within `acl_offices` (None: every office)."""

    def close(self) -> None:
        """Release the writer and readers; pending changes are cancelled."""
