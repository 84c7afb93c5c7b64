"""Every API router, mounted under /api/v1 by the app."""

from __future__ import annotations

from fastapi import APIRouter

from archive.api import (
    admin,
    auth,
    files,
    handover,
    imports,
    locations,
    lookup,
    pages,
    reports,
    saved_searches,
    scans,
    search,
)

router = APIRouter()
for module in (
    auth,
    lookup,
    search,
    saved_searches,
    locations,
    files,
    admin,
    handover,
    reports,
    imports,
    scans,
    pages,
):
    router.include_router(module.router)
