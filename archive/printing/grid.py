"""A ruled table of wrapped plain text that splits across pages with its header repeated.

Why not platypus `Table` with a `Paragraph` per cell: a register of thousands of rows has tens of
thousands of cells, and paragraph layout costs about 4x more than measuring words and drawing
lines on the canvas ourselves (reference/measurements.md: 10,000 rows, 9 s against 2.3 s). Cells
are plain text in one face, so greedy word wrapping is all the layout they need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from archive.printing import fonts

Align = Literal["left", "center", "right"]

# Points between a cell's rules and its text. Sideways, text in neighbouring cells stays a
# font size apart: pdftotext only reads them as separate columns (rather than one line run
# across the table) when the gap is about 1 em.
V_PADDING = 2.5
H_PADDING = 5.5
HEADER_FILL = colors.Color(0.9, 0.9, 0.9)
# A row longer than this many lines is printed as several rows, so that one cell holding pages
# of text still fits a landscape frame under the header instead of stopping the whole print.
MAX_ROW_LINES = 24
DASHES = frozenset({"-", "–", "—"})


@dataclass(frozen=True)
class Column:
    """One table column: its header, its share of the frame width (0-1) and its alignment."""

    header: str
    width: float
    align: Align = "left"


@dataclass
class _Row:
    cells: list[list[str]]  # the wrapped lines of each cell
    height: float


@dataclass
class _Layout:
    width: float
    widths: list[float]
    header: _Row
    rows: list[_Row] = field(default_factory=list)


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap of plain text to `width` points; explicit newlines are kept.

    A spaced dash sticks to the word after it and a word too long for the column is cut
    between characters, never right after a hyphen: pdftotext (and the search text built from
    it) reads a hyphen ending a line as hyphenation and drops it.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _units(paragraph.split()):
            candidate = f"{line} {unit}" if line else unit
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            pieces = _cut(unit, font, size, width)
            lines.extend(pieces[:-1])
            line = pieces[-1]
        lines.append(line)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


def _units(words: list[str]) -> list[str]:
    units: list[str] = []
    for word in words:
        if units and units[-1] in DASHES:
            units[-1] = f"{units[-1]} {word}"
        else:
            units.append(word)
    return units


def _cut(word: str, font: str, size: float, width: float) -> list[str]:
    """A word too wide for the column, cut after its last fitting "/" if it has one
    (`BHXH-03/2015/` + `HS-0042`), else between characters but not after a dash."""
    pieces: list[str] = []
    rest = word
    while len(rest) > 1 and stringWidth(rest, font, size) > width:
        fits = 1
        while fits < len(rest) and stringWidth(rest[: fits + 1], font, size) <= width:
            fits += 1
        slash = rest.rfind("/", 0, fits)
        if slash > 0:
            fits = slash + 1
        elif fits > 1 and rest[fits - 1] in DASHES:
            fits -= 1
        pieces.append(rest[:fits])
        rest = rest[fits:]
    pieces.append(rest)
    return pieces


class Grid(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """A ruled table: bold shaded header, wrapped cells, header repeated on every page."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        *,
        font_size: float = 9.0,
        font: str = fonts.SERIF,
        bold_font: str = fonts.SERIF_BOLD,
    ) -> None:
        super().__init__()
        self.columns = tuple(columns)
        self.rows = rows
        self.font_size = font_size
        self.leading = font_size * 1.22
        self.font = font
        self.bold_font = bold_font
        self._layout: _Layout | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        layout = self._layout_for(availWidth)
        self.width = sum(layout.widths)
        self.height = layout.header.height + sum(row.height for row in layout.rows)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Grid]:
        layout = self._layout_for(availWidth)
        room = availHeight - layout.header.height
        fitting = 0
        for row in layout.rows:
            room -= row.height
            if room < 0:
                break
            fitting += 1
        if fitting == 0:
            return []  # platypus moves the whole table to the next page
        if fitting == len(layout.rows):
            return [self]
        return [self._part(layout, 0, fitting), self._part(layout, fitting, len(layout.rows))]

    def draw(self) -> None:
        layout = self._layout_for(self.width)
        canvas = self.canv
        top = self.height
        canvas.setFillColor(HEADER_FILL)
        canvas.rect(0, top - layout.header.height, self.width, layout.header.height, 0, 1)
        canvas.setFillColor(colors.black)
        top = self._draw_row(layout.header, layout.widths, top, header=True)
        for row in layout.rows:
            top = self._draw_row(row, layout.widths, top, header=False)
        self._draw_rules(layout)

    def _part(self, layout: _Layout, start: int, stop: int) -> Grid:
        """Some of the rows, sharing the measured layout (a page of a long table)."""
        part = Grid(
            self.columns, (), font_size=self.font_size, font=self.font, bold_font=self.bold_font
        )
        part._layout = _Layout(layout.width, layout.widths, layout.header, layout.rows[start:stop])
        return part

    def _layout_for(self, width: float) -> _Layout:
        """Rows measured once for the frame's width; a part of a split keeps its parent's."""
        if self._layout is not None and (not self.rows or abs(self._layout.width - width) < 1):
            return self._layout
        total = sum(column.width for column in self.columns)
        widths = [width * column.width / total for column in self.columns]
        header = self._measure([c.header for c in self.columns], widths, self.bold_font)[0]
        layout = _Layout(width, widths, header)
        for values in self.rows:
            layout.rows.extend(self._measure(values, widths, self.font))
        self._layout = layout
        return layout

    def _measure(self, values: Sequence[str], widths: list[float], font: str) -> list[_Row]:
        cells = [
            wrap_text(value, font, self.font_size, width - 2 * H_PADDING)
            for value, width in zip(values, widths, strict=True)
        ]
        count = max(len(lines) for lines in cells)
        rows = []
        for start in range(0, count, MAX_ROW_LINES):
            chunk = [lines[start : start + MAX_ROW_LINES] for lines in cells]
            lines = max(1, *(len(lines) for lines in chunk))
            rows.append(_Row(chunk, lines * self.leading + 2 * V_PADDING))
        return rows

    def _draw_row(self, row: _Row, widths: list[float], top: float, *, header: bool) -> float:
        canvas = self.canv
        canvas.setFont(self.bold_font if header else self.font, self.font_size)
        left = 0.0
        for index, (lines, width) in enumerate(zip(row.cells, widths, strict=True)):
            align = "center" if header else self.columns[index].align
            baseline = top - V_PADDING - self.font_size
            for line in lines:
                if not line:
                    pass
                elif align == "center":
                    canvas.drawCentredString(left + width / 2, baseline, line)
                elif align == "right":
                    canvas.drawRightString(left + width - H_PADDING, baseline, line)
                else:
                    canvas.drawString(left + H_PADDING, baseline, line)
                baseline -= self.leading
            left += width
        canvas.setLineWidth(0.5)
        canvas.line(0, top - row.height, self.width, top - row.height)
        return top - row.height

    def _draw_rules(self, layout: _Layout) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.5)
        canvas.line(0, self.height, self.width, self.height)
        left = 0.0
        canvas.line(left, 0, left, self.height)
        for width in layout.widths:
            left += width
            canvas.line(left, 0, left, self.height)
