"""Image clean-up before OCR: denoise, deskew, binarise, orientation, blank-page detection.

Issue 3 keeps a step only where it measurably helps: `bench/ocr.py` prints the character error
rate with and without clean-up, and the defaults of `CleanupOptions` follow those figures.
Everything works on numpy arrays of the greyscale page; the steps are written for the 2-core
worker, where every 100 ms of clean-up is ~7 % of a page's OCR time.
"""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

WORK_DPI = 100  # blank detection and skew estimation work on a copy at about this resolution
BLANK_MARGIN_INCHES = 0.5  # scanner shadows and punched holes live in the outer half inch
INK_CONTRAST = 40  # grey levels below the local paper to count as ink: ~13 sigma of scan noise
COARSE_STEP, FINE_STEP, MAX_SKEW = 0.5, 0.05, 5.0
OSD_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)
# The 19 compare-exchange pairs of the optimal median-of-9 network (Paeth / Devillard).
MEDIAN9_NETWORK = (
    (1, 2), (4, 5), (7, 8), (0, 1), (3, 4), (6, 7), (1, 2), (4, 5), (7, 8), (0, 3),
    (5, 8), (4, 7), (3, 6), (1, 4), (2, 5), (4, 7), (4, 2), (6, 4), (4, 2),
)  # fmt: skip


@dataclass(frozen=True)
class CleanupOptions:
    """Which clean-up steps run. Defaults are what measurably helped CER in bench/ocr.py.

    Otsu binarisation lowered CER on table pages and made tesseract faster (it reads 1-bit
    input without its own thresholding). A 3x3 median raised CER tenfold at 200 dpi (it eats
    thin strokes and tone marks), and deskew was erratic on tables (a correct 0.2-degree fix
    doubled one page's errors), so both stay off. `timeout_seconds` bounds the OSD call.
    `orient` runs tesseract's orientation detection (`--psm 0`); it costs ~65 % of an OCR pass
    on a 300-dpi page (1.06 s against 1.65 s), so it stays off unless a batch needs it.
    """

    denoise: bool = False
    deskew: bool = False
    binarise: bool = True
    detect_blank: bool = True
    blank_ink_ratio: float = 0.00005  # "Hết." alone measures 0.00016; scanned blank sheets 0.0
    orient: bool = False
    timeout_seconds: float = 60.0


@dataclass(frozen=True)
class Cleaned:
    """The cleaned page (PNG with its dpi); `skew_degrees` is counter-clockwise, as found."""

    png: bytes
    blank: bool
    skew_degrees: float
    ink_ratio: float
    rotated: int = 0  # quarter turns applied (0, 90, 180, 270) when `orient` was on


def median3(pixels: np.ndarray) -> np.ndarray:
    """Exact 3x3 median of a uint8 image; ~6x faster than Pillow's MedianFilter(3)."""
    padded = np.pad(pixels, 1, mode="edge")
    height, width = pixels.shape
    v = [padded[i : i + height, j : j + width] for i in range(3) for j in range(3)]
    for a, b in MEDIAN9_NETWORK:
        v[a], v[b] = np.minimum(v[a], v[b]), np.maximum(v[a], v[b])
    return v[4]


def otsu_threshold(pixels: np.ndarray) -> int:
    """The grey level that best separates ink from paper (Otsu), from the histogram alone."""
    return otsu_from_histogram(np.bincount(pixels.ravel(), minlength=256))


def otsu_from_histogram(counts: Sequence[int] | np.ndarray) -> int:
    """Otsu's threshold from a 256-bin grey histogram (Pillow's `histogram()` gives one fast)."""
    histogram = np.asarray(counts, dtype=np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(histogram)
    mass = np.cumsum(histogram * levels)
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight - total * mass) ** 2 / (weight * (total - weight))
    return int(np.nanargmax(between[:-1]))


def _work_copy(image: Image.Image, dpi: int) -> np.ndarray:
    factor = max(1, round(dpi / WORK_DPI))
    return np.asarray(image.reduce(factor) if factor > 1 else image)


def _skew(work: np.ndarray) -> float:
    ys, xs = np.nonzero(work < otsu_threshold(work))
    if ys.size < 100:
        return 0.0
    ys, xs = ys.astype(np.float64), xs.astype(np.float64) - xs.mean()

    def sharpness(degrees: float) -> float:
        rows = np.round(ys - xs * math.tan(math.radians(degrees))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float(np.dot(counts, counts))

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + COARSE_STEP / 2, COARSE_STEP)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - COARSE_STEP, best + COARSE_STEP + FINE_STEP / 2, FINE_STEP)
    # A line sloping down to the right (positive in image rows) is a clockwise turn.
    return -round(float(max(fine, key=sharpness)), 2)


