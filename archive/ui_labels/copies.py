"""UI labels of the copies part of the use of records (issue 5): key -> (vi, en)."""

from __future__ import annotations

UI: dict[str, tuple[str, str]] = {
    "copy.kind.photocopy": ("Bản sao chụp", "Photocopy"),
    "copy.kind.certified": ("Bản sao chứng thực lưu trữ", "Certified archival copy"),
    "copy.kind.digital": ("Bản sao số có xác nhận của lưu trữ", "Certified digital copy"),
    "copy.id_paper.citizen_id": ("CCCD", "Citizen ID card"),
    "copy.id_paper.passport": ("Hộ chiếu", "Passport"),
    "copy.id_paper.staff_card": ("Thẻ cán bộ, công chức", "Staff card"),
    "copy.id_paper.other": ("Giấy tờ tùy thân", "Identity paper"),
    "copy.fee_per_request": ("Phí cố định mỗi yêu cầu", "Fixed fee per request"),
    # The heading's governing body when the issuing office is the provincial one.
    "copy.governing_body": ("Bảo hiểm xã hội Việt Nam", "Vietnam Social Security"),
    "copy.certifier": ("TL. GIÁM ĐỐC\nTRƯỞNG PHÒNG", "FOR THE DIRECTOR\nHEAD OF DEPARTMENT"),
}
