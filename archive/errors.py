"""Domain errors: a stable code and keyword params; no HTTP status (mapped at the edge)."""

from __future__ import annotations

from typing import Any


class ArchiveError(Exception):
    """Base of every expected refusal. `code` is stable and has a message in each language."""

    code: str = "error"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        if code is not None:
            self.code = code
        self.params = params
        super().__init__(f"{self.code} {params}" if params else self.code)


class NotFound(ArchiveError):
    code = "not_found"


class Forbidden(ArchiveError):
    code = "forbidden"


class Unauthenticated(ArchiveError):
    code = "auth.required"


class Conflict(ArchiveError):
    code = "conflict"


class Invalid(ArchiveError):
    code = "invalid"


class InvalidRows(Invalid):
    """Many bad rows at once (an import): each row carries its own code and params."""

    code = "import.invalid_rows"

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        # `count` is of rows (the message says "N bad rows"); a row may carry several errors.
        super().__init__(count=len({e.get("row") for e in errors}), errors=len(errors))
        self.errors = errors
