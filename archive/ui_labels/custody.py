"""UI labels of the custody part of the use of records (issue 5): key -> (vi, en)."""

from __future__ import annotations

UI: dict[str, tuple[str, str]] = {
    # Who holds a file or a passbook (HOLDER_KINDS), as printed on handover slips.
    "custody.holder.archive": ("Kho lưu trữ", "Archive"),
    "custody.holder.department": ("Phòng nghiệp vụ", "Department"),
    "custody.holder.post_office": ("Bưu điện", "Post office"),
    "custody.holder.employer": ("Đơn vị sử dụng lao động", "Employer"),
    "custody.holder.person": ("Cá nhân", "Person"),
    "custody.holder.office": ("Cơ quan BHXH", "Social-insurance office"),
    "custody.status.sent": ("Đang chuyển", "In transit"),
    "custody.status.received": ("Đã nhận", "Received"),
    "custody.status.cancelled": ("Đã hủy", "Cancelled"),
    # The passbook-review progress report's columns (PASSBOOK_STAGES).
    "passbook.stage.received": ("Số lượng 04", "Received (form 04)"),
    "passbook.stage.form03_printed": ("Đã in Mẫu 03", "Form 03 printed"),
    "passbook.stage.form03_handed_out": ("Đã phát Mẫu 03", "Form 03 handed out"),
    "passbook.stage.form03_returned": ("Đã thu hồi Mẫu 03", "Form 03 received back"),
    "passbook.stage.approved": ("Đã duyệt", "Approved"),
    "passbook.stage.passbook_printed": ("Đã in sổ", "Passbook printed"),
}
