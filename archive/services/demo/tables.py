"""Data tables of the demo province (Long An, whose 16 office codes are in the seeds, 001:2136).

Weights are relative frequencies. Surnames follow the published national shares (Nguyễn about a
third, then Trần, Lê, Phạm, …), leaning southern (Huỳnh and Võ over Hoàng and Vũ) like Long An."""

from __future__ import annotations


def _weighted(text: str) -> list[tuple[str, float]]:
    """`"Nguyễn:35, Trần:11"` as [("Nguyễn", 35.0), ("Trần", 11.0)]: compact data tables."""
    pairs = (item.rsplit(":", 1) for item in text.split(","))
    return [(name.strip(), float(weight)) for name, weight in pairs]


def _words(text: str) -> list[str]:
    return text.split()


# code, name, short name, place; the province office is 00.
PROVINCE_OFFICE = ("00", "BHXH tỉnh Long An", "Văn phòng BHXH tỉnh", "Tân An")

# code, name, short name (also the place), weight. Weights are Long An's passbook intake per office
# ("Số lượng 04", 001:2136–2151), so industrial Đức Hòa and Bến Lức hold the most.
DISTRICT_OFFICES: list[tuple[str, str, str, int]] = [
    ("01", "BHXH thành phố Tân An", "Tân An", 9253),
    ("02", "BHXH huyện Tân Hưng", "Tân Hưng", 2080),
    ("03", "BHXH huyện Vĩnh Hưng", "Vĩnh Hưng", 2241),
    ("04", "BHXH huyện Mộc Hóa", "Mộc Hóa", 1095),
    ("05", "BHXH huyện Tân Thạnh", "Tân Thạnh", 2554),
    ("06", "BHXH huyện Thạnh Hóa", "Thạnh Hóa", 2123),
    ("07", "BHXH huyện Đức Huệ", "Đức Huệ", 2157),
    ("08", "BHXH huyện Đức Hòa", "Đức Hòa", 22223),
    ("09", "BHXH huyện Bến Lức", "Bến Lức", 18975),
    ("10", "BHXH huyện Thủ Thừa", "Thủ Thừa", 3236),
    ("11", "BHXH huyện Tân Trụ", "Tân Trụ", 2147),
    ("12", "BHXH huyện Cần Đước", "Cần Đước", 6097),
    ("13", "BHXH huyện Cần Giuộc", "Cần Giuộc", 9309),
    ("14", "BHXH huyện Châu Thành", "Châu Thành", 2708),
    ("15", "BHXH thị xã Kiến Tường", "Kiến Tường", 2143),
]

# Share of all files (per cent) by series, as in Hà Nam 2019 (DOMAIN.md): 21 % benefit files
# (monthly ones a little more than half), 55 % operational, 24 % passbook review.
SERIES_SHARES: dict[str, float] = {
    "HUONG_HANG_THANG": 11.5,
    "HUONG_MOT_LAN": 9.5,
    "OM_DAU_THAI_SAN": 14.0,
    "THU": 16.0,
    "CAP_THE": 8.0,
    "KE_TOAN": 9.0,
    "HANH_CHINH": 6.0,
    "SO_KHAI_THAC": 1.0,
    "HUY_TAI_LIEU": 1.0,
    "RA_SOAT_SO": 24.0,
}
PROVINCE_SHARE = 0.40

# File-code prefix and the sheet-count range of each series.
SERIES_CODES: dict[str, tuple[str, int, int]] = {
    "HUONG_HANG_THANG": ("HT", 15, 120),
    "HUONG_MOT_LAN": ("ML", 8, 45),
    "OM_DAU_THAI_SAN": ("OD", 20, 250),
    "THU": ("THU", 10, 200),
    "CAP_THE": ("CT", 20, 300),
    "KE_TOAN": ("KT", 50, 300),
    "HANH_CHINH": ("HC", 5, 200),
    "SO_KHAI_THAC": ("SKT", 50, 200),
    "HUY_TAI_LIEU": ("HUY", 10, 80),
    "RA_SOAT_SO": ("RS", 5, 30),
}
# Box profile per series kind (reference data).
PROFILE_BY_KIND = {
    "benefit": "HOP_10_HUONG",
    "operational": "HOP_10_NGHIEP_VU",
    "passbook_review": "HOP_10_SO",
}

