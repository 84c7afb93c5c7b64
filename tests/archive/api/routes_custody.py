"""The custody routes of the use of records, with the permission each requires (see
test_permissions.ROUTES for the shape; ids such as {loan_id} are filled from its world)."""

from __future__ import annotations

from typing import Any

from archive.permissions import Perm

# A passbook number nobody registered: an allowed role gets past the check to "not found".
UNKNOWN_PASSBOOK = "9999999999"

ROUTES: dict[tuple[str, str], tuple[Perm | str, dict[str, Any] | None, dict[str, str] | None]] = {
    ("POST", "/api/v1/custody-transfers"): (
        Perm.USE_DESK,
        {
            "office_id": "{office_id}",
            "from_kind": "archive",
            "to_kind": "department",
            "to_name": "Phòng Cấp sổ, thẻ",
            "passbook_numbers": [UNKNOWN_PASSBOOK],
        },
        None,
    ),
    ("GET", "/api/v1/custody-transfers"): (Perm.USE_DESK, None, {"status": "sent"}),
    ("GET", "/api/v1/custody-transfers/{transfer_id}"): (Perm.USE_DESK, None, None),
    ("POST", "/api/v1/custody-transfers/{transfer_id}/receive"): (
        Perm.USE_DESK,
        {"received_by": "Nguyễn Thị Lan"},
        None,
    ),
    ("POST", "/api/v1/custody-transfers/{transfer_id}/cancel"): (
        Perm.USE_DESK,
        {"reason": "Lập nhầm"},
        None,
    ),
    ("GET", "/api/v1/custody-transfers/{transfer_id}/slip.pdf"): (Perm.USE_DESK, None, None),
    ("GET", "/api/v1/passbooks/whereabouts"): (Perm.USE_DESK, None, {"number": UNKNOWN_PASSBOOK}),
    ("GET", "/api/v1/passbooks/{passbook_id}/whereabouts"): (Perm.USE_DESK, None, None),
    ("POST", "/api/v1/passbooks"): (
        Perm.USE_DESK,
        {"office_id": "{office_id}", "number": "4803004239", "full_name": "Nguyễn Thị Mai Lan"},
        None,
    ),
    # The world's batch is a general one: an allowed role gets past the check to "invalid".
    ("POST", "/api/v1/handovers/{batch_id}/passbooks"): (Perm.USE_DESK, None, None),
    ("POST", "/api/v1/passbooks/stage"): (
        Perm.USE_DESK,
        {"numbers": [UNKNOWN_PASSBOOK], "stage": "received"},
        None,
    ),
    ("GET", "/api/v1/reports/passbook-progress"): (
        Perm.REPORTS,
        None,
        {"since": "2020-01-01", "until": "2030-12-31"},
    ),
    ("GET", "/api/v1/files/{file_id}/custody"): (Perm.USE_DESK, None, None),
}
