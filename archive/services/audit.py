"""The audit trail: append an event in the caller's transaction; verify the hash chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import AuditEvent, AuditHead, utcnow
from archive.permissions import Actor, Perm, require

GENESIS = "0" * 64


def _digest(prev_hash: str, event: AuditEvent) -> str:
    payload = json.dumps(
        [
            prev_hash,
            event.at.isoformat(),
            event.actor_id,
            event.actor_label,
            event.action,
            event.object_type,
            event.object_id,
            event.office_id,
            event.changes,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The changed fields as {field: [before, after]}."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    object_type: str,
    object_id: int | None,
    office_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction (never commits)."""
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        office_id=office_id,
        changes=json.dumps(_jsonable(changes or {}), ensure_ascii=False, sort_keys=True),
        prev_hash=head.last_hash,
    )
    event.hash = _digest(head.last_hash, event)
    session.add(event)
    session.flush()
    head.last_event_id = event.id
    head.last_hash = event.hash
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    reason: str = ""


def verify(session: Session, actor: Actor | None = None, *, batch: int = 5000) -> ChainReport:
    """Re-hash every event in order; report the first one whose link or content is wrong.

    Refuses actors who may not read the audit trail (None: a system check, CLI or tests)."""
    if actor is not None:
        require(actor, Perm.AUDIT_READ)
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not events:
            break
        for event in events:
            if event.prev_hash != prev:
                return ChainReport(checked, event.id, "prev_hash")
            if _digest(prev, event) != event.hash:
                return ChainReport(checked, event.id, "hash")
            prev = event.hash
            checked += 1
            last_id = event.id
    head = session.get(AuditHead, 1)
    if head is not None and head.last_hash != prev:
        return ChainReport(checked, head.last_event_id, "head")
    return ChainReport(checked, None)


@dataclass(frozen=True)
class EventFilter:
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    actor_id: int | None = None
    office_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def list_events(
    session: Session,
    actor: Actor,
    flt: EventFilter,
    *,
    limit: int = 100,
    before_id: int | None = None,
) -> list[AuditEvent]:
    """Events newest first, filtered; only for actors who may read the audit trail."""
    require(actor, Perm.AUDIT_READ)
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if flt.action:
        stmt = stmt.where(AuditEvent.action.startswith(flt.action))
    if flt.object_type:
        stmt = stmt.where(AuditEvent.object_type == flt.object_type)
    if flt.object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == flt.object_id)
    if flt.actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == flt.actor_id)
    if flt.office_id is not None:
        stmt = stmt.where(AuditEvent.office_id == flt.office_id)
    if flt.since is not None:
        stmt = stmt.where(AuditEvent.at >= flt.since)
    if flt.until is not None:
        stmt = stmt.where(AuditEvent.at < flt.until)
    if before_id is not None:
        stmt = stmt.where(AuditEvent.id < before_id)
    if actor.office_ids is not None:
        stmt = stmt.where(
            AuditEvent.office_id.in_(actor.office_ids) | AuditEvent.office_id.is_(None)
        )
    return list(session.scalars(stmt))
