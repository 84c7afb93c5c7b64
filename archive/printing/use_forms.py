"""Slips for the use of records (khai thác sử dụng): loans, reading room, copies, custody moves.

Each form is a frozen dataclass of plain values, filled by the caller from the register, and a
`xxx_pdf` function that prints it on A4 through the `official` layout. Labels the archive
chooses (a copy kind, a holder kind) come in as Vietnamese text; dates are `date`s and money is
whole đồng. A slip with nothing on it is refused with Invalid rather than printed blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from archive.errors import Invalid
from archive.printing import official as doc
from archive.printing.official import Column, Issuer, Signature
from archive.printing.wording import (
    amount_in_words,
    capitalised,
    format_date,
    format_dong,
    format_number,
    number_in_words,
)

NOT_YET = "……"  # a dotted blank, to be written by hand


@dataclass(frozen=True)
class FileLine:
    """One archived file on a slip: its code, title, sheet count, box location and a note."""

    file_code: str
    title: str
    sheet_count: int | None = None
    location: str = ""  # "Kho 1 / Giá 2 / Tầng 3 / Hộp 15"
    note: str = ""


@dataclass(frozen=True)
class IdentityPaper:
    """An identity paper shown by a visitor or citizen (`CCCD`, `Hộ chiếu`, `Giấy giới thiệu`)."""

    kind: str
    number: str


@dataclass(frozen=True)
class Approval:
    """Who approved a request, and when."""

    by: str
    on: date


@dataclass(frozen=True)
class LoanSlip:
    """A loan of physical files to an officer, from request to hand-out."""

    issuer: Issuer
    loan_number: str  # also printed as a Code128, so ASCII
    borrower_name: str
    borrower_department: str
    borrower_office: str
    purpose: str
    requested_on: date
    due_on: date
    files: tuple[FileLine, ...]
    approval: Approval | None = None
    handed_out_on: date | None = None
    handed_out_by: str = ""  # the archivist who hands the files out


@dataclass(frozen=True)
class ReadingSlip:
    """A request to read files in the reading room."""

    issuer: Issuer
    slip_number: str
    visitor_name: str
    organisation: str
    identity: IdentityPaper | None
    purpose: str
    visit_on: date
    files: tuple[FileLine, ...]
    approval: Approval | None = None
    approval_required: bool = True
    served_by: str = ""


@dataclass(frozen=True)
class CopyLine:
    """Pages of one file to copy, and their fee as the archive's schedule priced them."""

    file_code: str
    title: str
    pages: str  # "1-5, 8"
    page_count: int
    unit_price: int  # đồng per page
    amount: int  # đồng


@dataclass(frozen=True)
class CopyRequestForm:
    """A request for copies by an officer (department) or a citizen (identity paper)."""

    issuer: Issuer
    request_number: str
    requested_on: date
    requester_name: str
    requester_unit: str  # department, organisation or address; may be empty
    identity: IdentityPaper | None
    kind_label: str  # "Bản sao chứng thực lưu trữ", chosen by the caller
    purpose: str
    lines: tuple[CopyLine, ...]
    receipt_number: str | None = None
    approval: Approval | None = None
    served_by: str = ""


class CustodyItemKind(StrEnum):
    """What moves with a custody slip; the value is the label printed."""

    FILE = "Hồ sơ"
    PASSBOOK = "Sổ BHXH"


@dataclass(frozen=True)
class CustodyItem:
    """One file (by code and title) or passbook (by number and holder's name) handed over."""

    kind: CustodyItemKind
    code: str
    name: str
    note: str = ""


@dataclass(frozen=True)
class Holder:
    """A party to a custody move: its kind ("Phòng nghiệp vụ"), its name and the person."""

    kind_label: str
    name: str
    person: str


@dataclass(frozen=True)
class CustodySlip:
    """Files and passbooks handed from one holder to another (department, archive, post)."""

    issuer: Issuer
    slip_number: str
    handed_on: date
    giver: Holder
    receiver: Holder
    items: tuple[CustodyItem, ...]


