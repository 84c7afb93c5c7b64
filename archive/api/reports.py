"""Reports: holdings per office × series × year, occupancy per store, files received per period."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from archive.api.deps import CurrentActor, DbSession, get_runtime
from archive.api.locations import OccupancyOut
from archive.api.schemas import ERRORS
from archive.services import reports
from archive.services.occupancy import Occupancy

router = APIRouter(tags=["reports"], responses=ERRORS)
UNKNOWN_YEAR = "unknown"


class HoldingsRowOut(BaseModel):
    office_id: int
    office_code: str
    office_name: str
    series_id: int
    series_code: str
    series_name: str
    series_kind: str
    year: int | Literal["unknown"]
    files: int
    shelf_metres: float


class HoldingsTotalOut(BaseModel):
    key: str
    name: str
    files: int
    shelf_metres: float


class HoldingsOut(BaseModel):
    """Rows per office, series and year; `by_kind` is the Hà Nam table (benefit, operational,
    passbook review), then totals per series, per office and overall."""

    office_id: int | None
    rows: list[HoldingsRowOut]
    by_kind: list[HoldingsTotalOut]
    by_series: list[HoldingsTotalOut]
    by_office: list[HoldingsTotalOut]
    total: HoldingsTotalOut


class StoreOccupancyOut(BaseModel):
    store_id: int
    office_id: int
    office_code: str
    store_code: str
    store_name: str
    occupancy: OccupancyOut


class ReceivedRowOut(BaseModel):
    period: str
    period_start: date
    office_id: int
    office_code: str
    files: int
    handovers: int


class PeriodTotalOut(BaseModel):
    period: str
    period_start: date
    files: int
    handovers: int


class ReceivedOut(BaseModel):
    since: date
    until: date
    group: str
    rows: list[ReceivedRowOut]
    periods: list[PeriodTotalOut]
    files: int
    handovers: int


def _total(t: reports.HoldingsTotal) -> HoldingsTotalOut:
    return HoldingsTotalOut(key=t.key, name=t.name, files=t.files, shelf_metres=t.shelf_metres)


def _row(r: reports.HoldingsRow) -> HoldingsRowOut:
    values = {f: getattr(r, f) for f in HoldingsRowOut.model_fields}
    values["year"] = UNKNOWN_YEAR if r.year is None else r.year
    return HoldingsRowOut(**values)


def _occupancy(o: Occupancy) -> OccupancyOut:
    return OccupancyOut(
        label=o.label,
        length_cm=o.length_cm,
        used_cm=o.used_cm,
        free_cm=o.free_cm,
        percent_used=o.percent_used,
        shelf_metres=o.shelf_metres,
        boxes=o.boxes,
        files=o.files,
        file_capacity=o.file_capacity,
    )


@router.get("/reports/holdings")
def holdings(session: DbSession, actor: CurrentActor, office: int | None = None) -> HoldingsOut:
    """Files and shelf metres per office × series × year (year "unknown" without dates)."""
    report = reports.holdings(session, actor, office_id=office)
    return HoldingsOut(
        office_id=report.office_id,
        rows=[_row(r) for r in report.rows],
        by_kind=[_total(t) for t in report.by_kind],
        by_series=[_total(t) for t in report.by_series],
        by_office=[_total(t) for t in report.by_office],
        total=_total(report.total),
    )


@router.get("/reports/occupancy")
def occupancy(
    session: DbSession, actor: CurrentActor, office: int | None = None
) -> list[StoreOccupancyOut]:
    """Length, use and free space, boxes and files of every store I can see."""
    return [
        StoreOccupancyOut(
            store_id=r.store_id,
            office_id=r.office_id,
            office_code=r.office_code,
            store_code=r.store_code,
            store_name=r.store_name,
            occupancy=_occupancy(r.occupancy),
        )
        for r in reports.occupancy_by_store(session, actor, office_id=office)
    ]


@router.get("/reports/received")
def received(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    since: date,
    until: date,
    group: str = "month",
    office: int | None = None,
) -> ReceivedOut:
    """Files registered and handovers completed per day, month or year (dates in the archive's
    time zone, `until` included) and office."""
    report = reports.received(
        session,
        actor,
        since=since,
        until=until,
        group=group,
        office_id=office,
        tz=get_runtime(request).settings.timezone,
    )
    return ReceivedOut.model_validate(report, from_attributes=True)
