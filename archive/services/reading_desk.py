"""The reading-room desk: files served to a visitor (each with an out-card until the end of the
visit's day), their return, closing the visit, and the closing-time check that flags files still
out of their boxes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager, selectinload

from archive.clock import DEFAULT_TZ, zone
from archive.errors import Conflict, Invalid
from archive.models import File, ReadingVisit, VisitItem, utcnow
from archive.permissions import Actor, Perm, require
from archive.services import audit, out_cards
from archive.services.reading_room import get_visit, holder_text, transition
from archive.text import nfc

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
SERVABLE = ("requested", "returned")


def _source(visit: ReadingVisit) -> out_cards.Source:
    return out_cards.Source(kind="reading", visit_id=visit.id)


def _items_named(
    session: Session, visit: ReadingVisit, file_ids: Sequence[int], scanned: Sequence[str]
) -> list[VisitItem]:
    """The visit's items for these file ids and barcodes; refuses files it did not request."""
    by_file = {item.file_id: item for item in visit.items}
    codes = [nfc(v).upper() for v in scanned if v.strip()]
    wanted = list(dict.fromkeys(file_ids))
    if codes:
        rows = session.execute(select(File.barcode, File.id).where(File.barcode.in_(codes)))
        found = {barcode: file_id for barcode, file_id in rows}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise Conflict(
                "visit.file_not_requested", number=visit.number, codes=", ".join(unknown)
            )
        wanted += [found[c] for c in codes if found[c] not in wanted]
    if not wanted:
        raise Invalid("visit.no_files")
    strangers = [fid for fid in wanted if fid not in by_file]
    if strangers:
        names = session.scalars(select(File.code).where(File.id.in_(strangers)).order_by(File.code))
        shown = ", ".join(names) or ", ".join(map(str, strangers))
        raise Conflict("visit.file_not_requested", number=visit.number, codes=shown)
    return [by_file[fid] for fid in wanted]


def serve_files(
    session: Session,
    actor: Actor,
    *,
    visit_id: int,
    file_ids: Sequence[int] = (),
    barcodes: Sequence[str] = (),
    today: date,
) -> ReadingVisit:
    """Hand requested files to the visitor on the visit's day: each gets a reading-room out-card
    until that day's end and the visit is open. Refuses visits not approved, other days, files
    already served and files already out (on loan, in another visit); then nothing changes."""
    require(actor, Perm.USE_DESK)
    visit = get_visit(session, actor, visit_id)
    if visit.status not in ("approved", "open"):
        raise Conflict("visit.status", number=visit.number, status=visit.status)
    if visit.visit_date != today:
        raise Conflict("visit.not_today", number=visit.number, day=visit.visit_date.isoformat())
    items = _items_named(session, visit, file_ids, barcodes)
    for item in items:
        if item.status not in SERVABLE:
            raise Conflict("visit.file_served", code=item.file.code)
    # Check every file before the first out-card, so a refusal leaves nothing half served.
    cards = out_cards.cards_of(session, [item.file_id for item in items])
    for item in items:
        card = cards.get(item.file_id)
        if card is not None:
            raise Conflict("file.already_out", code=item.file.code, holder=card.holder)
        if item.file.status not in out_cards.AVAILABLE_STATUSES:
            raise Conflict("file.not_available", code=item.file.code, status=item.file.status)
    transition(session, visit, from_=("approved", "open"), status="open")
    now = utcnow()
    for item in items:
        out_cards.take_out(
            session,
            file=item.file,
            source=_source(visit),
            holder=holder_text(visit),
            until=visit.visit_date,
            by_id=actor.user_id,
        )
        item.status = "served"
        item.served_at = now
        item.returned_at = None
        item.flagged_at = None
    session.flush()
    audit.record(
        session,
        actor,
        "visit.served",
        object_type="visit",
        object_id=visit.id,
        office_id=visit.office_id,
        changes={"number": visit.number, "files": [item.file.code for item in items]},
    )
    return visit


