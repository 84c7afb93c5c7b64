"""One page through the pipeline: render, look for a cover sheet, clean up, OCR.

Pure work on files (no database): the worker claims a page, calls `process_page`, and stores the
outcome. Everything written here is derived data (page images, thumbnails), keyed by the
original's SHA-256 and the page index and overwritten whole, so running a page twice is harmless.
"""

from __future__ import annotations

import io
import math
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from PIL import Image

from archive.identifiers import barcode_kind
from scanners.barcodes import cover_value, read_codes
from scanners.cleanup import CleanupOptions, clean_image
from scanners.intake_checks import ScanKind
from scanners.ocr import OcrOptions, ocr_image
from scanners.pages import PageImage, render_page
from scanners.storage import DerivedStore
from scanners.words import Word

Role = Literal["content", "cover", "blank"]
THUMBNAIL_WIDTH = 240
VIEW_WIDTH = 1654  # at most an A4 page at 200 dpi: sharp on screen
VIEW_QUALITY = 80


@dataclass(frozen=True)
class PipelineOptions:
    """How pages are read: render resolution for PDFs, clean-up and OCR settings."""

    dpi: int = 300
    ocr: OcrOptions = field(default_factory=OcrOptions)
    cleanup: CleanupOptions = field(default_factory=CleanupOptions)
    render_timeout_seconds: float = 60.0


@dataclass(frozen=True)
class PageOutcome:
    """What was read from one page. `words` are boxes on the stored page image (`view`)."""

    role: Role
    barcode: str | None
    text: str
    words: tuple[Word, ...]
    text_source: Literal["ocr", "pdf"] | None
    confidence: float | None
    engine: str
    dpi: int
    width: int
    height: int


def view_variant(index: int) -> str:
    """The derived store's name for a page's display image (a JPEG at most VIEW_WIDTH wide;
    word boxes are in the pixels of the page as read, so a viewer scales them by the ratio)."""
    return f"p{index}.jpg"


def thumbnail_variant(index: int) -> str:
    return f"p{index}-thumb.jpg"


def _is_file_barcode(value: str) -> bool:
    return barcode_kind(value) == "file"


def _smaller(image: Image.Image, width: int) -> Image.Image:
    """The page no wider than `width`, by an integer reduction (a box filter: cheap and sharp
    enough to read on screen; a 300-dpi page becomes 150 dpi)."""
    grey = image if image.mode == "L" else image.convert("L")
    factor = math.ceil(grey.width / width)
    return grey.reduce(factor) if factor > 1 else grey


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=VIEW_QUALITY)
    return out.getvalue()


def _outcome(image: PageImage, role: Role, **values: Any) -> PageOutcome:
    """An outcome for `image` with nothing read, then `values` (dataclasses.replace checks
    the field names)."""
    empty = PageOutcome(
        role=role,
        barcode=None,
        text="",
        words=(),
        text_source=None,
        confidence=None,
        engine="",
        dpi=image.dpi,
        width=image.width,
        height=image.height,
    )
    return replace(empty, **values)


def process_page(
    original: Path,
    kind: ScanKind,
    index: int,
    *,
    sha256: str,
    derived: DerivedStore,
    options: PipelineOptions,
) -> PageOutcome:
    """Read page `index` of an original (see the module's docstring)."""
    image = render_page(
        original, kind, index, dpi=options.dpi, timeout_seconds=options.render_timeout_seconds
    )
    value = cover_value(read_codes(image.image, thorough=False), _is_file_barcode)
    if value is not None:
        thumbnail = _smaller(_smaller(image.image, VIEW_WIDTH), THUMBNAIL_WIDTH)
        derived.put_bytes(sha256, thumbnail_variant(index), _jpeg(thumbnail))
        return _outcome(image, "cover", barcode=value)
    if image.text_layer is not None:
        _store_view(derived, sha256, index, image.image)
        return _outcome(image, "content", text=image.text_layer, text_source="pdf", engine="pdf")
    cleaned = clean_image(image.image, dpi=image.dpi, options=options.cleanup)
    # The view is the rendered greyscale (what a reader wants to see), unless clean-up moved the
    # page (deskew, a quarter turn): the word boxes must fit the image they are shown on.
    moved = options.cleanup.deskew or cleaned.rotated
    _store_view(derived, sha256, index, cleaned.image if moved else image.image)
    if cleaned.blank:
        return _outcome(image, "blank")
    with tempfile.TemporaryDirectory(prefix="archive-ocr-") as folder:
        # Uncompressed TIFF: nothing to encode, and read reliably by leptonica (its PBM reader
        # refused some pages Pillow wrote; PNG costs 50 ms a page to compress).
        path = Path(folder) / "page.tif"
        cleaned.image.save(path, format="TIFF", compression="raw", dpi=(image.dpi, image.dpi))
        result = ocr_image(path, dpi=image.dpi, options=options.ocr)
    return _outcome(
        image,
        "content",
        text=result.text,
        words=result.words,
        text_source="ocr",
        confidence=result.confidence,
        engine=result.engine,
    )


def _store_view(derived: DerivedStore, sha256: str, index: int, image: Image.Image) -> None:
    view = _smaller(image, VIEW_WIDTH)
    derived.put_bytes(sha256, view_variant(index), _jpeg(view))
    derived.put_bytes(sha256, thumbnail_variant(index), _jpeg(_smaller(view, THUMBNAIL_WIDTH)))
