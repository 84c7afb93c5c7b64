"""The database side of checking a catalogue before it enters the register.

Everything is looked up in bulk (chunked `IN` queries, one grouped query for boxes), so checking
400,000 rows costs a few dozen queries, not one per row (issue 2, item 6)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.catalogue import Catalogue, CatalogueRow, RowError, row_error
from archive.models import Box, BoxProfile, Employer, File, Office, Person, Series
from archive.text import fold

T = TypeVar("T")
CHUNK = 5000
folded = lru_cache(maxsize=1 << 16)(fold)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class KnownPerson:
    id: int
    full_name: str
    name_folded: str
    birth_date: date | None
    citizen_id: str | None


@dataclass(frozen=True)
class BoxSlot:
    """A box of the office: its capacity, what it holds and its last position."""

    id: int
    number: int
    capacity: int
    held: int
    last_position: int


@dataclass
class Checked:
    """What the checks found: per-row targets, people and employers to create, and errors."""

    office: Office
    series_ids: list[int]
    box_ids: list[int | None]
    positions: list[int | None]
    district_ids: list[int | None]
    people: dict[str, KnownPerson]
    new_people: dict[str, CatalogueRow]
    fill_people: dict[int, dict[str, Any]]
    employers: dict[str, int]
    new_employers: dict[str, str]
    fill_employers: dict[int, str]
    errors: list[RowError] = field(default_factory=list)


def check(
    session: Session, office: Office, default_series: Series, catalogue: Catalogue
) -> Checked:
    """Check every row against the register of `office`; never writes."""
    rows = catalogue.rows
    errors: list[RowError] = []
    series_ids, kinds = _series(session, default_series, catalogue, errors)
    _people_present(catalogue, kinds, errors)
    _codes(session, office.id, catalogue, errors)
    box_ids, positions = _boxes(session, office.id, catalogue, errors)
    district_ids = _districts(session, catalogue, errors)
    people, new_people, fill_people = _people(session, catalogue, errors)
    employers, new_employers, fill_employers = _employers(session, rows)
    return Checked(
        office,
        series_ids,
        box_ids,
        positions,
        district_ids,
        people,
        new_people,
        fill_people,
        employers,
        new_employers,
        fill_employers,
        errors,
    )


def _series(
    session: Session, default: Series, catalogue: Catalogue, errors: list[RowError]
) -> tuple[list[int], list[str]]:
    """Each row's series: the `Loại hồ sơ` cell (code or name) if given, else the chosen one."""
    by_text: dict[str, tuple[int, str]] = {}
    for series_id, code, name, kind in session.execute(
        select(Series.id, Series.code, Series.name, Series.kind)
    ):
        by_text[folded(code)] = by_text[folded(name)] = (series_id, kind)
    fallback = (default.id, default.kind)
    if "series" not in catalogue.header.columns:
        n = len(catalogue.rows)
        return [fallback[0]] * n, [fallback[1]] * n
    ids: list[int] = []
    kinds: list[str] = []
    for row in catalogue.rows:
        found = by_text.get(folded(row.series)) if row.series else fallback
        if found is None:
            errors.append(
                row_error(
                    row.row,
                    catalogue.label("series"),
                    row.series,
                    "series.not_found",
                    code=row.series,
                )
            )
            found = fallback
        ids.append(found[0])
        kinds.append(found[1])
    return ids, kinds


def _people_present(catalogue: Catalogue, kinds: list[str], errors: list[RowError]) -> None:
    """Benefit files need the person; a number needs a name."""
    for row, kind in zip(catalogue.rows, kinds, strict=True):
        if "ssn" in row.bad:
            continue
        if kind == "benefit" and not row.ssn:
            errors.append(row_error(row.row, catalogue.label("ssn"), "", "file.person_required"))
        elif row.ssn and not row.full_name and "full_name" not in row.bad:
            errors.append(row_error(row.row, catalogue.label("full_name"), "", "person.name"))


