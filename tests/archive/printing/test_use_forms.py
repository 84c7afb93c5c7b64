"""Use-of-records papers as printed: every value extracts back, on A4, page after page."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.pdfgen.canvas import Canvas

from archive.errors import Invalid
from archive.printing import fonts
from archive.printing.certified_copies import (
    CertificationFooter,
    CopyCertification,
    certify_pages,
    copy_certification_pdf,
    footer_text,
)
from archive.printing.official import Issuer, Signature
from archive.printing.out_cards import OutCard, out_cards_pdf, shorten
from archive.printing.use_forms import (
    Approval,
    CopyLine,
    CopyRequestForm,
    CustodyItem,
    CustodyItemKind,
    CustodySlip,
    FileLine,
    Holder,
    IdentityPaper,
    LoanSlip,
    ReadingSlip,
    copy_request_pdf,
    custody_slip_pdf,
    loan_slip_pdf,
    reading_slip_pdf,
)
from archive.printing.use_registers import (
    COLUMNS,
    NO_USE,
    UsageEntry,
    UsageKind,
    UsageRegister,
    usage_register_pdf,
)
from archive.printing.use_reminders import (
    DepartmentHead,
    OverdueFile,
    ReminderLetter,
    reminder_letter_pdf,
)

ISSUER = Issuer("Bảo hiểm xã hội Việt Nam", "Bảo hiểm xã hội tỉnh Long An", "Long An")
LONG_TITLE = (
    "Hồ sơ giải quyết chế độ ốm đau, thai sản, dưỡng sức phục hồi sức khỏe & tai nạn lao động "
    "<đợt 2> của người lao động thuộc các doanh nghiệp ngoài quốc doanh trên địa bàn huyện "
    "Cần Giuộc, tỉnh Long An, kèm theo quyết định hưởng và bảng thanh toán, năm 2015 - 2016."
)
FILES = (
    FileLine(
        "BHXH-03/2015/HS-0042",
        "Hồ sơ hưởng chế độ hưu trí của bà Nguyễn Thị Mai Lan",
        127,
        "Kho 1 / Giá 2 / Tầng 3 / Hộp 15",
        "Còn nguyên niêm phong",
    ),
    FileLine("BHXH-03/2016/HS-0107", LONG_TITLE, 56, "Kho 2 / Giá 7 / Tầng 1 / Hộp 203"),
)
LOAN = LoanSlip(
    issuer=ISSUER,
    loan_number="PM-2026-000123",
    borrower_name="Phan Ngọc Hoàng Đình Thục",
    borrower_department="Phòng Chế độ BHXH",
    borrower_office="BHXH tỉnh Long An",
    purpose="Giải quyết chế độ tử tuất cho thân nhân người lao động",
    requested_on=date(2026, 3, 2),
    due_on=date(2026, 3, 20),
    files=FILES,
    approval=Approval("Lê Văn Cường", date(2026, 3, 3)),
    handed_out_on=date(2026, 3, 4),
    handed_out_by="Trần Thị Bích Ngọc",
)


def extract(pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"], check=True, capture_output=True
    )
    return done.stdout.decode()


def words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def assert_all_in(pdf: bytes, tmp_path: Path, *expected: str) -> str:
    text = words(extract(pdf, tmp_path))
    missing = [value for value in expected if words(value) not in text]
    assert not missing, f"not printed: {missing}"
    return text


def assert_a4_portrait(pdf: bytes) -> None:
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert float(page.mediabox.width) == pytest.approx(595.3, abs=1)
        assert float(page.mediabox.height) == pytest.approx(841.9, abs=1)


def test_loan_slip_prints_every_field(tmp_path: Path) -> None:
    pdf = loan_slip_pdf(LOAN)

    assert_a4_portrait(pdf)
    assert_all_in(
        pdf,
        tmp_path,
        "PHIẾU MƯỢN HỒ SƠ",
        "BẢO HIỂM XÃ HỘI TỈNH LONG AN",
        "Số: PM-2026-000123",
        "Long An, ngày 02 tháng 3 năm 2026",
        "Người mượn: Phan Ngọc Hoàng Đình Thục",
        "Đơn vị: Phòng Chế độ BHXH, BHXH tỉnh Long An",
        "Mục đích mượn: Giải quyết chế độ tử tuất cho thân nhân người lao động",
        "Ngày đề nghị: 02/03/2026",
        "Người duyệt: Lê Văn Cường, ngày 03/03/2026",
        "Ngày giao hồ sơ: 04/03/2026",
        "Hạn trả: 20/03/2026",
        "Vị trí (kho / giá / tầng / hộp)",
        "BHXH-03/2015/HS-0042",
        "Hồ sơ hưởng chế độ hưu trí của bà Nguyễn Thị Mai Lan",
        "Kho 1 / Giá 2 / Tầng 3 / Hộp 15",
        "Còn nguyên niêm phong",
        LONG_TITLE,  # wrapped over several lines of its cell, every word kept
        "Tổng số: 2 hồ sơ, 183 tờ.",
        "NGƯỜI MƯỢN",
        "NGƯỜI DUYỆT",
        "NGƯỜI GIAO (LƯU TRỮ)",
        "Trần Thị Bích Ngọc",
        "Trang 1/1",
    )


def test_loan_slip_barcode_reads_back_as_the_loan_number(tmp_path: Path) -> None:
    (tmp_path / "slip.pdf").write_bytes(loan_slip_pdf(LOAN))
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", "slip.pdf", "slip"],
        cwd=tmp_path,
        check=True,
    )

    found = zxingcpp.read_barcodes(Image.open(tmp_path / "slip.png"))
    assert [barcode.text for barcode in found] == ["PM-2026-000123"]


def test_loan_slip_without_files_or_pending_approval(tmp_path: Path) -> None:
    pending = replace(LOAN, approval=None, handed_out_on=None)
    assert_all_in(loan_slip_pdf(pending), tmp_path, "Người duyệt: Chưa phê duyệt")
    with pytest.raises(Invalid) as refused:
        loan_slip_pdf(replace(LOAN, files=()))
    assert refused.value.code == "printing.nothing_to_print"


CARD = OutCard(
    office_name="Bảo hiểm xã hội tỉnh Long An",
    reason="Cho mượn",
    file_code="BHXH-03/2015/HS-0042",
    file_barcode="F0300000042",
    title="Hồ sơ hưởng chế độ hưu trí của bà Nguyễn Thị Mai Lan",
    location="Kho 1 / Giá 2 / Tầng 3 / Hộp 15",
    holder_name="Phan Ngọc Hoàng Đình Thục",
    holder_unit="Phòng Chế độ BHXH",
    out_on=date(2026, 3, 4),
    due_on=date(2026, 3, 20),
    reference="PM-2026-000123",
)


def test_out_cards_print_two_per_page_with_every_field(tmp_path: Path) -> None:
    reading = replace(CARD, reason="Phục vụ phòng đọc", file_barcode="F0300000043", due_on=None)
    custody = replace(CARD, reason="Giao nhận", file_barcode="F0300000044", title=LONG_TITLE * 2)
    pdf = out_cards_pdf([CARD, reading, custody])
    pages = extract(pdf, tmp_path).split("\f")[:-1]

    assert_a4_portrait(pdf)
    assert len(pages) == 2
    first = words(pages[0])
    for expected in (
        "PHIẾU THAY THẾ HỒ SƠ",
        "Bảo hiểm xã hội tỉnh Long An",
        "Lý do xuất: Cho mượn",
        "BHXH-03/2015/HS-0042",
        CARD.title,
        "Vị trí: Kho 1 / Giá 2 / Tầng 3 / Hộp 15",
        "Người giữ hồ sơ: Phan Ngọc Hoàng Đình Thục, Phòng Chế độ BHXH",
        "Thời gian: Từ ngày 04/03/2026 đến ngày 20/03/2026",
        "Số phiếu: PM-2026-000123",
        "F0300000042",
        "Lý do xuất: Phục vụ phòng đọc",
        "Thời gian: Từ ngày 04/03/2026 Số phiếu",  # no due date for the reading room
        "F0300000043",
    ):
        assert expected in first
    second = words(pages[1])
    assert "Lý do xuất: Giao nhận" in second
    short = shorten(LONG_TITLE * 2)
    assert short.endswith("…")
    assert words(short) in second
    assert LONG_TITLE[-20:] not in second


def test_out_card_barcodes_read_back(tmp_path: Path) -> None:
    other = replace(CARD, file_barcode="F0300000043")
    (tmp_path / "cards.pdf").write_bytes(out_cards_pdf([CARD, other]))
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", "cards.pdf", "cards"],
        cwd=tmp_path,
        check=True,
    )

    found = zxingcpp.read_barcodes(Image.open(tmp_path / "cards.png"))
    assert sorted(barcode.text for barcode in found) == ["F0300000042", "F0300000043"]


def test_out_cards_refuse_nothing_or_an_unprintable_barcode() -> None:
    with pytest.raises(Invalid):
        out_cards_pdf([])
    with pytest.raises(Invalid) as refused:
        out_cards_pdf([replace(CARD, file_barcode="HS-Đ01")])
    assert refused.value.code == "printing.barcode_value"


READING = ReadingSlip(
    issuer=ISSUER,
    slip_number="NC-2026-0007",
    visitor_name="Đỗ Thị Hương Giang",
    organisation="Thanh tra tỉnh Long An",
    identity=IdentityPaper("CCCD", "080190012345"),
    purpose="Xác minh nội dung khiếu nại về quá trình đóng BHXH trước năm 1995",
    visit_on=date(2026, 3, 10),
    files=FILES,
    approval=Approval("Lê Văn Cường", date(2026, 3, 9)),
    served_by="Trần Thị Bích Ngọc",
)


def test_reading_slip_prints_every_field(tmp_path: Path) -> None:
    pdf = reading_slip_pdf(READING)

    assert_a4_portrait(pdf)
    assert_all_in(
        pdf,
        tmp_path,
        "PHIẾU YÊU CẦU NGHIÊN CỨU TÀI LIỆU",
        "Số: NC-2026-0007",
        "Họ và tên người yêu cầu: Đỗ Thị Hương Giang",
        "Cơ quan, tổ chức: Thanh tra tỉnh Long An",
        "Giấy tờ tùy thân: CCCD số 080190012345",
        "Mục đích nghiên cứu: Xác minh nội dung khiếu nại về quá trình đóng BHXH trước năm 1995",
        "Ngày nghiên cứu: 10/03/2026",
        "Phê duyệt: Lê Văn Cường, ngày 09/03/2026",
        "BHXH-03/2016/HS-0107",
        LONG_TITLE,
        "NGƯỜI YÊU CẦU",
        "NGƯỜI DUYỆT",
        "CÁN BỘ LƯU TRỮ",
    )
    unneeded = replace(READING, approval=None, approval_required=False)
    assert_all_in(reading_slip_pdf(unneeded), tmp_path, "Phê duyệt: Không cần phê duyệt")


COPY = CopyRequestForm(
    issuer=ISSUER,
    request_number="SAO-2026-0031",
    requested_on=date(2026, 3, 11),
    requester_name="Võ Văn Tám",
    requester_unit="Ấp 3, xã Phước Lại, huyện Cần Giuộc",
    identity=IdentityPaper("CCCD", "080060004321"),
    kind_label="Bản sao chứng thực lưu trữ",
    purpose="Bổ sung hồ sơ đề nghị hưởng chế độ hưu trí",
    lines=(
        CopyLine("BHXH-03/2015/HS-0042", "Quyết định hưởng lương hưu", "1-5, 8", 6, 2_000, 12_000),
        CopyLine("BHXH-03/2016/HS-0107", LONG_TITLE, "12", 1, 113_000, 113_000),
    ),
    receipt_number="BL-0004512",
    approval=Approval("Lê Văn Cường", date(2026, 3, 11)),
    served_by="Trần Thị Bích Ngọc",
)


def test_copy_request_prints_pages_and_fee_in_figures_and_words(tmp_path: Path) -> None:
    pdf = copy_request_pdf(COPY)

    assert_a4_portrait(pdf)
    assert_all_in(
        pdf,
        tmp_path,
        "PHIẾU YÊU CẦU CUNG CẤP BẢN SAO TÀI LIỆU",
        "Số: SAO-2026-0031",
        "Người yêu cầu: Võ Văn Tám",
        "Đơn vị / địa chỉ: Ấp 3, xã Phước Lại, huyện Cần Giuộc",
        "Giấy tờ tùy thân: CCCD số 080060004321",
        "Loại bản sao: Bản sao chứng thực lưu trữ",
        "Mục đích sử dụng: Bổ sung hồ sơ đề nghị hưởng chế độ hưu trí",
        "Ngày yêu cầu: 11/03/2026",
        "Đơn giá",
        "Thành tiền",
        "1-5, 8",
        "2.000 đ",
        "12.000 đ",
        "113.000 đ",
        LONG_TITLE,
        "Tổng số trang: 7",
        "Tổng phí: 125.000 đ",
        "Bằng chữ: Một trăm hai mươi lăm nghìn đồng",
        "Biên lai thu phí số: BL-0004512",
        "NGƯỜI YÊU CẦU",
        "CÁN BỘ LƯU TRỮ",
    )


def test_copy_request_for_an_officer_has_no_identity_line(tmp_path: Path) -> None:
    officer = replace(COPY, requester_unit="Phòng Chế độ BHXH", identity=None, receipt_number=None)
    text = assert_all_in(copy_request_pdf(officer), tmp_path, "Đơn vị / địa chỉ: Phòng Chế độ BHXH")
    assert "Giấy tờ tùy thân" not in text


CERTIFICATION = CopyCertification(
    issuer=ISSUER,
    number="31/XN-LT",
    certified_on=date(2026, 3, 12),
    request_number="SAO-2026-0031",
    recipient_name="Võ Văn Tám",
    file_code="BHXH-03/2015/HS-0042",
    file_title=LONG_TITLE,
    pages="1-5, 8",
    page_count=6,
    certifier=Signature("TL. GIÁM ĐỐC\nTRƯỞNG PHÒNG TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "Lê Văn Cường"),
)


def test_copy_certification_is_one_page_naming_file_pages_and_request(tmp_path: Path) -> None:
    pdf = copy_certification_pdf(CERTIFICATION)

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert_a4_portrait(pdf)
    assert_all_in(
        pdf,
        tmp_path,
        "XÁC NHẬN BẢN SAO LƯU TRỮ",
        "Số: 31/XN-LT",
        "Long An, ngày 12 tháng 3 năm 2026",
        "Bảo hiểm xã hội tỉnh Long An xác nhận: bản sao gồm 6 trang (trang 1-5, 8) của hồ sơ "
        "lưu trữ mã BHXH-03/2015/HS-0042",
        f"“{LONG_TITLE}”",
        "là bản sao đúng với bản gốc",
        "theo phiếu yêu cầu số SAO-2026-0031",
        "Võ Văn Tám",
        "TRƯỞNG PHÒNG TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "Lê Văn Cường",
    )


FOOTER = CertificationFooter(
    file_code="BHXH-03/2015/HS-0042",
    certified_on=date(2026, 3, 12),
    request_number="SAO-2026-0031",
    office_name="Bảo hiểm xã hội tỉnh Long An",
)


def scanned_copy() -> bytes:
    """Three pages as a digital copy may hold them: A4, A5 landscape, a small turned page."""
    fonts.register_fonts((fonts.SANS,))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True, initialFontName=fonts.SANS)
    for number, size in enumerate((A4, landscape(A5), (300.0, 420.0)), start=1):
        canvas.setPageSize(size)
        canvas.setFont(fonts.SANS, 12)
        canvas.drawString(40, size[1] / 2, f"Nội dung gốc trang {number}")
        canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    writer.pages[2].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_certify_pages_stamps_every_page_of_a_mixed_size_copy(tmp_path: Path) -> None:
    original = scanned_copy()
    certified = certify_pages(original, FOOTER)
    pages = extract(certified, tmp_path).split("\f")[:-1]

    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert words(footer_text(FOOTER, number, 3)) in words(text)
        assert f"Nội dung gốc trang {number}" in words(text)
    assert words(footer_text(FOOTER, 1, 3)) == (
        "Bản sao từ hồ sơ lưu trữ BHXH-03/2015/HS-0042 · trang 1/3 · ngày 12/03/2026 · "
        "yêu cầu số SAO-2026-0031 · Bảo hiểm xã hội tỉnh Long An"
    )
    before = PdfReader(io.BytesIO(original)).pages
    after = PdfReader(io.BytesIO(certified)).pages
    for old, new in zip(before, after, strict=True):
        assert list(new.mediabox) == list(old.mediabox)
        assert new.rotation == old.rotation


def test_certify_pages_runs_the_footer_along_each_visible_bottom_edge(tmp_path: Path) -> None:
    certified = certify_pages(scanned_copy(), FOOTER)
    boxes = extract(certified, tmp_path, "-bbox").split("<page ")[1:]
    pages = PdfReader(io.BytesIO(certified)).pages

    assert [page.rotation for page in pages] == [0, 0, 90]
    for page, box in zip(pages, boxes, strict=True):
        # pdftotext gives words as the page is displayed (turned by /Rotate), y downwards
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if page.rotation in (90, 270):
            width, height = height, width
        found = re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', box
        )
        for x_min, y_min, x_max, y_max, _ in found:
            assert 0 <= float(x_min) < float(x_max) <= width
            assert 0 <= float(y_min) < float(y_max) <= height
        stamp = [float(y) for _, y, _, _, word in found if word == "BHXH-03/2015/HS-0042"]
        original = [float(y) for _, y, _, _, word in found if word == "gốc"]
        assert stamp and original
        assert stamp[0] > height - 30 > original[0]


def test_certify_pages_refuses_what_is_not_a_pdf() -> None:
    with pytest.raises(Invalid) as refused:
        certify_pages(b"not a pdf", FOOTER)
    assert refused.value.code == "printing.unreadable_pdf"


HEAD = DepartmentHead("Nguyễn Văn Hùng", "Trưởng phòng Chế độ BHXH")
REMINDER = ReminderLetter(
    issuer=ISSUER,
    number="12/GN-LT",
    issued_on=date(2026, 4, 1),
    level=1,
    loan_number="PM-2026-000123",
    lent_on=date(2026, 3, 4),
    borrower_name="Phan Ngọc Hoàng Đình Thục",
    borrower_department="Phòng Chế độ BHXH",
    files=(
        OverdueFile("BHXH-03/2015/HS-0042", "Hồ sơ hưởng chế độ hưu trí", date(2026, 3, 20), 12),
        OverdueFile("BHXH-03/2016/HS-0107", LONG_TITLE, date(2026, 3, 20), 12),
    ),
    signer=Signature("PHỤ TRÁCH LƯU TRỮ", "Trần Thị Bích Ngọc"),
    department_head=HEAD,
    return_by=date(2026, 4, 8),
)


def test_first_reminder_is_addressed_to_the_borrower(tmp_path: Path) -> None:
    pdf = reminder_letter_pdf(REMINDER)

    assert_a4_portrait(pdf)
    text = assert_all_in(
        pdf,
        tmp_path,
        "GIẤY NHẮC TRẢ HỒ SƠ MƯỢN QUÁ HẠN",
        "(Nhắc lần 1)",
        "Số: 12/GN-LT",
        "Long An, ngày 01 tháng 4 năm 2026",
        "Kính gửi: Ông/Bà Phan Ngọc Hoàng Đình Thục, Phòng Chế độ BHXH",
        "Theo phiếu mượn số PM-2026-000123 ngày 04/03/2026",
        "Hạn trả",
        "Số ngày quá hạn",
        "20/03/2026",
        LONG_TITLE,
        "trước ngày 08/04/2026",
        "PHỤ TRÁCH LƯU TRỮ",
        "Trần Thị Bích Ngọc",
    )
    assert "Nguyễn Văn Hùng" not in text
    assert "Giám đốc" not in text


@pytest.mark.parametrize("level", [2, 3])
def test_later_reminders_go_to_the_department_head_naming_the_borrower(
    tmp_path: Path, level: int
) -> None:
    letter = replace(REMINDER, level=level, earlier_reminders=(date(2026, 3, 25),))
    text = assert_all_in(
        reminder_letter_pdf(letter),
        tmp_path,
        f"(Nhắc lần {level}",
        "Kính gửi: Ông/Bà Nguyễn Văn Hùng, Trưởng phòng Chế độ BHXH",
        "ông/bà Phan Ngọc Hoàng Đình Thục (Phòng Chế độ BHXH) đã mượn",
        "đã nhắc trả hồ sơ vào ngày 25/03/2026",
    )
    assert "Kính gửi: Ông/Bà Phan Ngọc" not in text
    final = "Giám đốc Bảo hiểm xã hội tỉnh Long An"
    if level == 3:
        assert "lần 3 (lần cuối)" in text
        assert "hoàn trả ngay" in text
        assert final in text
    else:
        assert final not in text


@pytest.mark.parametrize("level", [0, 4])
def test_reminder_levels_other_than_one_to_three_are_refused(level: int) -> None:
    with pytest.raises(Invalid) as refused:
        reminder_letter_pdf(replace(REMINDER, level=level))
    assert refused.value.code == "printing.reminder_level"


def test_later_reminder_without_a_department_head_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        reminder_letter_pdf(replace(REMINDER, level=2, department_head=None))
    assert refused.value.code == "printing.reminder_needs_department_head"


def usage(n: int, kind: UsageKind = UsageKind.LOAN) -> UsageEntry:
    return UsageEntry(
        used_on=date(2026, 1, 1) + timedelta(days=n % 90),
        kind=kind,
        user_name="Phan Ngọc Hoàng Đình Thục",
        user_unit="Phòng Chế độ BHXH",
        file_codes=(f"HS-{n:05d}",),
        purpose="Giải quyết chế độ hưu trí",
        result="Đang mượn, hạn 20/03/2026",
        served_by="Trần Thị Bích Ngọc",
    )


REGISTER = UsageRegister(
    issuer=ISSUER,
    period_start=date(2026, 1, 1),
    period_end=date(2026, 3, 31),
    printed_on=date(2026, 4, 1),
    entries=(
        replace(usage(40, UsageKind.READING), note="Thanh tra tỉnh", result="Đã xong"),
        replace(
            usage(2, UsageKind.LOAN),
            file_codes=("BHXH-03/2015/HS-0042", "BHXH-03/2016/HS-0107"),
            result="Đã trả 12/03/2026",
        ),
        replace(usage(10, UsageKind.COPY), result="Đã cấp 3 bản sao"),
        replace(usage(20, UsageKind.LOOKUP), result="Từ chối: hồ sơ đang bị niêm phong"),
    ),
    signers=(Signature("NGƯỜI LẬP SỔ", "Trần Thị Bích Ngọc"),),
)


def test_usage_register_prints_rows_in_date_order_on_landscape_a4(tmp_path: Path) -> None:
    pdf = usage_register_pdf(REGISTER)

    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert float(page.mediabox.width) == pytest.approx(841.9, abs=1)
        assert float(page.mediabox.height) == pytest.approx(595.3, abs=1)
    text = assert_all_in(
        pdf,
        tmp_path,
        "SỔ THEO DÕI KHAI THÁC SỬ DỤNG TÀI LIỆU LƯU TRỮ",
        "Từ ngày 01/01/2026 đến ngày 31/03/2026",
        *(column.header for column in COLUMNS),
        "Phan Ngọc Hoàng Đình Thục Phòng Chế độ BHXH",
        "BHXH-03/2015/HS-0042, BHXH-03/2016/HS-0107",
        "Đã trả 12/03/2026",
        "Đã cấp 3 bản sao",
        "Từ chối: hồ sơ đang bị niêm phong",
        "Thanh tra tỉnh",
        "Tổng số: 4 lượt khai thác (Cho mượn: 1; Nghiên cứu tại chỗ: 1; Tra cứu: 1; "
        "Cung cấp bản sao: 1).",
        "NGƯỜI LẬP SỔ",
    )
    order = [text.index(label) for label in ("03/01/2026", "11/01/2026", "21/01/2026")]
    assert order == sorted(order)
    assert text.index("21/01/2026") < text.index("10/02/2026")


def test_usage_register_of_two_thousand_rows_keeps_every_row_under_a_header_per_page(
    tmp_path: Path,
) -> None:
    kinds = list(UsageKind)
    register = replace(REGISTER, entries=tuple(usage(n, kinds[n % 4]) for n in range(2000)))

    pages = extract(usage_register_pdf(register), tmp_path).split("\f")[:-1]

    assert len(pages) > 20
    for number, page in enumerate(pages, start=1):
        assert "Người khai thác (họ tên, đơn vị)" in words(page)
        assert f"Trang {number}/{len(pages)}" in page
    codes = re.findall(r"HS-\d{5}", "".join(pages))
    assert sorted(codes) == [f"HS-{n:05d}" for n in range(2000)]
    assert "Tổng số: 2.000 lượt khai thác (Cho mượn: 500;" in words(pages[-1])


def test_usage_register_without_rows_says_there_was_no_use(tmp_path: Path) -> None:
    pdf = usage_register_pdf(replace(REGISTER, entries=()))

    text = assert_all_in(pdf, tmp_path, NO_USE, "Tổng số: 0 lượt khai thác")
    assert "Hình thức" not in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_usage_register_refuses_a_reversed_period() -> None:
    with pytest.raises(Invalid) as refused:
        usage_register_pdf(replace(REGISTER, period_end=date(2025, 12, 31)))
    assert refused.value.code == "printing.period_reversed"


CUSTODY = CustodySlip(
    issuer=ISSUER,
    slip_number="GN-2026-0088",
    handed_on=date(2026, 3, 15),
    giver=Holder("Phòng nghiệp vụ", "Phòng Sổ thẻ", "Lâm Thị Thu Hà"),
    receiver=Holder("Bưu điện", "Bưu điện huyện Cần Giuộc", "Huỳnh Văn Lợi"),
    items=(
        CustodyItem(CustodyItemKind.PASSBOOK, "8011234567", "Nguyễn Thị Mai Lan"),
        CustodyItem(CustodyItemKind.PASSBOOK, "0111063484", "Phan Văn Đức", "Bìa sổ rách"),
        CustodyItem(CustodyItemKind.FILE, "BHXH-03/2016/HS-0107", LONG_TITLE),
    ),
)


def test_custody_slip_prints_both_parties_items_and_count(tmp_path: Path) -> None:
    pdf = custody_slip_pdf(CUSTODY)

    assert_a4_portrait(pdf)
    assert_all_in(
        pdf,
        tmp_path,
        "PHIẾU GIAO NHẬN HỒ SƠ, SỔ BHXH",
        "Số: GN-2026-0088",
        "Bên giao: Phòng Sổ thẻ (Phòng nghiệp vụ)",
        "Người giao: Lâm Thị Thu Hà",
        "Bên nhận: Bưu điện huyện Cần Giuộc (Bưu điện)",
        "Người nhận: Huỳnh Văn Lợi",
        "Ngày giao nhận: 15/03/2026",
        "Mã hồ sơ / Số sổ",
        "Họ tên / Tiêu đề",
        "Sổ BHXH",
        "0111063484",
        "Bìa sổ rách",
        LONG_TITLE,
        "Tổng số: 3 (Ba), gồm 1 hồ sơ và 2 sổ BHXH.",
        "BÊN GIAO",
        "BÊN NHẬN",
    )
    with pytest.raises(Invalid):
        custody_slip_pdf(replace(CUSTODY, items=()))
