"""The history of places: one Movement row and its audit event for every move of a file or box."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from archive.models import Movement, utcnow
from archive.permissions import Actor
from archive.services import audit
from archive.services.paths import LocationPath
from archive.text import nfc

# What the place is in each kind of move: a file moves between boxes, a box between tiers.
CONTAINER = {"file": "box_id", "box": "tier_id"}


@dataclass(frozen=True)
class Move:
    """A move that has just been made: the object, where it was and where it is now."""

    kind: str  # file | box
    object_id: int
    office_id: int
    from_ref: int | None
    from_position: int | None
    from_path: LocationPath
    to_ref: int
    to_position: int | None
    to_path: LocationPath
    reason: str = ""


def record_move(session: Session, actor: Actor, move: Move) -> Movement:
    """Keep a move in the object's history (from, to, who, when, why) and in the audit trail."""
    reason = nfc(move.reason)
    row = Movement(
        kind=move.kind,
        file_id=move.object_id if move.kind == "file" else None,
        box_id=move.object_id if move.kind == "box" else None,
        from_ref_id=move.from_ref,
        from_position=move.from_position,
        to_ref_id=move.to_ref,
        to_position=move.to_position,
        from_path=move.from_path.text(),
        to_path=move.to_path.text(),
        reason=reason,
        actor_id=actor.user_id,
        actor_label=actor.label,
        at=utcnow(),
    )
    session.add(row)
    audit.record(
        session,
        actor,
        f"{move.kind}.moved",
        object_type=move.kind,
        object_id=move.object_id,
        office_id=move.office_id,
        changes={
            CONTAINER[move.kind]: [move.from_ref, move.to_ref],
            "position": [move.from_position, move.to_position],
            "reason": [None, reason],
        },
    )
    return row
