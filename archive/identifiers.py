"""Identifiers of the domain, parsed and normalised in one place (DOMAIN.md, "Identifiers")."""

from __future__ import annotations

import re
from datetime import date, datetime

from archive.errors import Invalid
from archive.text import nfc

SSN_RE = re.compile(r"^\d{10}$")
CITIZEN_ID_RE = re.compile(r"^\d{12}$")
EMPLOYER_RE = re.compile(r"^[A-Z]{2}\d{4}[A-Z]$")
OFFICE_RE = re.compile(r"^\d{2}$")
HEALTH_CARD_RE = re.compile(r"^[A-Z]{2}\d{13}$")
# Barcodes we print: a kind letter, the office code, an 8-digit sequence (Code128-safe ASCII).
BARCODE_RE = re.compile(r"^(?P<kind>[KSTBF])(?P<office>\d{2})(?P<seq>\d{8})$")
BARCODE_KINDS = {"K": "store", "S": "shelf", "T": "tier", "B": "box", "F": "file"}
_SEPARATORS = re.compile(r"[\s\u2010-\u2015\u2212\-]+")


def _digits(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value.strip())


def parse_ssn(value: str) -> str:
    """A social-insurance number: exactly 10 digits, kept as a string; refuses anything else."""
    cleaned = _digits(value)
    if not SSN_RE.match(cleaned):
        raise Invalid("identifier.ssn", value=value)
    return cleaned


def parse_citizen_id(value: str) -> str:
    """A 12-digit personal identification number (CCCD); refuses anything else."""
    cleaned = _digits(value)
    if not CITIZEN_ID_RE.match(cleaned):
        raise Invalid("identifier.citizen_id", value=value)
    return cleaned


def ssn_from_health_card(value: str) -> str:
    """The social-insurance number inside a 15-character health-insurance card number."""
    cleaned = value.strip().upper().replace(" ", "")
    if not HEALTH_CARD_RE.match(cleaned):
        raise Invalid("identifier.health_card", value=value)
    return cleaned[-10:]


def normalise_employer_code(value: str) -> str:
    """An employer unit code, upper-cased and trimmed; newer shapes are accepted (soft check)."""
    cleaned = nfc(value).upper().replace(" ", "")
    if not cleaned or len(cleaned) > 20 or not cleaned.isascii() or not cleaned.isalnum():
        raise Invalid("identifier.employer_code", value=value)
    return cleaned


def is_classic_employer_code(value: str) -> bool:
    """True for the classic two letters, four digits, one letter shape (`YN0405Z`)."""
    return bool(EMPLOYER_RE.match(value))


def parse_office_code(value: str) -> str:
    """A two-digit office code within a province (`00` is the provincial office)."""
    cleaned = value.strip()
    if cleaned.isdigit() and len(cleaned) == 1:
        cleaned = "0" + cleaned
    if not OFFICE_RE.match(cleaned):
        raise Invalid("identifier.office_code", value=value)
    return cleaned


def normalise_document_number(value: str) -> str:
    """`4027/BHXH – ST` and `4027/BHXH-ST` become one form: stray spaces and dashes normalised."""
    text = nfc(value).upper()
    parts = [p.strip() for p in text.split("/")]
    parts = [_SEPARATORS.sub("-", p).strip("-") for p in parts]
    return "/".join(parts)


def normalise_file_code(value: str) -> str:
    """A file code as written on the file: NFC, trimmed, inner white space collapsed."""
    cleaned = nfc(value)
    if not cleaned or len(cleaned) > 64:
        raise Invalid("identifier.file_code", value=value)
    return cleaned


def make_barcode(kind_letter: str, office_code: str, seq: int) -> str:
    """The printable barcode value of an object: `F00` + 8-digit sequence."""
    return f"{kind_letter}{office_code}{seq:08d}"


def barcode_kind(value: str) -> str | None:
    """The kind of object a barcode value names (`file`, `box`, …), or None if it is not ours."""
    match = BARCODE_RE.match(value.strip().upper())
    return BARCODE_KINDS[match["kind"]] if match else None


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


def parse_date(value: str) -> date:
    """A date as Vietnamese screens write it (`dd/mm/yyyy`, older `dd/mm/yy`) or ISO."""
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise Invalid("identifier.date", value=value)


def parse_year_or_date(value: str, *, end: bool = False) -> date:
    """A date, or a bare year (`2015` → 1 Jan, or 31 Dec when `end`), or `mm/yyyy`."""
    text = value.strip()
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 12, 31) if end else date(int(text), 1, 1)
    month = re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    if month:
        m, y = int(month[1]), int(month[2])
        if not 1 <= m <= 12:
            raise Invalid("identifier.date", value=value)
        if end:
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(y, m, 1)
    return parse_date(text)
