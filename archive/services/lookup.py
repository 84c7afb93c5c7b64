"""One lookup for everything a desk types or scans: barcodes, file codes, social-insurance and
citizen numbers, health cards, employer codes, and names (diacritic-insensitive, exact first)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from archive.errors import Invalid
from archive.identifiers import (
    CITIZEN_ID_RE,
    HEALTH_CARD_RE,
    SSN_RE,
    barcode_kind,
    is_classic_employer_code,
)
from archive.models import Box, Employer, File, Office, Person, Shelf, Store, Tier
from archive.permissions import Actor, Perm, require
from archive.services.file_rows import FILE_ROWS, FileRows, row_path
from archive.services.paths import LocationPath, box_paths, tier_path
from archive.text import exact, fold, nfc

MATCH_ORDER = {"barcode": 0, "code": 0, "number": 0, "exact": 1, "folded": 2, "partial": 3}


@dataclass(frozen=True)
class Hit:
    """One object found, with where it is."""

    kind: str  # file | box | tier | shelf | store
    id: int
    label: str
    office_code: str
    path: LocationPath
    match: str  # how it matched: barcode, code, number, exact, folded, partial
    code: str = ""
    barcode: str = ""
    person_name: str = ""
    ssn: str = ""
    birth_date: date | None = None
    series_name: str = ""
    status: str = ""
    employer_code: str = ""


@dataclass(frozen=True)
class LookupResult:
    query: str
    interpreted_as: str  # barcode, ssn, citizen_id, health_card, employer, file_code, name
    hits: list[Hit]


@dataclass(frozen=True)
class Narrowing:
    birth_date: date | None = None
    office_id: int | None = None
    employer_code: str | None = None


def lookup(
    session: Session, actor: Actor, query: str, *, narrow: Narrowing | None = None, limit: int = 100
) -> LookupResult:
    """Find what `query` names; refuses an empty query. Only the actor's offices are searched."""
    require(actor, Perm.REGISTER_READ)
    q = nfc(query)
    if not q:
        raise Invalid("lookup.empty")
    narrow = narrow or Narrowing()
    kind = barcode_kind(q)
    if kind is not None and kind != "file":
        return LookupResult(q, "barcode", _place_by_barcode(session, actor, kind, q.upper()))
    compact = re.sub(r"[\s.]", "", q)
    files = _files_query(actor, narrow)
    if kind == "file":
        return LookupResult(
            q,
            "barcode",
            _file_hits(session, actor, files.where(File.barcode == q.upper()), "barcode", limit),
        )
    if SSN_RE.match(compact):
        stmt = files.where(or_(Person.ssn == compact, File.passbook_number == compact))
        return LookupResult(q, "ssn", _file_hits(session, actor, stmt, "number", limit))
    if CITIZEN_ID_RE.match(compact):
        return LookupResult(
            q,
            "citizen_id",
            _file_hits(session, actor, files.where(Person.citizen_id == compact), "number", limit),
        )
    if HEALTH_CARD_RE.match(compact.upper()):
        stmt = files.where(Person.ssn == compact[-10:])
        return LookupResult(q, "health_card", _file_hits(session, actor, stmt, "number", limit))
    by_code = _file_hits(session, actor, files.where(File.code == q), "code", limit)
    if by_code:
        return LookupResult(q, "file_code", by_code)
    if is_classic_employer_code(compact.upper()):
        stmt = files.where(Employer.code == compact.upper())
        return LookupResult(q, "employer", _file_hits(session, actor, stmt, "code", limit))
    return LookupResult(q, "name", _by_name(session, actor, files, q, limit))


def _files_query(actor: Actor, narrow: Narrowing) -> FileRows:
    stmt = FILE_ROWS
    if actor.office_ids is not None:
        stmt = stmt.where(File.office_id.in_(actor.office_ids))
    if narrow.office_id is not None:
        stmt = stmt.where(File.office_id == narrow.office_id)
    if narrow.birth_date is not None:
        stmt = stmt.where(Person.birth_date == narrow.birth_date)
    if narrow.employer_code:
        stmt = stmt.where(Employer.code == narrow.employer_code.strip().upper())
    return stmt


