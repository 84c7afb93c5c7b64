"""Merging the per-area catalogues of messages and labels into one, refusing a key twice."""

from __future__ import annotations

from types import ModuleType


def merged(*modules: ModuleType, name: str = "MESSAGES") -> dict[str, tuple[str, str]]:
    """One catalogue from the `name` dict of each module; a key defined twice is a bug."""
    out: dict[str, tuple[str, str]] = {}
    for module in modules:
        part: dict[str, tuple[str, str]] = getattr(module, name)
        twice = out.keys() & part.keys()
        if twice:
            raise RuntimeError(f"{module.__name__} redefines {sorted(twice)}")
        out.update(part)
    return out
