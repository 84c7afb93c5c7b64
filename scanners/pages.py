"""Page images of an accepted original: what OCR, barcode reading and thumbnails work on.

Issue 3, item 2: a PDF page that already carries a real text layer keeps it (no OCR); other
pages are rasterised with poppler. Image originals (multi-page TIFF, PNG, JPEG) are decoded with
Pillow. Every page comes out as an upright greyscale 8-bit PNG that carries its dpi, so word
boxes found on it can be scaled back to the page (see `scanners.searchable_pdf`).
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFile, JpegImagePlugin, PngImagePlugin, PpmImagePlugin, TiffImagePlugin

from archive.errors import Invalid
from scanners.intake_checks import ScanKind
from scanners.pdf_reading import open_pdf

MIN_PLAUSIBLE_DPI = 72
MAX_PLAUSIBLE_DPI = 1200
MAX_RENDER_PIXELS = 120_000_000  # same ceiling as intake's IntakeLimits.max_pixels
# A text layer counts as real when it holds at least this many letters (digits do not count,
# so a page number, a date or a barcode's digits are not a text layer) ...
MIN_TEXT_LAYER_LETTERS = 20
# ... and at most this share of its visible characters are unmapped glyphs (U+FFFD, private-use,
# controls): a font without a usable ToUnicode map extracts as such garbage and needs OCR.
MAX_UNMAPPED_SHARE = 0.1

_PLUGINS: dict[ScanKind, type[ImageFile.ImageFile]] = {
    ScanKind.TIFF: TiffImagePlugin.TiffImageFile,
    ScanKind.PNG: PngImagePlugin.PngImageFile,
    ScanKind.JPEG: JpegImagePlugin.JpegImageFile,
}


@dataclass(frozen=True)
class PageImage:
    """One upright page as an 8-bit greyscale image (with its dpi) and, for PDF pages, its real
    text. The pipeline works on `image` in memory; `png` encodes it only when asked (encoding a
    300-dpi page costs about as much as a third of its OCR)."""

    index: int  # 0-based in the source
    image: Image.Image
    dpi: int
    width: int
    height: int
    text_layer: str | None

    @cached_property
    def png(self) -> bytes:
        return _png(self.image, self.dpi)


class PageRenderFailed(Invalid):
    """A page of a stored original could not be turned into an image (or its text read).

    Params: `page` (1-based, as the archivist counts) and `reason` (for logs and the message)."""

    code = "scan.page_render_failed"

    def __init__(self, *, index: int, reason: str, **params: Any) -> None:
        super().__init__(page=index + 1, reason=reason, **params)


def page_count(path: Path, kind: ScanKind) -> int:
    """Return how many pages an accepted original holds; refuses unreadable ones."""
    try:
        if kind is ScanKind.PDF:
            return len(open_pdf(path).pages)
        with open_image(path, kind) as image:
            return getattr(image, "n_frames", 1)
    except Exception as exc:  # pypdf and Pillow raise many unrelated types on bad input
        raise PageRenderFailed(index=0, reason=type(exc).__name__) from exc


def open_image(path: Path, kind: ScanKind) -> ImageFile.ImageFile:
    """Open an image original by its known kind, bypassing Pillow's global pixel limit.

    Intake already refused oversized images from their headers (`scanners.intake_checks`), so
    Pillow's process-wide decompression-bomb check would only get in the way (it warns above
    89 megapixels, and tests run with warnings as errors)."""
    if kind is ScanKind.PDF:
        raise ValueError("a PDF is not an image original")
    return _PLUGINS[kind](str(path))


def render_page(
    path: Path,
    kind: ScanKind,
    index: int,
    *,
    dpi: int = 300,
    timeout_seconds: float = 60,
    max_pixels: int = MAX_RENDER_PIXELS,
) -> PageImage:
    """Render page `index` (0-based) upright in greyscale; refuses with PageRenderFailed.

    PDF pages are rendered at `dpi`; image frames keep their own pixels and dpi."""
    if index < 0:
        raise PageRenderFailed(index=index, reason="no such page")
    if kind is ScanKind.PDF:
        return _render_pdf_page(path, index, dpi, timeout_seconds, max_pixels)
    try:
        with open_image(path, kind) as image:
            image.seek(index)
            grey, own_dpi = _grey_frame(image, dpi)
    except EOFError:
        raise PageRenderFailed(index=index, reason="no such page") from None
    except Exception as exc:
        raise PageRenderFailed(index=index, reason=type(exc).__name__) from exc
    return PageImage(index, grey, own_dpi, grey.width, grey.height, None)


def text_layer(path: Path, index: int) -> str | None:
    """Return a PDF page's own text (NFC) when it is a real text layer, else None.

    Real means at least MIN_TEXT_LAYER_LETTERS letters and few unmapped glyphs; a scan with
    only a page number or a stamp's digits is not, and goes to OCR."""
    try:
        text = open_pdf(path).pages[index].extract_text()
    except IndexError:
        raise PageRenderFailed(index=index, reason="no such page") from None
    except Exception as exc:
        raise PageRenderFailed(index=index, reason=type(exc).__name__) from exc
    return real_text(text)


