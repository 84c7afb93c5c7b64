"""Working days for due dates: Monday to Friday, minus the public holidays an administrator keeps."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Invalid, NotFound
from archive.models import Holiday
from archive.permissions import Actor, Perm, require
from archive.services import audit
from archive.text import nfc

SATURDAY = 5


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date]) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    if days < 0:
        raise Invalid("workdays.negative", days=days)
    day = start
    left = days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(first: date, last: date, holidays: Collection[date]) -> int:
    """Working days after `first` up to and including `last` (0 if `last` is not later)."""
    count = 0
    day = first
    while day < last:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count


def holidays_around(session: Session, start: date, *, span_days: int = 400) -> set[date]:
    """The holidays from `start` to `span_days` later (enough for any loan policy)."""
    end = start + timedelta(days=span_days)
    return set(session.scalars(select(Holiday.day).where(Holiday.day.between(start, end))))


def due_after(session: Session, start: date, days: int) -> date:
    """`days` working days after `start`, with the holidays on record."""
    return add_working_days(start, days, holidays_around(session, start, span_days=days * 3 + 60))


def list_holidays(session: Session, *, year: int | None = None) -> list[Holiday]:
    stmt = select(Holiday).order_by(Holiday.day)
    if year is not None:
        stmt = stmt.where(Holiday.day.between(date(year, 1, 1), date(year, 12, 31)))
    return list(session.scalars(stmt))


def add_holiday(session: Session, actor: Actor, *, day: date, name: str) -> Holiday:
    """Record a public holiday (Tết, the Hùng Kings' day, a compensating day off)."""
    require(actor, Perm.USE_SETTINGS)
    name = nfc(name).strip()
    if not name:
        raise Invalid("holiday.name_required")
    if session.get(Holiday, day) is not None:
        raise Conflict("holiday.duplicate", day=day.strftime("%d/%m/%Y"))
    holiday = Holiday(day=day, name=name)
    session.add(holiday)
    session.flush()
    audit.record(
        session,
        actor,
        "holiday.added",
        object_type="holiday",
        object_id=None,
        changes={"day": day, "name": name},
    )
    return holiday


def remove_holiday(session: Session, actor: Actor, *, day: date) -> None:
    require(actor, Perm.USE_SETTINGS)
    holiday = session.get(Holiday, day)
    if holiday is None:
        raise NotFound("holiday.not_found", day=day.strftime("%d/%m/%Y"))
    session.delete(holiday)
    session.flush()
    audit.record(
        session,
        actor,
        "holiday.removed",
        object_type="holiday",
        object_id=None,
        changes={"day": day, "name": holiday.name},
    )
