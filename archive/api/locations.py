"""Offices, stores, layouts, occupancy and boxes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from archive.api.deps import CurrentActor, DbSession
from archive.api.files import FileOut, file_out
from archive.api.schemas import ERRORS, PathOut
from archive.services import file_views, locations, occupancy, offices, places
from archive.services import files as file_service
from archive.services.places import BoxHeader

router = APIRouter(tags=["locations"], responses=ERRORS)


class OfficeIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"code": "01", "name": "BHXH huyện Duy Tiên"}]}
    )
    code: str
    name: str
    short_name: str = ""
    place: str = ""


class OfficeOut(BaseModel):
    id: int
    code: str
    name: str
    short_name: str
    place: str


class StoreIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"office_id": 1, "code": "1", "name": "Kho 1"}]}
    )
    office_id: int
    code: str
    name: str = ""


class StoreOut(BaseModel):
    id: int
    office_id: int
    code: str
    name: str
    barcode: str


class LayoutIn(BaseModel):
    """Shelves `shelf_from`…`shelf_to`, each with `tiers_per_shelf` tiers of `boxes_per_tier` boxes."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "shelf_from": 1,
                    "shelf_to": 12,
                    "tiers_per_shelf": 5,
                    "boxes_per_tier": 8,
                    "profile_id": 2,
                    "tier_length_cm": 100,
                }
            ]
        }
    )
    shelf_from: int = Field(ge=1)
    shelf_to: int = Field(ge=1)
    tiers_per_shelf: int
    boxes_per_tier: int
    profile_id: int
    tier_length_cm: int = 100


class LayoutOut(BaseModel):
    store_id: int
    shelves: int
    tiers: int
    boxes: int
    first_box_number: int | None
    last_box_number: int | None


class OccupancyOut(BaseModel):
    label: str
    length_cm: float
    used_cm: float
    free_cm: float
    percent_used: float
    shelf_metres: float
    boxes: int
    files: int
    file_capacity: int


class TierOccupancyOut(BaseModel):
    tier_id: int
    shelf_number: int
    tier_number: int
    barcode: str
    occupancy: OccupancyOut


class StoreOccupancyOut(BaseModel):
    store: OccupancyOut
    shelves: dict[int, OccupancyOut]
    tiers: list[TierOccupancyOut]


class BoxIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"office_id": 1, "profile_id": 2, "tier_id": 5}]}
    )
    office_id: int
    profile_id: int
    tier_id: int | None = None
    number: int | None = None
    notes: str = ""


class BoxOut(BaseModel):
    id: int
    office_id: int
    number: int
    barcode: str
    profile_id: int
    tier_id: int | None
    position: int | None
    path: PathOut


class BoxDetailOut(BoxOut):
    capacity_files: int
    files: list[FileOut]


class BoxMoveIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"tier_id": 7, "reason": "Dồn giá"}]})
    tier_id: int
    reason: str = ""


class OrderIn(BaseModel):
    file_ids: list[int]


class ProfileOut(BaseModel):
    id: int
    code: str
    name: str
    width_cm: float
    capacity_files: int


def _occ(o: occupancy.Occupancy) -> OccupancyOut:
    return OccupancyOut(
        label=o.label,
        length_cm=o.length_cm,
        used_cm=o.used_cm,
        free_cm=o.free_cm,
        percent_used=o.percent_used,
        shelf_metres=o.shelf_metres,
        boxes=o.boxes,
        files=o.files,
        file_capacity=o.file_capacity,
    )


def _box_out(h: BoxHeader) -> dict[str, Any]:
    box = h.box
    return {
        "id": box.id,
        "office_id": box.office_id,
        "number": box.number,
        "barcode": box.barcode,
        "profile_id": box.profile_id,
        "tier_id": box.tier_id,
        "position": box.position,
        "path": PathOut.of(h.path),
    }


@router.get("/offices")
def list_offices(session: DbSession, actor: CurrentActor) -> list[OfficeOut]:
    """Offices I can see."""
    return [
        OfficeOut(id=o.id, code=o.code, name=o.name, short_name=o.short_name, place=o.place)
        for o in offices.list_offices(session, actor)
    ]


