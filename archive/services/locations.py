"""Stores, shelves, tiers and boxes: building a layout from ranges, moving boxes, occupancy."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Invalid, NotFound
from archive.models import Box, BoxProfile, File, Movement, Office, Shelf, Store, Tier, utcnow
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, barcodes
from archive.services.paths import LocationPath, box_paths, tier_path
from archive.text import nfc

MAX_SHELVES_PER_REQUEST = 500
MAX_TIERS = 20
MAX_BOXES_PER_TIER = 200


@dataclass(frozen=True)
class LayoutResult:
    store_id: int
    shelves: int
    tiers: int
    boxes: int
    first_box_number: int | None
    last_box_number: int | None


def get_store(session: Session, actor: Actor, store_id: int) -> Store:
    """A store the actor may see; refuses unknown stores and other offices' stores."""
    require(actor, Perm.REGISTER_READ)
    store = session.get(Store, store_id)
    if store is None:
        raise NotFound("store.not_found", store_id=store_id)
    require_office(actor, store.office_id)
    return store


def create_store(session: Session, actor: Actor, *, office_id: int, code: str, name: str) -> Store:
    """A new store in an office; refuses a code already used in that office."""
    require(actor, Perm.LOCATIONS_MANAGE)
    require_office(actor, office_id)
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound("office.not_found", office_id=office_id)
    code = nfc(code)
    if not code or len(code) > 20:
        raise Invalid("store.code", value=code)
    exists = session.scalar(
        select(Store.id).where(Store.office_id == office_id, Store.code == code)
    )
    if exists is not None:
        raise Conflict("store.duplicate_code", code=code)
    (barcode,) = barcodes.allocate(session, "store", office.code)
    store = Store(office_id=office_id, code=code, name=nfc(name) or f"Kho {code}", barcode=barcode)
    session.add(store)
    session.flush()
    audit.record(
        session,
        actor,
        "store.created",
        object_type="store",
        object_id=store.id,
        office_id=office_id,
        changes={"code": [None, code], "name": [None, store.name]},
    )
    return store


def _next_box_number(session: Session, office_id: int) -> int:
    return (
        int(
            session.scalar(
                select(func.coalesce(func.max(Box.number), 0)).where(Box.office_id == office_id)
            )
            or 0
        )
        + 1
    )


