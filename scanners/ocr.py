"""Vietnamese OCR of one page image with tesseract: text, word boxes and mean confidence.

One tesseract process per page, one thread per process (issue 3; measurements.md: OpenMP threads
make tesseract ~4x slower on the 2-core box). The image goes to tesseract as a file path with
`--dpi`: pytesseract re-saves a PIL image without its resolution, and table pages then fell to
42 % character error.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytesseract

from archive.errors import Invalid
from scanners.words import Word


@dataclass(frozen=True)
class OcrOptions:
    """How to run tesseract; built from Settings by the caller, never read from globals here."""

    languages: str = "vie"
    timeout_seconds: float = 120
    psm: int = 3
    extra_config: str = ""


@dataclass(frozen=True)
class OcrResult:
    """A page's text (NFC; blank line between paragraphs), its words and mean word confidence."""

    text: str
    words: tuple[Word, ...]
    confidence: float | None
    engine: str


class OcrFailed(Invalid):
    """Tesseract timed out (`scan.ocr_timeout`) or failed (`scan.ocr_failed`) on a page."""


@functools.cache
def tesseract_version() -> str:
    """The installed tesseract's version, e.g. "5.3.0" (asked once per process)."""
    return str(pytesseract.get_tesseract_version())


def _config(dpi: int, options: OcrOptions) -> str:
    return f"--psm {options.psm} --dpi {dpi} {options.extra_config}".strip()


def _run(path: Path, dpi: int, options: OcrOptions) -> dict[str, list[Any]]:
    # pytesseract starts tesseract with our environment: one OpenMP thread, unless the
    # operator deliberately set another limit.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        data: dict[str, list[Any]] = pytesseract.image_to_data(
            str(path),
            lang=options.languages,
            config=_config(dpi, options),
            output_type=pytesseract.Output.DICT,
            timeout=options.timeout_seconds,
        )
    except (pytesseract.TesseractError, OSError) as error:  # before RuntimeError: a subclass
        raise OcrFailed("scan.ocr_failed", reason=str(error)[:200]) from error
    except RuntimeError as error:  # pytesseract's only signal of a timeout
        if "timeout" not in str(error).lower():
            raise
        raise OcrFailed("scan.ocr_timeout", seconds=options.timeout_seconds) from error
    return data


def _words(data: dict[str, list[Any]]) -> Iterator[tuple[tuple[int, int, int], Word]]:
    """Each recognised word with its (block, paragraph, line) key; empty boxes are skipped."""
    lines: dict[tuple[int, int, int], int] = {}
    for i, raw in enumerate(data.get("text", [])):
        text = unicodedata.normalize("NFC", str(raw)).strip()
        if int(data["level"][i]) != 5 or not text:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        line = lines.setdefault(key, len(lines))
        left, top = int(data["left"][i]), int(data["top"][i])
        width, height = int(data["width"][i]), int(data["height"][i])
        yield key, Word(left, top, width, height, text, float(data["conf"][i]), line)


def _text(keyed: list[tuple[tuple[int, int, int], Word]]) -> str:
    paragraphs: list[list[str]] = []
    previous: tuple[int, int, int] | None = None
    for key, word in keyed:
        if previous is None or key[:2] != previous[:2]:
            paragraphs.append([word.text])
        elif key != previous:
            paragraphs[-1].append(word.text)
        else:
            paragraphs[-1][-1] += f" {word.text}"
        previous = key
    return "\n\n".join("\n".join(lines) for lines in paragraphs)


def ocr_image(path: Path, *, dpi: int, options: OcrOptions) -> OcrResult:
    """OCR one page image file; raises OcrFailed on a timeout or a tesseract error."""
    keyed = list(_words(_run(path, dpi, options)))
    words = tuple(word for _, word in keyed)
    scores = [word.confidence for word in words if word.confidence >= 0]
    return OcrResult(
        text=_text(keyed),
        words=words,
        confidence=sum(scores) / len(scores) if scores else None,
        engine=f"tesseract {tesseract_version()} {options.languages}",
    )
