"""UI labels of the copies part of the use of records (issue 5): key -> (vi, en)."""

from __future__ import annotations

UI: dict[str, tuple[str, str]] = {}