def build_layout(
    session: Session,
    actor: Actor,
    *,
    store_id: int,
    shelf_from: int,
    shelf_to: int,
    tiers_per_shelf: int,
    boxes_per_tier: int,
    profile_id: int,
    tier_length_cm: int = 100,
) -> LayoutResult:
    """Create shelves `shelf_from`…`shelf_to`, each with its tiers and empty boxes, in one go.

    Refuses ranges that overlap existing shelves, and boxes that would not fit on a tier."""
    require(actor, Perm.LOCATIONS_MANAGE)
    store = get_store(session, actor, store_id)
    if not 1 <= shelf_from <= shelf_to or shelf_to - shelf_from + 1 > MAX_SHELVES_PER_REQUEST:
        raise Invalid("layout.shelf_range", shelf_from=shelf_from, shelf_to=shelf_to)
    if not 1 <= tiers_per_shelf <= MAX_TIERS:
        raise Invalid("layout.tiers", value=tiers_per_shelf)
    if not 0 <= boxes_per_tier <= MAX_BOXES_PER_TIER:
        raise Invalid("layout.boxes", value=boxes_per_tier)
    if tier_length_cm <= 0:
        raise Invalid("layout.tier_length", value=tier_length_cm)
    profile = session.get(BoxProfile, profile_id)
    if profile is None:
        raise NotFound("box_profile.not_found", profile_id=profile_id)
    if boxes_per_tier * profile.width_cm > tier_length_cm:
        raise Invalid(
            "layout.tier_overfull",
            boxes=boxes_per_tier,
            width=profile.width_cm,
            length=tier_length_cm,
        )
    taken = session.scalars(
        select(Shelf.number).where(
            Shelf.store_id == store.id, Shelf.number.between(shelf_from, shelf_to)
        )
    ).all()
    if taken:
        raise Conflict("layout.shelf_exists", numbers=", ".join(str(n) for n in sorted(taken)))
    office_code = session.scalar(select(Office.code).where(Office.id == store.office_id))
    assert office_code is not None
    n_shelves = shelf_to - shelf_from + 1
    n_tiers = n_shelves * tiers_per_shelf
    n_boxes = n_tiers * boxes_per_tier
    shelf_codes = iter(barcodes.allocate(session, "shelf", office_code, n_shelves))
    tier_codes = iter(barcodes.allocate(session, "tier", office_code, n_tiers))
    box_codes = iter(barcodes.allocate(session, "box", office_code, n_boxes))
    first_box = box_number = _next_box_number(session, store.office_id)
    for number in range(shelf_from, shelf_to + 1):
        shelf = Shelf(store_id=store.id, number=number, barcode=next(shelf_codes))
        session.add(shelf)
        session.flush()
        tiers = [
            Tier(shelf_id=shelf.id, number=t, length_cm=tier_length_cm, barcode=next(tier_codes))
            for t in range(1, tiers_per_shelf + 1)
        ]
        session.add_all(tiers)
        session.flush()
        boxes = []
        for tier in tiers:
            for position in range(1, boxes_per_tier + 1):
                boxes.append(
                    Box(
                        office_id=store.office_id,
                        number=box_number,
                        profile_id=profile.id,
                        tier_id=tier.id,
                        position=position,
                        barcode=next(box_codes),
                    )
                )
                box_number += 1
        session.add_all(boxes)
    session.flush()
    result = LayoutResult(
        store_id=store.id,
        shelves=n_shelves,
        tiers=n_tiers,
        boxes=n_boxes,
        first_box_number=first_box if n_boxes else None,
        last_box_number=box_number - 1 if n_boxes else None,
    )
    audit.record(
        session,
        actor,
        "store.layout_built",
        object_type="store",
        object_id=store.id,
        office_id=store.office_id,
        changes={
            "shelves": [None, f"{shelf_from}-{shelf_to}"],
            "tiers": [None, n_tiers],
            "boxes": [None, n_boxes],
            "profile": [None, profile.code],
        },
    )
    return result


def get_box(session: Session, actor: Actor, box_id: int) -> Box:
    """A box the actor may see; refuses unknown boxes and other offices' boxes."""
    require(actor, Perm.REGISTER_READ)
    box = session.get(Box, box_id)
    if box is None:
        raise NotFound("box.not_found", box_id=box_id)
    require_office(actor, box.office_id)
    return box


def _used_cm(session: Session, tier_id: int, *, excluding_box: int | None = None) -> float:
    stmt = (
        select(func.coalesce(func.sum(BoxProfile.width_cm), 0))
        .join(Box, Box.profile_id == BoxProfile.id)
        .where(Box.tier_id == tier_id)
    )
    if excluding_box is not None:
        stmt = stmt.where(Box.id != excluding_box)
    return float(session.scalar(stmt) or 0)


def create_box(
    session: Session,
    actor: Actor,
    *,
    office_id: int,
    profile_id: int,
    tier_id: int | None = None,
    number: int | None = None,
    notes: str = "",
) -> Box:
    """A new box, on a tier (at its end) or unplaced; refuses a used number or a full tier."""
    require(actor, Perm.LOCATIONS_MANAGE)
    require_office(actor, office_id)
    office = session.get(Office, office_id)
    profile = session.get(BoxProfile, profile_id)
    if office is None:
        raise NotFound("office.not_found", office_id=office_id)
    if profile is None:
        raise NotFound("box_profile.not_found", profile_id=profile_id)
    if number is None:
        number = _next_box_number(session, office_id)
    elif session.scalar(select(Box.id).where(Box.office_id == office_id, Box.number == number)):
        raise Conflict("box.duplicate_number", number=number)
    if number <= 0:
        raise Invalid("box.number", value=number)
    position = None
    if tier_id is not None:
        position = _check_tier_space(session, tier_id, office_id, profile.width_cm)
    (barcode,) = barcodes.allocate(session, "box", office.code)
    box = Box(
        office_id=office_id,
        number=number,
        profile_id=profile_id,
        tier_id=tier_id,
        position=position,
        barcode=barcode,
        notes=nfc(notes),
    )
    session.add(box)
    session.flush()
    audit.record(
        session,
        actor,
        "box.created",
        object_type="box",
        object_id=box.id,
        office_id=office_id,
        changes={"number": [None, number], "tier_id": [None, tier_id]},
    )
    return box


