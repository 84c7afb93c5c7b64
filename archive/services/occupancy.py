"""How full the shelves are: capacity, use and free space per tier, shelf and store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import Box, BoxProfile, File, Shelf, Tier
from archive.permissions import Actor
from archive.services.locations import get_store


@dataclass(frozen=True)
class Occupancy:
    """Space and contents of a tier, a shelf or a store."""

    label: str
    length_cm: float
    used_cm: float
    boxes: int
    files: int
    file_capacity: int

    @property
    def free_cm(self) -> float:
        return max(self.length_cm - self.used_cm, 0.0)

    @property
    def shelf_metres(self) -> float:
        return round(self.used_cm / 100, 2)

    @property
    def percent_used(self) -> float:
        return round(100 * self.used_cm / self.length_cm, 1) if self.length_cm else 0.0


@dataclass(frozen=True)
class TierRow:
    tier_id: int
    shelf_id: int
    shelf_number: int
    tier_number: int
    barcode: str
    occupancy: Occupancy


@dataclass(frozen=True)
class StoreOccupancy:
    store: Occupancy
    shelves: dict[int, Occupancy]
    tiers: list[TierRow]


def of_store(session: Session, actor: Actor, *, store_id: int) -> StoreOccupancy:
    """Capacity, use and free space of every tier, shelf and the whole store (three queries)."""
    get_store(session, actor, store_id)
    files_per_box = (
        select(File.box_id, func.count().label("n"))
        .where(File.box_id.isnot(None))
        .group_by(File.box_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Tier.id,
            Tier.shelf_id,
            Shelf.number,
            Tier.number,
            Tier.barcode,
            Tier.length_cm,
            func.coalesce(func.sum(BoxProfile.width_cm), 0),
            func.count(Box.id),
            func.coalesce(func.sum(files_per_box.c.n), 0),
            func.coalesce(func.sum(BoxProfile.capacity_files), 0),
        )
        .join(Shelf, Shelf.id == Tier.shelf_id)
        .outerjoin(Box, Box.tier_id == Tier.id)
        .outerjoin(BoxProfile, BoxProfile.id == Box.profile_id)
        .outerjoin(files_per_box, files_per_box.c.box_id == Box.id)
        .where(Shelf.store_id == store_id)
        .group_by(Tier.id, Tier.shelf_id, Shelf.number, Tier.number, Tier.barcode, Tier.length_cm)
        .order_by(Shelf.number, Tier.number)
    ).all()
    tiers = [
        TierRow(
            tier_id=tid,
            shelf_id=sid,
            shelf_number=sn,
            tier_number=tn,
            barcode=bc,
            occupancy=Occupancy(
                label=f"{sn:02d}.{tn}",
                length_cm=float(length),
                used_cm=float(used),
                boxes=int(nb),
                files=int(nf),
                file_capacity=int(cap),
            ),
        )
        for tid, sid, sn, tn, bc, length, used, nb, nf, cap in rows
    ]
    shelves: dict[int, Occupancy] = {}
    for row in tiers:
        shelves[row.shelf_number] = _add(
            shelves.get(row.shelf_number), row.occupancy, f"{row.shelf_number:02d}"
        )
    total: Occupancy | None = None
    for occ in shelves.values():
        total = _add(total, occ, "store")
    return StoreOccupancy(
        store=total or Occupancy("store", 0, 0, 0, 0, 0), shelves=shelves, tiers=tiers
    )


def _add(acc: Occupancy | None, occ: Occupancy, label: str) -> Occupancy:
    if acc is None:
        return Occupancy(label, occ.length_cm, occ.used_cm, occ.boxes, occ.files, occ.file_capacity)
    return Occupancy(
        label,
        acc.length_cm + occ.length_cm,
        acc.used_cm + occ.used_cm,
        acc.boxes + occ.boxes,
        acc.files + occ.files,
        acc.file_capacity + occ.file_capacity,
    )
