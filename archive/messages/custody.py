"""Messages of the custody part of the use of records (issue 5): code -> (vi, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "custody.not_found": ("Không tìm thấy phiếu giao nhận.", "Handover slip not found."),
    "custody.user_required": (
        "Phiếu giao nhận phải do một người dùng lập.",
        "A handover slip must be made by a user.",
    ),
    "custody.holder_kind": (
        "Loại bên giữ không hợp lệ: “{value}”.",
        "Unknown kind of holder: “{value}”.",
    ),
    "custody.holder_name": (
        "Vui lòng nhập tên bên giao và bên nhận.",
        "Please name both the giver and the receiver.",
    ),
    "custody.same_holder": (
        "Bên giao và bên nhận là một ({holder}).",
        "The giver and the receiver are the same ({holder}).",
    ),
    "custody.no_items": (
        "Phiếu giao nhận chưa có hồ sơ hay sổ BHXH nào.",
        "The slip has no files and no passbooks.",
    ),
    "custody.too_many": (
        "Một phiếu giao nhận không quá {max} hồ sơ, sổ.",
        "A slip may hold at most {max} files and passbooks.",
    ),
    "custody.status": (
        "Phiếu giao nhận {number} đang ở trạng thái “{status}”: không thể thực hiện thao tác này.",
        "Handover slip {number} is “{status}”: this cannot be done now.",
    ),
    "custody.status_unknown": (
        "Trạng thái phiếu không hợp lệ: “{value}”.",
        "Unknown slip status: “{value}”.",
    ),
    "custody.passbook_in_transit": (
        "Sổ BHXH {number} đang được chuyển theo phiếu {slip} (đến {to}): chưa thể giao tiếp.",
        "Passbook {number} is in transit on slip {slip} (to {to}); it cannot be sent again yet.",
    ),
    "custody.passbook_not_with_giver": (
        "Sổ BHXH {number} đang do “{holder}” giữ, không phải “{giver}”.",
        "Passbook {number} is held by “{holder}”, not by “{giver}”.",
    ),
    "custody.file_other_office": (
        "Hồ sơ {code} không thuộc kho của {office}.",
        "File {code} is not kept by {office}.",
    ),
    "custody.file_other_archive": (
        "Hồ sơ của {office} chỉ giao nhận với kho lưu trữ của chính đơn vị, không với “{archive}”.",
        "Files of {office} move only to and from its own archive, not “{archive}”.",
    ),
    "custody.file_not_with_giver": (
        "Hồ sơ {code} đang ở “{holder}”, không phải ở bên giao.",
        "File {code} is with “{holder}”, not with the giver.",
    ),
    "custody.file_in_transit": (
        "Hồ sơ {code} đang được chuyển theo phiếu {slip}: chưa thể giao tiếp.",
        "File {code} is in transit on slip {slip}; it cannot be sent again yet.",
    ),
    "passbook.number": (
        "Số sổ BHXH không hợp lệ: “{value}”.",
        "Invalid passbook number: “{value}”.",
    ),
    "passbook.not_found": ("Không có sổ BHXH số {number}.", "No passbook numbered {number}."),
    "passbook.not_found_id": ("Không tìm thấy sổ BHXH.", "Passbook not found."),
    "passbook.duplicate": (
        "Sổ BHXH số {number} đã được đăng ký.",
        "Passbook {number} is already registered.",
    ),
    "passbook.batch_kind": (
        "Đợt giao nhận này không phải đợt hồ sơ rà soát sổ BHXH.",
        "This handover batch is not a passbook-review batch.",
    ),
    "passbook.batch_open": (
        "Đợt giao nhận chưa hoàn thành: hãy hoàn thành đợt trước khi đăng ký sổ BHXH.",
        "The handover batch is still open; complete it before registering its passbooks.",
    ),
    "passbook.batch_empty": (
        "Đợt giao nhận chưa nhận sổ BHXH nào.",
        "The handover batch has no passbook received.",
    ),
    "passbook.no_numbers": ("Chưa quét số sổ nào.", "No passbook numbers were scanned."),
    "passbook.too_many": (
        "Mỗi lần quét không quá {max} sổ.",
        "At most {max} passbooks per scan.",
    ),
    "passbook.stage": (
        "Bước rà soát không hợp lệ: “{value}”.",
        "Unknown review stage: “{value}”.",
    ),
    "passbook.stage_order": (
        "Sổ BHXH {number} chưa qua bước “{previous}”: chưa thể ghi bước “{stage}”.",
        "Passbook {number} has not reached “{previous}”; “{stage}” cannot be recorded yet.",
    ),
    "passbook.stage_before_previous": (
        "Sổ BHXH {number}: bước “{stage}” không thể trước bước “{previous}” ({previous_at}).",
        "Passbook {number}: “{stage}” cannot precede “{previous}” ({previous_at}).",
    ),
    "passbook.naive_time": (
        "Thời điểm {at} thiếu múi giờ.",
        "The time {at} has no time zone.",
    ),
}
