"""Plain builder functions for tests: fixed names, explicit overrides, no randomness."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import BoxProfile, Office, Series
from archive.permissions import Actor
from archive.services import locations, offices

ADMIN = Actor.system("test")


def archivist(office_id: int, **overrides: Any) -> Actor:
    """An archivist scoped to one office (a user id is not needed for service tests)."""
    values: dict[str, Any] = {
        "user_id": None,
        "label": "archivist",
        "roles": frozenset({"archivist"}),
        "office_id": office_id,
        "office_ids": frozenset({office_id}),
    }
    values.update(overrides)
    return Actor(**values)


def make_office(session: Session, code: str = "00", name: str = "BHXH tỉnh Hà Nam") -> Office:
    return offices.create_office(session, ADMIN, code=code, name=name)


def series(session: Session, code: str = "HUONG_MOT_LAN") -> Series:
    return session.execute(select(Series).where(Series.code == code)).scalar_one()


def profile(session: Session, code: str = "HOP_10_NGHIEP_VU") -> BoxProfile:
    return session.execute(select(BoxProfile).where(BoxProfile.code == code)).scalar_one()


def make_layout(
    session: Session,
    office: Office,
    *,
    store_code: str = "1",
    shelves: tuple[int, int] = (1, 2),
    tiers: int = 2,
    boxes_per_tier: int = 2,
    profile_code: str = "HOP_10_NGHIEP_VU",
) -> locations.LayoutResult:
    store = locations.create_store(
        session, ADMIN, office_id=office.id, code=store_code, name=f"Kho {store_code}"
    )
    return locations.build_layout(
        session,
        ADMIN,
        store_id=store.id,
        shelf_from=shelves[0],
        shelf_to=shelves[1],
        tiers_per_shelf=tiers,
        boxes_per_tier=boxes_per_tier,
        profile_id=profile(session, profile_code).id,
    )


def small_png(width: int = 60, height: int = 80) -> bytes:
    """A small valid greyscale PNG (a page as far as intake checks are concerned)."""
    out = io.BytesIO()
    Image.new("L", (width, height), 255).save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


def write_png(path: Path, width: int = 60, height: int = 80) -> Path:
    path.write_bytes(small_png(width, height))
    return path
