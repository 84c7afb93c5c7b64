"""The copies routes of the use of records, with the permission each requires (see
test_permissions.ROUTES for the shape; ids such as {loan_id} are filled from its world)."""

from __future__ import annotations

from typing import Any

from archive.permissions import Perm

# A citizen's request at the desk: only use.desk may register one.
CITIZEN_REQUEST: dict[str, Any] = {
    "kind": "photocopy",
    "requester_kind": "citizen",
    "requester_name": "Nguyễn Thị Mai Lan",
    "id_paper_kind": "citizen_id",
    "id_paper_number": "079123456789",
    "purpose_id": 1,
    "items": [{"file_id": "{file_id}", "pages": "1-2"}],
}

ROUTES: dict[tuple[str, str], tuple[Perm | str, dict[str, Any] | None, dict[str, str] | None]] = {
    # test_permissions.ANY: the price list is public, any signed-in user reads it.
    ("GET", "/api/v1/copy-prices"): ("authenticated", None, {"kind": "photocopy"}),
    ("POST", "/api/v1/copy-prices"): (
        Perm.USE_SETTINGS,
        {
            "kind": "photocopy",
            "per_page_dong": 2000,
            "per_request_dong": 0,
            "valid_from": "2026-01-01",
        },
        None,
    ),
    ("POST", "/api/v1/copies"): (Perm.USE_DESK, CITIZEN_REQUEST, None),
    # Everyone reads; officers see their own, the desk, approvers and inspectors their offices'.
    ("GET", "/api/v1/copies"): (Perm.REGISTER_READ, None, {"status": "requested"}),
    ("GET", "/api/v1/copies/{copy_id}"): (Perm.REGISTER_READ, None, None),
    ("POST", "/api/v1/copies/{copy_id}/decision"): (Perm.USE_APPROVE, {"approve": True}, None),
    ("POST", "/api/v1/copies/{copy_id}/payment"): (
        Perm.USE_DESK,
        {"receipt_number": "0001234"},
        None,
    ),
    ("POST", "/api/v1/copies/{copy_id}/produce"): (Perm.USE_DESK, None, None),
    ("POST", "/api/v1/copies/{copy_id}/deliver"): (
        Perm.USE_DESK,
        {"delivered_to": "Nguyễn Thị Mai Lan"},
        None,
    ),
    # The copy's content is personal data.
    ("GET", "/api/v1/copies/{copy_id}/copy.pdf"): (Perm.PERSONAL_DATA, None, None),
    ("GET", "/api/v1/copies/{copy_id}/request.pdf"): (Perm.REGISTER_READ, None, None),
    ("GET", "/api/v1/copies/{copy_id}/certification.pdf"): (Perm.USE_DESK, None, None),
}
