"""Hot folders: a scanner's output directory, watched for one office.

The worker picks up every document that has stopped growing, takes it in as a batch of its own
(the same pipeline as an upload), then moves it to `da-nhan/<date>/` beside it; a refused
document goes to `loi/` with a `.txt` that says why, in Vietnamese. A crash between the intake
and the move only means the document is seen again: its pages are already known, nothing is
added twice."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive.db import transaction
from archive.errors import ArchiveError, Conflict, Invalid, NotFound
from archive.i18n import message
from archive.models import Office, ScanFolder
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, scan_intake
from archive.services.scan_intake import Incoming, PageQueue
from scanners.storage import OriginalStore

DONE_DIR = "da-nhan"
FAILED_DIR = "loi"
SETTLE_SECONDS = 10.0
FOLDER_ACTOR = Actor.system("hot-folder")
log = logging.getLogger(__name__)


def add_folder(session: Session, actor: Actor, *, office_id: int, path: str) -> ScanFolder:
    """Watch `path` (an existing directory) for the office."""
    require(actor, Perm.SCAN)
    require_office(actor, office_id)
    if session.get(Office, office_id) is None:
        raise NotFound("office.not_found", code=str(office_id))
    folder = Path(path)
    if not folder.is_absolute() or not folder.is_dir():
        raise Invalid("scan.folder_not_a_directory", path=path)
    resolved = str(folder.resolve())
    if session.scalar(select(ScanFolder.id).where(ScanFolder.path == resolved)) is not None:
        raise Conflict("scan.folder_duplicate", path=resolved)
    row = ScanFolder(office_id=office_id, path=resolved, enabled=True)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "scan.folder_added",
        object_type="scan_folder",
        object_id=row.id,
        office_id=office_id,
        changes={"path": resolved},
    )
    return row


def list_folders(session: Session, actor: Actor) -> list[ScanFolder]:
    require(actor, Perm.REGISTER_READ)
    stmt = select(ScanFolder).order_by(ScanFolder.id)
    if actor.office_ids is not None:
        stmt = stmt.where(ScanFolder.office_id.in_(actor.office_ids))
    return list(session.scalars(stmt))


def remove_folder(session: Session, actor: Actor, *, folder_id: int) -> None:
    """Stop watching a folder (its documents stay where they are)."""
    require(actor, Perm.SCAN)
    row = session.get(ScanFolder, folder_id)
    if row is None or not actor.sees_office(row.office_id):
        raise NotFound("scan.folder_not_found", folder_id=folder_id)
    require_office(actor, row.office_id)
    audit.record(
        session,
        actor,
        "scan.folder_removed",
        object_type="scan_folder",
        object_id=row.id,
        office_id=row.office_id,
        changes={"path": row.path},
    )
    session.delete(row)


def ready_documents(folder: Path, *, settle_seconds: float, now: float | None = None) -> list[Path]:
    """Documents directly in `folder` that have not changed for `settle_seconds` (a scanner still
    writing one is left alone); hidden files and sub-directories are ignored."""
    moment = time.time() if now is None else now
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if moment - path.stat().st_mtime >= settle_seconds:
            found.append(path)
    return found


@dataclass(frozen=True)
class PickedUp:
    path: Path
    batch_id: int | None
    error_code: str | None


def pick_up(
    sessions: sessionmaker[Session],
    store: OriginalStore,
    *,
    queue: PageQueue | None,
    settle_seconds: float = SETTLE_SECONDS,
    today: Callable[[], date] = date.today,
) -> list[PickedUp]:
    """Take in every settled document of every enabled folder (see the module's docstring)."""
    with transaction(sessions, write=False) as session:
        folders = [
            (row.office_id, Path(row.path))
            for row in session.scalars(select(ScanFolder).where(ScanFolder.enabled.is_(True)))
        ]
    results = []
    for office_id, folder in folders:
        if not folder.is_dir():
            log.warning("hot folder %s is missing", folder)
            continue
        for path in ready_documents(folder, settle_seconds=settle_seconds):
            results.append(_take(sessions, store, office_id, path, queue, today()))
    return results


def _take(
    sessions: sessionmaker[Session],
    store: OriginalStore,
    office_id: int,
    path: Path,
    queue: PageQueue | None,
    day: date,
) -> PickedUp:
    try:
        with transaction(sessions) as session:
            batch = scan_intake.receive(
                session,
                FOLDER_ACTOR,
                office_id=office_id,
                documents=[Incoming(path, path.name)],
                store=store,
                source="folder",
                queue=queue,
            )
            batch_id = batch.id
    except ArchiveError as err:
        target = _move(path, path.parent / FAILED_DIR)
        reason = message(err.code or "internal", "vi", **err.params)
        target.with_name(target.name + ".txt").write_text(reason + "\n", encoding="utf-8")
        log.warning("hot folder: %s refused (%s)", path, err.code)
        return PickedUp(path, None, err.code)
    _move(path, path.parent / DONE_DIR / day.isoformat())
    return PickedUp(path, batch_id, None)


def _move(path: Path, directory: Path) -> Path:
    """Move `path` into `directory`, never over an existing file (a suffix is added)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / path.name
    number = 1
    while target.exists():
        target = directory / f"{path.stem}-{number}{path.suffix}"
        number += 1
    path.rename(target)
    return target
