"""Out-cards: the one place where a file leaves its box and comes back.

A file is out once or not at all: the out-card's primary key is the file id, so of two desks
handing out the same file at the same moment the database lets exactly one in; the other gets
`file.already_out`, naming who has the file. Loans, the reading room and custody moves all go
through `take_out` and `put_back`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive.errors import Conflict
from archive.models import File, OutCard, utcnow

# Files in these states are on the shelf and may go out.
AVAILABLE_STATUSES = ("active",)


@dataclass(frozen=True)
class Source:
    """Why the file is out: exactly one of a loan, a reading-room visit, a custody slip."""

    kind: str
    loan_id: int | None = None
    visit_id: int | None = None
    transfer_id: int | None = None


def _refusal(session: Session, file: File) -> Conflict:
    card = session.get(OutCard, file.id, populate_existing=True)
    holder = card.holder if card is not None else ""
    return Conflict("file.already_out", code=file.code, holder=holder)


def take_out(
    session: Session,
    *,
    file: File,
    source: Source,
    holder: str,
    until: date | None,
    by_id: int | None,
) -> OutCard:
    """Put an out-card in the file's slot; refuses a file that is already out or not on the shelf.
    Returns the card as inserted, detached from the session."""
    if file.status not in AVAILABLE_STATUSES and file.status != "on_loan":
        raise Conflict("file.not_available", code=file.code, status=file.status)
    # One statement, no savepoint: of two desks inserting at once, PostgreSQL makes the second
    # wait for the first to commit, then skip (no row returned); SQLite serialises writers.
    values = {
        "file_id": file.id,
        "kind": source.kind,
        "loan_id": source.loan_id,
        "visit_id": source.visit_id,
        "transfer_id": source.transfer_id,
        "holder": holder,
        "until": until,
        "since": utcnow(),
        "by_id": by_id,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(OutCard).values(values).on_conflict_do_nothing().returning(OutCard.file_id)
    if session.execute(stmt).scalar_one_or_none() is None:
        raise _refusal(session, file)
    if file.status != "active":
        # Only an out-card could have made the file "on loan"; ours did not exist a moment ago.
        raise Conflict("file.not_available", code=file.code, status=file.status)
    return OutCard(**values)  # what was inserted (detached: no second query to load it)


def put_back(session: Session, *, file: File, source: Source) -> None:
    """Remove the out-card a source put in the file's slot; refuses if that source has no card."""
    card = session.get(OutCard, file.id)
    if card is None or (card.kind, card.loan_id, card.visit_id, card.transfer_id) != (
        source.kind,
        source.loan_id,
        source.visit_id,
        source.transfer_id,
    ):
        raise Conflict("file.not_out_here", code=file.code)
    session.delete(card)
    session.flush()


def card_of(session: Session, file_id: int) -> OutCard | None:
    return session.get(OutCard, file_id)


def cards_of(session: Session, file_ids: list[int]) -> dict[int, OutCard]:
    if not file_ids:
        return {}
    rows = session.scalars(select(OutCard).where(OutCard.file_id.in_(file_ids)))
    return {card.file_id: card for card in rows}


def cards_in_box(session: Session, box_id: int) -> dict[int, OutCard]:
    """The out-cards standing in a box's slots, by file id (one query, whatever the box holds)."""
    rows = session.scalars(
        select(OutCard).join(File, File.id == OutCard.file_id).where(File.box_id == box_id)
    )
    return {card.file_id: card for card in rows}