# Widths are shares of the frame; a code column fits `BHXH-03/2015/HS-0042` on one line.
LOAN_COLUMNS = (
    Column("STT", 0.07, "center"),
    Column("Mã hồ sơ", 0.27),
    Column("Tiêu đề", 0.3),
    Column("Số tờ", 0.08, "right"),
    Column("Vị trí (kho / giá / tầng / hộp)", 0.17),
    Column("Ghi chú", 0.11),
)
READING_COLUMNS = (
    Column("STT", 0.07, "center"),
    Column("Mã hồ sơ", 0.27),
    Column("Tiêu đề", 0.42),
    Column("Số tờ", 0.08, "right"),
    Column("Ghi chú", 0.16),
)
COPY_COLUMNS = (
    Column("STT", 0.07, "center"),
    Column("Mã hồ sơ", 0.27),
    Column("Tiêu đề", 0.2),
    Column("Trang", 0.1),
    Column("Số trang", 0.09, "right"),
    Column("Đơn giá", 0.13, "right"),
    Column("Thành tiền", 0.14, "right"),
)
CUSTODY_COLUMNS = (
    Column("STT", 0.07, "center"),
    Column("Loại", 0.13),
    Column("Mã hồ sơ / Số sổ", 0.27),
    Column("Họ tên / Tiêu đề", 0.33),
    Column("Ghi chú", 0.2),
)


def loan_slip_pdf(slip: LoanSlip) -> bytes:
    """Print a loan slip (phiếu mượn hồ sơ); refuses a slip without files."""
    if not slip.files:
        raise Invalid("printing.nothing_to_print", form="loan_slip")
    sheets = sum(f.sheet_count or 0 for f in slip.files)
    rows = [
        (str(n), f.file_code, f.title, _count(f.sheet_count), f.location, f.note)
        for n, f in enumerate(slip.files, start=1)
    ]
    return doc.build_pdf(
        [
            doc.heading(slip.issuer, number=slip.loan_number, dated=slip.requested_on),
            doc.barcode(slip.loan_number),
            *doc.title("PHIẾU MƯỢN HỒ SƠ"),
            *doc.key_values(
                [
                    ("Người mượn", slip.borrower_name),
                    ("Đơn vị", f"{slip.borrower_department}, {slip.borrower_office}"),
                    ("Mục đích mượn", slip.purpose),
                    ("Ngày đề nghị", format_date(slip.requested_on)),
                    ("Người duyệt", _approval_text(slip.approval)),
                    ("Ngày giao hồ sơ", _date_or_blank(slip.handed_out_on)),
                    ("Hạn trả", format_date(slip.due_on)),
                ]
            ),
            doc.table(LOAN_COLUMNS, rows),
            doc.paragraph(f"Tổng số: {len(slip.files)} hồ sơ, {format_number(sheets)} tờ.", "bold"),
            doc.signatures(
                [
                    Signature("NGƯỜI MƯỢN", slip.borrower_name),
                    Signature("NGƯỜI DUYỆT", slip.approval.by if slip.approval else ""),
                    Signature("NGƯỜI GIAO\n(LƯU TRỮ)", slip.handed_out_by),
                ]
            ),
        ],
        title=f"Phiếu mượn hồ sơ {slip.loan_number}",
    )


def reading_slip_pdf(slip: ReadingSlip) -> bytes:
    """Print a reading-room request (phiếu yêu cầu nghiên cứu); refuses one without files."""
    if not slip.files:
        raise Invalid("printing.nothing_to_print", form="reading_slip")
    if not slip.approval_required:
        approval = "Không cần phê duyệt"
    else:
        approval = _approval_text(slip.approval)
    rows = [
        (str(n), f.file_code, f.title, _count(f.sheet_count), f.note)
        for n, f in enumerate(slip.files, start=1)
    ]
    return doc.build_pdf(
        [
            doc.heading(slip.issuer, number=slip.slip_number, dated=slip.visit_on),
            *doc.title("PHIẾU YÊU CẦU NGHIÊN CỨU TÀI LIỆU"),
            *doc.key_values(
                [
                    ("Họ và tên người yêu cầu", slip.visitor_name),
                    ("Cơ quan, tổ chức", slip.organisation),
                    ("Giấy tờ tùy thân", _identity_text(slip.identity)),
                    ("Mục đích nghiên cứu", slip.purpose),
                    ("Ngày nghiên cứu", format_date(slip.visit_on)),
                    ("Phê duyệt", approval),
                ]
            ),
            doc.paragraph("Tài liệu yêu cầu:", "bold"),
            doc.table(READING_COLUMNS, rows),
            doc.signatures(
                [
                    Signature("NGƯỜI YÊU CẦU", slip.visitor_name),
                    Signature("NGƯỜI DUYỆT", slip.approval.by if slip.approval else ""),
                    Signature("CÁN BỘ LƯU TRỮ", slip.served_by),
                ]
            ),
        ],
        title=f"Phiếu yêu cầu nghiên cứu tài liệu {slip.slip_number}",
    )


