"""Every API router, mounted under /api/v1 by the app."""

from __future__ import annotations

from fastapi import APIRouter

from archive.api import (
    admin,
    auth,
    copies,
    custody,
    files,
    handover,
    imports,
    loans,
    locations,
    lookup,
    notices,
    pages,
    reading_room,
    reports,
    saved_searches,
    scans,
    search,
    use_reports,
    use_settings,
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
    loans,
    notices,
    use_settings,
    reading_room,
    copies,
    custody,
    use_reports,
):
    router.include_router(module.router)
