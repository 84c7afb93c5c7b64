"""Keeping the search index in step with the database (issue 4, "Consistency").

A change that alters what a file's index document holds marks the file in `search_outbox` in the
same transaction: a rollback forgets the mark with the change, a commit keeps both. After the
commit the single index writer (a worker task, under a queue lock) drains the outbox: it reads the
marked files as they are now, writes them to the index, commits the index, and only then deletes
the marks it handled. A crash at any point leaves marks behind, never a forgotten change; a file
indexed twice is harmless (documents are replaced by file id)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.db import after_commit, transaction
from archive.models import SearchOutbox, utcnow
from archive.services.search_index import file_docs
from indexes.backend import SearchBackend

DRAIN_BATCH = 500
# The session.info key of what to call after a commit that marked files (the app and the
# worker put "queue the index writer" there, through Runtime.session_info).
NOTIFY = "archive.search_notify"


def mark(
    session: Session, file_ids: Iterable[int], *, notify: Callable[[], None] | None = None
) -> None:
    """Note, in the caller's transaction, that these files' index documents are stale; `notify`
    (e.g. queue the index writer) runs after the commit."""
    ids = sorted(set(file_ids))
    if not ids:
        return
    now = utcnow()
    session.add_all(SearchOutbox(file_id=file_id, created_at=now) for file_id in ids)
    notify = notify or session.info.get(NOTIFY)
    if notify is not None:
        after_commit(session, notify)


def pending(session: Session) -> int:
    """How many marks wait for the index writer."""
    return int(session.scalar(select(func.count(SearchOutbox.id))) or 0)


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
                select(SearchOutbox.id, SearchOutbox.file_id).order_by(SearchOutbox.id).limit(batch)
            ).all()
            if not rows:
                return handled
            file_ids = sorted({file_id for _, file_id in rows})
            docs = file_docs(session, file_ids)
        try:
            backend.add(docs)
            backend.delete(sorted(set(file_ids) - {doc.file_id for doc in docs}))
            backend.commit()
        except BaseException:
            backend.close()
            raise
        # Exactly the marks read: a mark committed meanwhile (whatever its id) stays for next time.
        with transaction(sessions) as session:
            session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r[0] for r in rows])))
        handled += len(file_ids)