def _codes(session: Session, office_id: int, catalogue: Catalogue, errors: list[RowError]) -> None:
    """File codes are unique in the office: not repeated in the file, not already registered."""
    first: dict[str, int] = {}
    column = catalogue.label("file_code")
    for row in catalogue.rows:
        if not row.file_code:
            continue
        seen = first.setdefault(row.file_code, row.row)
        if seen != row.row:
            errors.append(
                row_error(
                    row.row,
                    column,
                    row.file_code,
                    "import.duplicate_in_file",
                    code=row.file_code,
                    first_row=seen,
                )
            )
    held = session.scalar(select(func.count(File.id)).where(File.office_id == office_id)) or 0
    if not held:
        return
    taken: set[str] = set()
    for part in chunks(list(first)):
        taken.update(
            session.scalars(
                select(File.code).where(File.office_id == office_id, File.code.in_(part))
            )
        )
    for row in catalogue.rows:
        if row.file_code in taken and first[row.file_code] == row.row:
            errors.append(
                row_error(row.row, column, row.file_code, "file.duplicate_code", code=row.file_code)
            )


def _box_slots(session: Session, office_id: int, numbers: Sequence[int]) -> dict[int, BoxSlot]:
    slots: dict[int, BoxSlot] = {}
    for part in chunks(numbers):
        stmt = (
            select(
                Box.id,
                Box.number,
                BoxProfile.capacity_files,
                func.count(File.id),
                func.coalesce(func.max(File.position), 0),
            )
            .join(BoxProfile, BoxProfile.id == Box.profile_id)
            .outerjoin(File, File.box_id == Box.id)
            .where(Box.office_id == office_id, Box.number.in_(part))
            .group_by(Box.id, Box.number, BoxProfile.capacity_files)
        )
        for box_id, number, capacity, held, last in session.execute(stmt):
            slots[number] = BoxSlot(box_id, number, int(capacity or 0), int(held), int(last or 0))
    return slots


def _boxes(
    session: Session, office_id: int, catalogue: Catalogue, errors: list[RowError]
) -> tuple[list[int | None], list[int | None]]:
    """Each row's box (a box of this office) and position after the box's last file; rows that
    would overfill a box are refused, the ones that fit are not."""
    wanted = [row.box_number for row in catalogue.rows if row.box_number is not None]
    slots = _box_slots(session, office_id, sorted(set(wanted)))
    adding: dict[int, int] = {}
    for number in wanted:
        adding[number] = adding.get(number, 0) + 1
    placed: dict[int, int] = {}
    column = catalogue.label("box_number")
    box_ids: list[int | None] = []
    positions: list[int | None] = []
    for row in catalogue.rows:
        slot = slots.get(row.box_number) if row.box_number is not None else None
        if row.box_number is not None and slot is None:
            errors.append(
                row_error(
                    row.row, column, row.box_number, "import.box_unknown", number=row.box_number
                )
            )
        if slot is None:
            box_ids.append(None)
            positions.append(None)
            continue
        n = placed[slot.number] = placed.get(slot.number, 0) + 1
        if slot.held + n > slot.capacity:
            errors.append(
                row_error(
                    row.row,
                    column,
                    slot.number,
                    "import.box_capacity",
                    number=slot.number,
                    capacity=slot.capacity,
                    existing=slot.held,
                    adding=adding[slot.number],
                )
            )
        box_ids.append(slot.id)
        positions.append(slot.last_position + n)
    return box_ids, positions


def _districts(session: Session, catalogue: Catalogue, errors: list[RowError]) -> list[int | None]:
    """The district office each row names (`Mã huyện`), which must exist."""
    offices = {
        code: office_id for code, office_id in session.execute(select(Office.code, Office.id))
    }
    ids: list[int | None] = []
    for row in catalogue.rows:
        office_id = offices.get(row.district_office) if row.district_office else None
        if row.district_office and office_id is None:
            errors.append(
                row_error(
                    row.row,
                    catalogue.label("district_office"),
                    row.district_office,
                    "import.office_unknown",
                )
            )
        ids.append(office_id)
    return ids


