"""Reports: holdings per office × series × year (the Hà Nam table), occupancy per store, files
received per period (issue 2, item 7). Grouped in the database; results are frozen dataclasses
that the JSON API and the pages render as they are.

Shelf metres of a file are its share of its box: the box's width divided by the files in it, so
the holdings of a set of full boxes sum to the metres those boxes take on the shelves."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, Float, Select, cast, extract, func, select
from sqlalchemy.orm import Session

from archive.db import is_sqlite
from archive.errors import Invalid
from archive.models import Box, BoxProfile, File, HandoverBatch, Office, Series, Shelf, Store, Tier
from archive.permissions import Actor, Perm, require, require_office
from archive.services.occupancy import Occupancy

KIND_ORDER = ("benefit", "operational", "passbook_review")
# The date parts a period is made of, per grouping.
GROUPS: dict[str, tuple[str, ...]] = {
    "day": ("year", "month", "day"),
    "month": ("year", "month"),
    "year": ("year",),
}
DEFAULT_TZ = "Asia/Ho_Chi_Minh"


def _scope(actor: Actor, office_id: int | None) -> frozenset[int] | None:
    """The offices a report covers: one office, the actor's offices, or None for all."""
    require(actor, Perm.REPORTS)
    if office_id is not None:
        require_office(actor, office_id)
        return frozenset({office_id})
    return actor.office_ids


def _offices(session: Session, ids: Iterable[int]) -> dict[int, Office]:
    return {o.id: o for o in session.scalars(select(Office).where(Office.id.in_(set(ids))))}


@dataclass(frozen=True)
class HoldingsRow:
    """Files and shelf metres of one office, one series and one year (None: no dates known)."""

    office_id: int
    office_code: str
    office_name: str
    series_id: int
    series_code: str
    series_name: str
    series_kind: str
    year: int | None
    files: int
    shelf_metres: float


@dataclass(frozen=True)
class HoldingsTotal:
    """A total line: of a series (key = its code), a kind of series, an office, or everything."""

    key: str
    name: str
    files: int
    shelf_metres: float


@dataclass(frozen=True)
class HoldingsReport:
    """The holdings table; `by_kind` is the Hà Nam table: benefit, operational, passbook review."""

    office_id: int | None
    rows: tuple[HoldingsRow, ...]
    by_series: tuple[HoldingsTotal, ...]
    by_kind: tuple[HoldingsTotal, ...]
    by_office: tuple[HoldingsTotal, ...]
    total: HoldingsTotal


def _holdings_query(offices: frozenset[int] | None) -> Select[Any]:
    """Per office, series and year: files and metres (each file's share of its box's width)."""
    per_box = (
        select(File.box_id.label("box_id"), func.count(File.id).label("n"))
        .where(File.status != "destroyed", File.box_id.is_not(None))
        .group_by(File.box_id)
        .subquery()
    )
    share = cast(BoxProfile.width_cm, Float) / per_box.c.n / 100
    per_file = (
        select(
            File.office_id.label("office_id"),
            File.series_id.label("series_id"),
            extract("year", func.coalesce(File.end_date, File.start_date)).label("year"),
            func.coalesce(share, 0.0).label("metres"),
        )
        .outerjoin(Box, Box.id == File.box_id)
        .outerjoin(BoxProfile, BoxProfile.id == Box.profile_id)
        .outerjoin(per_box, per_box.c.box_id == File.box_id)
        .where(File.status != "destroyed")
    )
    if offices is not None:
        per_file = per_file.where(File.office_id.in_(offices))
    f = per_file.subquery()
    # Grouping on the subquery's columns keeps the year expression in one place for PostgreSQL.
    return select(
        f.c.office_id, f.c.series_id, f.c.year, func.count(), func.sum(f.c.metres)
    ).group_by(f.c.office_id, f.c.series_id, f.c.year)


def _totals(rows: Iterable[tuple[str, str, int, float]]) -> dict[str, HoldingsTotal]:
    acc: dict[str, tuple[str, int, float]] = {}
    for key, name, files, metres in rows:
        _, n, m = acc.get(key, (name, 0, 0.0))
        acc[key] = (name, n + files, m + metres)
    return {k: HoldingsTotal(k, name, n, round(m, 2)) for k, (name, n, m) in acc.items()}


