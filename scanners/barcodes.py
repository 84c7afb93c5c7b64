"""Barcodes on scanned pages, read with zxing-cpp, and the cover-sheet value they carry.

Issue 3, point 3: a page carrying a file's barcode starts that file. zxing-cpp is the decoder
the peers settled on after pyzbar missed codes on poor scans. We restrict it to the symbols we
print (Code128, QR, DataMatrix) and skip inverted symbols: each roughly halves the time spent on
the content pages that make up most of a batch and carry no code (300-dpi page of text: 147 ms
with every format and inversion, 44 ms without).

Speed (measured on degraded A4 pages, 2-core box): zxing's search for Code128 turned 90° costs
~5x on a page of text (300 dpi: 264 ms against 45 ms), and the QR is found in any orientation
anyway, so that search is opt-in (`sideways=True`). A 300-dpi page is first read at half size,
where our 0.5 mm Code128 modules are still ~3 px; only a page where nothing is found there is
read again at full size, so a hard-to-read cover sheet costs time, never a wrong file.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import zxingcpp
from PIL import Image

from archive.identifiers import barcode_kind

FORMATS = zxingcpp.BarcodeFormats(
    [
        zxingcpp.BarcodeFormat.Code128,
        zxingcpp.BarcodeFormat.QRCode,
        zxingcpp.BarcodeFormat.DataMatrix,
    ]
)
LINEAR_FORMATS = frozenset({"Code128"})
# Above this long side (about 205 dpi on A4) the first pass reads a copy reduced by an integer
# factor, which Pillow does with a fast box filter: 300 dpi becomes 150, 600 dpi becomes 200.
FAST_PASS_LONG_SIDE = 2400


@dataclass(frozen=True)
class BoundingBox:
    """Where a symbol sits on the page, in pixels of the image that was passed in."""

    left: int
    top: int
    right: int
    bottom: int


@dataclass(frozen=True)
class DecodedCode:
    """One symbol read from a page: its text, its format name (`Code128`, `QRCode`, …)."""

    value: str
    format: str
    position: BoundingBox | None = None


class CoverStatus(StrEnum):
    NONE = "none"  # no code of ours: a content page
    FOUND = "found"  # one value, from one symbol or several that agree
    CONFLICT = "conflict"  # our symbols disagree: an archivist must look at the page


@dataclass(frozen=True)
class CoverReading:
    """What a page's codes say about the file it starts; `values` lists every value of ours."""

    status: CoverStatus
    value: str | None = None
    values: tuple[str, ...] = ()
    confirmed: bool = False  # read from both a linear and a 2-D symbol


def read_codes(
    image: Image.Image | Path | bytes, *, sideways: bool = False, thorough: bool = True
) -> tuple[DecodedCode, ...]:
    """Every Code128, QR and DataMatrix symbol on a page image (a PIL image, a path or bytes).

    A large page is read at a reduced size first; `thorough` reads it again at full size when
    that found nothing (a small or damaged symbol). The pipeline passes False for every page:
    a cover sheet's 40 mm QR is found at the reduced size, and the second pass costs about 5 %
    of a page's OCR on every content page. `sideways` also looks for Code128 symbols turned
    90°, at several times the cost.
    """
    page = _greyscale(image)
    factor = math.ceil(max(page.size) / FAST_PASS_LONG_SIDE)
    if factor > 1:
        codes = _decode(page.reduce(factor), scale=factor, sideways=sideways)
        if codes or not thorough:
            return codes
    return _decode(page, scale=1, sideways=sideways)


def cover_value(codes: Sequence[DecodedCode], is_ours: Callable[[str], bool]) -> str | None:
    """The value of ours on a cover page, or None when there is none or the symbols disagree."""
    return cover_reading(codes, is_ours).value


def cover_reading(codes: Sequence[DecodedCode], is_ours: Callable[[str], bool]) -> CoverReading:
    """What a page's codes say: none of ours, one agreed value, or a conflict to report."""
    ours = [code for code in codes if is_ours(code.value)]
    values = tuple(dict.fromkeys(code.value for code in ours))
    if not values:
        return CoverReading(CoverStatus.NONE)
    if len(values) > 1:
        # Never guess between two files: a wrong guess silently moves pages (issue 3).
        return CoverReading(CoverStatus.CONFLICT, values=values)
    kinds = {code.format in LINEAR_FORMATS for code in ours}
    return CoverReading(CoverStatus.FOUND, values[0], values, confirmed=len(kinds) == 2)


def is_file_barcode(value: str) -> bool:
    """True for a file's barcode value as we print it (`F0300000042`), the cover-sheet kind."""
    return barcode_kind(value) == "file" and value == value.strip().upper()


def _greyscale(image: Image.Image | Path | bytes) -> Image.Image:
    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
        image.load()
    elif isinstance(image, Path):
        with Image.open(image) as opened:
            opened.load()
            image = opened.copy()
    return image if image.mode == "L" else image.convert("L")


def _decode(image: Image.Image, *, scale: int, sideways: bool) -> tuple[DecodedCode, ...]:
    found = zxingcpp.read_barcodes(
        image,
        formats=FORMATS,
        try_rotate=sideways,
        try_downscale=True,
        try_invert=False,  # we never print light-on-dark
        binarizer=zxingcpp.Binarizer.LocalAverage,  # copes with shadows at the page edge
    )
    return tuple(
        DecodedCode(value=code.text, format=code.format.name, position=_box(code, scale))
        for code in found
        if code.valid
    )


def _box(code: zxingcpp.Barcode, scale: int) -> BoundingBox:
    corners: Iterable[zxingcpp.Point] = (
        code.position.top_left,
        code.position.top_right,
        code.position.bottom_right,
        code.position.bottom_left,
    )
    xs, ys = zip(*((point.x * scale, point.y * scale) for point in corners), strict=True)
    return BoundingBox(left=min(xs), top=min(ys), right=max(xs), bottom=max(ys))
