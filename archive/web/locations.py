"""Stores, shelves and tiers: the location tree with occupancy, and building a layout."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession
from archive.models import BoxProfile, Office, Shelf, Store
from archive.permissions import Actor, Perm
from archive.services import locations, occupancy, offices, places
from archive.services.occupancy import Occupancy, TierRow
from archive.services.paths import LocationPath
from archive.services.places import BoxSummary
from archive.web.forms import FormError, attempt, notice
from archive.web.templating import hx_redirect, render

router = APIRouter()


@dataclass(frozen=True)
class StoreRow:
    store: Store
    office: Office
    occupancy: Occupancy


@dataclass(frozen=True)
class StoresPage:
    rows: list[StoreRow]
    offices: list[Office]
    can_manage: bool
    ok: str | None = None
    error: FormError | None = None
    form: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TierBlock:
    tier: TierRow
    boxes: list[BoxSummary]


@dataclass(frozen=True)
class ShelfBlock:
    shelf_id: int
    number: int
    occupancy: Occupancy
    tiers: list[TierBlock]


@dataclass(frozen=True)
class LayoutForm:
    """What the add-shelves form shows (the last values after a refusal)."""

    shelf_from: int = 1
    shelf_to: int = 1
    tiers_per_shelf: int = 5
    boxes_per_tier: int = 8
    profile_id: int = 0
    tier_length_cm: int = 100


@dataclass(frozen=True)
class StorePage:
    store: Store
    office: Office
    path: LocationPath
    occupancy: Occupancy
    shelves: list[ShelfBlock]
    can_manage: bool
    profiles: list[BoxProfile]
    layout: LayoutForm
    ok: str | None = None
    error: FormError | None = None


@dataclass(frozen=True)
class ShelfPage:
    store: Store
    path: LocationPath
    shelf: ShelfBlock


@dataclass(frozen=True)
class TierPage:
    store: Store
    shelf_id: int
    path: LocationPath
    tier: TierBlock


def _offices_by_id(session: Session, actor: Actor) -> dict[int, Office]:
    return {o.id: o for o in offices.list_offices(session, actor)}


def stores_page(
    session: Session,
    actor: Actor,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    form: dict[str, str] | None = None,
) -> StoresPage:
    by_id = _offices_by_id(session, actor)
    rows = [
        StoreRow(
            store=s,
            office=by_id[s.office_id],
            occupancy=occupancy.of_store(session, actor, store_id=s.id).store,
        )
        for s in locations.list_stores(session, actor)
    ]
    return StoresPage(
        rows=rows,
        offices=list(by_id.values()),
        can_manage=actor.has(Perm.LOCATIONS_MANAGE),
        ok=notice(ok),
        error=error,
        form=form or {},
    )


def _shelf_blocks(
    session: Session, actor: Actor, store_id: int, shelf_id: int | None = None
) -> tuple[Occupancy, list[ShelfBlock]]:
    """The store's occupancy and its shelves → tiers → boxes (two queries)."""
    occ = occupancy.of_store(session, actor, store_id=store_id)
    boxes = places.store_boxes(session, actor, store_id=store_id, shelf_id=shelf_id)
    blocks: dict[int, ShelfBlock] = {}
    for row in occ.tiers:
        if shelf_id is not None and row.shelf_id != shelf_id:
            continue
        block = blocks.get(row.shelf_id)
        if block is None:
            block = blocks[row.shelf_id] = ShelfBlock(
                row.shelf_id, row.shelf_number, occ.shelves[row.shelf_number], []
            )
        block.tiers.append(TierBlock(tier=row, boxes=boxes.get(row.tier_id, [])))
    return occ.store, list(blocks.values())


def store_page(
    session: Session,
    actor: Actor,
    store_id: int,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    layout: LayoutForm | None = None,
) -> StorePage:
    store = locations.get_store(session, actor, store_id)
    office = _offices_by_id(session, actor)[store.office_id]
    total, shelves = _shelf_blocks(session, actor, store_id)
    profiles = places.box_profiles(session, actor)
    next_shelf = max((s.number for s in shelves), default=0) + 1
    return StorePage(
        store=store,
        office=office,
        path=LocationPath(office.code, store.code),
        occupancy=total,
        shelves=shelves,
        can_manage=actor.has(Perm.LOCATIONS_MANAGE),
        profiles=profiles,
        layout=layout
        or LayoutForm(
            shelf_from=next_shelf, shelf_to=next_shelf, profile_id=profiles[0].id if profiles else 0
        ),
        ok=notice(ok),
        error=error,
    )


@router.get("/stores")
def list_stores(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, "locations/stores.html", stores_page(session, actor, ok=ok))


@router.post("/stores")
def create_store(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    office_id: int = Form(...),
    code: str = Form(""),
    name: str = Form(""),
) -> Response:
    error = attempt(
        session,
        lambda: locations.create_store(session, actor, office_id=office_id, code=code, name=name),
    )
    if error is None:
        return hx_redirect(request, "/stores?ok=store.created")
    form = {"office_id": str(office_id), "code": code, "name": name}
    return render(
        request,
        "locations/stores.html",
        stores_page(session, actor, error=error, form=form),
        status=422,
    )


@router.get("/stores/{store_id}")
def show_store(
    request: Request, store_id: int, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, "locations/store.html", store_page(session, actor, store_id, ok=ok))


@router.post("/stores/{store_id}/layout")
def build_layout(
    request: Request,
    store_id: int,
    session: DbSession,
    actor: CurrentActor,
    shelf_from: int = Form(...),
    shelf_to: int = Form(...),
    tiers_per_shelf: int = Form(...),
    boxes_per_tier: int = Form(...),
    profile_id: int = Form(...),
    tier_length_cm: int = Form(100),
) -> Response:
    """Add shelves from ranges (shelves a…b, t tiers each, n boxes per tier) in one go."""
    form = LayoutForm(
        shelf_from, shelf_to, tiers_per_shelf, boxes_per_tier, profile_id, tier_length_cm
    )
    error = attempt(
        session, lambda: locations.build_layout(session, actor, store_id=store_id, **form.__dict__)
    )
    if error is None:
        return hx_redirect(request, f"/stores/{store_id}?ok=layout.built")
    page = store_page(session, actor, store_id, error=error, layout=form)
    return render(request, "locations/store.html", page, status=422)


@router.get("/shelves/{shelf_id}")
def show_shelf(
    request: Request, shelf_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    shelf: Shelf = places.get_shelf(session, actor, shelf_id)
    store = locations.get_store(session, actor, shelf.store_id)
    office = _offices_by_id(session, actor)[store.office_id]
    _, blocks = _shelf_blocks(session, actor, store.id, shelf_id=shelf_id)
    path = LocationPath(office.code, store.code, shelf.number)
    return render(
        request, "locations/shelf.html", ShelfPage(store=store, path=path, shelf=blocks[0])
    )


@router.get("/tiers/{tier_id}")
def show_tier(request: Request, tier_id: int, session: DbSession, actor: CurrentActor) -> Response:
    tier = places.get_tier(session, actor, tier_id)
    shelf = places.get_shelf(session, actor, tier.shelf_id)
    store = locations.get_store(session, actor, shelf.store_id)
    office = _offices_by_id(session, actor)[store.office_id]
    _, blocks = _shelf_blocks(session, actor, store.id, shelf_id=shelf.id)
    block = next(t for t in blocks[0].tiers if t.tier.tier_id == tier_id)
    path = LocationPath(office.code, store.code, shelf.number, tier.number)
    return render(
        request,
        "locations/tier.html",
        TierPage(store=store, shelf_id=shelf.id, path=path, tier=block),
    )
