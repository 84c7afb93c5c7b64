"""Certified copies: the certification page, and the footer stamped on every copied page.

A digital copy is assembled from the stored scans of a file; `certify_pages` then marks every
page as an archival copy (file code, page n of N, date, request, office), as the 2024 Archives
Law asks a digitised copy to carry a visible mark. The mark is drawn by reportlab on an overlay
sized to each page and merged with pypdf, so the scans themselves are never re-encoded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from archive.errors import Invalid
from archive.printing import fonts
from archive.printing import official as doc
from archive.printing.grid import wrap_text
from archive.printing.official import Issuer, Signature
from archive.printing.wording import format_date, format_number

FOOTER = (
    "Bản sao từ hồ sơ lưu trữ {file_code} · trang {page}/{total} · ngày {date} · "
    "yêu cầu số {request} · {office}"
)
FOOTER_FONT = fonts.SANS
FOOTER_SIZES = (7.0, 4.5)  # largest, and smallest before the line wraps
FOOTER_MARGIN = 6 * mm  # from the page's visible left and right edges
FOOTER_BASELINE = 4 * mm  # of the last line, above the visible bottom edge


@dataclass(frozen=True)
class CopyCertification:
    """The one-page statement that copied pages of a file match the archived originals."""

    issuer: Issuer
    number: str  # the certification's own number
    certified_on: date
    request_number: str
    recipient_name: str
    file_code: str
    file_title: str
    pages: str  # "1-12, 15"
    page_count: int
    certifier: Signature  # "TL. GIÁM ĐỐC\nTRƯỞNG PHÒNG ...", name


@dataclass(frozen=True)
class CertificationFooter:
    """What the footer of each certified page says besides its page number."""

    file_code: str
    certified_on: date
    request_number: str
    office_name: str


def copy_certification_pdf(cert: CopyCertification) -> bytes:
    """Print the certification that copies are true copies of archived originals."""
    office = cert.issuer.office_name
    statement = (
        f"{office} xác nhận: bản sao gồm {format_number(cert.page_count)} trang "
        f"(trang {cert.pages}) của hồ sơ lưu trữ mã {cert.file_code}, tiêu đề "
        f"“{cert.file_title}”, là bản sao đúng với bản gốc đang được lưu trữ tại {office}."
    )
    issued = (
        f"Bản sao được cấp cho ông/bà {cert.recipient_name} theo phiếu yêu cầu số "
        f"{cert.request_number}, ngày {format_date(cert.certified_on)}."
    )
    return doc.build_pdf(
        [
            doc.heading(cert.issuer, number=cert.number, dated=cert.certified_on),
            *doc.title("XÁC NHẬN BẢN SAO LƯU TRỮ"),
            doc.paragraph(statement, "justify"),
            doc.paragraph(issued, "justify"),
            doc.signatures([Signature("", "", ""), cert.certifier]),
        ],
        title=f"Xác nhận bản sao lưu trữ {cert.number}",
    )


def footer_text(footer: CertificationFooter, page: int, total: int) -> str:
    """The certification line printed on page `page` of `total`."""
    return FOOTER.format(
        file_code=footer.file_code,
        page=page,
        total=total,
        date=format_date(footer.certified_on),
        request=footer.request_number,
        office=footer.office_name,
    )


def certify_pages(pdf: bytes, footer: CertificationFooter) -> bytes:
    """Stamp the certification footer on every page of `pdf`, whatever its size or rotation.

    Refuses with Invalid a PDF that cannot be read or has no pages.
    """
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    except (PyPdfError, ValueError) as error:
        raise Invalid("printing.unreadable_pdf", reason=str(error)) from error
    pages = list(writer.pages)
    if not pages:
        raise Invalid("printing.unreadable_pdf", reason="no pages")
    overlay = PdfReader(io.BytesIO(_overlays(pages, footer)))
    for page, stamp in zip(pages, overlay.pages, strict=True):
        page.merge_page(stamp)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _overlays(pages: list[PageObject], footer: CertificationFooter) -> bytes:
    """One overlay page per page, drawn in that page's own user space."""
    fonts.register_fonts((FOOTER_FONT,))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True, pageCompression=1, initialFontName=FOOTER_FONT)
    for number, page in enumerate(pages, start=1):
        media = page.mediabox
        canvas.setPageSize((max(float(media.right), 1.0), max(float(media.top), 1.0)))
        _draw_footer(canvas, page, footer_text(footer, number, len(pages)))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_footer(canvas: Canvas, page: PageObject, text: str) -> None:
    """Centre the text along the page's visible bottom edge, turned with the page's /Rotate."""
    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    right, top = float(box.right), float(box.top)
    rotation = page.rotation % 360
    origin = {0: (left, bottom), 90: (right, bottom), 180: (right, top), 270: (left, top)}
    width = right - left if rotation in (0, 180) else top - bottom
    room = max(width - 2 * FOOTER_MARGIN, 20.0)
    largest, smallest = FOOTER_SIZES
    size = max(smallest, min(largest, largest * room / stringWidth(text, FOOTER_FONT, largest)))
    lines = wrap_text(text, FOOTER_FONT, size, room)
    leading = size * 1.2

    canvas.saveState()
    canvas.translate(*origin[rotation])
    canvas.rotate(rotation)
    baseline = FOOTER_BASELINE + leading * (len(lines) - 1)
    widest = max(stringWidth(line, FOOTER_FONT, size) for line in lines)
    # A translucent white band keeps the mark readable on a dark scan without hiding it.
    canvas.setFillColor(colors.white)
    canvas.setFillAlpha(0.75)
    canvas.rect(
        (width - widest) / 2 - 2,
        baseline - leading * (len(lines) - 1) - size * 0.35,
        widest + 4,
        leading * len(lines) + size * 0.2,
        stroke=0,
        fill=1,
    )
    canvas.setFillAlpha(1)
    canvas.setFillColor(colors.black)
    canvas.setFont(FOOTER_FONT, size)
    for line in lines:
        canvas.drawCentredString(width / 2, baseline, line)
        baseline -= leading
    canvas.restoreState()
