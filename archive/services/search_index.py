"""The search index as derived data: files from the database to `FileDoc`s, rebuilds, and the
backend chosen by `ARCHIVE_SEARCH_BACKEND` (issue 4)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from archive.errors import ArchiveError
from archive.models import Box, Employer, File, Office, Page, Person, Series, utcnow
from archive.settings import Settings
from indexes.backend import IndexOptions, IndexOutdated, SearchBackend
from indexes.backends import directory, postgres_schemas
from indexes.documents import FileDoc

# Files the index holds: everything still on record. Destroyed files leave the index.
NOT_INDEXED_STATUSES = ("destroyed",)
PG_SCHEMA = "search"  # the PostgreSQL backend's schema in the records database
# Backends written beside tantivy, imported only when chosen (module, class).
_LAZY_BACKENDS = {
    "whoosh": ("indexes.backends.whoosh_backend", "WhooshBackend"),
    "postgresql": ("indexes.backends.postgres_backend", "PostgresBackend"),
}

# Plain columns in one joined query per batch: no ORM entities, no per-row queries.
_DOC_ROWS: Select[*tuple[Any, ...]] = (
    select(
        File.id,
        File.code,
        File.title,
        File.status,
        File.start_date,
        File.end_date,
        Office.code.label("office_code"),
        Series.code.label("series_code"),
        Box.number.label("box_number"),
        Person.full_name,
        Person.ssn,
        Person.citizen_id,
        Person.birth_date,
        Employer.code.label("employer_code"),
    )
    .join(Office, Office.id == File.office_id)
    .join(Series, Series.id == File.series_id)
    .outerjoin(Box, Box.id == File.box_id)
    .outerjoin(Person, Person.id == File.person_id)
    .outerjoin(Employer, Employer.id == File.employer_id)
)


class BackendUnavailable(ArchiveError):
    """The configured search backend is not installed in this build."""

    code = "search.backend_unavailable"


def box_key(number: int | str | None) -> str | None:
    """The box number as indexed and filtered: digits without leading zeros (`045` → `45`)."""
    if number is None:
        return None
    text = str(number).strip()
    return str(int(text)) if text.isdigit() else text


PageTexts = dict[int, tuple[tuple[int, str], ...]]


def page_texts(session: Session, file_ids: Sequence[int]) -> PageTexts:
    """Each file's content pages in order, as (page number, text): what the index searches."""
    if not file_ids:
        return {}
    rows = session.execute(
        select(Page.file_id, Page.position, Page.text)
        .where(
            Page.file_id.in_(file_ids),
            Page.role == "content",
            Page.removed_at.is_(None),
            Page.position.is_not(None),
        )
        .order_by(Page.file_id, Page.position)
    )
    out: dict[int, list[tuple[int, str]]] = {}
    for file_id, position, text in rows:
        if file_id is not None and position is not None:
            out.setdefault(file_id, []).append((position, text or ""))
    return {file_id: tuple(pages) for file_id, pages in out.items()}


def _doc(row: Row[*tuple[Any, ...]], pages: PageTexts) -> FileDoc:
    when = row.end_date or row.start_date
    scans = pages.get(row.id, ())
    return FileDoc(
        file_id=row.id,
        office_code=row.office_code,
        series_code=row.series_code,
        year=when.year if when is not None else None,
        status=row.status,
        code=row.code,
        title=row.title,
        box_number=box_key(row.box_number),
        has_scans=bool(scans),
        person_name=row.full_name or "",
        ssn=row.ssn,
        citizen_id=row.citizen_id,
        employer_code=row.employer_code,
        birth_date=row.birth_date,
        pages=scans,
    )


def file_docs(session: Session, file_ids: Sequence[int]) -> list[FileDoc]:
    """The index documents of these files (destroyed and unknown ids are left out)."""
    if not file_ids:
        return []
    stmt = _DOC_ROWS.where(
        File.id.in_(file_ids), File.status.not_in(NOT_INDEXED_STATUSES)
    ).order_by(File.id)
    rows = session.execute(stmt).all()
    pages = page_texts(session, [row.id for row in rows])
    return [_doc(row, pages) for row in rows]


def indexed_file_count(session: Session) -> int:
    """How many files a full rebuild indexes (every file not destroyed)."""
    stmt = select(func.count(File.id)).where(File.status.not_in(NOT_INDEXED_STATUSES))
    return int(session.scalar(stmt) or 0)


