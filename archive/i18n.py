"""What a user reads, in their language: error messages by stable code, UI labels, location paths.

Vietnamese is the first language. The catalogues live in archive/messages/ and
archive/ui_labels/ (one module per area)."""

from __future__ import annotations

from typing import Any

from archive.messages import MESSAGES
from archive.ui_labels import UI

LANGUAGES = ("vi", "en")

PATH_LABELS: dict[str, dict[str, str]] = {
    "vi": {"store": "Kho", "shelf": "Giá", "tier": "Tầng", "box": "Hộp", "position": "vị trí"},
    "en": {
        "store": "Store",
        "shelf": "Shelf",
        "tier": "Tier",
        "box": "Box",
        "position": "position",
    },
}
PATH_SEPARATOR = " › "

__all__ = ["LANGUAGES", "MESSAGES", "PATH_LABELS", "PATH_SEPARATOR", "UI", "message", "ui"]


def ui(key: str, lang: str = "vi") -> str:
    """A UI label in the reader's language (the key itself if it is missing, caught by a test)."""
    entry = UI.get(key)
    if entry is None:
        return key
    return entry[1] if lang == "en" else entry[0]


def message(code: str, lang: str = "vi", /, **params: Any) -> str:
    """The user's message for `code` in `lang`, with params filled in (unknown code → generic)."""
    vi, en = MESSAGES.get(code) or MESSAGES.get(code.split(".")[0]) or MESSAGES["error"]
    template = en if lang == "en" else vi
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
