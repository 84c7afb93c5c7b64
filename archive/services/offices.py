"""Offices: the provincial office (00) and its district offices."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Conflict, NotFound
from archive.identifiers import parse_office_code
from archive.models import BarcodeCounter, Office
from archive.permissions import Actor, Perm, require
from archive.services import audit
from archive.services.barcodes import KIND_LETTERS
from archive.text import nfc


def create_office(
    session: Session, actor: Actor, *, code: str, name: str, short_name: str = "", place: str = ""
) -> Office:
    """Register an office; refuses a malformed or already used code."""
    require(actor, Perm.USERS_MANAGE)
    code = parse_office_code(code)
    if session.scalar(select(Office.id).where(Office.code == code)) is not None:
        raise Conflict("office.duplicate_code", code=code)
    office = Office(code=code, name=nfc(name), short_name=nfc(short_name), place=nfc(place))
    session.add(office)
    # Counters exist before any allocation, so concurrent allocations only ever lock a row.
    session.add_all(
        BarcodeCounter(kind=k, office_code=code, next_value=1) for k in KIND_LETTERS.values()
    )
    session.flush()
    audit.record(
        session,
        actor,
        "office.created",
        object_type="office",
        object_id=office.id,
        office_id=office.id,
        changes={"code": [None, code], "name": [None, office.name]},
    )
    return office


def list_offices(session: Session, actor: Actor) -> list[Office]:
    """The offices the actor can see, by code."""
    require(actor, Perm.REGISTER_READ)
    stmt = select(Office).order_by(Office.code)
    if actor.office_ids is not None:
        stmt = stmt.where(Office.id.in_(actor.office_ids))
    return list(session.scalars(stmt))


def get_by_code(session: Session, code: str) -> Office:
    """The office with this code; refuses an unknown one."""
    office = session.scalar(select(Office).where(Office.code == parse_office_code(code)))
    if office is None:
        raise NotFound("office.not_found", code=code)
    return office
