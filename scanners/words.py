"""A recognised word on a page image: what OCR produces, what highlighting and the invisible
text layer of a searchable PDF consume. Coordinates are pixels of the page image, origin at the
top left, at the image's own resolution (`dpi` travels beside the words, never inside them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Word:
    left: int
    top: int
    width: int
    height: int
    text: str
    confidence: float  # 0-100 as tesseract reports it; 100 for a PDF's own text layer
    line: int = 0  # the line's number on the page (0-based), to rebuild text and phrases

    def to_json(self) -> list[Any]:
        """A compact row: [left, top, width, height, text, confidence, line]."""
        return [
            self.left,
            self.top,
            self.width,
            self.height,
            self.text,
            round(self.confidence, 1),
            self.line,
        ]

    @classmethod
    def from_json(cls, row: Sequence[Any]) -> Word:
        left, top, width, height, text, confidence, line = row
        return cls(
            int(left), int(top), int(width), int(height), str(text), float(confidence), int(line)
        )


def words_to_json(words: Iterable[Word]) -> list[list[Any]]:
    return [word.to_json() for word in words]


def words_from_json(rows: Iterable[Sequence[Any]]) -> tuple[Word, ...]:
    return tuple(Word.from_json(row) for row in rows)
