"""API of the use of records (issue 5): loans."""

from __future__ import annotations

from fastapi import APIRouter

from archive.api.schemas import ERRORS

router = APIRouter(tags=["use of records"], responses=ERRORS)
