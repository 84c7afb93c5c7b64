"""Barcode values, allocated in blocks from a per-kind, per-office counter."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.identifiers import make_barcode
from archive.models import BarcodeCounter

KIND_LETTERS = {
    "store": "K",
    "shelf": "S",
    "tier": "T",
    "box": "B",
    "file": "F",
    # Not objects on shelves: staff cards scanned at the loans desk, and the numbers of loans,
    # reading-room visits, copy requests and custody slips (printed as barcodes on their slips).
    "card": "U",
    "loan": "M",
    "visit": "R",
    "copy": "C",
    "transfer": "G",
}


def allocate(session: Session, kind: str, office_code: str, count: int = 1) -> list[str]:
    """`count` fresh barcode values for objects of `kind` in the office (row-locked counter)."""
    letter = KIND_LETTERS[kind]
    counter = session.execute(
        select(BarcodeCounter)
        .where(BarcodeCounter.kind == letter, BarcodeCounter.office_code == office_code)
        .with_for_update()
    ).scalar_one_or_none()
    if counter is None:
        counter = BarcodeCounter(kind=letter, office_code=office_code, next_value=1)
        session.add(counter)
        session.flush()
    first = counter.next_value
    counter.next_value = first + count
    session.flush()
    return [make_barcode(letter, office_code, seq) for seq in range(first, first + count)]