def _known_people(session: Session, ssns: Sequence[str]) -> dict[str, KnownPerson]:
    known: dict[str, KnownPerson] = {}
    if not ssns or not session.scalar(select(Person.id).limit(1)):
        return known
    for part in chunks(ssns):
        for pid, ssn, name, name_folded, birth, cid in session.execute(
            select(
                Person.id,
                Person.ssn,
                Person.full_name,
                Person.name_folded,
                Person.birth_date,
                Person.citizen_id,
            ).where(Person.ssn.in_(part))
        ):
            known[ssn] = KnownPerson(pid, name, name_folded, birth, cid)
    return known


def _people(
    session: Session, catalogue: Catalogue, errors: list[RowError]
) -> tuple[dict[str, KnownPerson], dict[str, CatalogueRow], dict[int, dict[str, Any]]]:
    """One person per number: the name must match (folded) the register and the file's other
    rows; a citizen ID belongs to one number. Known people get missing details filled in."""
    first: dict[str, CatalogueRow] = {}
    for row in catalogue.rows:
        if row.ssn and row.full_name:
            first.setdefault(row.ssn, row)
    known = _known_people(session, list(first))
    column = catalogue.label("full_name")
    for row in catalogue.rows:
        if not (row.ssn and row.full_name):
            continue
        person = known.get(row.ssn)
        expected = person.full_name if person else first[row.ssn].full_name
        if folded(row.full_name) != (person.name_folded if person else folded(expected)):
            errors.append(
                row_error(
                    row.row,
                    column,
                    row.full_name,
                    "person.name_mismatch",
                    ssn=row.ssn,
                    existing=expected,
                    given=row.full_name,
                )
            )
    _citizen_ids(session, catalogue, errors)
    new = {ssn: row for ssn, row in first.items() if ssn not in known}
    fill: dict[int, dict[str, Any]] = {}
    for ssn, person in known.items():
        row = first[ssn]
        changes: dict[str, Any] = {}
        if person.birth_date is None and row.birth_date is not None:
            changes["birth_date"] = row.birth_date
        if person.citizen_id is None and row.citizen_id is not None:
            changes["citizen_id"] = row.citizen_id
        if changes:
            fill[person.id] = changes
    return known, new, fill


def _citizen_ids(session: Session, catalogue: Catalogue, errors: list[RowError]) -> None:
    """A citizen ID belongs to one number: in the register and across the file's rows."""
    owner: dict[str, str] = {}
    for row in catalogue.rows:
        if row.citizen_id and row.ssn:
            owner.setdefault(row.citizen_id, row.ssn)
    for part in chunks(list(owner)):
        for cid, ssn in session.execute(
            select(Person.citizen_id, Person.ssn).where(Person.citizen_id.in_(part))
        ):
            if cid is not None and ssn != owner[cid]:
                owner[cid] = ssn
    column = catalogue.label("citizen_id")
    for row in catalogue.rows:
        if row.citizen_id and row.ssn and owner[row.citizen_id] != row.ssn:
            errors.append(
                row_error(
                    row.row,
                    column,
                    row.citizen_id,
                    "person.citizen_id_taken",
                    ssn=owner[row.citizen_id],
                )
            )


def _employers(
    session: Session, rows: Iterable[CatalogueRow]
) -> tuple[dict[str, int], dict[str, str], dict[int, str]]:
    """Employers by unit code: known ones, new ones (with the first name the file gives), and
    known ones whose blank name the file fills."""
    names: dict[str, str] = {}
    for row in rows:
        if row.employer_code and not names.get(row.employer_code):
            names[row.employer_code] = row.employer_name
    known: dict[str, int] = {}
    blank: set[int] = set()
    for part in chunks(list(names)):
        for employer_id, code, name in session.execute(
            select(Employer.id, Employer.code, Employer.name).where(Employer.code.in_(part))
        ):
            known[code] = employer_id
            if not name:
                blank.add(employer_id)
    new = {code: name for code, name in names.items() if code not in known}
    fill = {known[c]: n for c, n in names.items() if c in known and known[c] in blank and n}
    return known, new, fill
