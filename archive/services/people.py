"""People (one per social-insurance number) and employers (one per unit code)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Invalid
from archive.identifiers import normalise_employer_code, parse_citizen_id, parse_ssn
from archive.models import Employer, Person
from archive.services import search_outbox
from archive.text import exact, fold, nfc


def ensure_person(
    session: Session,
    *,
    ssn: str,
    full_name: str,
    birth_date: date | None = None,
    citizen_id: str | None = None,
) -> Person:
    """The person with this number, created if new; refuses a number already held by another name.

    Missing details (birth date, citizen ID) are filled in when a later file brings them."""
    ssn = parse_ssn(ssn)
    name = nfc(full_name)
    if not name:
        raise Invalid("person.name")
    cid = parse_citizen_id(citizen_id) if citizen_id else None
    person = session.scalar(select(Person).where(Person.ssn == ssn))
    if person is None:
        person = Person(
            ssn=ssn,
            full_name=name,
            name_exact=exact(name),
            name_folded=fold(name),
            birth_date=birth_date,
            citizen_id=cid,
        )
        session.add(person)
        session.flush()
        return person
    if person.name_folded != fold(name):
        raise Conflict("person.name_mismatch", ssn=ssn, existing=person.full_name, given=name)
    filled = False
    if person.birth_date is None and birth_date is not None:
        person.birth_date = birth_date
        filled = True
    if person.citizen_id is None and cid is not None:
        person.citizen_id = cid
        filled = True
    if filled:
        search_outbox.mark_people(session, [person.id])
    return person


def ensure_employer(session: Session, *, code: str, name: str = "") -> Employer:
    """The employer with this unit code, created if new (a later non-empty name fills a blank)."""
    code = normalise_employer_code(code)
    employer = session.scalar(select(Employer).where(Employer.code == code))
    if employer is None:
        employer = Employer(code=code, name=nfc(name))
        session.add(employer)
        session.flush()
    elif name and not employer.name:
        employer.name = nfc(name)
    return employer
