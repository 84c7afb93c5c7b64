"""Messages of the copies part of the use of records (issue 5): code -> (vi, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "copy.not_found": ("Không tìm thấy yêu cầu cấp bản sao.", "Copy request not found."),
    "copy.kind": (
        "Loại bản sao không hợp lệ: {kind} (bản chụp, bản chứng thực hoặc bản số).",
        "Unknown kind of copy: {kind} (photocopy, certified or digital).",
    ),
    "copy.requester_kind": (
        "Người yêu cầu phải là cán bộ trong ngành hoặc công dân ({requester_kind}).",
        "The requester must be an internal officer or a citizen ({requester_kind}).",
    ),
    "copy.user_required": (
        "Yêu cầu cấp bản sao phải do một người dùng đăng ký.",
        "A copy request must be registered by a user.",
    ),
    "copy.name_required": (
        "Vui lòng nhập họ tên người yêu cầu.",
        "Please give the requester's name.",
    ),
    "copy.identity_required": (
        "Công dân yêu cầu bản sao phải xuất trình giấy tờ tùy thân: nhập loại và số giấy tờ.",
        "A citizen asking for copies must show an identity paper: give its kind and number.",
    ),
    "copy.citizen_id": (
        "Số CCCD/CMND “{number}” không hợp lệ: phải gồm 12 (hoặc 9) chữ số.",
        "Citizen ID “{number}” is invalid: it has 12 (or 9) digits.",
    ),
    "copy.no_files": ("Vui lòng chọn ít nhất một hồ sơ.", "Please choose at least one file."),
    "copy.too_many_files": (
        "Một yêu cầu cấp bản sao có tối đa {max} hồ sơ.",
        "A copy request holds at most {max} files.",
    ),
    "copy.duplicate_file": (
        "Một hồ sơ chỉ ghi một lần trong yêu cầu; gộp các trang vào một dòng.",
        "List each file once in a request; put all its pages on one line.",
    ),
    "copy.mixed_offices": (
        "Các hồ sơ của một yêu cầu phải thuộc cùng một đơn vị lưu trữ.",
        "The files of one request must belong to the same office.",
    ),
    "copy.pages": (
        "Trang yêu cầu “{pages}” không hợp lệ: ghi số trang và khoảng trang, ví dụ 1-3,5.",
        "Pages “{pages}” are invalid: give page numbers and ranges, e.g. 1-3,5.",
    ),
    "copy.page_out_of_range": (
        "Hồ sơ {file_code} chỉ có {total} trang: không có trang {page}.",
        "File {file_code} has only {total} pages: there is no page {page}.",
    ),
    "copy.file_without_pages": (
        "Hồ sơ {file_code} chưa có trang để sao: bản số cần hồ sơ đã quét; hồ sơ chưa ghi số tờ "
        "thì ghi rõ các trang cần sao.",
        "File {file_code} has no pages to copy: a digital copy needs scanned pages; for a file "
        "without a sheet count, give the pages to copy.",
    ),
    "copy.status": (
        "Yêu cầu {number} đang ở trạng thái “{status}”: không thể thực hiện thao tác này.",
        "Request {number} is “{status}”: this cannot be done now.",
    ),
    "copy.self_approval": (
        "Không được tự phê duyệt yêu cầu {number} do chính mình đăng ký hoặc đề nghị.",
        "You cannot approve request {number}: you registered or asked for it.",
    ),
    "copy.reason_required": (
        "Vui lòng ghi lý do từ chối.",
        "Please give the reason for the refusal.",
    ),
    "copy.no_price": (
        "Bảng giá chưa có giá cho loại bản sao “{kind}”: cập nhật bảng giá trước khi duyệt.",
        "The price list has no price for “{kind}” copies: add one before approving.",
    ),
    "copy.receipt_required": (
        "Vui lòng nhập số biên lai thu phí.",
        "Please give the receipt number.",
    ),
    "copy.nothing_to_pay": (
        "Yêu cầu {number} không phải nộp phí.",
        "Request {number} has no fee to pay.",
    ),
    "copy.already_paid": (
        "Yêu cầu {number} đã nộp phí (biên lai số {receipt}).",
        "Request {number} is already paid (receipt {receipt}).",
    ),
    "copy.unpaid": (
        "Yêu cầu {number} chưa nộp phí {fee} đồng: ghi biên lai trước khi giao bản sao.",
        "Request {number} has not paid its fee of {fee} đồng: record the receipt first.",
    ),
    "copy.pages_changed": (
        "Các trang quét của hồ sơ {file_code} đã thay đổi sau khi duyệt: "
        "không đủ trang để tạo bản sao.",
        "The scanned pages of file {file_code} changed after approval: "
        "the pages to copy are no longer there.",
    ),
    "copy.no_output": (
        "Yêu cầu {number} ({status}) chưa có bản sao số để tải về.",
        "Request {number} ({status}) has no digital copy to download.",
    ),
    "copy.output_missing": (
        "Không tìm thấy tệp bản sao số của yêu cầu {number} trong kho lưu trữ.",
        "The digital copy of request {number} is missing from the store.",
    ),
    "copy.output_corrupt": (
        "Tệp bản sao số của yêu cầu {number} không còn nguyên vẹn (sai mã kiểm tra).",
        "The digital copy of request {number} is damaged (checksum mismatch).",
    ),
    "copy.not_certified": (
        "Yêu cầu {number} là bản chụp thường: không có giấy xác nhận bản sao.",
        "Request {number} is a plain photocopy: it has no certification.",
    ),
    "copy_price.amount": (
        "Giá không hợp lệ: {amount} đồng (từ 0 đến {max} đồng).",
        "Invalid price: {amount} đồng (from 0 to {max} đồng).",
    ),
}
