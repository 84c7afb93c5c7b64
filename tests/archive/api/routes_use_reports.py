"""The usage register and use report routes, with the permission each requires."""

from __future__ import annotations

from typing import Any

from archive.permissions import Perm

MARCH = {"office_id": "{office_id}", "first": "2026-03-01", "last": "2026-03-31"}

ROUTES: dict[tuple[str, str], tuple[Perm | str, dict[str, Any] | None, dict[str, str] | None]] = {
    ("GET", "/api/v1/reports/usage-register"): (Perm.REPORTS, None, MARCH),
    ("GET", "/api/v1/reports/usage-register.pdf"): (Perm.REPORTS, None, MARCH),
    ("GET", "/api/v1/reports/use"): (
        Perm.REPORTS,
        None,
        {"first": "2026-03-01", "last": "2026-03-31"},
    ),
}
