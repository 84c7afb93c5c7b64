"""Every web page router (mounted at /)."""

from __future__ import annotations

from fastapi import APIRouter

from archive.web import auth, home

router = APIRouter(include_in_schema=False)
for module in (auth, home):
    router.include_router(module.router)
