"""Messages of printed forms (issue 5): code -> (vi, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "printing.nothing_to_print": (
        "Phiếu không có hồ sơ nào để in.",
        "There is nothing on this form to print.",
    ),
    "printing.barcode_value": (
        "Không in được mã vạch cho “{value}”: mã vạch chỉ nhận ký tự ASCII không dấu.",
        "Cannot print a barcode for “{value}”: Code128 takes printable ASCII only.",
    ),
    "printing.negative_number": (
        "Không đọc thành chữ được số âm ({number}).",
        "A negative number ({number}) cannot be written in words.",
    ),
    "printing.reminder_level": (
        "Giấy nhắc trả chỉ có lần 1, 2 hoặc 3 (nhận được: {level}).",
        "A reminder is level 1, 2 or 3 (got {level}).",
    ),
    "printing.reminder_needs_department_head": (
        "Giấy nhắc lần {level} gửi lãnh đạo đơn vị của người mượn: cần họ tên và chức vụ của "
        "lãnh đạo.",
        "A level-{level} reminder goes to the borrower's department head: their name and "
        "position are needed.",
    ),
    "printing.unreadable_pdf": (
        "Không đọc được tệp PDF để đóng dấu bản sao ({reason}).",
        "The PDF to certify could not be read ({reason}).",
    ),
    "printing.period_reversed": (
        "Kỳ không hợp lệ: ngày kết thúc {end} trước ngày bắt đầu {start}.",
        "Invalid period: it ends ({end}) before it starts ({start}).",
    ),
}
