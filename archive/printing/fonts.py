"""The Unicode fonts every printed form embeds, registered with reportlab once.

Reportlab's built-in Helvetica and Times have no Vietnamese glyphs beyond Latin-1, so a form
drawn with them loses its diacritics. DejaVu covers Vietnamese fully and ships with Debian
(`fonts-dejavu-core`); reportlab embeds the subset a PDF uses, so what we print reads and
extracts the same on any machine.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from archive.errors import ArchiveError

FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),  # Fedora, Arch
    Path("/usr/local/share/fonts/dejavu"),
)

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_ITALIC = "DejaVuSans-Oblique"
SANS_BOLD_ITALIC = "DejaVuSans-BoldOblique"
SERIF = "DejaVuSerif"
SERIF_BOLD = "DejaVuSerif-Bold"
SERIF_ITALIC = "DejaVuSerif-Italic"
SERIF_BOLD_ITALIC = "DejaVuSerif-BoldItalic"
MONO = "DejaVuSansMono"
MONO_BOLD = "DejaVuSansMono-Bold"

# Family name -> (normal, bold, italic, bold italic): the mapping lets Paragraph markup such
# as <b> pick the right face instead of falling back to Helvetica.
FAMILIES: dict[str, tuple[str, str, str, str]] = {
    SANS: (SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC),
    SERIF: (SERIF, SERIF_BOLD, SERIF_ITALIC, SERIF_BOLD_ITALIC),
}
ALL_FACES: tuple[str, ...] = (*FAMILIES[SANS], *FAMILIES[SERIF], MONO, MONO_BOLD)

_lock = threading.Lock()
_registered: set[str] = set()
_mapped: set[str] = set()


class FontMissing(ArchiveError):
    """A DejaVu face is not installed: printing cannot embed Vietnamese text without it."""

    code = "printing.font_missing"


def find_font_file(face: str, dirs: tuple[Path, ...] = FONT_DIRS) -> Path:
    """The TTF file of a face (`DejaVuSans-Bold`); refuses with FontMissing if none is found."""
    for directory in dirs:
        candidate = directory / f"{face}.ttf"
        if candidate.is_file():
            return candidate
    raise FontMissing(font=face, searched=", ".join(str(d) for d in dirs))


def register_fonts(faces: tuple[str, ...] = ALL_FACES) -> None:
    """Register the given DejaVu faces (and their family mappings) with reportlab, once.

    Safe to call before every document: faces already registered are skipped, so the cost
    (parsing a TTF) is paid once per process. Refuses with FontMissing if a face is absent.
    """
    with _lock:
        for face in faces:
            if face not in _registered:
                pdfmetrics.registerFont(TTFont(face, str(find_font_file(face))))
                _registered.add(face)
        for family, (normal, bold, italic, bold_italic) in FAMILIES.items():
            if family in _mapped or not {normal, bold, italic, bold_italic} <= _registered:
                continue
            addMapping(family, 0, 0, normal)
            addMapping(family, 1, 0, bold)
            addMapping(family, 0, 1, italic)
            addMapping(family, 1, 1, bold_italic)
            _mapped.add(family)