def copy_request_pdf(form: CopyRequestForm) -> bytes:
    """Print a copy request with its fee in figures and words; refuses one without pages."""
    if not form.lines:
        raise Invalid("printing.nothing_to_print", form="copy_request")
    total = sum(line.amount for line in form.lines)
    pages = sum(line.page_count for line in form.lines)
    rows = [
        (
            str(n),
            line.file_code,
            line.title,
            line.pages,
            format_number(line.page_count),
            format_dong(line.unit_price),
            format_dong(line.amount),
        )
        for n, line in enumerate(form.lines, start=1)
    ]
    requester = [("Người yêu cầu", form.requester_name)]
    if form.requester_unit:
        requester.append(("Đơn vị / địa chỉ", form.requester_unit))
    if form.identity is not None:
        requester.append(("Giấy tờ tùy thân", _identity_text(form.identity)))
    return doc.build_pdf(
        [
            doc.heading(form.issuer, number=form.request_number, dated=form.requested_on),
            *doc.title("PHIẾU YÊU CẦU CUNG CẤP BẢN SAO TÀI LIỆU"),
            *doc.key_values(
                [
                    *requester,
                    ("Loại bản sao", form.kind_label),
                    ("Mục đích sử dụng", form.purpose),
                    ("Ngày yêu cầu", format_date(form.requested_on)),
                ]
            ),
            doc.table(COPY_COLUMNS, rows),
            *doc.key_values(
                [
                    ("Tổng số trang", format_number(pages)),
                    ("Tổng phí", format_dong(total)),
                    ("Bằng chữ", amount_in_words(total)),
                    ("Biên lai thu phí số", form.receipt_number or NOT_YET),
                ]
            ),
            doc.signatures(
                [
                    Signature("NGƯỜI YÊU CẦU", form.requester_name),
                    Signature("NGƯỜI DUYỆT", form.approval.by if form.approval else ""),
                    Signature("CÁN BỘ LƯU TRỮ", form.served_by),
                ]
            ),
        ],
        title=f"Phiếu yêu cầu cung cấp bản sao {form.request_number}",
    )


def custody_slip_pdf(slip: CustodySlip) -> bytes:
    """Print a handover slip for files and passbooks; refuses a slip without items."""
    if not slip.items:
        raise Invalid("printing.nothing_to_print", form="custody_slip")
    rows = [
        (str(n), item.kind.value, item.code, item.name, item.note)
        for n, item in enumerate(slip.items, start=1)
    ]
    files = sum(1 for item in slip.items if item.kind is CustodyItemKind.FILE)
    passbooks = len(slip.items) - files
    total = (
        f"Tổng số: {format_number(len(slip.items))} "
        f"({capitalised(number_in_words(len(slip.items)))}), gồm {format_number(files)} "
        f"hồ sơ và {format_number(passbooks)} sổ BHXH."
    )
    return doc.build_pdf(
        [
            doc.heading(slip.issuer, number=slip.slip_number, dated=slip.handed_on),
            *doc.title("PHIẾU GIAO NHẬN HỒ SƠ, SỔ BHXH"),
            *doc.key_values(
                [
                    ("Bên giao", f"{slip.giver.name} ({slip.giver.kind_label})"),
                    ("Người giao", slip.giver.person),
                    ("Bên nhận", f"{slip.receiver.name} ({slip.receiver.kind_label})"),
                    ("Người nhận", slip.receiver.person),
                    ("Ngày giao nhận", format_date(slip.handed_on)),
                ]
            ),
            doc.table(CUSTODY_COLUMNS, rows),
            doc.paragraph(total, "bold"),
            doc.signatures(
                [
                    Signature("BÊN GIAO", slip.giver.person),
                    Signature("BÊN NHẬN", slip.receiver.person),
                ]
            ),
        ],
        title=f"Phiếu giao nhận hồ sơ, sổ BHXH {slip.slip_number}",
    )


def _count(value: int | None) -> str:
    return "" if value is None else format_number(value)


def _date_or_blank(day: date | None) -> str:
    return NOT_YET if day is None else format_date(day)


def _approval_text(approval: Approval | None) -> str:
    if approval is None:
        return "Chưa phê duyệt"
    return f"{approval.by}, ngày {format_date(approval.on)}"


def _identity_text(identity: IdentityPaper | None) -> str:
    return NOT_YET if identity is None else f"{identity.kind} số {identity.number}"
