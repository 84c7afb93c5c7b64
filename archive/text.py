"""Vietnamese text: NFC at every entry point, and one folding used by every lookup and index."""

from __future__ import annotations

import unicodedata

# đ/Đ are letters of their own, not a d with a combining mark, so NFD does not split them.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def nfc(value: str) -> str:
    """Return `value` in Unicode NFC with surrounding white space removed and inner runs collapsed."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def exact(value: str) -> str:
    """The exact-diacritic comparison form: NFC, lower-cased, spaces collapsed."""
    return nfc(value).lower()


def fold(value: str) -> str:
    """The folded form: lower-cased, every tone and vowel mark removed, đ→d (idempotent)."""
    decomposed = unicodedata.normalize("NFD", value.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
