"""Reports on the use of records: counts of loans, visits, lookups and copies per office and
purpose over a period; average and longest loan; loans overdue now."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import ColumnElement

from archive.clock import DEFAULT_TZ, day_bounds, local_date
from archive.errors import Invalid
from archive.models import CopyRequest, Loan, Lookup, Office, ReadingVisit, UsePurpose
from archive.permissions import Actor, Perm, require, require_office


@dataclass(frozen=True)
class UseCounts:
    office_code: str
    office_name: str
    purpose: str
    loans: int
    visits: int
    lookups: int
    copies: int


@dataclass(frozen=True)
class UseReport:
    first: date
    last: date
    rows: tuple[UseCounts, ...]
    totals: UseCounts
    loans_returned: int
    average_loan_days: float | None  # calendar days from hand-out to return, returned loans
    longest_loan_days: int | None  # the longest of those, or of loans still out (to today)
    longest_loan_number: str | None
    overdue_now: int


def _offices(actor: Actor, office_id: int | None) -> frozenset[int] | None:
    if office_id is not None:
        require_office(actor, office_id)
        return frozenset({office_id})
    return actor.office_ids


def use_report(
    session: Session,
    actor: Actor,
    *,
    first: date,
    last: date,
    today: date,
    office_id: int | None = None,
    tz: str = DEFAULT_TZ,
) -> UseReport:
    """Counts per office and purpose for uses in [first, last] (the register's rules of when a
    use counts), loan durations, and loans overdue as of `today`."""
    require(actor, Perm.REPORTS)
    if first > last:
        raise Invalid("report.period", since=first.isoformat(), until=last.isoformat())
    scope = _offices(actor, office_id)
    start, end = day_bounds(first, last, tz)
    counts: Counter[tuple[int, int, str]] = Counter()
    per_kind: dict[
        str,
        tuple[InstrumentedAttribute[int], InstrumentedAttribute[int], list[ColumnElement[bool]]],
    ] = {
        "loans": (
            Loan.office_id,
            Loan.purpose_id,
            [Loan.handed_out_at >= start, Loan.handed_out_at < end],
        ),
        "visits": (
            ReadingVisit.office_id,
            ReadingVisit.purpose_id,
            [
                ReadingVisit.visit_date.between(first, last),
                ReadingVisit.status.in_(("open", "closed")),
            ],
        ),
        "lookups": (
            Lookup.office_id,
            Lookup.purpose_id,
            [Lookup.asked_at >= start, Lookup.asked_at < end],
        ),
        "copies": (
            CopyRequest.office_id,
            CopyRequest.purpose_id,
            [
                CopyRequest.requested_at >= start,
                CopyRequest.requested_at < end,
                CopyRequest.status.in_(("approved", "produced", "delivered")),
            ],
        ),
    }
    for kind, (office_col, purpose_col, conditions) in per_kind.items():
        stmt = select(office_col, purpose_col, func.count()).where(*conditions)
        if scope is not None:
            stmt = stmt.where(office_col.in_(scope))
        for office, purpose, n in session.execute(stmt.group_by(office_col, purpose_col)):
            counts[(int(office), int(purpose), kind)] += int(n)
    offices = {o.id: o for o in session.scalars(select(Office))}
    purposes = {p.id: p.name for p in session.scalars(select(UsePurpose))}
    keys = sorted({(o, p) for o, p, _ in counts}, key=lambda k: (offices[k[0]].code, k[1]))
    rows = tuple(
        UseCounts(
            office_code=offices[o].code,
            office_name=offices[o].name,
            purpose=purposes.get(p, ""),
            loans=counts[(o, p, "loans")],
            visits=counts[(o, p, "visits")],
            lookups=counts[(o, p, "lookups")],
            copies=counts[(o, p, "copies")],
        )
        for o, p in keys
    )
    totals = UseCounts(
        office_code="",
        office_name="Tổng cộng",
        purpose="",
        loans=sum(r.loans for r in rows),
        visits=sum(r.visits for r in rows),
        lookups=sum(r.lookups for r in rows),
        copies=sum(r.copies for r in rows),
    )
    durations = _loan_durations(session, scope, start, end, today, tz)
    returned = [d for d, _n, back in durations if back]
    longest = max(durations, default=None, key=lambda x: x[0])
    overdue_q = select(func.count()).where(Loan.status.in_(("out", "sent")), Loan.due_date < today)
    if scope is not None:
        overdue_q = overdue_q.where(Loan.office_id.in_(scope))
    return UseReport(
        first=first,
        last=last,
        rows=rows,
        totals=totals,
        loans_returned=len(returned),
        average_loan_days=round(sum(returned) / len(returned), 1) if returned else None,
        longest_loan_days=longest[0] if longest else None,
        longest_loan_number=longest[1] if longest else None,
        overdue_now=int(session.scalar(overdue_q) or 0),
    )


def _loan_durations(
    session: Session,
    scope: frozenset[int] | None,
    start: datetime,
    end: datetime,
    today: date,
    tz: str,
) -> list[tuple[int, str, bool]]:
    """(days, number, returned) of the loans handed out in the period."""
    stmt = select(Loan.number, Loan.handed_out_at, Loan.returned_at).where(
        Loan.handed_out_at >= start, Loan.handed_out_at < end
    )
    if scope is not None:
        stmt = stmt.where(Loan.office_id.in_(scope))
    out = []
    for number, handed, returned in session.execute(stmt):
        assert handed is not None  # selected by its hand-out time
        until = local_date(returned, tz) if returned is not None else today
        out.append(((until - local_date(handed, tz)).days, str(number), returned is not None))
    return out
