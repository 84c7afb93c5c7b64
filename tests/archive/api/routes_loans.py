"""The loans routes of the use of records, with the permission each requires (see
test_permissions.ROUTES for the shape; ids such as {loan_id} are filled from its world)."""

from __future__ import annotations

from typing import Any

from archive.permissions import Perm

ANY = "authenticated"
PURPOSE = {
    "code": "GIAI_QUYET_CHE_DO",
    "name": "Giải quyết chế độ BHXH",
    "loan_days": 10,
    "max_renewals": 1,
    "renewal_days": 5,
}

ROUTES: dict[tuple[str, str], tuple[Perm | str, dict[str, Any] | None, dict[str, str] | None]] = {
    ("GET", "/api/v1/use-purposes"): (Perm.LOAN_REQUEST, None, None),
    ("POST", "/api/v1/use-purposes"): (
        Perm.USE_SETTINGS,
        {"code": "THU_NGHIEM", "name": "Thử nghiệm", "loan_days": 3},
        None,
    ),
    ("PUT", "/api/v1/use-purposes/{purpose_id}"): (Perm.USE_SETTINGS, PURPOSE, None),
    ("GET", "/api/v1/holidays"): (Perm.LOAN_REQUEST, None, {"year": "2026"}),
    ("POST", "/api/v1/holidays"): (
        Perm.USE_SETTINGS,
        {"day": "2026-02-17", "name": "Tết Nguyên đán"},
        None,
    ),
    # A seeded holiday: the one role allowed removes it.
    ("DELETE", "/api/v1/holidays/{holiday_day}"): (Perm.USE_SETTINGS, None, None),
    ("POST", "/api/v1/loans"): (
        Perm.LOAN_REQUEST,
        {"file_ids": ["{file_id}"], "purpose_id": "{purpose_id}"},
        None,
    ),
    ("GET", "/api/v1/loans"): (Perm.LOAN_REQUEST, None, {"open": "true"}),
    ("GET", "/api/v1/loans/overdue"): (Perm.USE_DESK, None, None),
    ("POST", "/api/v1/loans/overdue-check"): (Perm.USE_DESK, None, None),
    ("POST", "/api/v1/loans/desk/hand-out"): (
        Perm.USE_DESK,
        {"card": "U0000009999", "barcodes": ["F0099999999"]},
        None,
    ),
    ("POST", "/api/v1/loans/returns"): (
        Perm.USE_DESK,
        {"lines": [{"barcode": "F0099999999", "sheets": 3}]},
        None,
    ),
    ("GET", "/api/v1/loans/{loan_id}"): (Perm.LOAN_REQUEST, None, None),
    ("POST", "/api/v1/loans/{loan_id}/decision"): (
        Perm.USE_APPROVE,
        {"approve": False, "reason": "Không"},
        None,
    ),
    ("POST", "/api/v1/loans/{loan_id}/cancel"): (Perm.LOAN_REQUEST, {"reason": ""}, None),
    ("POST", "/api/v1/loans/{loan_id}/renew"): (Perm.LOAN_REQUEST, None, None),
    ("POST", "/api/v1/loans/{loan_id}/hand-out"): (
        Perm.USE_DESK,
        {"file_ids": ["{file_id}"]},
        None,
    ),
    ("POST", "/api/v1/loans/{loan_id}/receive"): (Perm.USE_DESK, {"received_by": ""}, None),
    ("GET", "/api/v1/loans/{loan_id}/slip.pdf"): (Perm.LOAN_REQUEST, None, None),
    ("GET", "/api/v1/loans/{loan_id}/out-cards.pdf"): (Perm.USE_DESK, None, None),
    ("GET", "/api/v1/loans/{loan_id}/reminder.pdf"): (Perm.USE_DESK, None, {"level": "2"}),
    ("GET", "/api/v1/users/cards.pdf"): (Perm.USERS_MANAGE, None, None),
    ("GET", "/api/v1/notices"): (ANY, None, None),
    ("POST", "/api/v1/notices/{notice_id}/read"): (ANY, None, None),
}
