"""Shelves, tiers and boxes of a demo store, sized so that its planned boxes fit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.models import Box, Shelf, Tier
from archive.services import barcodes
from archive.services.demo.bulk import insert_rows

TIERS_PER_SHELF = 5
TIER_LENGTH_CM = 100
SPARE_SHELVES = 1  # an empty shelf at the end: room to grow, as in a real store


@dataclass(frozen=True)
class BoxPlan:
    """The boxes of one group: all of one series and profile, with the files each will hold."""

    series_id: int
    profile_id: int
    width_cm: float
    sizes: list[int]


@dataclass(frozen=True)
class Layout:
    shelves: int
    tiers: int
    used_cm: float
    box_ids: list[int]  # in the order of the plans' boxes


def _places(plans: Sequence[BoxPlan]) -> list[tuple[int, int]]:
    """(tier index, position on the tier) of every box, filling each tier before the next."""
    places: list[tuple[int, int]] = []
    tier, position, used = 0, 0, 0.0
    for plan in plans:
        for _ in plan.sizes:
            if used + plan.width_cm > TIER_LENGTH_CM:
                tier, position, used = tier + 1, 0, 0.0
            position += 1
            used += plan.width_cm
            places.append((tier, position))
    return places


def build_layout(
    session: Session,
    *,
    office_code: str,
    office_id: int,
    store_id: int,
    plans: Sequence[BoxPlan],
    now: datetime,
) -> Layout:
    """Insert the store's shelves, tiers and boxes (numbered after the office's last box)."""
    places = _places(plans)
    used_tiers = places[-1][0] + 1 if places else 0
    n_shelves = math.ceil(used_tiers / TIERS_PER_SHELF) + SPARE_SHELVES
    tier_ids = _shelves_and_tiers(session, office_code, store_id, n_shelves)
    first = _max_box_number(session, office_id) + 1
    box_codes = barcodes.allocate(session, "box", office_code, len(places))
    owners = [plan for plan in plans for _ in plan.sizes]
    insert_rows(
        session,
        Box,
        (
            {
                "office_id": office_id,
                "number": first + i,
                "profile_id": plan.profile_id,
                "tier_id": tier_ids[tier // TIERS_PER_SHELF + 1, tier % TIERS_PER_SHELF + 1],
                "position": position,
                "series_id": plan.series_id,
                "barcode": box_codes[i],
                "notes": "",
                "created_at": now,
            }
            for i, (plan, (tier, position)) in enumerate(zip(owners, places, strict=True))
        ),
    )
    box_ids = {
        number: bid
        for number, bid in session.execute(
            select(Box.number, Box.id).where(Box.office_id == office_id, Box.number >= first)
        )
    }
    used = sum(plan.width_cm * len(plan.sizes) for plan in plans)
    return Layout(n_shelves, len(tier_ids), used, [box_ids[first + i] for i in range(len(places))])


def _shelves_and_tiers(
    session: Session, office_code: str, store_id: int, n_shelves: int
) -> dict[tuple[int, int], int]:
    """Insert shelves 1…n with their tiers; the tier ids by (shelf number, tier number)."""
    shelf_codes = barcodes.allocate(session, "shelf", office_code, n_shelves)
    insert_rows(
        session,
        Shelf,
        (
            {"store_id": store_id, "number": n, "barcode": code}
            for n, code in enumerate(shelf_codes, start=1)
        ),
    )
    shelf_ids = {
        number: sid
        for number, sid in session.execute(
            select(Shelf.number, Shelf.id).where(Shelf.store_id == store_id)
        )
    }
    tier_codes = iter(barcodes.allocate(session, "tier", office_code, n_shelves * TIERS_PER_SHELF))
    insert_rows(
        session,
        Tier,
        (
            {
                "shelf_id": shelf_ids[s],
                "number": t,
                "length_cm": TIER_LENGTH_CM,
                "barcode": next(tier_codes),
            }
            for s in range(1, n_shelves + 1)
            for t in range(1, TIERS_PER_SHELF + 1)
        ),
    )
    return {
        (s, t): tid
        for s, t, tid in session.execute(
            select(Shelf.number, Tier.number, Tier.id)
            .join(Shelf, Shelf.id == Tier.shelf_id)
            .where(Shelf.store_id == store_id)
        )
    }


def _max_box_number(session: Session, office_id: int) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.max(Box.number), 0)).where(Box.office_id == office_id)
        )
        or 0
    )
