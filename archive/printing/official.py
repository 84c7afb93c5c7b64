"""The layout every official paper shares: heading, title, text, tables, signatures, page numbers.

The shape follows Decree 30/2020/NĐ-CP (Phụ lục I): the issuing body on the left over its
document number, the national heading and motto on the right over the place and date, a
centred title, the body, then one signature block per party. A form module composes these
flowables and hands them to `build_pdf`; nothing here knows what a loan or a handover is.
DejaVu Serif stands in for the decree's Times New Roman: it is the closest face we can embed
with every Vietnamese diacritic (see `fonts`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import code128
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from archive.errors import Invalid
from archive.printing import fonts
from archive.printing.grid import Column, Grid
from archive.printing.wording import (
    amount_in_words,
    format_date,
    format_dong,
    format_number,
    long_date,
    number_in_words,
    place_date,
)

__all__ = [
    "Column",
    "Issuer",
    "Orientation",
    "Signature",
    "amount_in_words",
    "barcode",
    "build_pdf",
    "code128_value",
    "format_date",
    "format_dong",
    "format_number",
    "heading",
    "key_values",
    "long_date",
    "number_in_words",
    "paragraph",
    "place_date",
    "signatures",
    "table",
    "title",
]

Orientation = Literal["portrait", "landscape"]

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SIGN_HINT = "(Ký, ghi rõ họ tên)"
NUMBER_LABEL = "Số:"
PAGE_LABEL = "Trang {page}/{total}"

# Decree 30 margins (left is the binding edge); landscape keeps 20 mm all round to leave room
# for the register's nine columns.
MARGINS: dict[Orientation, tuple[float, float, float, float]] = {  # left, right, top, bottom
    "portrait": (30 * mm, 15 * mm, 20 * mm, 20 * mm),
    "landscape": (20 * mm, 20 * mm, 15 * mm, 18 * mm),
}
HEADING_SIZE = 10.0
BODY_SIZE = 11.0
CODE128_MODULE = 0.3 * mm  # decoded 72/72 at 200 dpi (measurements.md)
CODE128_HEIGHT = 10 * mm

_BODY = ParagraphStyle(
    "body", fontName=fonts.SERIF, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.3, spaceAfter=3
)
_STYLES: dict[str, ParagraphStyle] = {
    "body": _BODY,
    "justify": ParagraphStyle("justify", _BODY, alignment=TA_JUSTIFY),
    "italic": ParagraphStyle("italic", _BODY, fontName=fonts.SERIF_ITALIC),
    "bold": ParagraphStyle("bold", _BODY, fontName=fonts.SERIF_BOLD),
    "center": ParagraphStyle("center", _BODY, alignment=TA_CENTER),
    "title": ParagraphStyle(
        "title", _BODY, fontName=fonts.SERIF_BOLD, fontSize=13, leading=17, alignment=TA_CENTER
    ),
    "subtitle": ParagraphStyle(
        "subtitle", _BODY, fontName=fonts.SERIF_ITALIC, alignment=TA_CENTER, spaceAfter=0
    ),
}
ParagraphStyleName = Literal["body", "justify", "italic", "bold", "center"]


@dataclass(frozen=True)
class Issuer:
    """Who issues a paper: the governing body over the office, and the place its dates name."""

    governing_body: str  # "Bảo hiểm xã hội Việt Nam"; the heading prints it in capitals
    office_name: str  # "Bảo hiểm xã hội tỉnh Long An"; body text uses it as written
    place: str  # "Long An", as in "Long An, ngày 05 tháng 3 năm 2026"


@dataclass(frozen=True)
class Signature:
    """One signature block: the signer's role (may hold line breaks), a hint and a name."""

    role: str  # "NGƯỜI MƯỢN", or "TL. GIÁM ĐỐC\nTRƯỞNG PHÒNG"
    name: str = ""  # empty leaves the line to be written by hand
    hint: str = SIGN_HINT


