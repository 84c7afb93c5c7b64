"""Clean-up flags scanned blank sheets (never a page with text), deskews, denoises, binarises."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from scanners.cleanup import (
    CleanupOptions,
    clean,
    estimate_skew,
    median3,
    otsu_threshold,
)
from scanners.specimens import FONT_DIR, make_blank_page, make_page

DPI = 200
ONLY_BLANK = CleanupOptions(denoise=False, deskew=False, binarise=False)


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def one_line_page(seed: int, text: str) -> bytes:
    image = Image.open(io.BytesIO(make_blank_page(seed, dpi=DPI).png))
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), round(11 * DPI / 72))
    ImageDraw.Draw(image).text((DPI, DPI * 5), text, font=font, fill=40)
    return png(image)


def test_median3_is_the_exact_3x3_median() -> None:
    pixels = np.random.default_rng(0).integers(0, 256, (40, 50), dtype=np.uint8)
    expected = np.asarray(Image.fromarray(pixels).filter(ImageFilter.MedianFilter(3)))
    assert np.array_equal(median3(pixels)[1:-1, 1:-1], expected[1:-1, 1:-1])


def test_otsu_threshold_splits_ink_from_paper() -> None:
    pixels = np.array([30] * 100 + [230] * 900, dtype=np.uint8)
    assert 30 <= otsu_threshold(pixels) < 230


@pytest.mark.parametrize("seed", range(3))
def test_scanned_blank_sheet_is_blank(seed: int) -> None:
    cleaned = clean(make_blank_page(seed, dpi=DPI).png, dpi=DPI, options=ONLY_BLANK)
    assert cleaned.blank
    assert cleaned.ink_ratio < ONLY_BLANK.blank_ink_ratio


@pytest.mark.parametrize("text", ["Ghi chú: không có", "Số 12", "Hết."])
def test_page_with_one_short_line_is_not_blank(text: str) -> None:
    cleaned = clean(one_line_page(7, text), dpi=DPI, options=ONLY_BLANK)
    assert not cleaned.blank


def test_defaults_are_the_steps_that_measurably_helped_in_bench_ocr() -> None:
    """bench/ocr.py: a 3x3 median raised CER tenfold at 200 dpi, deskew helped some tables and
    doubled the errors of another, Otsu binarisation helped (and sped tesseract up); OSD is slow."""
    options = CleanupOptions()
    assert (options.denoise, options.deskew, options.binarise) == (False, False, True)
    assert (options.detect_blank, options.orient) == (True, False)


def test_full_page_is_not_blank() -> None:
    assert not clean(make_page(8, dpi=DPI).png, dpi=DPI, options=ONLY_BLANK).blank


@pytest.mark.parametrize("angle", [3.0, -3.0])
def test_deskew_recovers_a_three_degree_rotation(angle: float) -> None:
    upright = Image.open(io.BytesIO(make_page(9, dpi=DPI, degrade=False).png))
    turned = upright.rotate(angle, Image.Resampling.BILINEAR, fillcolor=255)
    assert estimate_skew(turned, DPI) == pytest.approx(angle, abs=0.5)
    cleaned = clean(png(turned), dpi=DPI, options=CleanupOptions(deskew=True, binarise=False))
    assert cleaned.skew_degrees == pytest.approx(angle, abs=0.5)
    assert abs(estimate_skew(Image.open(io.BytesIO(cleaned.png)), DPI)) <= 0.5


def test_cleaned_page_keeps_size_and_dpi_and_binarises_to_one_bit() -> None:
    options = CleanupOptions(denoise=True, deskew=True, binarise=True)
    cleaned = clean(make_page(10, dpi=DPI).png, dpi=DPI, options=options)
    image = Image.open(io.BytesIO(cleaned.png))
    assert image.mode == "1"
    assert image.size == (1654, 2338)
    assert [round(value) for value in image.info["dpi"]] == [DPI, DPI]
    assert not cleaned.blank
    assert 0.01 < cleaned.ink_ratio < 0.5


def test_denoise_removes_speckle() -> None:
    noisy = make_blank_page(11, dpi=DPI).png
    inner = (slice(DPI, -DPI), slice(DPI, -DPI))  # away from the edge shadow
    before = np.asarray(Image.open(io.BytesIO(noisy)))[inner]
    cleaned = clean(
        noisy,
        dpi=DPI,
        options=CleanupOptions(denoise=True, deskew=False, binarise=False, detect_blank=False),
    )
    after = np.asarray(Image.open(io.BytesIO(cleaned.png)))[inner]
    assert np.count_nonzero(before < 128) > 100
    assert np.count_nonzero(after < 128) < np.count_nonzero(before < 128) / 10


def test_orientation_turns_a_sideways_page_upright() -> None:
    """One tesseract OSD call (~1 s): why `orient` is off by default."""
    upright = Image.open(io.BytesIO(make_page(12, dpi=DPI, degrade=False).png))
    sideways = upright.rotate(90, expand=True)
    options = CleanupOptions(deskew=False, binarise=False, detect_blank=False, orient=True)
    cleaned = clean(png(sideways), dpi=DPI, options=options)
    assert cleaned.rotated == 90
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(cleaned.png))), np.asarray(upright))
