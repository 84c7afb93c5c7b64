"""Catalogue lines of a handover: normalising what was entered, finding the line a scan names.

Helpers of archive.services.handover (no permission checks here; the callers check)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Invalid
from archive.identifiers import normalise_employer_code, normalise_file_code, parse_ssn
from archive.models import HandoverBatch, HandoverItem
from archive.text import nfc

PASSBOOK = "passbook_review"
_NUMBER_NOISE = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class ItemIn:
    """One catalogue line as entered, imported or described when an extra file turns up."""

    file_code: str = ""
    title: str = ""
    start_date: date | None = None
    end_date: date | None = None
    sheet_count: int | None = None
    retention_text: str = ""
    box_number: int | None = None
    ssn: str | None = None
    full_name: str = ""
    birth_date: date | None = None
    employer_code: str | None = None
    employer_name: str = ""
    passbook_number: str | None = None
    benefit_type: str = ""
    notes: str = ""


def number_of(value: str) -> str:
    """A scanned or typed number without spaces, dots or dashes, upper-cased."""
    return _NUMBER_NOISE.sub("", nfc(value)).upper()


def clean_passbook(value: str | None) -> str | None:
    """A passbook number (letters and digits, at most 20); None when blank."""
    if value is None:
        return None
    cleaned = number_of(value)
    if not cleaned:
        return None
    if len(cleaned) > 20 or not cleaned.isascii() or not cleaned.isalnum():
        raise Invalid("handover.passbook_number", value=value)
    return cleaned


def _checked_title(
    kind: str,
    series_kind: str,
    data: ItemIn,
    code: str,
    numbers: tuple[str | None, ...],
    *,
    strict: bool,
) -> str:
    title = nfc(data.title)
    if not title and kind == PASSBOOK:
        title = " — ".join(part for part in (nfc(data.full_name), *numbers) if part)
    if strict and not title:
        raise Invalid("file.title")
    if strict and series_kind == "benefit" and not (data.ssn and nfc(data.full_name)):
        raise Invalid("file.person_required", code=code)
    return title


def clean_item(kind: str, series_kind: str, data: ItemIn, *, strict: bool) -> dict[str, Any]:
    """The normalised column values of a line of a batch of `kind` and a series of `series_kind`.

    Refuses bad identifiers, dates out of order, negative sheets, a box number ≤ 0 and a
    passbook line without any number; `strict` (catalogue lines, not extras found while
    scanning) also requires a title and, for benefit files, the person."""
    ssn = parse_ssn(data.ssn) if data.ssn else None
    passbook = clean_passbook(data.passbook_number)
    if kind == PASSBOOK and not (passbook or ssn or data.file_code.strip()):
        raise Invalid("handover.passbook_required")
    code = normalise_file_code(data.file_code or passbook or ssn or "")
    title = _checked_title(kind, series_kind, data, code, (passbook or ssn,), strict=strict)
    if data.start_date and data.end_date and data.start_date > data.end_date:
        raise Invalid("file.dates_order", code=code)
    if data.sheet_count is not None and data.sheet_count < 0:
        raise Invalid("file.sheet_count", value=data.sheet_count)
    if data.box_number is not None and data.box_number <= 0:
        raise Invalid("box.number", value=data.box_number)
    employer = normalise_employer_code(data.employer_code) if data.employer_code else None
    return {
        "file_code": code,
        "title": title,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "sheet_count": data.sheet_count,
        "retention_text": nfc(data.retention_text),
        "box_number": data.box_number,
        "ssn": ssn,
        "full_name": nfc(data.full_name),
        "birth_date": data.birth_date,
        "employer_code": employer,
        "employer_name": nfc(data.employer_name),
        "passbook_number": passbook,
        "benefit_type": nfc(data.benefit_type),
        "notes": nfc(data.notes),
    }


def as_line(item: HandoverItem) -> ItemIn:
    """A stored line as input again (to re-check it with corrections applied)."""
    return ItemIn(**{f.name: getattr(item, f.name) for f in fields(ItemIn)})


def find_item(session: Session, batch: HandoverBatch, scanned: str) -> HandoverItem | None:
    """The line a scanned value names: its file code (exact, then ignoring case), or in a
    passbook-review batch its passbook or social-insurance number (an unreceived line first)."""
    base = select(HandoverItem).where(HandoverItem.batch_id == batch.id)
    item = session.scalar(base.where(HandoverItem.file_code == scanned))
    if item is not None:
        return item
    upper = func.upper(HandoverItem.file_code) == scanned.upper()
    same_letters = list(session.scalars(base.where(upper).limit(2)))
    if len(same_letters) == 1:
        return same_letters[0]
    number = number_of(scanned)
    if batch.kind != PASSBOOK or not number:
        return None
    by_number = (HandoverItem.passbook_number == number) | (HandoverItem.ssn == number)
    return session.scalar(
        base.where(by_number)
        .order_by(HandoverItem.status != "expected", HandoverItem.row_no)
        .limit(1)
    )


def extra_line(batch: HandoverBatch, scanned: str, details: ItemIn | None) -> ItemIn:
    """What an unmatched scan records: the given details, the scanned value as the file code
    (and, in a passbook-review batch, as the passbook number when none is given)."""
    line = details or ItemIn()
    if not line.file_code.strip():
        line = replace(line, file_code=scanned)
    number = number_of(scanned)
    if batch.kind == PASSBOOK and not line.passbook_number and number.isdigit():
        line = replace(line, passbook_number=number)
    return line