SURNAMES: list[tuple[str, float]] = _weighted(
    """
    Nguyễn:35, Trần:11, Lê:9.5, Phạm:7, Huỳnh:4, Hoàng:1.1, Phan:4.5, Võ:3.4, Vũ:0.5,
    Đặng:2.1, Bùi:2, Đỗ:1.4, Hồ:1.3, Ngô:1.3, Dương:1, Lý:0.6, Trương:1.3, Lâm:0.9,
    Đinh:0.6, Mai:0.6, Đoàn:0.7, Cao:0.5, Lương:0.5, Tạ:0.3, Châu:0.5, Tô:0.3, Đào:0.5,
    Trịnh:0.5, Lưu:0.4, La:0.3, Thái:0.4, Quách:0.2, Từ:0.2, Kiều:0.2, Hà:0.4, Tôn:0.1,
    Giang:0.2, Diệp:0.1
    """
)

MALE_MIDDLE: list[tuple[str, float]] = _weighted(
    """
    Văn:40, Minh:6, Hữu:5, Đức:4, Thanh:5, Quốc:4, Công:4, Ngọc:3, Hoàng:3, Tấn:4, Thành:3,
    Xuân:2, Quang:3, Trọng:2, Duy:2, Anh:2, Phước:2, Thế:2, Đình:2, Hồng:1, Văn Minh:1,
    Ngọc Hoàng Đình:0.2, Chí:2, Trung:1, Nhật:1
    """
)
FEMALE_MIDDLE: list[tuple[str, float]] = _weighted(
    """
    Thị:55, Ngọc:8, Thị Ngọc:3, Thị Mai:2, Thị Thu:3, Thị Kim:3, Thanh:4, Thu:4, Kim:3,
    Hồng:3, Mỹ:3, Bích:2, Minh:2, Phương:2, Hoàng:1, Diễm:1, Thị Thanh:2, Thị Bích:1
    """
)
# Given names, most frequent first (weights fall off with rank, see population.py).
MALE_GIVEN = _words(
    """
    Hùng Dũng Tuấn Minh Hải Nam Long Phong Thắng Hoàng Sơn Quang Tâm Tài Phúc Lộc Hòa Bình
    An Khánh Đức Thành Trung Hiếu Tùng Cường Vinh Nghĩa Thịnh Tú Toàn Phát Hậu Trí Thuận
    Tín Nhân Lâm Đạt Huy Khoa Kiệt Sang Danh Hưng Lợi Bảo Duy Việt Quý Thục Đình Nhựt
    Phước Thọ Mến Út
    """
)
FEMALE_GIVEN = _words(
    """
    Lan Hương Hoa Mai Linh Trang Thảo Hằng Nga Hạnh Thủy Yến Ngọc Phương Dung Loan Thu
    Trinh Nhung Hà Vân Tuyết Hồng Anh Oanh Hiền Quyên Diễm Nhi Thúy Liên Xuân Cúc Huệ Bích
    Chi Ánh Nguyệt Thanh Giang My Vy Trâm Thơ Duyên Thắm Mỹ Kiều Lài Đào Út
    """
)

# Benefit types: (value stored on the file, phrase used in the title), weight.
MONTHLY_BENEFITS: list[tuple[tuple[str, str], float]] = [
    (("Hưu trí", "Hồ sơ hưởng lương hưu hằng tháng"), 72),
    (("Tử tuất", "Hồ sơ hưởng trợ cấp tuất hằng tháng"), 16),
    (("Trợ cấp TNLĐ", "Hồ sơ hưởng trợ cấp tai nạn lao động hằng tháng"), 5),
    (("Trợ cấp BNN", "Hồ sơ hưởng trợ cấp bệnh nghề nghiệp hằng tháng"), 2),
    (("Mất sức lao động", "Hồ sơ hưởng trợ cấp mất sức lao động hằng tháng"), 5),
]
ONE_TIME_BENEFITS: list[tuple[tuple[str, str], float]] = [
    (("BHXH một lần", "Hồ sơ hưởng BHXH một lần"), 70),
    (("Tử tuất", "Hồ sơ hưởng trợ cấp tuất một lần"), 12),
    (("Trợ cấp TNLĐ", "Hồ sơ hưởng trợ cấp tai nạn lao động một lần"), 6),
    (("Trợ cấp mai táng", "Hồ sơ hưởng trợ cấp mai táng"), 12),
]

