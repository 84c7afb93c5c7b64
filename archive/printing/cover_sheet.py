"""Scan cover sheets: one A4 page per file, put on top of the file's pages when scanning.

Issue 3, point 3: in a scanned batch, a page carrying a file's barcode starts that file. The
sheet carries the value twice, as a Code128 and as a QR code, so one smudged or stapled-over
symbol still leaves the other (and `scanners.barcodes` can insist the two agree). The sheet
also repeats, in Vietnamese, what the archivist needs to check by eye that the right sheet
sits on the right file. Printing takes plain values and returns bytes: it never reads the DB.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import code128, qr
from reportlab.graphics.shapes import Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from archive.errors import Invalid
from archive.printing import fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN

# 0.5 mm is about 4 px at 200 dpi (3 px is where degraded scans start to fail); a long value is
# narrowed to fit the page, but never below 0.33 mm, the smallest a sheet-fed scan reads reliably.
CODE128_MODULE = 0.5 * mm
CODE128_MIN_MODULE = 0.33 * mm
CODE128_HEIGHT = 22 * mm
# 40 mm with level M: an 11-character value is QR version 1, so each module is ~1.4 mm.
QR_SIZE = 40 * mm
QR_LEVEL = "M"

TITLE_BOX_HEIGHT = 50 * mm  # the title shrinks to fit this box rather than push the codes off
TITLE_SIZES = (16.0, 14.0, 12.0, 11.0, 10.0, 9.0, 8.0)

HEADING = "TỜ BÌA QUÉT HỒ SƠ"
INSTRUCTIONS = (
    "Đặt tờ bìa này lên trước các trang của hồ sơ khi quét. Các trang sau tờ bìa được gắn "
    "vào hồ sơ này cho đến tờ bìa tiếp theo. Không ghi, dập ghim hay che lên mã vạch."
)
LABELS = {
    "file_code": "Mã hồ sơ",
    "title": "Tiêu đề hồ sơ",
    "series": "Loại hồ sơ",
    "dates": "Thời gian",
    "sheet_count": "Số tờ",
    "location": "Vị trí lưu trữ",
}


@dataclass(frozen=True)
class CoverSheet:
    """What one cover sheet prints: plain values, filled by the caller from the register."""

    barcode: str
    file_code: str
    title: str
    office_name: str
    location: str
    series_name: str
    dates: str
    sheet_count: int


def cover_sheets_pdf(sheets: Sequence[CoverSheet]) -> bytes:
    """An A4 PDF with one cover sheet per page, in order; refuses an empty list."""
    if not sheets:
        raise Invalid("printing.no_cover_sheets")
    fonts.register_fonts((fonts.SANS, fonts.SANS_BOLD, fonts.MONO_BOLD))
    buffer = io.BytesIO()
    # invariant: the same sheets print the same bytes (no timestamp or random document id).
    canvas = Canvas(
        buffer, pagesize=A4, invariant=True, pageCompression=1, initialFontName=fonts.SANS
    )
    canvas.setTitle(HEADING.capitalize())
    canvas.setCreator("bhxh-archive")
    for sheet in sheets:
        _draw_sheet(canvas, sheet)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_sheet(canvas: Canvas, sheet: CoverSheet) -> None:
    y = PAGE_HEIGHT - MARGIN
    y = _centred(canvas, HEADING, y, fonts.SANS_BOLD, 20)
    y = _centred(canvas, sheet.office_name, y - 3 * mm, fonts.SANS, 12)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, y - 3 * mm, PAGE_WIDTH - MARGIN, y - 3 * mm)
    y = _centred(canvas, sheet.file_code, y - 10 * mm, fonts.SANS_BOLD, 28)

    y -= 6 * mm
    y = _label(canvas, LABELS["title"], y)
    _draw_title(canvas, sheet.title, top=y)
    y -= TITLE_BOX_HEIGHT + 4 * mm

    for key, value in (
        ("series", sheet.series_name),
        ("dates", sheet.dates),
        ("sheet_count", str(sheet.sheet_count)),
        ("location", sheet.location),
    ):
        y = _field(canvas, LABELS[key], value, y)

    y = _draw_code128(canvas, sheet.barcode, top=y - 8 * mm)
    _draw_qr(canvas, sheet.barcode, top=y - 6 * mm)
    _draw_instructions(canvas)


def _centred(canvas: Canvas, text: str, top: float, font: str, size: float) -> float:
    """Draw one centred line hanging from `top`; return where the next element may start."""
    baseline = top - size
    canvas.setFont(font, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, baseline, text)
    return baseline - 0.25 * size


def _label(canvas: Canvas, text: str, top: float) -> float:
    canvas.setFont(fonts.SANS_BOLD, 10)
    canvas.drawString(MARGIN, top - 10, f"{text}:")
    return top - 14


def _field(canvas: Canvas, label: str, value: str, top: float) -> float:
    """A `label: value` line; a value too long for one line wraps under itself."""
    label_width = 36 * mm
    canvas.setFont(fonts.SANS_BOLD, 11)
    canvas.drawString(MARGIN, top - 11, f"{label}:")
    style = ParagraphStyle("field", fontName=fonts.SANS, fontSize=11, leading=14)
    paragraph = Paragraph(_wrappable(value), style)
    height: float = paragraph.wrap(CONTENT_WIDTH - label_width, PAGE_HEIGHT)[1]
    paragraph.drawOn(canvas, MARGIN + label_width, top - height)
    return top - max(height, 14.0) - 4


def _draw_title(canvas: Canvas, title: str, top: float) -> None:
    """The title, wrapped; a long one steps down in size until it fits its fixed box."""
    for size in TITLE_SIZES:
        style = ParagraphStyle(
            "title", fontName=fonts.SANS, fontSize=size, leading=size * 1.25, alignment=TA_LEFT
        )
        paragraph = Paragraph(_wrappable(title), style)
        _, height = paragraph.wrap(CONTENT_WIDTH, TITLE_BOX_HEIGHT)
        if height <= TITLE_BOX_HEIGHT:
            break
    else:
        # Even 8 pt does not fit (over ~1,500 characters): keep the lines that fit; the full
        # title is in the register, the sheet only has to identify the file by eye.
        parts = paragraph.split(CONTENT_WIDTH, TITLE_BOX_HEIGHT)
        paragraph = parts[0]
        _, height = paragraph.wrap(CONTENT_WIDTH, TITLE_BOX_HEIGHT)
    paragraph.drawOn(canvas, MARGIN, top - height)


def _wrappable(text: str) -> str:
    """Paragraph markup for plain text, with a spaced hyphen kept off the end of a line.

    pdftotext (and the search text drawn from it) drops a hyphen that ends a line as if it were
    hyphenation, so "2015 - 2016" broken after the dash would read back as "2015 2016".
    """
    return escape(text).replace(" - ", " -\u00a0")


def _draw_code128(canvas: Canvas, value: str, top: float) -> float:
    """A centred Code128 with quiet zones and our own caption; return the caption's bottom."""
    module = CODE128_MODULE
    barcode = code128.Code128(
        value, barWidth=module, barHeight=CODE128_HEIGHT, humanReadable=False, quiet=True
    )
    if barcode.width > CONTENT_WIDTH:
        module = max(CODE128_MIN_MODULE, module * CONTENT_WIDTH / barcode.width)
        barcode = code128.Code128(
            value, barWidth=module, barHeight=CODE128_HEIGHT, humanReadable=False, quiet=True
        )
    bottom = top - CODE128_HEIGHT
    barcode.drawOn(canvas, (PAGE_WIDTH - barcode.width) / 2, bottom)
    # reportlab's own caption overlaps short bars (measurements.md); draw it below, in DejaVu.
    canvas.setFont(fonts.MONO_BOLD, 14)
    canvas.drawCentredString(PAGE_WIDTH / 2, bottom - 16, value)
    return float(bottom - 20)


