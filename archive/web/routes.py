"""Every web page router (mounted at /)."""

from __future__ import annotations

from fastapi import APIRouter

from archive.web import (
    audit,
    auth,
    boxes,
    copies,
    custody,
    files,
    handover_work,
    handovers,
    home,
    imports,
    locations,
    passbooks,
    reports,
    scan_review,
    scans,
    search,
    series,
    users,
)

router = APIRouter(include_in_schema=False)


router.include_router(auth.router)
PAGES = (
    home,
    locations,
    boxes,
    copies,
    custody,
    files,
    handovers,
    handover_work,
    imports,
    reports,
    scans,
    scan_review,
    search,
    series,
    audit,
    users,
)
for module in PAGES:
    router.include_router(module.router)
# Copies and their price list (issue 5).
router.include_router(copies.router)
# Custody slips and passbooks: where is passbook X, review stages and progress (issue 5).
for module in (custody, passbooks):
    router.include_router(module.router)