def markup(text: str) -> str:
    """Paragraph markup for plain text: escaped, newlines kept, spaced dashes kept off line ends.

    pdftotext (and the search text built from it) drops a hyphen that ends a line as if it were
    hyphenation, so "2015 - 2016" broken after the dash would read back as "2015 2016".
    """
    text = escape(text)
    for dash in ("-", "–"):
        text = text.replace(f" {dash} ", f" {dash}\u00a0")
    return text.replace("\n", "<br/>")


def paragraph(text: str, style: ParagraphStyleName = "body") -> Paragraph:
    """A paragraph of plain text in one of the house styles."""
    _register_fonts()  # reportlab parses paragraph markup against registered faces
    return Paragraph(markup(text), _STYLES[style])


def title(text: str, subtitle: str | None = None) -> list[Flowable]:
    """The centred bold title of a paper, with an optional italic line under it."""
    _register_fonts()  # reportlab parses paragraph markup against registered faces
    flowables: list[Flowable] = [Spacer(1, 5 * mm), Paragraph(markup(text), _STYLES["title"])]
    if subtitle:
        flowables.append(Paragraph(markup(subtitle), _STYLES["subtitle"]))
    flowables.append(Spacer(1, 4 * mm))
    return flowables


def key_values(pairs: Sequence[tuple[str, str]]) -> list[Flowable]:
    """`Label: value` lines, the label bold; a long value wraps under the line."""
    _register_fonts()  # reportlab parses paragraph markup against registered faces
    return [Paragraph(f"<b>{markup(label)}:</b> {markup(value)}", _BODY) for label, value in pairs]


def table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], *, font_size: float = 9.0
) -> Grid:
    """A ruled table of wrapped plain text; its header repeats on every page it spans."""
    grid = Grid(columns, rows, font_size=font_size)
    grid.spaceBefore, grid.spaceAfter = 4, 8  # read by the frame; dropped at a page top
    return grid


def heading(issuer: Issuer, *, number: str | None = None, dated: date | None = None) -> Flowable:
    """The two-column heading: issuer and number on the left, nation, motto and date right."""
    return _Heading(issuer, number, dated)