def real_text(text: str) -> str | None:
    """Return `text` in NFC with its edges stripped if it passes the text-layer rule, else None."""
    text = unicodedata.normalize("NFC", text).strip()
    visible = [ch for ch in text if not ch.isspace()]
    letters = sum(1 for ch in visible if ch.isalpha())
    unmapped = sum(
        1 for ch in visible if ch == "\ufffd" or unicodedata.category(ch) in {"Co", "Cc"}
    )
    if letters < MIN_TEXT_LAYER_LETTERS or unmapped > MAX_UNMAPPED_SHARE * len(visible):
        return None
    return text


def _render_pdf_page(
    path: Path, index: int, dpi: int, timeout_seconds: float, max_pixels: int
) -> PageImage:
    """Rasterise one PDF page with pdftoppm (which applies /Rotate) and read its text layer."""
    try:
        page = open_pdf(path).pages[index]
        box = page.mediabox  # pdftoppm renders the media box unless told -cropbox
        expected = (float(box.width) * dpi / 72) * (float(box.height) * dpi / 72)
        text = real_text(page.extract_text())
    except IndexError:
        raise PageRenderFailed(index=index, reason="no such page") from None
    except Exception as exc:
        raise PageRenderFailed(index=index, reason=type(exc).__name__) from exc
    if expected > max_pixels:  # a poster-sized media box would otherwise exhaust memory
        raise PageRenderFailed(index=index, reason="page too large", dpi=dpi)
    with tempfile.TemporaryDirectory(prefix="archive-render-") as tmp:
        out = Path(tmp) / "page"
        # PGM, not -png: pdftoppm writes an RGB PNG slowly even with -gray; Pillow re-encodes.
        command = ["pdftoppm", "-r", str(dpi), "-f", str(index + 1), "-l", str(index + 1)]
        command += ["-gray", "-singlefile", str(path), str(out)]
        _run(command, index, timeout_seconds)
        try:
            with PpmImagePlugin.PpmImageFile(str(out.with_suffix(".pgm"))) as image:
                grey = image.convert("L")
        except OSError as exc:
            raise PageRenderFailed(index=index, reason="no output") from exc
    return PageImage(index, grey, dpi, grey.width, grey.height, text)


def _run(command: list[str], index: int, timeout_seconds: float) -> None:
    """Run a poppler tool; a timeout, a missing tool or a non-zero exit is PageRenderFailed."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_seconds, check=False)
    except subprocess.TimeoutExpired:
        raise PageRenderFailed(index=index, reason="timeout", seconds=timeout_seconds) from None
    except OSError as exc:
        raise PageRenderFailed(index=index, reason=type(exc).__name__) from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()[-200:]
        raise PageRenderFailed(index=index, reason=f"pdftoppm exit {done.returncode}: {detail}")


def image_dpi(image: Image.Image) -> tuple[float, float] | None:
    """The frame's own (x, y) dpi when both are plausible for a scan, else None."""
    dpi: Any = image.info.get("dpi")
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError, IndexError):
        return None
    plausible = min(x, y) >= MIN_PLAUSIBLE_DPI - 0.5 and max(x, y) <= MAX_PLAUSIBLE_DPI + 0.5
    return (x, y) if plausible else None


def _grey_frame(frame: Image.Image, default_dpi: int) -> tuple[Image.Image, int]:
    """The current frame as 8-bit greyscale with square pixels, and its dpi."""
    dpi = image_dpi(frame) or (float(default_dpi), float(default_dpi))
    grey = to_grey(frame)
    x_dpi, y_dpi = dpi
    if round(x_dpi) != round(y_dpi):
        # Fax "normal" mode is 204 x 98 dpi: stretch the short axis so pixels are square and
        # word boxes need one scale (the searchable PDF draws the original over the same page).
        target = max(x_dpi, y_dpi)
        size = (round(grey.width * target / x_dpi), round(grey.height * target / y_dpi))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    return grey, round(max(x_dpi, y_dpi))


def to_grey(frame: Image.Image) -> Image.Image:
    """Convert any scan mode to 8-bit greyscale: transparency over white, 16-bit scaled down."""
    if frame.mode in {"I;16", "I;16B", "I;16L", "I;16N"}:
        return Image.fromarray((np.asarray(frame, dtype=np.uint16) >> 8).astype(np.uint8), "L")
    if frame.mode in {"RGBA", "LA", "PA"} or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("L")
    return frame.convert("L")


def _png(grey: Image.Image, dpi: int) -> bytes:
    buf = io.BytesIO()
    grey.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()
