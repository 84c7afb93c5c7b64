"""One page through the pipeline (render, cover check, clean-up, OCR) on real tools."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from scanners.intake_checks import ScanKind
from scanners.pipeline import PipelineOptions, process_page, thumbnail_variant, view_variant
from scanners.specimens import make_blank_page, make_page
from scanners.storage import DerivedStore, OriginalStore

DPI = 200


def _process(tmp_path: Path, png: bytes) -> tuple[object, DerivedStore, str]:
    source = tmp_path / "page.png"
    source.write_bytes(png)
    stored = OriginalStore(tmp_path / "originals").put_file(source)
    derived = DerivedStore(tmp_path / "derived")
    outcome = process_page(
        stored.path,
        ScanKind.PNG,
        0,
        sha256=stored.sha256,
        derived=derived,
        options=PipelineOptions(dpi=DPI),
    )
    return outcome, derived, stored.sha256


def test_a_page_whose_first_pixels_look_like_whitespace_is_still_read(tmp_path: Path) -> None:
    """Leptonica's PBM reader lost its place when the first pixel byte was a whitespace code
    (a dark speck at the top-left edge); the page must be read whatever its first pixels are."""
    with Image.open(io.BytesIO(make_page(11, dpi=DPI).png)) as image:
        page = image.convert("L")
    page.putpixel((2, 0), 0)  # first byte of a 1-bit row: 0b00100000, an ASCII space
    out = io.BytesIO()
    page.save(out, format="PNG", dpi=(DPI, DPI))
    outcome, derived, sha = _process(tmp_path, out.getvalue())
    assert outcome.role == "content" and outcome.text_source == "ocr"  # type: ignore[attr-defined]
    assert len(outcome.text) > 300 and outcome.words  # type: ignore[attr-defined]
    view = derived.path_of(sha, view_variant(0)).read_bytes()
    thumb = derived.path_of(sha, thumbnail_variant(0)).read_bytes()
    assert view[:3] == thumb[:3] == b"\xff\xd8\xff" and len(thumb) < len(view)


def test_a_blank_sheet_is_flagged_and_not_read(tmp_path: Path) -> None:
    outcome, _, _ = _process(tmp_path, make_blank_page(3, dpi=DPI).png)
    assert (outcome.role, outcome.text, outcome.text_source) == ("blank", "", None)  # type: ignore[attr-defined]
