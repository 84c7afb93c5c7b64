"""An index directory a backend owns: marked with the backend's name and schema version, so a
foreign directory is refused (IndexUnusable) and never deleted or recreated; our own directory of
another schema version, or one the engine cannot open, is IndexOutdated, rebuilt beside it
(`staging`, then `swap_in`, the old one kept aside)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from indexes.backend import IndexOutdated, IndexUnusable

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
            ours = isinstance(found, dict) and found.get("backend") == expected.get("backend")
            refusal = IndexOutdated if ours else IndexUnusable
            raise refusal(path=str(path), found=found, expected=expected)
        try:
            return open_existing(path)
        except open_errors as exc:
            raise IndexOutdated(path=str(path), reason=str(exc)) from exc
    if _staging_path(path).exists():  # a rebuild stopped between its two renames
        raise IndexOutdated(path=str(path), reason="interrupted rebuild")
    path.mkdir(parents=True, exist_ok=True)
    index = create(path)
    marker.write_text(json.dumps(expected), encoding="utf-8")
    return index


def staging(live: Path) -> Path:
    """An empty directory beside `live` to build its replacement in (what an interrupted
    rebuild left there is removed: it was never the index)."""
    path = _staging_path(live)
    if path.exists():
        shutil.rmtree(path)
    return path


def swap_in(live: Path, stamp: str) -> Path:
    """Put the finished `staging(live)` in place of `live`; returns where the old one is kept."""
    kept = live.with_name(f"{live.name}.replaced-{stamp}")
    if live.exists():
        live.rename(kept)
    _staging_path(live).rename(live)
    return kept


def _staging_path(live: Path) -> Path:
    return live.with_name(live.name + ".rebuild")