class _Heading(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Laid out once the frame width is known, so each line can shrink to stay on one line."""

    LEFT_SHARE = 0.44

    def __init__(self, issuer: Issuer, number: str | None, dated: date | None) -> None:
        super().__init__()
        self.issuer, self.number, self.dated = issuer, number, dated
        self._table: Table | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._table = self._layout(availWidth)
        self.width, self.height = self._table.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        assert self._table is not None  # platypus wraps before it draws
        self._table.drawOn(self.canv, 0, 0)

    def _layout(self, width: float) -> Table:
        widths = (width * self.LEFT_SHARE, width * (1 - self.LEFT_SHARE))
        body, office = self.issuer.governing_body.upper(), self.issuer.office_name.upper()
        left: list[Flowable] = [
            _line(body, fonts.SERIF, widths[0]),
            _line(office, fonts.SERIF_BOLD, widths[0]),
            HRFlowable(width="30%", thickness=0.6, spaceBefore=1, spaceAfter=0),
        ]
        motto = _line(MOTTO, fonts.SERIF_BOLD, widths[1], HEADING_SIZE + 1)
        right: list[Flowable] = [
            _line(NATION, fonts.SERIF_BOLD, widths[1]),
            motto,
            HRFlowable(
                width=stringWidth(MOTTO, fonts.SERIF_BOLD, motto.style.fontSize),
                thickness=0.6,
                spaceBefore=1,
                spaceAfter=0,
            ),
        ]
        number = f"{NUMBER_LABEL} {self.number}" if self.number else ""
        dated = place_date(self.issuer.place, self.dated) if self.dated else ""
        return Table(
            [
                [left, right],
                [
                    _line(number, fonts.SERIF, widths[0]),
                    _line(dated, fonts.SERIF_ITALIC, widths[1], HEADING_SIZE + 1),
                ],
            ],
            colWidths=widths,
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONT", (0, 0), (-1, -1), fonts.SERIF),  # else the cells select Helvetica
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 1), (-1, 1), 6),
                ]
            ),
        )


def _line(text: str, font: str, width: float, size: float = HEADING_SIZE) -> Paragraph:
    """A centred heading line, shrunk (down to 8 pt) to stay on one line; longer text wraps."""
    natural = stringWidth(text, font, size)
    if natural > width - 4:
        size = max(8.0, size * (width - 4) / natural)
    style = ParagraphStyle(
        f"heading-{font}-{size}",
        fontName=font,
        fontSize=size,
        leading=size * 1.3,
        alignment=TA_CENTER,
    )
    return Paragraph(markup(text), style)


def signatures(blocks: Sequence[Signature]) -> Flowable:
    """Signature blocks side by side, one column each, kept together on one page.

    Roles, hints and names each sit on one table row, so a two-line role ("TL. GIÁM ĐỐC /
    TRƯỞNG PHÒNG") does not push its name below its neighbours'.
    """
    _register_fonts()  # reportlab parses paragraph markup against registered faces
    role = ParagraphStyle(
        "role", fontName=fonts.SERIF_BOLD, fontSize=BODY_SIZE, leading=14, alignment=TA_CENTER
    )
    hint = ParagraphStyle("hint", role, fontName=fonts.SERIF_ITALIC, fontSize=9.5, leading=12)
    rows = [
        [Paragraph(markup(block.role), role) for block in blocks],
        [Paragraph(markup(block.hint), hint) for block in blocks],
        ["" for _ in blocks],
        [Paragraph(markup(block.name), role) for block in blocks],
    ]
    share = f"{100 / max(1, len(blocks)):.4f}%"
    table = Table(
        rows,
        colWidths=[share] * len(blocks),
        rowHeights=[None, None, 22 * mm, None],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), fonts.SERIF),  # else the cells select Helvetica
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
        spaceBefore=6 * mm,
    )
    return KeepTogether([table])


class _Code128(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """A Code128 against the right margin with its value under it in DejaVu Mono.

    reportlab's own caption is Helvetica, which is not embedded and overlaps short bars.
    """

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value
        self.bars = code128.Code128(
            value, barWidth=CODE128_MODULE, barHeight=CODE128_HEIGHT, humanReadable=False
        )

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = CODE128_HEIGHT + 12 + 2 * mm
        return self.width, self.height

    def draw(self) -> None:
        left = self.width - self.bars.width
        self.bars.drawOn(self.canv, left, 12)
        self.canv.setFont(fonts.MONO_BOLD, 9)
        self.canv.drawCentredString(left + self.bars.width / 2, 3, self.value)


def barcode(value: str) -> Flowable:
    """A Code128 of `value` against the right margin, its value printed under it.

    Refuses with Invalid a value Code128 cannot carry (empty, or not printable ASCII).
    """
    return _Code128(code128_value(value))


def code128_value(value: str) -> str:
    """The value itself if Code128 can carry it; refuses empty or non-ASCII with Invalid."""
    if not (value and value.isascii() and value.isprintable()):
        raise Invalid("printing.barcode_value", value=value)
    return value


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """Holds every page until the end so each footer can say "Trang x/y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            width = self._pagesize[0]
            self.setFont(fonts.SERIF, 8)
            self.drawCentredString(width / 2, 9 * mm, PAGE_LABEL.format(page=number, total=total))
            super().showPage()
        super().save()


def build_pdf(
    flowables: Sequence[Flowable], *, title: str, orientation: Orientation = "portrait"
) -> bytes:
    """Lay out the flowables on A4 pages with numbered footers; the same input, the same bytes."""
    _register_fonts()
    pagesize = A4 if orientation == "portrait" else landscape(A4)
    left, right, top, bottom = MARGINS[orientation]
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        creator="bhxh-archive",
        invariant=1,
        pageCompression=1,
        initialFontName=fonts.SERIF,
    )
    frame = Frame(
        left,
        bottom,
        document.width,
        document.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    document.build(list(flowables), canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def _register_fonts() -> None:
    fonts.register_fonts((*fonts.FAMILIES[fonts.SERIF], fonts.MONO_BOLD))