def holdings(session: Session, actor: Actor, *, office_id: int | None = None) -> HoldingsReport:
    """Files and shelf metres per office × series × year (destroyed files excluded), with totals
    per series, per kind (the Hà Nam table), per office and overall; refuses other offices."""
    offices_in = _scope(actor, office_id)
    raw = [
        (int(o), int(s), None if y is None else int(y), int(n), float(m or 0))
        for o, s, y, n, m in session.execute(_holdings_query(offices_in))
    ]
    offices = _offices(session, {r[0] for r in raw})
    series = {s.id: s for s in session.scalars(select(Series))}
    rows = sorted(
        (
            HoldingsRow(
                o,
                offices[o].code,
                offices[o].name,
                s,
                series[s].code,
                series[s].name,
                series[s].kind,
                y,
                n,
                round(m, 2),
            )
            for o, s, y, n, m in raw
        ),
        key=lambda r: (
            r.office_code,
            KIND_ORDER.index(r.series_kind),
            r.series_code,
            r.year is None,
            r.year or 0,
        ),
    )
    by_series = _totals((series[s].code, series[s].name, n, m) for _, s, _, n, m in raw)
    zero = [(kind, kind, 0, 0.0) for kind in KIND_ORDER]
    by_kind = _totals(zero + [(series[s].kind, series[s].kind, n, m) for _, s, _, n, m in raw])
    by_office = _totals((offices[o].code, offices[o].name, n, m) for o, _, _, n, m in raw)
    total = HoldingsTotal(
        "total", "total", sum(r[3] for r in raw), round(sum(r[4] for r in raw), 2)
    )
    ordered = sorted(series.values(), key=lambda s: (KIND_ORDER.index(s.kind), s.code))
    return HoldingsReport(
        office_id=office_id,
        rows=tuple(rows),
        by_series=tuple(by_series[s.code] for s in ordered if s.code in by_series),
        by_kind=tuple(by_kind[k] for k in KIND_ORDER),
        by_office=tuple(by_office[k] for k in sorted(by_office)),
        total=total,
    )


@dataclass(frozen=True)
class StoreOccupancyRow:
    store_id: int
    office_id: int
    office_code: str
    store_code: str
    store_name: str
    occupancy: Occupancy


def _store_lengths(session: Session, store_ids: list[int]) -> dict[int, float]:
    """The summed tier length (cm) of each store."""
    stmt = (
        select(Shelf.store_id, func.sum(Tier.length_cm))
        .join(Tier, Tier.shelf_id == Shelf.id)
        .where(Shelf.store_id.in_(store_ids))
        .group_by(Shelf.store_id)
    )
    return {store_id: float(length or 0) for store_id, length in session.execute(stmt)}


def _store_use(session: Session, store_ids: list[int]) -> dict[int, tuple[int, float, int, int]]:
    """Per store: boxes on its tiers, their width (cm), their capacity and the files in them."""
    files_per_box = (
        select(File.box_id.label("box_id"), func.count(File.id).label("n"))
        .where(File.box_id.is_not(None))
        .group_by(File.box_id)
        .subquery()
    )
    stmt = (
        select(
            Shelf.store_id,
            func.count(Box.id),
            func.sum(BoxProfile.width_cm),
            func.sum(BoxProfile.capacity_files),
            func.sum(files_per_box.c.n),
        )
        .select_from(Box)
        .join(Tier, Tier.id == Box.tier_id)
        .join(Shelf, Shelf.id == Tier.shelf_id)
        .join(BoxProfile, BoxProfile.id == Box.profile_id)
        .outerjoin(files_per_box, files_per_box.c.box_id == Box.id)
        .where(Shelf.store_id.in_(store_ids))
        .group_by(Shelf.store_id)
    )
    return {
        store_id: (int(boxes), float(width or 0), int(capacity or 0), int(n or 0))
        for store_id, boxes, width, capacity, n in session.execute(stmt)
    }


def occupancy_by_store(
    session: Session, actor: Actor, *, office_id: int | None = None
) -> list[StoreOccupancyRow]:
    """Length, use, boxes and files of every store the actor may see (three grouped queries,
    the same figures as archive.services.occupancy.of_store gives for one store)."""
    offices = _scope(actor, office_id)
    stores_q = select(Store, Office.code).join(Office, Office.id == Store.office_id)
    if offices is not None:
        stores_q = stores_q.where(Store.office_id.in_(offices))
    stores = session.execute(stores_q.order_by(Office.code, Store.code)).all()
    ids = [store.id for store, _ in stores]
    lengths, use = _store_lengths(session, ids), _store_use(session, ids)
    out = []
    for store, office_code in stores:
        boxes, width, capacity, n_files = use.get(store.id, (0, 0.0, 0, 0))
        occ = Occupancy(store.code, lengths.get(store.id, 0.0), width, boxes, n_files, capacity)
        row = StoreOccupancyRow(store.id, store.office_id, office_code, store.code, store.name, occ)
        out.append(row)
    return out


@dataclass(frozen=True)
class ReceivedRow:
    """Files registered and handovers completed in one office in one period."""

    period: str
    period_start: date
    office_id: int
    office_code: str
    files: int
    handovers: int


@dataclass(frozen=True)
class PeriodTotal:
    period: str
    period_start: date
    files: int
    handovers: int


