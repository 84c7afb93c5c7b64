"""Where an object stands: the full path from store to position, for boxes and files."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.i18n import PATH_LABELS, PATH_SEPARATOR
from archive.models import Box, Office, Shelf, Store, Tier


@dataclass(frozen=True)
class LocationPath:
    """Store › shelf › tier › box › position; parts are None where the object is not placed."""

    office_code: str
    store_code: str | None = None
    shelf_number: int | None = None
    tier_number: int | None = None
    box_number: int | None = None
    position: int | None = None

    def parts(self, lang: str = "vi") -> list[str]:
        """The path as labelled parts (`Kho 1`, `Giá 03`, …) in the user's language."""
        labels = PATH_LABELS.get(lang, PATH_LABELS["vi"])
        out: list[str] = []
        if self.store_code is not None:
            out.append(f"{labels['store']} {self.store_code}")
        if self.shelf_number is not None:
            out.append(f"{labels['shelf']} {self.shelf_number:02d}")
        if self.tier_number is not None:
            out.append(f"{labels['tier']} {self.tier_number}")
        if self.box_number is not None:
            out.append(f"{labels['box']} {self.box_number:03d}")
        if self.position is not None:
            out.append(f"{labels['position']} {self.position}")
        return out

    def text(self, lang: str = "vi") -> str:
        """`Kho 1 › Giá 03 › Tầng 2 › Hộp 045 › vị trí 12`."""
        return PATH_SEPARATOR.join(self.parts(lang))


def box_paths(session: Session, box_ids: list[int]) -> dict[int, LocationPath]:
    """Paths of many boxes in one query (unplaced boxes have only their number)."""
    if not box_ids:
        return {}
    rows = session.execute(
        select(Box.id, Box.number, Office.code, Store.code, Shelf.number, Tier.number)
        .join(Office, Office.id == Box.office_id)
        .outerjoin(Tier, Tier.id == Box.tier_id)
        .outerjoin(Shelf, Shelf.id == Tier.shelf_id)
        .outerjoin(Store, Store.id == Shelf.store_id)
        .where(Box.id.in_(box_ids))
    ).all()
    return {
        box_id: LocationPath(
            office_code=office,
            store_code=store,
            shelf_number=shelf,
            tier_number=tier,
            box_number=number,
        )
        for box_id, number, office, store, shelf, tier in rows
    }


def tier_path(session: Session, tier_id: int) -> LocationPath:
    """The path of a tier (store › shelf › tier)."""
    office, store, shelf, tier = session.execute(
        select(Office.code, Store.code, Shelf.number, Tier.number)
        .join(Shelf, Shelf.id == Tier.shelf_id)
        .join(Store, Store.id == Shelf.store_id)
        .join(Office, Office.id == Store.office_id)
        .where(Tier.id == tier_id)
    ).one()
    return LocationPath(office_code=office, store_code=store, shelf_number=shelf, tier_number=tier)


def file_path(
    session: Session, box_id: int | None, position: int | None, office_code: str
) -> LocationPath:
    """The path of a file in a box at a position (or just its office when not boxed)."""
    if box_id is None:
        return LocationPath(office_code=office_code)
    base = box_paths(session, [box_id])[box_id]
    return LocationPath(
        office_code=base.office_code,
        store_code=base.store_code,
        shelf_number=base.shelf_number,
        tier_number=base.tier_number,
        box_number=base.box_number,
        position=position,
    )
