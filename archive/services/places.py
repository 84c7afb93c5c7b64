"""Places as the pages show them: a shelf's or tier's boxes with their fill, a box's header,
and finding a box by the barcode or number an archivist scans or types."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Invalid, NotFound
from archive.models import Box, BoxProfile, File, Shelf, Store, Tier
from archive.permissions import Actor, Perm, require, require_office
from archive.services.locations import get_box, get_store
from archive.services.paths import LocationPath, box_paths


@dataclass(frozen=True)
class BoxSummary:
    """A box as a shelf shows it: where it stands and how full it is."""

    id: int
    number: int
    barcode: str
    tier_id: int | None
    position: int | None
    files: int
    capacity: int

    @property
    def percent_full(self) -> float:
        return round(100 * self.files / self.capacity, 1) if self.capacity else 0.0


def get_shelf(session: Session, actor: Actor, shelf_id: int) -> Shelf:
    """A shelf the actor may see; refuses unknown shelves and other offices' shelves."""
    require(actor, Perm.REGISTER_READ)
    row = session.execute(
        select(Shelf, Store.office_id)
        .join(Store, Store.id == Shelf.store_id)
        .where(Shelf.id == shelf_id)
    ).first()
    if row is None:
        raise NotFound("shelf.not_found", shelf_id=shelf_id)
    require_office(actor, row[1])
    return row[0]


def get_tier(session: Session, actor: Actor, tier_id: int) -> Tier:
    """A tier the actor may see; refuses unknown tiers and other offices' tiers."""
    require(actor, Perm.REGISTER_READ)
    row = session.execute(
        select(Tier, Store.office_id)
        .join(Shelf, Shelf.id == Tier.shelf_id)
        .join(Store, Store.id == Shelf.store_id)
        .where(Tier.id == tier_id)
    ).first()
    if row is None:
        raise NotFound("tier.not_found", tier_id=tier_id)
    require_office(actor, row[1])
    return row[0]


def store_boxes(
    session: Session,
    actor: Actor,
    *,
    store_id: int,
    shelf_id: int | None = None,
    tier_id: int | None = None,
) -> dict[int, list[BoxSummary]]:
    """The boxes on the tiers of a store (or of one shelf or tier), by tier id, in shelf order,
    with their file counts (one query); refuses a store the actor may not see."""
    get_store(session, actor, store_id)
    counts = (
        select(File.box_id, func.count().label("n"))
        .where(File.box_id.isnot(None))
        .group_by(File.box_id)
        .subquery()
    )
    stmt = (
        select(
            Box.id,
            Box.number,
            Box.barcode,
            Box.tier_id,
            Box.position,
            func.coalesce(counts.c.n, 0),
            BoxProfile.capacity_files,
        )
        .join(BoxProfile, BoxProfile.id == Box.profile_id)
        .join(Tier, Tier.id == Box.tier_id)
        .join(Shelf, Shelf.id == Tier.shelf_id)
        .outerjoin(counts, counts.c.box_id == Box.id)
        .where(Shelf.store_id == store_id)
        .order_by(Shelf.number, Tier.number, Box.position)
    )
    if shelf_id is not None:
        stmt = stmt.where(Tier.shelf_id == shelf_id)
    if tier_id is not None:
        stmt = stmt.where(Box.tier_id == tier_id)
    out: dict[int, list[BoxSummary]] = {}
    for bid, number, barcode, tid, position, n, capacity in session.execute(stmt):
        summary = BoxSummary(bid, number, barcode, tid, position, int(n), capacity)
        out.setdefault(tid, []).append(summary)
    return out


def find_box(session: Session, actor: Actor, *, office_id: int, ref: str) -> Box:
    """A box by its barcode, or by its number within `office_id` (what a desk scans or types);
    refuses an empty or unknown reference and boxes the actor may not see."""
    require(actor, Perm.REGISTER_READ)
    text = "".join(ref.split()).upper()
    if not text:
        raise Invalid("box.ref_empty")
    if text.isdigit():
        box = session.scalar(select(Box).where(Box.office_id == office_id, Box.number == int(text)))
    else:
        box = session.scalar(select(Box).where(Box.barcode == text))
    if box is None:
        raise NotFound("box.ref_not_found", ref=ref.strip())
    require_office(actor, box.office_id)
    return box


def box_profiles(session: Session, actor: Actor) -> list[BoxProfile]:
    """Every box profile (width and capacity), by code."""
    require(actor, Perm.REGISTER_READ)
    return list(session.scalars(select(BoxProfile).order_by(BoxProfile.code)))


@dataclass(frozen=True)
class BoxHeader:
    """A box with what its page heads with: profile, path, fill, and the ids of its places."""

    box: Box
    profile: BoxProfile
    path: LocationPath
    files: int
    store_id: int | None
    shelf_id: int | None

    @property
    def percent_full(self) -> float:
        return round(100 * self.files / self.profile.capacity_files, 1)


def box_header(session: Session, actor: Actor, box_id: int) -> BoxHeader:
    """The head of a box page; refuses unknown boxes and other offices' boxes."""
    box = get_box(session, actor, box_id)
    profile = session.get(BoxProfile, box.profile_id)
    assert profile is not None
    places = (
        session.execute(
            select(Shelf.store_id, Shelf.id)
            .join(Tier, Tier.shelf_id == Shelf.id)
            .where(Tier.id == box.tier_id)
        ).first()
        if box.tier_id
        else None
    )
    n_files = session.scalar(select(func.count(File.id)).where(File.box_id == box.id)) or 0
    return BoxHeader(
        box=box,
        profile=profile,
        path=box_paths(session, [box.id])[box.id],
        files=n_files,
        store_id=places[0] if places else None,
        shelf_id=places[1] if places else None,
    )
