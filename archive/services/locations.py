"""Stores, shelves, tiers and boxes: building a layout from ranges, moving boxes, occupancy."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Invalid, NotFound
from archive.models import Box, BoxProfile, Office, Shelf, Store, Tier
from archive.permissions import Actor, Perm, require, require_office
from archive.services import audit, barcodes
from archive.services.movements import Move, record_move
from archive.services.paths import box_paths
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
    record_move(
        session,
        actor,
        Move(
            kind="box",
            object_id=box.id,
            office_id=box.office_id,
            from_ref=from_tier,
            from_position=from_position,
            from_path=before_path,
            to_ref=tier_id,
            to_position=position,
            to_path=after_path,
            reason=reason,
        ),
    )
    return box


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
