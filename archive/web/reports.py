"""Reports: holdings per office × series × year with shelf metres (the Hà Nam table first),
occupancy per store, and files and handovers received per period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, Today, get_runtime
from archive.models import Office
from archive.permissions import Actor
from archive.services import offices, reports
from archive.services.reports import HoldingsReport, ReceivedReport, StoreOccupancyRow
from archive.web.forms import FormError, outcome
from archive.web.templating import render

router = APIRouter()
GROUPS = ("day", "month", "year")


@dataclass(frozen=True)
class ReportFilters:
    office_id: int | None
    since: date
    until: date
    group: str


@dataclass(frozen=True)
class ReportsPage:
    filters: ReportFilters
    offices: list[Office]
    groups: tuple[str, ...]
    holdings: HoldingsReport
    stores: list[StoreOccupancyRow]
    received: ReceivedReport | None
    error: FormError | None = None


def _day(text: str, default: date) -> date:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else default
    except ValueError:
        return default


def reports_page(session: Session, actor: Actor, filters: ReportFilters, tz: str) -> ReportsPage:
    holdings = reports.holdings(session, actor, office_id=filters.office_id)
    stores = reports.occupancy_by_store(session, actor, office_id=filters.office_id)
    received, error = outcome(
        session,
        lambda: reports.received(
            session,
            actor,
            since=filters.since,
            until=filters.until,
            group=filters.group,
            office_id=filters.office_id,
            tz=tz,
        ),
    )
    return ReportsPage(
        filters=filters,
        offices=offices.list_offices(session, actor),
        groups=GROUPS,
        holdings=holdings,
        stores=stores,
        received=received,
        error=error,
    )


@router.get("/reports")
def show_reports(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    office_id: str = "",
    since: str = "",
    until: str = "",
    group: str = "month",
) -> Response:
    """Empty filters mean: every office I see, from 1 January of this year until today (the
    archive's day: in Hà Nội a file registered at 00:30 is today's, whatever the host's zone)."""
    filters = ReportFilters(
        office_id=int(office_id) if office_id.isdigit() else None,
        since=_day(since, date(today.year, 1, 1)),
        until=_day(until, today),
        group=group if group in GROUPS else "month",
    )
    page = reports_page(session, actor, filters, get_runtime(request).settings.timezone)
    return render(request, "reports.html", page)
