"""Messages of the reading part of the use of records (issue 5): code -> (vi, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "visit.not_found": ("Không tìm thấy lượt nghiên cứu.", "Reading-room visit not found."),
    "visit.registrar_required": (
        "Lượt nghiên cứu phải do một người dùng đăng ký.",
        "A visit must be registered by a user.",
    ),
    "visit.visitor_name": (
        "Vui lòng nhập họ tên người nghiên cứu (tối đa {max} ký tự).",
        "Please give the visitor's name (at most {max} characters).",
    ),
    "visit.organisation": (
        "Tên cơ quan, đơn vị quá dài (tối đa {max} ký tự).",
        "The organisation is too long (at most {max} characters).",
    ),
    "visit.id_paper_kind": (
        "Loại giấy tờ tùy thân không hợp lệ: {value}.",
        "Unknown kind of identity paper: {value}.",
    ),
    "visit.id_paper_number": (
        "Số giấy tờ tùy thân không hợp lệ.",
        "The identity paper number is invalid.",
    ),
    "visit.date_past": (
        "Ngày nghiên cứu {day} đã qua.",
        "The visit date {day} is in the past.",
    ),
    "visit.no_files": ("Chưa chọn hồ sơ nào.", "No files were given."),
    "visit.too_many_files": (
        "Một lượt nghiên cứu có tối đa {max} hồ sơ.",
        "A visit may request at most {max} files.",
    ),
    "visit.mixed_offices": (
        "Các hồ sơ của một lượt nghiên cứu phải thuộc cùng một đơn vị.",
        "The files of one visit must belong to one office.",
    ),
    "visit.status": (
        "Lượt nghiên cứu {number} đang ở trạng thái “{status}”: không thực hiện được thao tác này.",
        "Visit {number} is “{status}”; this cannot be done now.",
    ),
    "visit.self_approval": (
        "Người đăng ký lượt nghiên cứu {number} không được tự phê duyệt.",
        "Whoever registered visit {number} cannot approve it.",
    ),
    "visit.reason_required": (
        "Vui lòng nêu lý do từ chối.",
        "Please give the reason for the refusal.",
    ),
    "visit.not_today": (
        "Lượt nghiên cứu {number} là của ngày {day}: chỉ phục vụ hồ sơ trong ngày đó.",
        "Visit {number} is for {day}; files are served on that day only.",
    ),
    "visit.file_not_requested": (
        "Lượt nghiên cứu {number} không đề nghị hồ sơ: {codes}.",
        "Visit {number} did not request: {codes}.",
    ),
    "visit.file_served": (
        "Hồ sơ {code} đã được giao cho người nghiên cứu.",
        "File {code} is already with the visitor.",
    ),
    "visit.file_not_served": (
        "Hồ sơ {code} không đang được phục vụ trong lượt này.",
        "File {code} is not out in this visit.",
    ),
    "visit.files_still_out": (
        "Lượt nghiên cứu {number} chưa trả hồ sơ: {codes}.",
        "Visit {number} has not returned: {codes}.",
    ),
    "reading_room.closes": (
        "Giờ đóng cửa phòng đọc không hợp lệ: “{value}” (dạng 17:00).",
        "Invalid reading-room closing time: “{value}” (like 17:00).",
    ),
    "lookup.not_found": ("Không tìm thấy lượt tra cứu.", "Lookup not found."),
    "lookup.answerer_required": (
        "Lượt tra cứu phải do một người dùng trả lời.",
        "A lookup must be answered by a user.",
    ),
    "lookup.channel": (
        "Hình thức tra cứu không hợp lệ: {value}.",
        "Unknown lookup channel: {value}.",
    ),
    "lookup.asker_name": (
        "Vui lòng nhập tên người hỏi (tối đa {max} ký tự).",
        "Please give the asker's name (at most {max} characters).",
    ),
    "lookup.organisation": (
        "Tên cơ quan, đơn vị quá dài (tối đa {max} ký tự).",
        "The organisation is too long (at most {max} characters).",
    ),
    "lookup.question": (
        "Vui lòng nhập nội dung cần tra cứu (tối đa {max} ký tự).",
        "Please give the question (at most {max} characters).",
    ),
    "lookup.answer": (
        "Nội dung trả lời quá dài (tối đa {max} ký tự).",
        "The answer is too long (at most {max} characters).",
    ),
    "lookup.office_required": (
        "Vui lòng chọn đơn vị trả lời tra cứu.",
        "Please choose the office answering the lookup.",
    ),
    "lookup.office_mismatch": (
        "Hồ sơ {code} không thuộc đơn vị đã chọn.",
        "File {code} does not belong to the chosen office.",
    ),
    "lookup.restricted": (
        "Hồ sơ {code} thuộc loại hạn chế sử dụng: mọi hình thức khai thác phải được lãnh đạo "
        "phê duyệt.",
        "File {code} belongs to a restricted series: any use requires approval.",
    ),
    "lookup.period": (
        "Khoảng thời gian {since} – {until} không hợp lệ (tối đa một năm).",
        "Invalid period {since} – {until} (one year at most).",
    ),
}
