"""What waits for an approver besides loans (which reach the inbox as notices): reading-room
visits of restricted files and copy requests, in the approver's offices, that they may decide —
never the ones they registered or asked for themselves."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from archive.models import CopyRequest, ReadingVisit
from archive.permissions import Actor, Perm

LIMIT = 50


@dataclass(frozen=True)
class Waiting:
    visits: list[ReadingVisit]
    copies: list[CopyRequest]

    @property
    def count(self) -> int:
        return len(self.visits) + len(self.copies)


def waiting_for(session: Session, actor: Actor) -> Waiting:
    """Visits and copy requests waiting for the actor's decision, oldest first."""
    if not actor.has(Perm.USE_APPROVE) or actor.user_id is None:
        return Waiting([], [])
    visits = (
        select(ReadingVisit)
        .options(selectinload(ReadingVisit.purpose))
        .where(
            ReadingVisit.status == "requested",
            ReadingVisit.registered_by_id != actor.user_id,
        )
        .order_by(ReadingVisit.registered_at)
        .limit(LIMIT)
    )
    copies = (
        select(CopyRequest)
        .options(selectinload(CopyRequest.purpose))
        .where(
            CopyRequest.status == "requested",
            CopyRequest.registered_by_id != actor.user_id,
            or_(
                CopyRequest.requester_user_id.is_(None),
                CopyRequest.requester_user_id != actor.user_id,
            ),
        )
        .order_by(CopyRequest.requested_at)
        .limit(LIMIT)
    )
    if actor.office_ids is not None:
        visits = visits.where(ReadingVisit.office_id.in_(actor.office_ids))
        copies = copies.where(CopyRequest.office_id.in_(actor.office_ids))
    return Waiting(list(session.scalars(visits)), list(session.scalars(copies)))
