"""An index directory a backend owns: marked with the backend's name and schema version, so a
foreign or older directory is refused (IndexUnusable) and never deleted or recreated."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from indexes.backend import IndexUnusable

MARKER = "archive-index.json"
T = TypeVar("T")


def open_marked(
    path: Path,
    expected: dict[str, object],
    *,
    open_existing: Callable[[Path], T],
    create: Callable[[Path], T],
    open_errors: tuple[type[BaseException], ...],
) -> T:
    """Open our index at `path`, or create it in an empty or missing directory; refuses a
    directory whose marker is not `expected` and one the engine cannot open."""
    marker = path / MARKER
    if path.exists() and any(path.iterdir()):
        try:
            found = json.loads(marker.read_text(encoding="utf-8")) if marker.exists() else None
        except ValueError:
            found = "unreadable"
        if found != expected:
            raise IndexUnusable(path=str(path), found=found, expected=expected)
        try:
            return open_existing(path)
        except open_errors as exc:
            raise IndexUnusable(path=str(path), reason=str(exc)) from exc
    path.mkdir(parents=True, exist_ok=True)
    index = create(path)
    marker.write_text(json.dumps(expected), encoding="utf-8")
    return index
