"""Messages of the custody part of the use of records (issue 5): code -> (vi, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {}
