"""Default reference data (DOMAIN.md): series with their retention, box profiles. Loaded by the
second migration; afterwards it is data an administrator edits (versioned, audited)."""

from __future__ import annotations

# code, Vietnamese name, English name, kind, years (None = permanent), trigger
SERIES: list[tuple[str, str, str, str, int | None, str]] = [
    (
        "HUONG_HANG_THANG",
        "Hồ sơ hưởng BHXH hằng tháng (hưu trí, tử tuất, TNLĐ-BNN hằng tháng)",
        "Monthly-benefit file (pension, survivors, monthly work injury)",
        "benefit",
        None,
        "none",
    ),
    (
        "HUONG_MOT_LAN",
        "Hồ sơ hưởng BHXH một lần, trợ cấp một lần",
        "One-time benefit file",
        "benefit",
        70,
        "closed_year",
    ),
    (
        "OM_DAU_THAI_SAN",
        "Danh sách giải quyết ốm đau, thai sản, dưỡng sức phục hồi sức khỏe",
        "Sickness, maternity and recovery settlement lists",
        "operational",
        20,
        "closed_year",
    ),
    (
        "RA_SOAT_SO",
        "Hồ sơ rà soát sổ BHXH (bản sao sổ, tờ khai, Mẫu 03)",
        "Passbook-review file (passbook copy, declaration, form 03)",
        "passbook_review",
        None,
        "none",
    ),
    (
        "THU",
        "Hồ sơ thu BHXH, BHYT, BHTN",
        "Contribution (collection) files",
        "operational",
        70,
        "closed_year",
    ),
    (
        "CAP_THE",
        "Danh sách cấp thẻ BHYT",
        "Health-card issue lists",
        "operational",
        10,
        "closed_year",
    ),
    ("KE_TOAN", "Chứng từ kế toán", "Accounting vouchers", "operational", 10, "fiscal_year_end"),
    (
        "HANH_CHINH",
        "Công văn, hồ sơ nghiệp vụ chung",
        "Correspondence, general operational files",
        "operational",
        10,
        "closed_year",
    ),
    (
        "SO_KHAI_THAC",
        "Sổ theo dõi cho mượn, nghiên cứu, sao chụp",
        "Loan, reading-room and copy registers",
        "operational",
        20,
        "closed_year",
    ),
    (
        "HUY_TAI_LIEU",
        "Hồ sơ hủy tài liệu",
        "Destruction dossiers",
        "operational",
        20,
        "destruction_year",
    ),
]

# code, name, width in cm, capacity in files. Capacities follow the Hà Nam figures (DOMAIN.md):
# ~800 benefit files, ~163 operational files and ~590 passbook-review files per shelf metre.
BOX_PROFILES: list[tuple[str, str, float, int]] = [
    ("HOP_10_HUONG", "Hộp 10 cm — hồ sơ hưởng", 10.0, 80),
    ("HOP_10_NGHIEP_VU", "Hộp 10 cm — hồ sơ nghiệp vụ", 10.0, 16),
    ("HOP_10_SO", "Hộp 10 cm — hồ sơ rà soát sổ BHXH", 10.0, 60),
    ("HOP_15", "Hộp 15 cm", 15.0, 25),
]

# Purposes of use (khai thác sử dụng) and their loan policy: code, Vietnamese name, English
# name, loan days, renewals allowed, days per renewal (working days). Editable afterwards.
USE_PURPOSES: list[tuple[str, str, str, int, int, int]] = [
    ("GIAI_QUYET_CHE_DO", "Giải quyết chế độ BHXH", "Benefit settlement", 10, 1, 5),
    ("THANH_TRA", "Thanh tra, kiểm tra", "Inspection", 15, 1, 10),
    ("KHIEU_NAI", "Giải quyết khiếu nại, tố cáo", "Complaint handling", 15, 2, 10),
    ("XAC_MINH", "Xác minh, đối chiếu thông tin", "Verification", 5, 1, 5),
    ("NGHIEN_CUU", "Nghiên cứu, tra cứu", "Research", 5, 1, 5),
    ("CAP_LAI_SO", "Cấp lại, điều chỉnh sổ BHXH", "Passbook reissue or correction", 10, 1, 5),
    ("KHAC", "Mục đích khác", "Other", 5, 0, 5),
]

# Public holidays on fixed solar dates (Labour Code 2019, art. 112): day, month, name. Tết and
# the Hùng Kings' day follow the lunar calendar and the government's yearly announcement: an
# administrator enters them each year (`archive holidays add`).
FIXED_HOLIDAYS: list[tuple[int, int, str]] = [
    (1, 1, "Tết Dương lịch"),
    (30, 4, "Ngày Chiến thắng"),
    (1, 5, "Ngày Quốc tế lao động"),
    (2, 9, "Quốc khánh"),
]
FIXED_HOLIDAY_YEARS = range(2026, 2031)

# Copy fees in whole đồng (editable price list): kind, per page, per request.
COPY_PRICES: list[tuple[str, int, int]] = [
    ("photocopy", 2_000, 0),
    ("certified", 2_000, 10_000),
    ("digital", 1_000, 0),
]
