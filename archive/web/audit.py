"""The audit trail for inspectors and administrators: a filterable list of events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession
from archive.models import AuditEvent, Office
from archive.permissions import Actor
from archive.services import audit, offices
from archive.web.templating import LOCAL_TZ, render

router = APIRouter()
PAGE_SIZE = 100
OBJECT_TYPES = ("file", "box", "store", "series", "user", "office", "handover", "job", "api_token")
OBJECT_URLS = {
    "file": "/files/{id}",
    "box": "/boxes/{id}",
    "store": "/stores/{id}",
    "series": "/series/{id}",
    "handover": "/handovers/{id}",
}


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    office_id: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    office_code: str
    url: str | None
    details: list[str]


@dataclass(frozen=True)
class AuditPage:
    filters: AuditFilters
    rows: list[EventRow]
    offices: list[Office]
    object_types: tuple[str, ...]
    older_id: int | None


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def _value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _details(changes: dict[str, Any]) -> list[str]:
    """`field: before → after`; a creation (nothing before) shows only the values it set."""
    out = []
    for key, change in changes.items():
        if isinstance(change, list) and len(change) == 2:
            before, after = change
            if before is None:
                if after not in (None, "", []):
                    out.append(f"{key}: {_value(after)}")
                continue
            out.append(f"{key}: {_value(before)} → {_value(after)}")
        else:
            out.append(f"{key}: {_value(change)}")
    return out


def audit_page(
    session: Session, actor: Actor, filters: AuditFilters, before_id: int | None
) -> AuditPage:
    flt = audit.EventFilter(
        action=filters.action.strip() or None,
        object_type=filters.object_type or None,
        object_id=filters.object_id,
        office_id=filters.office_id,
        since=_local_midnight(filters.since) if filters.since else None,
        until=_local_midnight(filters.until + timedelta(days=1)) if filters.until else None,
    )
    events = audit.list_events(session, actor, flt, limit=PAGE_SIZE, before_id=before_id)
    visible = offices.list_offices(session, actor)
    codes = {o.id: o.code for o in visible}
    rows = [
        EventRow(
            event=e,
            office_code=codes.get(e.office_id, "") if e.office_id else "",
            url=OBJECT_URLS[e.object_type].format(id=e.object_id)
            if e.object_type in OBJECT_URLS and e.object_id
            else None,
            details=_details(json.loads(e.changes)),
        )
        for e in events
    ]
    older = events[-1].id if len(events) == PAGE_SIZE else None
    return AuditPage(
        filters=filters, rows=rows, offices=visible, object_types=OBJECT_TYPES, older_id=older
    )


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


@router.get("/audit")
def show_audit(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    office_id: str = "",
    since: str = "",
    until: str = "",
    before_id: str = "",
) -> Response:
    """Empty fields of the filter form mean "any"; malformed ones are ignored."""
    filters = AuditFilters(
        action=action,
        object_type=object_type,
        object_id=_int(object_id),
        office_id=_int(office_id),
        since=_day(since),
        until=_day(until),
    )
    return render(request, "admin/audit.html", audit_page(session, actor, filters, _int(before_id)))