@router.post("/offices", status_code=201)
def create_office(body: OfficeIn, session: DbSession, actor: CurrentActor) -> OfficeOut:
    """Register an office (administrators)."""
    o = offices.create_office(
        session, actor, code=body.code, name=body.name, short_name=body.short_name, place=body.place
    )
    return OfficeOut(id=o.id, code=o.code, name=o.name, short_name=o.short_name, place=o.place)


@router.get("/box-profiles")
def list_profiles(session: DbSession, actor: CurrentActor) -> list[ProfileOut]:
    """Box profiles: width on the shelf and capacity in files."""
    return [
        ProfileOut(
            id=p.id, code=p.code, name=p.name, width_cm=p.width_cm, capacity_files=p.capacity_files
        )
        for p in places.box_profiles(session, actor)
    ]


@router.get("/stores")
def list_stores(
    session: DbSession, actor: CurrentActor, office_id: int | None = None
) -> list[StoreOut]:
    """Stores I can see, optionally of one office."""
    return [
        StoreOut(id=s.id, office_id=s.office_id, code=s.code, name=s.name, barcode=s.barcode)
        for s in locations.list_stores(session, actor, office_id=office_id)
    ]


@router.post("/stores", status_code=201)
def create_store(body: StoreIn, session: DbSession, actor: CurrentActor) -> StoreOut:
    """A new store in an office."""
    s = locations.create_store(
        session, actor, office_id=body.office_id, code=body.code, name=body.name
    )
    return StoreOut(id=s.id, office_id=s.office_id, code=s.code, name=s.name, barcode=s.barcode)


@router.post("/stores/{store_id}/layout", status_code=201)
def build_layout(
    store_id: int, body: LayoutIn, session: DbSession, actor: CurrentActor
) -> LayoutOut:
    """Create shelves, tiers and boxes from ranges in one request."""
    r = locations.build_layout(session, actor, store_id=store_id, **body.model_dump())
    return LayoutOut(**r.__dict__)


@router.get("/stores/{store_id}/occupancy")
def store_occupancy(store_id: int, session: DbSession, actor: CurrentActor) -> StoreOccupancyOut:
    """Capacity, use and free space per tier, shelf and store."""
    occ = occupancy.of_store(session, actor, store_id=store_id)
    return StoreOccupancyOut(
        store=_occ(occ.store),
        shelves={n: _occ(o) for n, o in occ.shelves.items()},
        tiers=[
            TierOccupancyOut(
                tier_id=t.tier_id,
                shelf_number=t.shelf_number,
                tier_number=t.tier_number,
                barcode=t.barcode,
                occupancy=_occ(t.occupancy),
            )
            for t in occ.tiers
        ],
    )


@router.post("/boxes", status_code=201)
def create_box(body: BoxIn, session: DbSession, actor: CurrentActor) -> BoxOut:
    """A new box, on a tier or unplaced."""
    box = locations.create_box(session, actor, **body.model_dump())
    return BoxOut(**_box_out(places.box_header(session, actor, box.id)))


@router.get("/boxes/{box_id}")
def get_box(box_id: int, session: DbSession, actor: CurrentActor) -> BoxDetailOut:
    """A box with its files in order."""
    header = places.box_header(session, actor, box_id)
    files = [file_out(d) for d in file_views.box_details(session, actor, box_id)]
    return BoxDetailOut(
        **_box_out(header), capacity_files=header.profile.capacity_files, files=files
    )


@router.post("/boxes/{box_id}/move")
def move_box(box_id: int, body: BoxMoveIn, session: DbSession, actor: CurrentActor) -> BoxOut:
    """Move a box to the end of another tier."""
    locations.move_box(session, actor, box_id=box_id, tier_id=body.tier_id, reason=body.reason)
    return BoxOut(**_box_out(places.box_header(session, actor, box_id)))


@router.put("/boxes/{box_id}/order")
def reorder(box_id: int, body: OrderIn, session: DbSession, actor: CurrentActor) -> list[FileOut]:
    """Put the files of a box in a new order."""
    file_service.reorder_box(session, actor, box_id=box_id, file_ids=body.file_ids)
    return [file_out(d) for d in file_views.box_details(session, actor, box_id)]