def _batches(session: Session, batch: int) -> Iterable[list[Row[*tuple[Any, ...]]]]:
    """Every file (destroyed ones too) in id order, `batch` rows per query (keyset paging)."""
    after = 0
    while True:
        rows = list(
            session.execute(_DOC_ROWS.where(File.id > after).order_by(File.id).limit(batch))
        )
        if not rows:
            return
        yield rows
        after = rows[-1].id


def reindex(
    session: Session,
    backend: SearchBackend,
    *,
    batch: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild the index from the database; returns the number of files indexed.

    Destroyed files and ids no longer in the database are removed. Nothing is visible until the
    final commit; on any error the pending changes are cancelled and the error raised."""
    indexed, expected_id = 0, 1
    try:
        for rows in _batches(session, batch):
            live = [row for row in rows if row.status not in NOT_INDEXED_STATUSES]
            gone = [row.id for row in rows if row.status in NOT_INDEXED_STATUSES]
            for row in rows:  # ids skipped by the sequence or of rows deleted since
                gone.extend(range(expected_id, row.id))
                expected_id = row.id + 1
            pages = page_texts(session, [row.id for row in live])
            backend.add([_doc(row, pages) for row in live])
            backend.delete(gone)
            indexed += len(live)
            if progress is not None:
                progress(len(live))
        backend.commit()
    except BaseException:
        backend.close()
        raise
    return indexed


def index_options(settings: Settings, backend: str) -> IndexOptions:
    """Where a backend keeps its index: `<data_dir>/index/<backend>`."""
    return IndexOptions(path=settings.data_dir / "index" / backend)


def open_backend(
    settings: Settings, *, name: str | None = None, staging: bool = False
) -> SearchBackend:
    """The search backend `settings.search_backend` (or `name`) names, opened on its index, or
    with `staging` on an empty index beside it (see `rebuild`).

    Refuses a backend that is not installed in this build (BackendUnavailable)."""
    chosen = name or settings.search_backend
    options = index_options(settings, chosen)
    if chosen == "tantivy":
        from indexes.backends.tantivy_backend import TantivyBackend

        return TantivyBackend(_staged(options) if staging else options)
    if chosen not in _LAZY_BACKENDS:
        raise BackendUnavailable(backend=chosen)
    module_name, class_name = _LAZY_BACKENDS[chosen]
    try:
        module = importlib.import_module(module_name)
        backend_class = getattr(module, class_name)
    except (ImportError, AttributeError) as exc:
        raise BackendUnavailable(backend=chosen) from exc
    # PostgreSQL full-text lives in the records database (DESIGN.md: shared by all app hosts).
    extra: dict[str, Any] = {}
    if chosen == "postgresql":
        extra["database"] = settings.effective_database_url
        if staging:
            extra["schema"] = postgres_schemas.staging(extra["database"], PG_SCHEMA)
    elif staging:
        options = _staged(options)
    return cast(SearchBackend, backend_class(options, **extra))


def _staged(options: IndexOptions) -> IndexOptions:
    return replace(options, path=directory.staging(options.path))


@dataclass(frozen=True)
class Rebuilt:
    """What `rebuild` did: files indexed, and where an outdated index was put aside (if any)."""

    count: int
    kept_aside: str | None = None


def rebuild(
    session: Session,
    settings: Settings,
    *,
    name: str | None = None,
    batch: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> Rebuilt:
    """Rebuild the index from the database in place; an outdated index (another schema
    version, or one the engine can no longer open) is rebuilt beside it instead, swapped in when
    complete and kept aside, never deleted. A foreign index location is refused (IndexUnusable).

    Beside is safe because nobody else writes an outdated index: the index writer fails on it
    and leaves its marks for after the swap."""
    chosen = name or settings.search_backend
    try:
        backend = open_backend(settings, name=chosen)
    except IndexOutdated:
        backend = open_backend(settings, name=chosen, staging=True)
        try:
            count = reindex(session, backend, batch=batch, progress=progress)
        finally:
            backend.close()
        stamp = utcnow().strftime("%Y%m%d%H%M%S")
        if chosen == "postgresql":
            kept = postgres_schemas.swap_in(settings.effective_database_url, PG_SCHEMA, stamp)
        else:
            kept = str(directory.swap_in(index_options(settings, chosen).path, stamp))
        return Rebuilt(count, kept)
    try:
        return Rebuilt(reindex(session, backend, batch=batch, progress=progress))
    finally:
        backend.close()
