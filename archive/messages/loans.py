"""Messages of loans, the loans desk, out-cards, overdue loans, holidays and the inbox (issue 5):
code -> (vi, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "file.already_out": (
        "Hồ sơ {code} đang ở ngoài kho ({holder}): không thể giao thêm lần nữa.",
        "File {code} is already out ({holder}); it cannot go out twice.",
    ),
    "file.not_available": (
        "Hồ sơ {code} không ở trạng thái có thể phục vụ ({status}).",
        "File {code} cannot be served in its state ({status}).",
    ),
    "file.not_out_here": (
        "Hồ sơ {code} không được giao theo phiếu này.",
        "File {code} was not given out under this record.",
    ),
    "file.out": (
        "Hồ sơ {code} đang ở ngoài kho ({holder}): không thể chuyển sang hộp khác.",
        "File {code} is out ({holder}); it cannot be moved to another box.",
    ),
    "workdays.negative": (
        "Số ngày làm việc không hợp lệ: {days}.",
        "Invalid working days: {days}.",
    ),
    "holiday.name_required": ("Vui lòng nhập tên ngày nghỉ.", "Please give the holiday a name."),
    "holiday.duplicate": ("Ngày {day} đã là ngày nghỉ.", "{day} is already a holiday."),
    "holiday.not_found": (
        "Ngày {day} không phải ngày nghỉ đã khai báo.",
        "{day} is not a holiday.",
    ),
    "purpose.not_found": ("Không tìm thấy mục đích khai thác.", "Purpose of use not found."),
    "purpose.code": ("Mã mục đích không hợp lệ: {value}.", "Invalid purpose code: {value}."),
    "purpose.duplicate": ("Mã mục đích “{code}” đã có.", "Purpose code “{code}” already exists."),
    "purpose.policy": (
        "Số ngày mượn, số lần gia hạn và số ngày gia hạn phải là số dương.",
        "Loan days, renewals and renewal days must be positive.",
    ),
    "purpose.name_required": ("Vui lòng nhập tên mục đích.", "Please name the purpose."),
    "purpose.code_fixed": (
        "Không đổi được mã mục đích “{code}”.",
        "The purpose code “{code}” cannot change.",
    ),
    "loan.not_found": ("Không tìm thấy phiếu mượn.", "Loan not found."),
    "loan.not_found_number": ("Không có phiếu mượn số {number}.", "No loan numbered {number}."),
    "loan.borrower_required": ("Phải có người mượn.", "A borrower is required."),
    "loan.no_files": ("Chưa chọn hồ sơ nào.", "No files were given."),
    "loan.too_many_files": (
        "Một phiếu mượn không quá {max} hồ sơ.",
        "A loan may hold at most {max} files.",
    ),
    "loan.mixed_offices": (
        "Các hồ sơ của một phiếu mượn phải cùng một đơn vị lưu trữ.",
        "The files of one loan must be kept by one office.",
    ),
    "loan.status": (
        "Phiếu mượn {number} đang ở trạng thái “{status}”: không thể thực hiện thao tác này.",
        "Loan {number} is “{status}”: this cannot be done now.",
    ),
    "loan.self_approval": (
        "Không được tự duyệt phiếu mượn {number} do mình đề nghị hoặc mình mượn.",
        "You may not approve loan {number}: you requested it or you borrow it.",
    ),
    "loan.reason_required": (
        "Vui lòng ghi lý do từ chối.",
        "Please give the reason for refusing.",
    ),
    "loan.renewal_limit": (
        "Phiếu mượn {number} đã gia hạn tối đa {max} lần.",
        "Loan {number} has reached its {max} renewals.",
    ),
    "loan.file_not_requested": (
        "Hồ sơ {codes} không có trong phiếu mượn {number}.",
        "File(s) {codes} are not on loan {number}.",
    ),
    "loan.not_between_offices": (
        "Phiếu mượn {number} không phải mượn giữa các đơn vị.",
        "Loan {number} is not a loan between offices.",
    ),
    "loan.sheets_negative": ("Số tờ không hợp lệ: {value}.", "Invalid sheet count: {value}."),
    "loan.file_not_on_loan": (
        "Hồ sơ {code} không đang được cho mượn.",
        "File {code} is not on loan.",
    ),
    "loan.reminder_level": (
        "Mức nhắc trả không hợp lệ: {level} (1, 2 hoặc 3).",
        "Invalid reminder level: {level} (1, 2 or 3).",
    ),
    "loan.not_overdue_at": (
        "Phiếu mượn {number} chưa quá hạn đến mức nhắc {level}.",
        "Loan {number} is not overdue to reminder level {level}.",
    ),
    "desk.card_required": ("Vui lòng quét thẻ người mượn.", "Please scan the borrower's card."),
    "desk.card_unknown": (
        "Không tìm thấy người mượn có thẻ “{card}”.",
        "No borrower has the card “{card}”.",
    ),
    "desk.no_approved_loan": (
        "{borrower} không có phiếu mượn đã duyệt gồm các hồ sơ {codes}.",
        "{borrower} has no approved loan holding {codes}.",
    ),
    "notice.not_found": ("Không tìm thấy thông báo.", "Notice not found."),
}
