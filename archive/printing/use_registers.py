"""The usage register (sổ theo dõi khai thác sử dụng): every use of records in a period.

Today this is a hand-kept ledger (seeds digest, 001:2441); the printed register replaces it and
is kept 20 years. One landscape row per use, in date order, with the header repeated on every
page, and a closing line counting the uses of each kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from reportlab.platypus import Flowable

from archive.errors import Invalid
from archive.printing import official as doc
from archive.printing.official import Column, Issuer, Signature
from archive.printing.wording import format_date, format_number

TITLE = "SỔ THEO DÕI KHAI THÁC SỬ DỤNG TÀI LIỆU LƯU TRỮ"
NO_USE = "Không có lượt khai thác nào trong kỳ."
COLUMNS = (
    Column("STT", 0.05, "center"),
    Column("Ngày", 0.08, "center"),
    Column("Hình thức", 0.09),
    Column("Người khai thác (họ tên, đơn vị)", 0.15),
    Column("Hồ sơ, tài liệu", 0.16),
    Column("Mục đích", 0.125),
    Column("Kết quả", 0.125),
    Column("Người phục vụ", 0.11),
    Column("Ghi chú", 0.11),
)
FONT_SIZE = 8.0


class UsageKind(StrEnum):
    """The four ways records are used; the value is the label printed."""

    LOAN = "Cho mượn"
    READING = "Nghiên cứu tại chỗ"
    LOOKUP = "Tra cứu"
    COPY = "Cung cấp bản sao"


@dataclass(frozen=True)
class UsageEntry:
    """One use of records, as the register line shows it."""

    used_on: date
    kind: UsageKind
    user_name: str
    user_unit: str
    file_codes: tuple[str, ...]
    purpose: str
    result: str  # "Đã trả 12/03/2026", "Đang mượn, hạn 20/03/2026", "Từ chối: ..."
    served_by: str
    note: str = ""


@dataclass(frozen=True)
class UsageRegister:
    """The register of one office for one period."""

    issuer: Issuer
    period_start: date
    period_end: date
    printed_on: date
    entries: tuple[UsageEntry, ...]
    signers: tuple[Signature, ...] = ()  # e.g. "NGƯỜI LẬP SỔ", "PHỤ TRÁCH LƯU TRỮ"


def usage_register_pdf(register: UsageRegister) -> bytes:
    """Print the usage register on landscape A4; refuses a period that ends before it starts."""
    if register.period_end < register.period_start:
        raise Invalid(
            "printing.period_reversed",
            start=format_date(register.period_start),
            end=format_date(register.period_end),
        )
    entries = sorted(register.entries, key=lambda entry: entry.used_on)  # stable: same-day order
    period = (
        f"Từ ngày {format_date(register.period_start)} đến ngày {format_date(register.period_end)}"
    )
    body: list[Flowable] = [
        doc.heading(register.issuer, dated=register.printed_on),
        *doc.title(TITLE, period),
    ]
    if entries:
        body.append(
            doc.table(COLUMNS, [_row(n, e) for n, e in enumerate(entries, 1)], font_size=FONT_SIZE)
        )
    else:
        body.append(doc.paragraph(NO_USE, "italic"))
    body.append(doc.paragraph(count_line(entries), "bold"))
    if register.signers:
        body.append(doc.signatures(register.signers))
    return doc.build_pdf(body, title=TITLE.capitalize(), orientation="landscape")


def count_line(entries: Sequence[UsageEntry]) -> str:
    """`Tổng số: 12 lượt khai thác (Cho mượn: 5; Nghiên cứu tại chỗ: 3; ...)`."""
    counts = Counter(entry.kind for entry in entries)
    kinds = "; ".join(f"{kind.value}: {format_number(counts[kind])}" for kind in UsageKind)
    return f"Tổng số: {format_number(len(entries))} lượt khai thác ({kinds})."


def _row(number: int, entry: UsageEntry) -> tuple[str, ...]:
    user = f"{entry.user_name}\n{entry.user_unit}" if entry.user_unit else entry.user_name
    return (
        str(number),
        format_date(entry.used_on),
        entry.kind.value,
        user,
        ", ".join(entry.file_codes),
        entry.purpose,
        entry.result,
        entry.served_by,
        entry.note,
    )