def _check_tier_space(
    session: Session,
    tier_id: int,
    office_id: int,
    width_cm: float,
    *,
    excluding_box: int | None = None,
) -> int:
    """The next free position on a tier of the same office; refuses a full or foreign tier."""
    tier = session.get(Tier, tier_id)
    if tier is None:
        raise NotFound("tier.not_found", tier_id=tier_id)
    tier_office = session.scalar(
        select(Store.office_id)
        .join(Shelf, Shelf.store_id == Store.id)
        .where(Shelf.id == tier.shelf_id)
    )
    if tier_office != office_id:
        raise Invalid("box.tier_other_office", tier_id=tier_id)
    used = _used_cm(session, tier_id, excluding_box=excluding_box)
    if used + width_cm > tier.length_cm:
        raise Conflict("tier.full", used=used, width=width_cm, length=tier.length_cm)
    last = session.scalar(select(func.max(Box.position)).where(Box.tier_id == tier_id))
    return int(last or 0) + 1


def move_box(session: Session, actor: Actor, *, box_id: int, tier_id: int, reason: str = "") -> Box:
    """Move a box to the end of another tier of its office, keeping the move in history."""
    require(actor, Perm.REGISTER_WRITE)
    box = get_box(session, actor, box_id)
    if box.tier_id == tier_id:
        raise Invalid("box.same_tier", box_id=box_id)
    profile = session.get(BoxProfile, box.profile_id)
    assert profile is not None
    position = _check_tier_space(
        session, tier_id, box.office_id, profile.width_cm, excluding_box=box.id
    )
    before_path = box_paths(session, [box.id])[box.id]
    from_tier, from_position = box.tier_id, box.position
    box.tier_id, box.position = tier_id, position
    session.flush()
    after_path = box_paths(session, [box.id])[box.id]
    session.add(
        Movement(
            kind="box",
            box_id=box.id,
            from_ref_id=from_tier,
            from_position=from_position,
            to_ref_id=tier_id,
            to_position=position,
            from_path=before_path.text(),
            to_path=after_path.text(),
            reason=nfc(reason),
            actor_id=actor.user_id,
            actor_label=actor.label,
            at=utcnow(),
        )
    )
    audit.record(
        session,
        actor,
        "box.moved",
        object_type="box",
        object_id=box.id,
        office_id=box.office_id,
        changes={
            "tier_id": [from_tier, tier_id],
            "position": [from_position, position],
            "reason": [None, reason],
        },
    )
    return box


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


def occupancy(session: Session, actor: Actor, *, store_id: int) -> StoreOccupancy:
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


def list_stores(session: Session, actor: Actor, *, office_id: int | None = None) -> list[Store]:
    """Stores the actor may see, optionally of one office."""
    require(actor, Perm.REGISTER_READ)
    stmt = select(Store).order_by(Store.office_id, Store.code)
    if office_id is not None:
        require_office(actor, office_id)
        stmt = stmt.where(Store.office_id == office_id)
    elif actor.office_ids is not None:
        stmt = stmt.where(Store.office_id.in_(actor.office_ids))
    return list(session.scalars(stmt))


def tier_label_path(session: Session, tier_id: int) -> str:
    """A tier's path as text (for messages and movements)."""
    return tier_path(session, tier_id).text()


# --- Browsing helpers for the web pages (issue 2, item 11) ---------------------------------


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
