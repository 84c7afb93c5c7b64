"""Calendar dates as the archive lives them: in its time zone (Asia/Ho_Chi_Minh by default).

Stored instants are UTC; due dates, the reading room's day and the usage register's period are
local calendar dates. Services take `today` from their caller, so tests and the overdue job can
run any day they like."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


@lru_cache(maxsize=8)
def zone(name: str = DEFAULT_TZ) -> ZoneInfo:
    return ZoneInfo(name)


def local_today(tz: str = DEFAULT_TZ) -> date:
    """Today's date in the archive's time zone."""
    return datetime.now(zone(tz)).date()


def local_date(at: datetime, tz: str = DEFAULT_TZ) -> date:
    """The local calendar date of a UTC instant."""
    return at.astimezone(zone(tz)).date()


def day_bounds(first: date, last: date, tz: str = DEFAULT_TZ) -> tuple[datetime, datetime]:
    """The UTC instants [start of `first`, start of the day after `last`) in local time."""
    start = datetime.combine(first, datetime.min.time(), zone(tz))
    end = datetime.combine(date.fromordinal(last.toordinal() + 1), datetime.min.time(), zone(tz))
    return start, end