def _draw_qr(canvas: Canvas, value: str, top: float) -> None:
    # Sized through barWidth/barHeight so the value is encoded once (measurements.md).
    widget = qr.QrCodeWidget(value, barWidth=QR_SIZE, barHeight=QR_SIZE, barLevel=QR_LEVEL)
    widget.x, widget.y = (PAGE_WIDTH - QR_SIZE) / 2, top - QR_SIZE
    # The widget's dark modules are plain rectangles; drawing them ourselves rather than through
    # renderPDF keeps renderPDF's default Helvetica (not embedded) out of the PDF.
    canvas.setFillColor(colors.black)
    for shape in widget.draw().contents:
        if isinstance(shape, Rect) and shape.fillColor is not None:
            canvas.rect(shape.x, shape.y, shape.width, shape.height, stroke=0, fill=1)


def _draw_instructions(canvas: Canvas) -> None:
    style = ParagraphStyle(
        "instructions", fontName=fonts.SANS, fontSize=10, leading=13, alignment=TA_CENTER
    )
    paragraph = Paragraph(escape(INSTRUCTIONS), style)
    _, height = paragraph.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
    paragraph.drawOn(canvas, MARGIN, MARGIN)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, MARGIN + height + 3 * mm, PAGE_WIDTH - MARGIN, MARGIN + height + 3 * mm)
