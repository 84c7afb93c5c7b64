"""Reminder letters for overdue loans, stepping up from the borrower to their department head.

Level 1 is addressed to the borrower. Levels 2 and 3 go to the head of the borrower's
department, who is asked to have the files returned; level 3 is the final notice and says the
case goes to the director next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from archive.errors import Invalid
from archive.printing import official as doc
from archive.printing.official import Column, Issuer, Signature
from archive.printing.wording import format_date, format_number

LEVELS = (1, 2, 3)
SUBTITLES = {1: "(Nhắc lần 1)", 2: "(Nhắc lần 2)", 3: "(Nhắc lần 3 – lần cuối)"}
COLUMNS = (
    Column("STT", 0.07, "center"),
    Column("Mã hồ sơ", 0.27),
    Column("Tiêu đề", 0.39),
    Column("Hạn trả", 0.15, "center"),
    Column("Số ngày quá hạn", 0.12, "right"),
)


@dataclass(frozen=True)
class OverdueFile:
    """A file past its due date, and by how many days on the letter's date."""

    file_code: str
    title: str
    due_on: date
    days_overdue: int


@dataclass(frozen=True)
class DepartmentHead:
    """The head of the borrower's department, as the letter addresses them."""

    name: str
    position: str  # "Trưởng phòng Chế độ BHXH"


@dataclass(frozen=True)
class ReminderLetter:
    """An overdue reminder of level 1, 2 or 3 for one loan."""

    issuer: Issuer
    number: str  # the letter's own number, "12/GN-LT"
    issued_on: date
    level: int
    loan_number: str
    lent_on: date
    borrower_name: str
    borrower_department: str
    files: tuple[OverdueFile, ...]
    signer: Signature  # the head of the archive
    department_head: DepartmentHead | None = None  # required from level 2
    return_by: date | None = None  # levels 1-2: the date asked for; level 3 asks for now
    earlier_reminders: tuple[date, ...] = ()


def reminder_letter_pdf(letter: ReminderLetter) -> bytes:
    """Print an overdue reminder; refuses a level other than 1-3, a letter without files,
    and a level 2 or 3 letter without the department head it is addressed to."""
    if letter.level not in LEVELS:
        raise Invalid("printing.reminder_level", level=letter.level)
    if not letter.files:
        raise Invalid("printing.nothing_to_print", form="reminder_letter")
    if letter.level > 1 and letter.department_head is None:
        raise Invalid("printing.reminder_needs_department_head", level=letter.level)
    rows = [
        (str(n), f.file_code, f.title, format_date(f.due_on), format_number(f.days_overdue))
        for n, f in enumerate(letter.files, start=1)
    ]
    opening, *asks = _body(letter)
    return doc.build_pdf(
        [
            doc.heading(letter.issuer, number=letter.number, dated=letter.issued_on),
            *doc.title("GIẤY NHẮC TRẢ HỒ SƠ MƯỢN QUÁ HẠN", SUBTITLES[letter.level]),
            doc.paragraph(f"Kính gửi: {addressee(letter)}", "center"),
            doc.paragraph(opening, "justify"),
            doc.table(COLUMNS, rows),
            *(doc.paragraph(ask, "justify") for ask in asks),
            doc.signatures([Signature("", "", ""), letter.signer]),
        ],
        title=f"Giấy nhắc trả hồ sơ mượn quá hạn lần {letter.level} - {letter.loan_number}",
    )


def addressee(letter: ReminderLetter) -> str:
    """Who the letter is addressed to: the borrower at level 1, their head from level 2."""
    head = letter.department_head
    if letter.level == 1 or head is None:
        return f"Ông/Bà {letter.borrower_name}, {letter.borrower_department}"
    return f"Ông/Bà {head.name}, {head.position}"


def _body(letter: ReminderLetter) -> list[str]:
    """The opening (before the table of files) and the requests after it."""
    borrower = f"ông/bà {letter.borrower_name}"
    today = format_date(letter.issued_on)
    loan = f"Theo phiếu mượn số {letter.loan_number} ngày {format_date(letter.lent_on)}"
    by = f"trước ngày {format_date(letter.return_by)}" if letter.return_by else "sớm nhất"
    if letter.level == 1:
        return [
            f"{loan}, ông/bà đã mượn các hồ sơ lưu trữ dưới đây. Đến ngày {today}, "
            "các hồ sơ đã quá hạn trả.",
            f"Đề nghị ông/bà hoàn trả hồ sơ cho bộ phận lưu trữ hoặc làm thủ tục gia hạn {by}.",
        ]
    head = letter.department_head
    assert head is not None  # checked by the caller
    reminded = _reminded(letter.earlier_reminders)
    opening = (
        f"{loan}, {borrower} ({letter.borrower_department}) đã mượn các hồ sơ lưu trữ dưới "
        f"đây. Bộ phận lưu trữ đã nhắc trả hồ sơ{reminded} nhưng đến ngày {today} "
        "hồ sơ vẫn chưa được trả."
    )
    if letter.level == 2:
        return [
            opening,
            f"Đề nghị {head.position} đôn đốc {borrower} hoàn trả hồ sơ cho bộ phận lưu trữ {by}.",
        ]
    return [
        f"Đây là giấy nhắc lần 3 (lần cuối). {opening}",
        f"Đề nghị {head.position} yêu cầu {borrower} hoàn trả ngay các hồ sơ trên cho bộ phận "
        "lưu trữ. Nếu hồ sơ không được trả, bộ phận lưu trữ sẽ báo cáo Giám đốc "
        f"{letter.issuer.office_name} xem xét, xử lý theo quy định.",
    ]


def _reminded(days: tuple[date, ...]) -> str:
    if not days:
        return ""
    return " vào ngày " + ", ".join(format_date(day) for day in days)
