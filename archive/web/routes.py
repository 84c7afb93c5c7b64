"""Every web page router (mounted at /)."""

from __future__ import annotations

from fastapi import APIRouter

from archive.web import (
    audit,
    auth,
    boxes,
    copies,
    copy_prices,
    custody,
    files,
    handover_work,
    handovers,
    home,
    imports,
    loan_desk,
    loan_inbox,
    loans,
    locations,
    lookups,
    passbooks,
    reading_room,
    reports,
    scan_review,
    scans,
    search,
    series,
    use_register,
    users,
)

router = APIRouter(include_in_schema=False)


router.include_router(auth.router)
PAGES = (
    home,
    locations,
    boxes,
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
    # /loans/desk and /loans/overdue before /loans/{loan_id}
    loan_desk,
    loan_inbox,
    loans,
)
for module in PAGES:
    router.include_router(module.router)
# The use of records in the reading room, lookups, the usage register and report (issue 5).
for module in (reading_room, lookups, use_register):
    router.include_router(module.router)
# Copies and their price list (issue 5).
for module in (copies, copy_prices):
    router.include_router(module.router)
# Custody slips and passbooks: where is passbook X, review stages and progress (issue 5).
for module in (custody, passbooks):
    router.include_router(module.router)
