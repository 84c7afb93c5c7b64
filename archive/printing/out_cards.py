"""Out-cards (phiếu thay thế hồ sơ): left in a box slot while a file is out of its box.

Whoever opens the box sees what is missing, why, who has it and until when, and can scan the
file's barcode to open its record. Two cards per A4 sheet, split by a dashed cut line; cards
are drawn on the canvas like the scan cover sheets, in DejaVu Sans.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from archive.errors import Invalid
from archive.printing import fonts
from archive.printing.grid import wrap_text
from archive.printing.official import code128_value
from archive.printing.wording import format_date

HEADING = "PHIẾU THAY THẾ HỒ SƠ"
PAGE_WIDTH, PAGE_HEIGHT = A4
CARD_HEIGHT = PAGE_HEIGHT / 2
MARGIN = 15 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN
TITLE_LIMIT = 180  # characters; a longer title is cut at a word and ends with "…"
TITLE_LINES = 3
CODE128_MODULE = 0.4 * mm
CODE128_MIN_MODULE = 0.3 * mm
CODE128_HEIGHT = 14 * mm


@dataclass(frozen=True)
class OutCard:
    """One file out of its box: why (a loan, the reading room, a handover), with whom, how long."""

    office_name: str
    reason: str  # "Cho mượn", "Phục vụ phòng đọc", "Giao nhận"
    file_code: str
    file_barcode: str
    title: str
    location: str  # "Kho 1 / Giá 2 / Tầng 3 / Hộp 15"
    holder_name: str
    holder_unit: str
    out_on: date
    due_on: date | None
    reference: str  # the loan, reading or custody slip number


def out_cards_pdf(cards: Sequence[OutCard]) -> bytes:
    """Two out-cards per A4 page, in order; refuses an empty list or an unprintable barcode."""
    if not cards:
        raise Invalid("printing.nothing_to_print", form="out_cards")
    for card in cards:
        code128_value(card.file_barcode)
    fonts.register_fonts((fonts.SANS, fonts.SANS_BOLD, fonts.MONO_BOLD))
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer, pagesize=A4, invariant=True, pageCompression=1, initialFontName=fonts.SANS
    )
    canvas.setTitle("Phiếu thay thế hồ sơ")
    canvas.setCreator("bhxh-archive")
    for start in range(0, len(cards), 2):
        _draw_card(canvas, cards[start], top=PAGE_HEIGHT)
        if start + 1 < len(cards):
            _draw_card(canvas, cards[start + 1], top=CARD_HEIGHT)
        _draw_cut_line(canvas)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def holder_text(card: OutCard) -> str:
    """`Nguyễn Văn An, Phòng Chế độ BHXH`: who has the file now."""
    return f"{card.holder_name}, {card.holder_unit}" if card.holder_unit else card.holder_name


def period_text(card: OutCard) -> str:
    """`Từ ngày 02/03/2026 đến ngày 20/03/2026`, or only the start when there is no due date."""
    text = f"Từ ngày {format_date(card.out_on)}"
    return f"{text} đến ngày {format_date(card.due_on)}" if card.due_on else text


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """The text cut at a word to at most `limit` characters, ending with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return f"{cut}…"


def _draw_card(canvas: Canvas, card: OutCard, top: float) -> None:
    y = top - 12 * mm
    y = _centred(canvas, HEADING, y, fonts.SANS_BOLD, 15)
    y = _centred(canvas, card.office_name, y - 1, fonts.SANS, 10)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, y - 2 * mm, PAGE_WIDTH - MARGIN, y - 2 * mm)
    y = _field(canvas, "Lý do xuất", card.reason, y - 5 * mm, size=15)
    y = _centred(canvas, card.file_code, y - 3 * mm, fonts.SANS_BOLD, 22)
    lines = wrap_text(shorten(card.title), fonts.SANS, 12, WIDTH)[:TITLE_LINES]
    canvas.setFont(fonts.SANS, 12)
    for line in lines:
        canvas.drawCentredString(PAGE_WIDTH / 2, y - 12, line)
        y -= 15
    y -= 5 * mm
    for label, value in (
        ("Vị trí", card.location),
        ("Người giữ hồ sơ", holder_text(card)),
        ("Thời gian", period_text(card)),
        ("Số phiếu", card.reference),
    ):
        y = _field(canvas, label, value, y, size=13)
    _draw_code128(canvas, card.file_barcode, bottom=top - CARD_HEIGHT + 14 * mm)


def _centred(canvas: Canvas, text: str, top: float, font: str, size: float) -> float:
    """One centred line hanging from `top`, shrunk to fit; return where the next may start."""
    size = min(size, size * WIDTH / max(stringWidth(text, font, size), 1.0))
    canvas.setFont(font, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, top - size, text)
    return top - size * 1.3


def _field(canvas: Canvas, label: str, value: str, top: float, size: float = 11) -> float:
    """`Label: value`, the label bold, the value wrapped under itself; return the next top."""
    label = f"{label}: "
    indent = stringWidth(label, fonts.SANS_BOLD, size)
    canvas.setFont(fonts.SANS_BOLD, size)
    canvas.drawString(MARGIN, top - size, label)
    canvas.setFont(fonts.SANS, size)
    for line in wrap_text(value, fonts.SANS, size, WIDTH - indent):
        canvas.drawString(MARGIN + indent, top - size, line)
        top -= size * 1.3
    return top - 4


def _draw_code128(canvas: Canvas, value: str, bottom: float) -> None:
    """A centred Code128 with the value under it in DejaVu Mono (reportlab's is Helvetica)."""
    bars = code128.Code128(
        value, barWidth=CODE128_MODULE, barHeight=CODE128_HEIGHT, humanReadable=False, quiet=True
    )
    if bars.width > WIDTH:
        module = max(CODE128_MIN_MODULE, CODE128_MODULE * WIDTH / bars.width)
        bars = code128.Code128(
            value, barWidth=module, barHeight=CODE128_HEIGHT, humanReadable=False, quiet=True
        )
    bars.drawOn(canvas, (PAGE_WIDTH - bars.width) / 2, bottom)
    canvas.setFont(fonts.MONO_BOLD, 11)
    canvas.drawCentredString(PAGE_WIDTH / 2, bottom - 13, value)


def _draw_cut_line(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setDash(4, 3)
    canvas.setLineWidth(0.5)
    canvas.line(8 * mm, CARD_HEIGHT, PAGE_WIDTH - 8 * mm, CARD_HEIGHT)
    canvas.restoreState()