# Operational titles: the subject is chosen per file, month and year filled in.
SICKNESS_SUBJECTS = ["ốm đau", "thai sản", "dưỡng sức phục hồi sức khỏe"]
HEALTH_CARD_SUBJECTS = [
    "hộ gia đình",
    "học sinh, sinh viên",
    "người nghèo, cận nghèo",
    "trẻ em dưới 6 tuổi",
    "người hưởng lương hưu",
    "người lao động",
    "người có công với cách mạng",
]
VOUCHER_SUBJECTS = [
    "chi lương hưu và trợ cấp BHXH",
    "thu BHXH, BHYT, BHTN",
    "chi trợ cấp ốm đau, thai sản",
    "chi hoạt động bộ máy",
    "chi khám chữa bệnh BHYT",
]
GENERAL_TITLES = [
    "Công văn đi năm {year}",
    "Công văn đến năm {year}",
    "Hồ sơ hội nghị tổng kết công tác năm {year}",
    "Báo cáo thống kê tình hình thực hiện chính sách BHXH năm {year}",
    "Hồ sơ thanh tra, kiểm tra đóng BHXH năm {year}",
    "Hồ sơ giải quyết khiếu nại về chế độ BHXH năm {year}",
    "Kế hoạch và báo cáo công tác tuyên truyền năm {year}",
]
REGISTER_TITLES = [
    "Sổ theo dõi cho mượn hồ sơ năm {year}",
    "Sổ đăng ký nghiên cứu tài liệu tại chỗ năm {year}",
    "Sổ theo dõi cung cấp bản sao tài liệu năm {year}",
]
DESTRUCTION_TITLE = "Hồ sơ hủy tài liệu hết giá trị năm {year}"

# Employers: code prefix (first letter = ownership block, seeds-digest §2.2), weight, name shapes.
EMPLOYER_BLOCKS: list[tuple[str, float, list[str]]] = [
    ("YN", 40, ["Công ty TNHH {foreign} Việt Nam", "Công ty TNHH {foreign} Long An"]),
    (
        "TZ",
        35,
        [
            "Công ty TNHH {trade} {brand}",
            "Công ty cổ phần {trade} {brand}",
            "Doanh nghiệp tư nhân {brand}",
        ],
    ),
    ("HZ", 10, ["Trường Tiểu học {place}", "Trường THCS {place}", "Trạm Y tế xã {place}"]),
    ("HW", 8, ["UBND xã {place}", "Phòng Giáo dục và Đào tạo {place}", "Chi cục Thuế {place}"]),
    ("EZ", 4, ["Hợp tác xã nông nghiệp {place}", "Hợp tác xã vận tải {brand}"]),
    ("QZ", 3, ["Công ty TNHH một thành viên {brand}"]),
]
FOREIGN_BRANDS = [
    "Ascent Key",
    "Cheng Da",
    "True Soltec",
    "Samwoo",
    "Green Shoes",
    "Hong Hyun",
    "TaCheng",
    "Pouyuen",
    "Hwaseung",
    "Shing Mark",
    "Sun Rise",
    "Kwang Yang",
    "Dae Young",
    "Lotus Pack",
    "Mekong Textile",
    "Taiwan Foods",
    "Nitori",
    "Daikan",
    "Evergreen",
    "Fu Yuan",
]
TRADES = [
    "Xây dựng",
    "Thương mại - Dịch vụ",
    "May mặc",
    "Cơ khí",
    "Vật liệu xây dựng",
    "Chế biến",
    "Lương thực",
    "Vận tải",
    "Bao bì",
    "Thủy sản",
    "Đầu tư",
    "Điện nước",
    "Nông sản",
]
BRANDS = [
    "Hoàng Long",
    "Thành Công",
    "Minh Phát",
    "An Phú",
    "Hưng Thịnh",
    "Cường Vinh",
    "Nam Phong",
    "Minh Ngân",
    "Tân Thái",
    "Phúc Lộc",
    "Vĩnh Tiến",
    "Đại Dương",
    "Hiệp Hòa",
    "Phương Nam",
    "Kim Thành",
    "Thuận Phát",
    "Sao Mai",
    "Bình Minh",
    "Trường Sơn",
    "Gia Huy",
    "Mê Kông",
]
COMMUNES = [
    "Hựu Thạnh",
    "Đức Lập Hạ",
    "Mỹ Hạnh Nam",
    "Lương Hòa",
    "Phước Lợi",
    "Long Hậu",
    "Tân Kim",
    "Mỹ Lộc",
    "Nhựt Chánh",
    "Thạnh Đức",
    "Bình Hòa Tây",
    "Tuyên Thạnh",
    "Hướng Thọ Phú",
    "Lợi Bình Nhơn",
    "Tân Lân",
    "Long Trạch",
    "Phước Vân",
    "Thuận Mỹ",
    "Tân Phước Tây",
    "Bình Thành",
    "Mỹ Thạnh Đông",
    "Khánh Hưng",
    "Thạnh Phú",
    "An Ninh Tây",
]
