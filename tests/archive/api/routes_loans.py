"""The loans routes of the use of records, with the permission each requires (see
test_permissions.ROUTES for the shape; ids such as {loan_id} are filled from its world)."""

from __future__ import annotations

from typing import Any

from archive.permissions import Perm

ROUTES: dict[tuple[str, str], tuple[Perm | str, dict[str, Any] | None, dict[str, str] | None]] = {}