def _by_name(
    session: Session,
    actor: Actor,
    files: FileRows,
    q: str,
    limit: int,
) -> list[Hit]:
    """Folded equality uses the index; a partial match (whole words, in order) widens it."""
    q_fold, q_exact = fold(q), exact(q)
    whole = _file_hits(session, actor, files.where(Person.name_folded == q_fold), "folded", limit)
    hits = [_with_match(h, "exact" if exact(h.person_name) == q_exact else "folded") for h in whole]
    if len(hits) < limit:
        pattern = f"% {q_fold} %"
        padded = (" " + Person.name_folded + " ").like(pattern)
        stmt = files.where(and_(padded, Person.name_folded != q_fold))
        hits += _file_hits(session, actor, stmt, "partial", limit - len(hits))
    return sorted(
        hits,
        key=lambda h: (MATCH_ORDER[h.match], fold(h.person_name), h.birth_date or date.min, h.code),
    )


def _with_match(hit: Hit, match: str) -> Hit:
    return Hit(**{**hit.__dict__, "match": match})


def _file_hits(session: Session, actor: Actor, stmt: FileRows, match: str, limit: int) -> list[Hit]:
    """Hits for the files `stmt` selects, each with its path (read in the same query)."""
    personal = actor.has(Perm.PERSONAL_DATA)
    hits = []
    for r in session.execute(stmt.order_by(File.id).limit(limit)):
        path = row_path(r)
        hits.append(
            Hit(
                kind="file",
                id=r.id,
                label=r.title,
                office_code=r.office_code,
                path=path,
                match=match,
                code=r.code,
                barcode=r.barcode,
                series_name=r.series_name,
                status=r.status,
                person_name=r.full_name or "",
                ssn=r.ssn if r.ssn and personal else "",
                birth_date=r.birth_date if personal else None,
                employer_code=r.employer_code or "",
            )
        )
    return hits


# A place found by barcode: its id, its office, its path and a label (None: the path is the label).
Place = tuple[int, int, LocationPath, str | None]


def _box_place(session: Session, code: str) -> Place | None:
    row = session.execute(select(Box.id, Box.office_id).where(Box.barcode == code)).first()
    return (
        None if row is None else (row.id, row.office_id, box_paths(session, [row.id])[row.id], None)
    )


def _tier_place(session: Session, code: str) -> Place | None:
    row = session.execute(
        select(Tier.id, Store.office_id)
        .join(Shelf, Shelf.id == Tier.shelf_id)
        .join(Store, Store.id == Shelf.store_id)
        .where(Tier.barcode == code)
    ).first()
    return None if row is None else (row.id, row.office_id, tier_path(session, row.id), None)


def _shelf_place(session: Session, code: str) -> Place | None:
    row = session.execute(
        select(Shelf.id, Shelf.number, Store.code, Store.office_id, Office.code.label("office"))
        .join(Store, Store.id == Shelf.store_id)
        .join(Office, Office.id == Store.office_id)
        .where(Shelf.barcode == code)
    ).first()
    if row is None:
        return None
    path = LocationPath(office_code=row.office, store_code=row.code, shelf_number=row.number)
    return row.id, row.office_id, path, None


def _store_place(session: Session, code: str) -> Place | None:
    row = session.execute(
        select(Store.id, Store.code, Store.name, Store.office_id, Office.code.label("office"))
        .join(Office, Office.id == Store.office_id)
        .where(Store.barcode == code)
    ).first()
    if row is None:
        return None
    return (
        row.id,
        row.office_id,
        LocationPath(office_code=row.office, store_code=row.code),
        row.name,
    )


_PLACES = {"box": _box_place, "tier": _tier_place, "shelf": _shelf_place, "store": _store_place}


def _place_by_barcode(session: Session, actor: Actor, kind: str, code: str) -> list[Hit]:
    """A store, shelf, tier or box by its barcode (nothing if it is another office's)."""
    found = _PLACES[kind](session, code)
    if found is None or not actor.sees_office(found[1]):
        return []
    object_id, _, path, label = found
    number = f"{path.box_number:03d}" if kind == "box" and path.box_number else ""
    return [
        Hit(
            kind=kind,
            id=object_id,
            label=label or path.text(),
            office_code=path.office_code,
            path=path,
            match="barcode",
            barcode=code,
            code=number,
        )
    ]