@dataclass(frozen=True)
class ReceivedReport:
    since: date
    until: date
    group: str
    rows: tuple[ReceivedRow, ...]
    periods: tuple[PeriodTotal, ...]
    files: int
    handovers: int


def _local(session: Session, column: Any, tz: ZoneInfo, at: datetime) -> ColumnElement[Any]:
    """A UTC timestamp column as local wall-clock time (SQLite: the zone's offset at `at`)."""
    if is_sqlite(session):
        offset = tz.utcoffset(at) or timedelta(0)
        return func.datetime(column, f"{int(offset.total_seconds()):+d} seconds")
    return func.timezone(str(tz.key), column)


def _per_period(
    session: Session,
    column: Any,
    office_column: Any,
    group: str,
    bounds: tuple[datetime, datetime],
    tz: ZoneInfo,
    offices: frozenset[int] | None,
    *conditions: ColumnElement[bool],
) -> dict[tuple[tuple[int, ...], int], int]:
    """Counts per (period parts, office) of rows whose `column` falls within `bounds`."""
    local = _local(session, column, tz, bounds[0])
    parts = [extract(p, local).label(p) for p in GROUPS[group]]
    inner = select(office_column.label("office_id"), *parts).where(
        column >= bounds[0], column < bounds[1], *conditions
    )
    if offices is not None:
        inner = inner.where(office_column.in_(offices))
    sub = inner.subquery()
    keys = [sub.c[p.name] for p in parts]
    stmt = select(sub.c.office_id, *keys, func.count()).group_by(sub.c.office_id, *keys)
    return {
        (tuple(int(v) for v in row[1:-1]), int(row[0])): int(row[-1])
        for row in session.execute(stmt)
    }


def _period(parts: tuple[int, ...]) -> tuple[str, date]:
    """`2024`, `2024-03` or `2024-03-05`, and the period's first day."""
    year, month, day = (*parts, 1, 1)[:3]
    return "-".join([str(year), *(f"{p:02d}" for p in parts[1:])]), date(year, month, day)


def _bounds(since: date, until: date, tz: str) -> tuple[ZoneInfo, tuple[datetime, datetime]]:
    """The zone, and the UTC instants from local midnight of `since` to the midnight after `until`."""
    if since > until:
        raise Invalid("report.period", since=since.isoformat(), until=until.isoformat())
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise Invalid("request.invalid", detail=f"tz={tz}") from err
    start = datetime.combine(since, time(), zone).astimezone(UTC)
    end = datetime.combine(until + timedelta(days=1), time(), zone).astimezone(UTC)
    return zone, (start, end)


def _received_rows(
    session: Session,
    files: dict[tuple[tuple[int, ...], int], int],
    batches: dict[tuple[tuple[int, ...], int], int],
) -> list[ReceivedRow]:
    keys = files.keys() | batches.keys()
    names = _offices(session, {office for _, office in keys})
    rows = []
    for parts, office in sorted(keys, key=lambda k: (k[0], names[k[1]].code)):
        label, start = _period(parts)
        n_files, n_batches = files.get((parts, office), 0), batches.get((parts, office), 0)
        rows.append(ReceivedRow(label, start, office, names[office].code, n_files, n_batches))
    return rows


def _period_totals(rows: list[ReceivedRow]) -> tuple[PeriodTotal, ...]:
    periods: dict[str, PeriodTotal] = {}
    for r in rows:
        before = periods.get(r.period, PeriodTotal(r.period, r.period_start, 0, 0))
        periods[r.period] = PeriodTotal(
            r.period, r.period_start, before.files + r.files, before.handovers + r.handovers
        )
    return tuple(periods.values())


def received(
    session: Session,
    actor: Actor,
    *,
    since: date,
    until: date,
    group: str = "month",
    office_id: int | None = None,
    tz: str = DEFAULT_TZ,
) -> ReceivedReport:
    """Files registered and handovers completed per period (local days, `until` included) and
    office; refuses an unknown grouping or a period ending before it starts."""
    offices = _scope(actor, office_id)
    if group not in GROUPS:
        raise Invalid("report.group", value=group)
    zone, bounds = _bounds(since, until, tz)
    files = _per_period(session, File.created_at, File.office_id, group, bounds, zone, offices)
    completed = HandoverBatch.status == "completed"
    batches = _per_period(
        session,
        HandoverBatch.completed_at,
        HandoverBatch.office_id,
        group,
        bounds,
        zone,
        offices,
        completed,
    )
    rows = _received_rows(session, files, batches)
    return ReceivedReport(
        since,
        until,
        group,
        tuple(rows),
        _period_totals(rows),
        sum(r.files for r in rows),
        sum(r.handovers for r in rows),
    )