def _ink_ratio(work: np.ndarray, dpi: int, width: int) -> float:
    margin = round(BLANK_MARGIN_INCHES * dpi * work.shape[1] / width)
    if min(work.shape) <= 2 * margin:
        margin = 0
    pixels = median3(work)
    # The paper's own level, taken as a bright percentile per band of rows, so shading and
    # edge shadows are not mistaken for ink.
    inner = pixels[margin : pixels.shape[0] - margin, margin : pixels.shape[1] - margin]
    bands = np.array_split(inner, max(1, inner.shape[0] // 35), axis=0)
    ink = sum(int(np.count_nonzero(b < np.percentile(b, 90) - INK_CONTRAST)) for b in bands)
    return ink / max(1, inner.size)


def estimate_skew(image: Image.Image, dpi: int) -> float:
    """Counter-clockwise skew of the text lines in degrees (within +-5), by projection profile."""
    return _skew(_work_copy(image.convert("L"), dpi))


def ink_ratio(image: Image.Image, dpi: int) -> float:
    """Share of pixels darker than the local paper, outside the margins, after despeckling."""
    return _ink_ratio(_work_copy(image.convert("L"), dpi), dpi, image.width)


def detect_orientation(image: Image.Image, dpi: int, *, timeout_seconds: float) -> int:
    """Clockwise quarter turn (0, 90, 180, 270) that puts the text upright, from tesseract OSD."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="osd-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path, dpi=(dpi, dpi), compress_level=1)
        command = ["tesseract", str(path), "stdout", "--psm", "0", "-l", "osd", "--dpi", str(dpi)]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, env=env, timeout=timeout_seconds
            )
        except subprocess.TimeoutExpired:
            return 0  # orientation is a hint: an undecided page is OCR'd as it is
    found = OSD_ROTATE.search(done.stdout)
    return int(found.group(1)) if done.returncode == 0 and found else 0


def _png(image: Image.Image, dpi: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi), compress_level=1)
    return buffer.getvalue()


@dataclass(frozen=True)
class CleanedImage:
    """`clean_image`'s result: the image to OCR, in memory (greyscale or 1-bit)."""

    image: Image.Image
    blank: bool
    skew_degrees: float
    ink_ratio: float
    rotated: int = 0
    changed: bool = False


def clean(png: bytes, *, dpi: int, options: CleanupOptions) -> Cleaned:
    """Clean a page image for OCR and say whether it is blank; never alters the stored original."""
    done = clean_image(Image.open(io.BytesIO(png)).convert("L"), dpi=dpi, options=options)
    return Cleaned(
        png=_png(done.image, dpi) if done.changed else png,
        blank=done.blank,
        skew_degrees=done.skew_degrees,
        ink_ratio=done.ink_ratio,
        rotated=done.rotated,
    )


def clean_image(image: Image.Image, *, dpi: int, options: CleanupOptions) -> CleanedImage:
    """`clean` on an 8-bit greyscale image in memory (what the pipeline uses: no encoding)."""
    work = _work_copy(image, dpi)  # one small copy serves blank detection and skew
    ratio = _ink_ratio(work, dpi, image.width)
    if options.detect_blank and ratio < options.blank_ink_ratio:
        return CleanedImage(image=image, blank=True, skew_degrees=0.0, ink_ratio=ratio)
    rotated = 0
    if options.orient:
        rotated = detect_orientation(image, dpi, timeout_seconds=options.timeout_seconds)
    if rotated:
        image = image.rotate(-rotated, expand=True)
        work = _work_copy(image, dpi)
    if options.denoise:
        image = Image.fromarray(median3(np.asarray(image)))
    skew = _skew(work) if options.deskew else 0.0
    if abs(skew) >= FINE_STEP:
        image = image.rotate(-skew, Image.Resampling.BILINEAR, fillcolor=255)
    if options.binarise:
        threshold = otsu_from_histogram(image.histogram())
        image = image.point(lambda level: 255 if level > threshold else 0, mode="1")
    changed = bool(rotated or options.denoise or abs(skew) >= FINE_STEP or options.binarise)
    return CleanedImage(
        image=image,
        blank=False,
        skew_degrees=skew,
        ink_ratio=ratio,
        rotated=rotated,
        changed=changed,
    )
