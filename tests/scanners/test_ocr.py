"""Real tesseract on generated Vietnamese pages: accurate text, word boxes, typed failures."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from scanners.ocr import OcrFailed, OcrOptions, OcrResult, ocr_image, tesseract_version
from scanners.specimens import FONT_DIR, Specimen, character_error_rate, make_page

DPI = 200
OPTIONS = OcrOptions()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Specimen, Path]:
    specimen = make_page(20260301, dpi=DPI, kind="text")
    path = tmp_path_factory.mktemp("ocr") / "page.png"
    path.write_bytes(specimen.png)
    return specimen, path


@pytest.fixture(scope="module")
def result(page: tuple[Specimen, Path]) -> OcrResult:
    return ocr_image(page[1], dpi=DPI, options=OPTIONS)


def test_degraded_vietnamese_page_is_read_with_under_3_percent_character_error(
    page: tuple[Specimen, Path], result: OcrResult
) -> None:
    assert character_error_rate([page[0].text], [result.text]) < 3.0


def test_ten_digit_numbers_and_names_with_diacritics_are_found_exactly(
    page: tuple[Specimen, Path], result: OcrResult
) -> None:
    numbers = set(re.findall(r"\b\d{10}\b", page[0].text))
    assert numbers
    assert numbers & set(re.findall(r"\b\d{10}\b", result.text))
    names = re.findall(r"(?:ông \(bà\)|Người lao động) (\w+ \w+ \w+)", page[0].text)
    assert names
    assert any(name in " ".join(result.text.split()) for name in names)


def test_text_is_nfc_with_lines_and_paragraphs(result: OcrResult) -> None:
    assert unicodedata.is_normalized("NFC", result.text)
    assert "\n\n" in result.text
    assert result.text.splitlines()[0] == " ".join(w.text for w in result.words if w.line == 0)


def test_words_lie_inside_the_image_with_confidence_and_engine(
    page: tuple[Specimen, Path], result: OcrResult
) -> None:
    width, height = Image.open(io.BytesIO(page[0].png)).size
    assert len(result.words) > 200
    for word in result.words:
        assert word.left >= 0 and word.left + word.width <= width
        assert word.top >= 0 and word.top + word.height <= height
        assert word.text.strip() == word.text != ""
    assert [w.line for w in result.words] == sorted(w.line for w in result.words)
    assert result.confidence is not None and 80 < result.confidence <= 100
    assert result.engine == f"tesseract {tesseract_version()} vie"


def test_a_known_word_box_covers_where_it_was_drawn(tmp_path: Path) -> None:
    image = Image.new("L", (1400, 300), 255)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), round(12 * DPI / 72))
    ImageDraw.Draw(image).text((100, 120), "Mã số BHXH: ", font=font, fill=0)
    left = 100 + round(font.getlength("Mã số BHXH: "))
    ImageDraw.Draw(image).text((left, 120), "4803004239", font=font, fill=0)
    drawn = ImageDraw.Draw(image).textbbox((left, 120), "4803004239", font=font)
    path = tmp_path / "line.png"
    image.save(path, dpi=(DPI, DPI))
    found = [w for w in ocr_image(path, dpi=DPI, options=OPTIONS).words if "4803004239" in w.text]
    assert len(found) == 1
    box = found[0]
    assert box.left <= drawn[0] + 3 and box.left + box.width >= drawn[2] - 3
    assert box.top <= drawn[1] + 3 and box.top + box.height >= drawn[3] - 3
    assert box.width < (drawn[2] - drawn[0]) * 1.3


def test_blank_image_has_no_words_and_no_confidence(tmp_path: Path) -> None:
    path = tmp_path / "white.png"
    Image.new("L", (600, 400), 255).save(path, dpi=(DPI, DPI))
    blank = ocr_image(path, dpi=DPI, options=OPTIONS)
    assert (blank.text, blank.words, blank.confidence) == ("", (), None)


def test_timeout_raises_ocr_failed_with_its_code(page: tuple[Specimen, Path]) -> None:
    with pytest.raises(OcrFailed) as raised:
        ocr_image(page[1], dpi=DPI, options=OcrOptions(timeout_seconds=0.05))
    assert raised.value.code == "scan.ocr_timeout"
    assert raised.value.params == {"seconds": 0.05}


@pytest.mark.parametrize("case", ["unknown language", "not an image"])
def test_tesseract_failure_raises_ocr_failed(case: str, tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    if case == "not an image":
        path.write_bytes(b"not a png at all")
        options = OPTIONS
    else:
        Image.new("L", (100, 100), 255).save(path, dpi=(DPI, DPI))
        options = OcrOptions(languages="xyz")
    with pytest.raises(OcrFailed) as raised:
        ocr_image(path, dpi=DPI, options=options)
    assert raised.value.code == "scan.ocr_failed"
