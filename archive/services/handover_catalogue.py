"""A handover's catalogue loaded from a CSV or XLSX file, all or nothing (issue 2, items 5 and 6).

Reading and per-cell checks are archive.catalogue's; here each row is checked as a line of the
batch (series needs, duplicates within the file and the batch) and every bad row is reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from archive import catalogue as cat
from archive.catalogue import Catalogue, CatalogueRow, RowError, row_error
from archive.catalogue.rows import error_from
from archive.errors import Invalid, InvalidRows
from archive.models import HandoverBatch, HandoverItem
from archive.permissions import Actor
from archive.services import audit
from archive.services.handover import next_row_no, open_batch, series_kind
from archive.services.handover_lines import PASSBOOK, ItemIn, clean_item

# Which column a line-level refusal points at (the file's own header is shown).
_COLUMN_OF = {
    "file.title": "title",
    "file.person_required": "ssn",
    "handover.passbook_required": "passbook_number",
    "file.dates_order": "end_date",
}
# Passbook-review catalogues list passbooks by number: a blank file code or title is filled in.
_EXCUSED_FOR_PASSBOOKS = {("import.required", "file_code"), ("file.title", "title")}


def _line(row: CatalogueRow) -> ItemIn:
    return ItemIn(
        file_code=row.file_code,
        title=row.title,
        start_date=row.start_date,
        end_date=row.end_date,
        sheet_count=row.sheet_count,
        retention_text=row.retention,
        box_number=row.box_number,
        ssn=row.ssn,
        full_name=row.full_name,
        birth_date=row.birth_date,
        employer_code=row.employer_code,
        employer_name=row.employer_name,
        passbook_number=row.passbook_number,
        benefit_type=row.benefit_type,
        notes=row.notes,
    )


def _reader_errors(batch: HandoverBatch, catalogue: Catalogue) -> list[RowError]:
    """The reader's errors, less the blanks a passbook line may leave (it has its number)."""
    if batch.kind != PASSBOOK:
        return list(catalogue.errors)
    numbered = {r.row for r in catalogue.rows if r.passbook_number or r.ssn}
    excused = {(code, catalogue.label(key)) for code, key in _EXCUSED_FOR_PASSBOOKS}
    return [
        e for e in catalogue.errors if not (e.row in numbered and (e.code, e.column) in excused)
    ]


def _checked_lines(
    session: Session, batch: HandoverBatch, catalogue: Catalogue, errors: list[RowError]
) -> list[dict[str, Any]]:
    """The column values of every good row; each bad one adds its error to `errors`."""
    kind = series_kind(session, batch)
    taken = set(
        session.scalars(select(HandoverItem.file_code).where(HandoverItem.batch_id == batch.id))
    )
    reported = {e.row for e in errors}
    lines: list[dict[str, Any]] = []
    for row in catalogue.rows:
        if row.bad or row.row in reported:
            continue  # the reader has reported it
        try:
            values = clean_item(batch.kind, kind, _line(row), strict=True)
        except Invalid as err:
            column = catalogue.label(_COLUMN_OF.get(err.code, "file_code"))
            errors.append(error_from(row.row, column, err.params.get("value", ""), err))
            continue
        code = values["file_code"]
        if code in taken:
            errors.append(
                row_error(
                    row.row,
                    catalogue.label("file_code"),
                    code,
                    "handover.duplicate_item",
                    code=code,
                )
            )
            continue
        taken.add(code)
        lines.append(values)
    return lines


def load_catalogue(
    session: Session, actor: Actor, *, batch_id: int, source: Path, filename: str
) -> int:
    """Add every line of a catalogue file to an open batch and return how many; all or nothing.

    Refuses unreadable files, unknown formats and a missing header (Invalid), and any bad row
    (InvalidRows listing every one: bad cells, series needs, codes already in the batch)."""
    batch = open_batch(session, actor, batch_id)
    catalogue = cat.load(source, filename)
    errors = _reader_errors(batch, catalogue)
    lines = _checked_lines(session, batch, catalogue, errors)
    if errors:
        raise InvalidRows([e.as_dict() for e in sorted(errors, key=lambda e: e.row)])
    first = next_row_no(session, batch.id)
    rows = [
        {**values, "batch_id": batch.id, "row_no": first + n, "status": "expected"}
        for n, values in enumerate(lines)
    ]
    session.execute(insert(HandoverItem), rows)
    audit.record(
        session,
        actor,
        "handover.catalogue_loaded",
        object_type="handover",
        object_id=batch.id,
        office_id=batch.office_id,
        changes={
            "lines": [None, len(rows)],
            "filename": [None, filename],
            "source_sha256": [None, catalogue.sha256],
        },
    )
    return len(rows)
