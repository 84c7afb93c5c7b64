"""Keeping the search index in step with the database (issue 4, "Consistency").

A change that alters what a file's index document holds marks the file in `search_outbox` in the
same transaction: a rollback forgets the mark with the change, a commit keeps both. A bulk import
marks the range of ids it wrote in one row. After the commit the single index writer (a worker
task, under a queue lock) drains the outbox: it reads the marked files as they are now, writes
them to the index, commits the index, and only then deletes exactly the marks it read. A crash at
any point leaves marks behind, never a forgotten change; a file indexed twice is harmless
(documents are replaced by file id)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.db import after_commit, transaction
from archive.models import File, SearchOutbox, utcnow
from archive.services.search_index import file_docs
from indexes.backend import SearchBackend

DRAIN_BATCH = 500
RANGE_CHUNK = 5000
# The session.info key of what to call after a commit that marked files (the app and the
# worker put "queue the index writer" there, through Runtime.session_info).
NOTIFY = "archive.search_notify"


def _notify(session: Session, notify: Callable[[], None] | None) -> None:
    notify = notify or session.info.get(NOTIFY)
    if notify is not None:
        after_commit(session, notify)


def mark(
    session: Session, file_ids: Iterable[int], *, notify: Callable[[], None] | None = None
) -> None:
    """Note, in the caller's transaction, that these files' index documents are stale; `notify`
    (by default the session's NOTIFY: queue the index writer) runs after the commit."""
    ids = sorted(set(file_ids))
    if not ids:
        return
    now = utcnow()
    session.add_all(SearchOutbox(file_id=file_id, created_at=now) for file_id in ids)
    _notify(session, notify)


def mark_people(session: Session, person_ids: Iterable[int]) -> None:
    """Mark every file of these people (their details are in each file's index document)."""
    ids = list(person_ids)
    if ids:
        mark(session, session.scalars(select(File.id).where(File.person_id.in_(ids))))


def mark_range(session: Session, first: int, last: int) -> None:
    """Mark every file with an id in first..last (inclusive) in one row (bulk writes)."""
    if last < first:
        return
    session.add(SearchOutbox(file_id=first, file_id_to=last, created_at=utcnow()))
    _notify(session, None)


def pending(session: Session) -> int:
    """How many marks wait for the index writer."""
    return int(session.scalar(select(func.count(SearchOutbox.id))) or 0)


def mark_ids(session: Session) -> list[int]:
    """The marks this transaction sees: what a full rebuild reading the same snapshot covers
    (by id, not "up to an id": on PostgreSQL ids are not committed in order)."""
    return list(session.scalars(select(SearchOutbox.id)))


def forget(session: Session, ids: list[int]) -> None:
    """Delete marks a full rebuild has covered."""
    for start in range(0, len(ids), RANGE_CHUNK):
        session.execute(
            delete(SearchOutbox).where(SearchOutbox.id.in_(ids[start : start + RANGE_CHUNK]))
        )


def _chunks(session: Session, rows: Sequence[Any]) -> Iterator[list[int]]:
    """The marked file ids, single marks together and each range in chunks of existing ids."""
    singles = sorted({row.file_id for row in rows if row.file_id_to is None})
    for start in range(0, len(singles), RANGE_CHUNK):
        yield singles[start : start + RANGE_CHUNK]
    for row in rows:
        if row.file_id_to is None:
            continue
        after = row.file_id - 1
        while True:
            ids = list(
                session.scalars(
                    select(File.id)
                    .where(File.id > after, File.id <= row.file_id_to)
                    .order_by(File.id)
                    .limit(RANGE_CHUNK)
                )
            )
            if not ids:
                break
            yield ids
            after = ids[-1]


def drain(
    sessions: sessionmaker[Session], backend: SearchBackend, *, batch: int = DRAIN_BATCH
) -> int:
    """Apply every waiting mark to the index; returns the number of files written or removed.

    Must run in one writer at a time (the caller holds the lock). An index error is raised and the
    marks stay, to be applied by the next run."""
    handled = 0
    while True:
        with transaction(sessions, write=False) as session:
            rows = session.execute(
                select(SearchOutbox.id, SearchOutbox.file_id, SearchOutbox.file_id_to)
                .order_by(SearchOutbox.id)
                .limit(batch)
            ).all()
            if not rows:
                return handled
            try:
                for ids in _chunks(session, rows):
                    docs = file_docs(session, ids)
                    backend.add(docs)
                    backend.delete(sorted(set(ids) - {doc.file_id for doc in docs}))
                    handled += len(ids)
                backend.commit()
            except BaseException:
                backend.close()
                raise
        # Exactly the marks read: a mark committed meanwhile (whatever its id) stays for next time.
        with transaction(sessions) as session:
            session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