def return_files(
    session: Session,
    actor: Actor,
    *,
    visit_id: int,
    file_ids: Sequence[int] = (),
    barcodes: Sequence[str] = (),
) -> ReadingVisit:
    """Files back from the reading room to their slots (out-cards removed). Refuses files the
    visit does not hold. A visit with every file back may then be closed."""
    require(actor, Perm.USE_DESK)
    visit = get_visit(session, actor, visit_id)
    items = _items_named(session, visit, file_ids, barcodes)
    for item in items:
        if item.status != "served":
            raise Conflict("visit.file_not_served", code=item.file.code)
    now = utcnow()
    for item in items:
        out_cards.put_back(session, file=item.file, source=_source(visit))
        item.status = "returned"
        item.returned_at = now
    session.flush()
    audit.record(
        session,
        actor,
        "visit.returned",
        object_type="visit",
        object_id=visit.id,
        office_id=visit.office_id,
        changes={
            "number": visit.number,
            "files": [item.file.code for item in items],
            "still_out": still_out(visit),
        },
    )
    return visit


def still_out(visit: ReadingVisit) -> list[str]:
    """Codes of the visit's files served and not yet back."""
    return [item.file.code for item in visit.items if item.status == "served"]


def close_visit(session: Session, actor: Actor, *, visit_id: int) -> ReadingVisit:
    """End a visit: files never served are marked so. Refuses while a served file is still out."""
    require(actor, Perm.USE_DESK)
    visit = get_visit(session, actor, visit_id)
    out = still_out(visit)
    if out:
        raise Conflict("visit.files_still_out", number=visit.number, codes=", ".join(out))
    transition(session, visit, from_=("approved", "open"), status="closed", closed_at=utcnow())
    for item in visit.items:
        if item.status == "requested":
            item.status = "not_served"
    session.flush()
    audit.record(
        session,
        actor,
        "visit.closed",
        object_type="visit",
        object_id=visit.id,
        office_id=visit.office_id,
        changes={
            "number": visit.number,
            "not_served": [i.file.code for i in visit.items if i.status == "not_served"],
        },
    )
    return visit


def closing_time(value: str) -> time:
    """ "17:00" → 17:00; refuses anything that is not a time of day."""
    match = _CLOCK.match(value.strip())
    if match is None:
        raise Invalid("reading_room.closes", value=value)
    return time(int(match[1]), int(match[2]))


def last_closed_day(now: datetime, closes: str, tz: str = DEFAULT_TZ) -> date:
    """The latest day whose reading room has closed at `now` (today once closing time passed)."""
    local = (now if now.tzinfo is not None else now.replace(tzinfo=UTC)).astimezone(zone(tz))
    if local.time() >= closing_time(closes):
        return local.date()
    return local.date() - timedelta(days=1)


@dataclass(frozen=True)
class StillOut:
    """A file served in the reading room and not back after its day closed."""

    visit_id: int
    visit_number: str
    visit_date: date
    holder: str
    file_id: int
    file_code: str
    served_at: datetime | None
    flagged_at: datetime


def flag_files_still_out(
    session: Session, actor: Actor, *, now: datetime, closes: str = "17:00", tz: str = DEFAULT_TZ
) -> list[StillOut]:
    """The closing-time check: every file served on a day whose reading room has closed and not
    returned is flagged (once, audited per visit) and listed. Running it again flags nothing new
    and lists the same files."""
    require(actor, Perm.USE_DESK)
    now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    day = last_closed_day(now, closes, tz)
    stmt = (
        select(VisitItem)
        .join(VisitItem.visit)
        .options(contains_eager(VisitItem.visit), selectinload(VisitItem.file))
        .where(VisitItem.status == "served", ReadingVisit.visit_date <= day)
        .order_by(ReadingVisit.visit_date, ReadingVisit.number, VisitItem.id)
    )
    if actor.office_ids is not None:
        stmt = stmt.where(ReadingVisit.office_id.in_(actor.office_ids))
    items = list(session.scalars(stmt))
    flagged: dict[int, list[VisitItem]] = {}
    for item in items:
        if item.flagged_at is None:
            item.flagged_at = now
            flagged.setdefault(item.visit_id, []).append(item)
    session.flush()
    for group in flagged.values():
        visit = group[0].visit
        audit.record(
            session,
            actor,
            "visit.files_flagged",
            object_type="visit",
            object_id=visit.id,
            office_id=visit.office_id,
            changes={"number": visit.number, "files": [i.file.code for i in group], "day": day},
        )
    return [
        StillOut(
            visit_id=item.visit_id,
            visit_number=item.visit.number,
            visit_date=item.visit.visit_date,
            holder=holder_text(item.visit),
            file_id=item.file_id,
            file_code=item.file.code,
            served_at=item.served_at,
            flagged_at=item.flagged_at or now,
        )
        for item in items
    ]
