"""Staff cards (thẻ cán bộ): the card a borrower shows at the loans desk, whose barcode the desk
scans. Credit-card size (85.6 × 54 mm), ten to an A4 sheet with cut marks, drawn on the canvas
in DejaVu Sans like the out-cards."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from archive.errors import Invalid
from archive.printing import fonts
from archive.printing.grid import wrap_text
from archive.printing.official import code128_value

HEADING = "THẺ MƯỢN HỒ SƠ LƯU TRỮ"
PAGE_WIDTH, PAGE_HEIGHT = A4
CARD_WIDTH, CARD_HEIGHT = 85.6 * mm, 54 * mm
COLUMNS, ROWS = 2, 5
GAP = 4 * mm
LEFT = (PAGE_WIDTH - COLUMNS * CARD_WIDTH - (COLUMNS - 1) * GAP) / 2
TOP = PAGE_HEIGHT - (PAGE_HEIGHT - ROWS * CARD_HEIGHT - (ROWS - 1) * GAP) / 2
PAD = 4 * mm
MODULE = 0.33 * mm
BAR_HEIGHT = 11 * mm


@dataclass(frozen=True)
class StaffCard:
    office_name: str
    full_name: str
    department: str
    username: str
    card_code: str  # what the barcode carries: `U` + office + sequence


def staff_cards_pdf(cards: Sequence[StaffCard]) -> bytes:
    """Ten cards per A4 page, in order; refuses an empty list or an unprintable card code."""
    if not cards:
        raise Invalid("printing.nothing_to_print", form="staff_cards")
    for card in cards:
        code128_value(card.card_code)
    fonts.register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1, invariant=1)
    canvas.setTitle("Thẻ mượn hồ sơ")
    per_page = COLUMNS * ROWS
    for start in range(0, len(cards), per_page):
        for n, card in enumerate(cards[start : start + per_page]):
            column, row = n % COLUMNS, n // COLUMNS
            x = LEFT + column * (CARD_WIDTH + GAP)
            y = TOP - (row + 1) * CARD_HEIGHT - row * GAP
            _card(canvas, card, x, y)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _card(canvas: Canvas, card: StaffCard, x: float, y: float) -> None:
    canvas.setDash(2, 2)
    canvas.setLineWidth(0.3)
    canvas.rect(x, y, CARD_WIDTH, CARD_HEIGHT)
    canvas.setDash()
    inner = CARD_WIDTH - 2 * PAD
    top = y + CARD_HEIGHT - PAD
    canvas.setFont(fonts.SANS, 6.5)
    canvas.drawString(x + PAD, top - 6.5, card.office_name.upper()[:60])
    canvas.setFont(fonts.SANS_BOLD, 8)
    canvas.drawString(x + PAD, top - 16, HEADING)
    line = top - 28
    canvas.setFont(fonts.SANS_BOLD, 10)
    for text in wrap_text(card.full_name, fonts.SANS_BOLD, 10, inner)[:2]:
        canvas.drawString(x + PAD, line, text)
        line -= 12
    canvas.setFont(fonts.SANS, 7.5)
    for text in wrap_text(card.department, fonts.SANS, 7.5, inner)[:2]:
        canvas.drawString(x + PAD, line, text)
        line -= 9
    symbol = code128.Code128(
        card.card_code, barWidth=MODULE, barHeight=BAR_HEIGHT, humanReadable=False, quiet=True
    )
    symbol.drawOn(canvas, x + PAD - symbol.lquiet, y + PAD + 8)
    canvas.setFont(fonts.MONO, 7.5)
    canvas.drawString(x + PAD, y + PAD, f"{card.card_code}  ·  {card.username}")
