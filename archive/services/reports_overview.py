"""The overview figures on the home page: offices, files, boxes, shelf metres in scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import Box, BoxProfile, File, Office
from archive.permissions import Actor, Perm, require


@dataclass(frozen=True)
class Overview:
    offices: int
    files: int
    boxes: int
    shelf_metres: float


def overview(session: Session, actor: Actor) -> Overview:
    """Totals over the offices the actor may see."""
    require(actor, Perm.REGISTER_READ)
    offices_q = select(func.count(Office.id))
    files_q = select(func.count(File.id)).where(File.status != "destroyed")
    boxes_q = select(func.count(Box.id), func.coalesce(func.sum(BoxProfile.width_cm), 0)).join(
        BoxProfile, BoxProfile.id == Box.profile_id
    )
    if actor.office_ids is not None:
        offices_q = offices_q.where(Office.id.in_(actor.office_ids))
        files_q = files_q.where(File.office_id.in_(actor.office_ids))
        boxes_q = boxes_q.where(Box.office_id.in_(actor.office_ids))
    n_boxes, width = session.execute(boxes_q).one()
    return Overview(
        offices=session.scalar(offices_q) or 0,
        files=session.scalar(files_q) or 0,
        boxes=int(n_boxes),
        shelf_metres=round(float(width) / 100, 2),
    )
