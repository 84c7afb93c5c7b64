"""The reading_room routes of the use of records, with the permission each requires (see
test_permissions.ROUTES for the shape; ids such as {loan_id} are filled from its world)."""

from __future__ import annotations

from typing import Any

from archive.permissions import Perm

# Seeded by migration 0008: id 1 is GIAI_QUYET_CHE_DO (benefit settlement).
PURPOSE_ID = 1

ROUTES: dict[tuple[str, str], tuple[Perm | str, dict[str, Any] | None, dict[str, str] | None]] = {
    ("POST", "/api/v1/visits"): (
        Perm.USE_DESK,
        {
            "visitor_name": "Trần Thị Thanh Hương",
            "organisation": "Thanh tra Sở Lao động – Thương binh và Xã hội",
            "id_paper_kind": "citizen_id",
            "id_paper_number": "079212345123",
            "purpose_id": PURPOSE_ID,
            "file_ids": ["{file_id}"],
        },
        None,
    ),
    ("GET", "/api/v1/visits"): (Perm.REPORTS, None, {"status": "open"}),
    ("GET", "/api/v1/reading-room/today"): (Perm.REPORTS, None, None),
    # Nobody's visit: a role with the permission gets past the check to "not found".
    ("GET", "/api/v1/visits/{visit_id}"): (Perm.REPORTS, None, None),
    ("POST", "/api/v1/visits/{visit_id}/decision"): (
        Perm.USE_APPROVE,
        {"approve": False, "reason": "Hồ sơ chưa giải mật"},
        None,
    ),
    ("POST", "/api/v1/visits/{visit_id}/serve"): (
        Perm.USE_DESK,
        {"file_ids": ["{file_id}"]},
        None,
    ),
    ("POST", "/api/v1/visits/{visit_id}/return"): (
        Perm.USE_DESK,
        {"file_ids": ["{file_id}"]},
        None,
    ),
    ("POST", "/api/v1/visits/{visit_id}/close"): (Perm.USE_DESK, None, None),
    ("POST", "/api/v1/reading-room/closing-check"): (Perm.USE_DESK, None, None),
    ("POST", "/api/v1/lookups"): (
        Perm.USE_DESK,
        {
            "asker_name": "Nguyễn Văn Hùng",
            "organisation": "Công ty May Duy Tiên",
            "channel": "phone",
            "purpose_id": PURPOSE_ID,
            "question": "Hồ sơ W-1 có trong kho không?",
            "answer": "Có, tại kho 1.",
            "file_id": "{file_id}",
        },
        None,
    ),
    ("GET", "/api/v1/lookups"): (
        Perm.REPORTS,
        None,
        {"since": "2026-01-01", "until": "2026-12-31"},
    ),
    ("GET", "/api/v1/lookups/{lookup_id}"): (Perm.REPORTS, None, None),
}
