"""Every API router, mounted under /api/v1 by the app."""

from __future__ import annotations

from fastapi import APIRouter

from archive.api import admin, auth, files, locations, lookup

router = APIRouter()
for module in (auth, lookup, locations, files, admin):
    router.include_router(module.router)
