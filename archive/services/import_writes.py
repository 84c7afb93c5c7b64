"""Writing a checked catalogue into the register in bulk: people, employers, then files.

Rows go to the database as plain tuples in one `executemany` per chunk, in the caller's
transaction; on SQLite straight to the driver, because SQLAlchemy's per-row parameter
processing cost as much as SQLite's own work (issue 2: ≤ 5x a raw executemany)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlalchemy.orm import Session

from archive.catalogue import CatalogueRow
from archive.models import Employer, File, Person, utcnow
from archive.services import barcodes, search_outbox
from archive.services.import_checks import Checked, chunks, folded
from archive.text import exact

INSERT_CHUNK = 10_000
FILES = cast(Table, File.__table__)
PEOPLE = cast(Table, Person.__table__)
EMPLOYERS = cast(Table, Employer.__table__)
FILE_COLUMNS = (
    "office_id", "series_id", "code", "title", "start_date", "end_date", "sheet_count", "notes",
    "status", "box_id", "position", "barcode", "person_id", "benefit_type", "passbook_number",
    "employer_id", "district_office_id", "handover_id", "created_at", "updated_at",
)  # fmt: skip
PERSON_COLUMNS = ("ssn", "citizen_id", "full_name", "name_exact", "name_folded", "birth_date")
DateOut = Callable[[date | None], Any]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Written:
    files: int
    people: int
    employers: int
    first_barcode: str | None
    last_barcode: str | None


def bulk_insert(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert `rows` (tuples in `columns` order) with one executemany, in the session's
    transaction. Values must already be in the driver's form (see `_storage`)."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    if dialect.paramstyle == "qmark":
        quote = dialect.identifier_preparer.quote
        names = ", ".join(quote(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"
        session.connection().exec_driver_sql(sql, list(rows))
        return
    untyped = sa_table(table.name, *(sa_column(c) for c in columns))
    session.execute(insert(untyped), [dict(zip(columns, row, strict=True)) for row in rows])


def _storage(session: Session) -> tuple[DateOut, Any]:
    """Dates and the import's timestamp as the driver takes them: SQLite stores the text
    SQLAlchemy's own SQLite types write (ISO dates, naive UTC timestamps); others, the objects."""
    now = utcnow()
    if session.get_bind().dialect.name != "sqlite":
        return (lambda d: d), now
    stamp = now.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return (lambda d: None if d is None else d.isoformat()), stamp


def write(
    session: Session, rows: Sequence[CatalogueRow], checked: Checked, progress: Progress | None
) -> Written:
    """Insert everything the checks prepared; `progress(n)` after each chunk of files."""
    to_date, now = _storage(session)
    person_ids = _write_people(session, checked, to_date)
    employer_ids = _write_employers(session, checked)
    codes = barcodes.allocate(session, "file", checked.office.code, len(rows))
    before = _max_id(session, FILES)
    office_id = checked.office.id
    series_ids, box_ids = checked.series_ids, checked.box_ids
    positions, districts = checked.positions, checked.district_ids
    for start in range(0, len(rows), INSERT_CHUNK):
        values = [
            (office_id, series_ids[i], row.file_code, row.title, to_date(row.start_date),
             to_date(row.end_date), row.sheet_count or 0, row.notes, "active", box_ids[i],
             positions[i], codes[i], person_ids.get(row.ssn), row.benefit_type,
             row.passbook_number, employer_ids.get(row.employer_code), districts[i], None, now,
             now)
            for i, row in enumerate(rows[start : start + INSERT_CHUNK], start)
        ]  # fmt: skip
        bulk_insert(session, FILES, FILE_COLUMNS, values)
        if progress is not None:
            progress(start + len(values))
    # One mark for the whole range of new ids (on PostgreSQL it may take in a file another
    # transaction wrote meanwhile: indexing that one again is harmless).
    search_outbox.mark_range(session, before + 1, _max_id(session, FILES))
    first, last = (codes[0], codes[-1]) if codes else (None, None)
    return Written(len(rows), len(checked.new_people), len(checked.new_employers), first, last)


def _write_people(session: Session, checked: Checked, to_date: DateOut) -> dict[str | None, int]:
    """Insert new people in file order, fill known ones' missing details; ids by number (a
    missing number, None, is not a key: `.get(None)` gives no person)."""
    ids: dict[str | None, int] = {ssn: person.id for ssn, person in checked.people.items()}
    new = [
        (ssn, row.citizen_id, row.full_name, exact(row.full_name), folded(row.full_name),
         to_date(row.birth_date))
        for ssn, row in checked.new_people.items()
    ]  # fmt: skip
    before = _max_id(session, PEOPLE)
    for part in chunks(new, INSERT_CHUNK):
        bulk_insert(session, PEOPLE, PERSON_COLUMNS, part)
    ids.update(_new_ids(session, list(checked.new_people), before))
    for person_id, changes in checked.fill_people.items():
        session.execute(update(PEOPLE).where(PEOPLE.c.id == person_id).values(**changes))
    search_outbox.mark_people(session, checked.fill_people)
    return ids


def _max_id(session: Session, table: Table) -> int:
    return int(session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0)


def _new_ids(session: Session, ssns: list[str], before: int) -> dict[str, int]:
    """Ids of the people just inserted. On SQLite, inside our write transaction, new rowids are
    max+1, max+2, … in insertion order; checked, else (and elsewhere) looked up."""
    if session.get_bind().dialect.name == "sqlite" and _max_id(session, PEOPLE) == before + len(
        ssns
    ):
        return {ssn: before + n for n, ssn in enumerate(ssns, 1)}
    return _ids_by(session, PEOPLE, "ssn", ssns)


def _write_employers(session: Session, checked: Checked) -> dict[str | None, int]:
    """Insert new employers, fill known ones' blank names; ids by unit code."""
    ids: dict[str | None, int] = {code: id_ for code, id_ in checked.employers.items()}
    if checked.new_employers:
        bulk_insert(session, EMPLOYERS, ("code", "name"), list(checked.new_employers.items()))
        ids.update(_ids_by(session, EMPLOYERS, "code", list(checked.new_employers)))
    if checked.fill_employers:
        session.execute(
            update(EMPLOYERS).where(EMPLOYERS.c.id == bindparam("eid")).values(name=bindparam("n")),
            [{"eid": k, "n": v} for k, v in checked.fill_employers.items()],
        )
    return ids


def _ids_by(session: Session, table: Table, key: str, keys: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    column = table.c[key]
    for part in chunks(keys):
        out.update(
            {k: v for k, v in session.execute(select(column, table.c.id).where(column.in_(part)))}
        )
    return out
