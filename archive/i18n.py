"""Every message a user reads, in Vietnamese and English, keyed by the stable error code.

Vietnamese is the first language; each entry is (vi, en), formatted with the error's params."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("vi", "en")

PATH_LABELS: dict[str, dict[str, str]] = {
    "vi": {"store": "Kho", "shelf": "Giá", "tier": "Tầng", "box": "Hộp", "position": "vị trí"},
    "en": {
        "store": "Store",
        "shelf": "Shelf",
        "tier": "Tier",
        "box": "Box",
        "position": "position",
    },
}
PATH_SEPARATOR = " › "

MESSAGES: dict[str, tuple[str, str]] = {
    "error": ("Đã xảy ra lỗi.", "An error occurred."),
    "not_found": ("Không tìm thấy.", "Not found."),
    "forbidden": ("Bạn không có quyền thực hiện thao tác này.", "You are not allowed to do this."),
    "conflict": ("Thao tác xung đột với dữ liệu hiện có.", "This conflicts with existing data."),
    "invalid": ("Dữ liệu không hợp lệ.", "Invalid data."),
    "internal": (
        "Lỗi hệ thống; thao tác chưa được thực hiện. Vui lòng báo quản trị viên.",
        "Internal error; nothing was changed. Please tell an administrator.",
    ),
    "request.invalid": ("Yêu cầu không hợp lệ: {detail}", "Invalid request: {detail}"),
    "route.not_found": ("Không có trang hoặc địa chỉ này.", "No such page or address."),
    "method.not_allowed": ("Phương thức không được hỗ trợ.", "Method not allowed."),
    # accounts
    "auth.required": ("Vui lòng đăng nhập.", "Please log in."),
    "auth.bad_credentials": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "auth.bad_token": ("Mã truy cập không hợp lệ hoặc đã hết hạn.", "Invalid or expired token."),
    "auth.csrf": (
        "Phiên làm việc không hợp lệ (CSRF); vui lòng tải lại trang.",
        "Invalid form token (CSRF); please reload the page.",
    ),
    "auth.permission": ("Bạn không có quyền: {perm}.", "You lack the permission: {perm}."),
    "auth.office_scope": (
        "Bạn không được truy cập hồ sơ của đơn vị này.",
        "You may not access this office's holdings.",
    ),
    "user.duplicate": (
        "Tên đăng nhập “{username}” đã tồn tại.",
        "Username “{username}” already exists.",
    ),
    "user.not_found": ("Không tìm thấy người dùng.", "User not found."),
    "user.role": ("Vai trò không hợp lệ: {role}.", "Unknown role: {role}."),
    "user.password_short": (
        "Mật khẩu phải có ít nhất {min} ký tự.",
        "Password must be at least {min} characters.",
    ),
    "user.username": (
        "Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch dưới (3–60 ký tự).",
        "Username: ASCII letters, digits, dot, underscore (3–60 characters).",
    ),
    # identifiers
    "identifier.ssn": (
        "Mã số BHXH “{value}” không hợp lệ: phải gồm đúng 10 chữ số.",
        "Social-insurance number “{value}” is invalid: it must be exactly 10 digits.",
    ),
    "identifier.citizen_id": (
        "Số định danh cá nhân “{value}” không hợp lệ: phải gồm đúng 12 chữ số.",
        "Personal ID “{value}” is invalid: it must be exactly 12 digits.",
    ),
    "identifier.health_card": (
        "Mã thẻ BHYT “{value}” không hợp lệ (15 ký tự).",
        "Health-insurance card “{value}” is invalid (15 characters).",
    ),
    "identifier.employer_code": (
        "Mã đơn vị “{value}” không hợp lệ.",
        "Employer code “{value}” is invalid.",
    ),
    "identifier.office_code": (
        "Mã đơn vị BHXH “{value}” không hợp lệ: phải gồm 2 chữ số.",
        "Office code “{value}” is invalid: it must be 2 digits.",
    ),
    "identifier.file_code": (
        "Số ký hiệu hồ sơ “{value}” không hợp lệ.",
        "File code “{value}” is invalid.",
    ),
    "identifier.date": (
        "Ngày “{value}” không hợp lệ (dd/mm/yyyy).",
        "Date “{value}” is invalid (dd/mm/yyyy).",
    ),
    # offices and locations
    "office.duplicate_code": ("Mã đơn vị {code} đã tồn tại.", "Office code {code} already exists."),
    "office.not_found": ("Không tìm thấy đơn vị.", "Office not found."),
    "store.not_found": ("Không tìm thấy kho.", "Store not found."),
    "store.code": ("Mã kho “{value}” không hợp lệ.", "Store code “{value}” is invalid."),
    "store.duplicate_code": (
        "Kho “{code}” đã tồn tại trong đơn vị.",
        "Store “{code}” already exists in this office.",
    ),
    "layout.shelf_range": (
        "Dải số giá {shelf_from}–{shelf_to} không hợp lệ.",
        "Shelf range {shelf_from}–{shelf_to} is invalid.",
    ),
    "layout.tiers": (
        "Số tầng mỗi giá ({value}) không hợp lệ.",
        "Tiers per shelf ({value}) is invalid.",
    ),
    "layout.boxes": (
        "Số hộp mỗi tầng ({value}) không hợp lệ.",
        "Boxes per tier ({value}) is invalid.",
    ),
    "layout.tier_length": (
        "Chiều dài tầng ({value} cm) không hợp lệ.",
        "Tier length ({value} cm) is invalid.",
    ),
    "layout.tier_overfull": (
        "{boxes} hộp rộng {width} cm không vừa một tầng dài {length} cm.",
        "{boxes} boxes of {width} cm do not fit a tier of {length} cm.",
    ),
    "layout.shelf_exists": (
        "Các giá số {numbers} đã có trong kho.",
        "Shelves {numbers} already exist in this store.",
    ),
    "box_profile.not_found": ("Không tìm thấy loại hộp.", "Box profile not found."),
    "box.not_found": ("Không tìm thấy hộp.", "Box not found."),
    "box.ref_empty": (
        "Nhập hoặc quét mã vạch hay số của hộp đích.",
        "Type or scan the target box's barcode or number.",
    ),
    "box.ref_not_found": (
        "Không tìm thấy hộp “{ref}” (mã vạch hoặc số hộp trong đơn vị).",
        "No box “{ref}” (barcode, or box number in this office).",
    ),
    "shelf.not_found": ("Không tìm thấy giá.", "Shelf not found."),
    "box.number": ("Số hộp {value} không hợp lệ.", "Box number {value} is invalid."),
    "box.duplicate_number": (
        "Hộp số {number} đã tồn tại trong đơn vị.",
        "Box {number} already exists in this office.",
    ),
    "box.tier_other_office": (
        "Không thể đặt hộp lên tầng thuộc kho của đơn vị khác.",
        "A box cannot go onto a tier of another office's store.",
    ),
    "box.same_tier": ("Hộp đã ở tầng này.", "The box is already on this tier."),
    "box.full": (
        "Hộp số {number} đã đầy ({capacity} hồ sơ).",
        "Box {number} is full ({capacity} files).",
    ),
    "box.order_mismatch": (
        "Danh sách sắp xếp phải gồm đúng các hồ sơ trong hộp.",
        "The new order must list exactly the files in the box.",
    ),
    "tier.not_found": ("Không tìm thấy tầng.", "Tier not found."),
    "tier.full": (
        "Tầng đã hết chỗ: đã dùng {used} cm, hộp rộng {width} cm, tầng dài {length} cm.",
        "The tier is full: {used} cm used, box {width} cm, tier {length} cm.",
    ),
    # files and people
    "file.not_found": ("Không tìm thấy hồ sơ.", "File not found."),
    "file.duplicate_code": (
        "Số ký hiệu hồ sơ “{code}” đã tồn tại trong đơn vị.",
        "File code “{code}” already exists in this office.",
    ),
    "file.box_other_office": (
        "Không thể xếp hồ sơ vào hộp của đơn vị khác.",
        "A file cannot go into another office's box.",
    ),
    "file.dates_order": (
        "Thời gian bắt đầu phải trước thời gian kết thúc.",
        "The start date must not be after the end date.",
    ),
    "file.title": ("Tiêu đề hồ sơ không được để trống.", "The file title must not be empty."),
    "file.sheet_count": ("Số tờ “{value}” không hợp lệ.", "Sheet count “{value}” is invalid."),
    "file.same_box": ("Hồ sơ đã ở trong hộp này.", "The file is already in this box."),
    "file.position": ("Vị trí {value} không hợp lệ.", "Position {value} is invalid."),
    "file.not_movable": (
        "Hồ sơ đang ở trạng thái “{status}”, không thể chuyển.",
        "The file is “{status}” and cannot be moved.",
    ),
    "file.person_required": (
        "Hồ sơ hưởng cần có mã số BHXH và họ tên người hưởng.",
        "A benefit file needs the person's social-insurance number and name.",
    ),
    "person.name_mismatch": (
        "Mã số BHXH {ssn} đã gắn với “{existing}”, khác với “{given}”.",
        "Social-insurance number {ssn} belongs to “{existing}”, not “{given}”.",
    ),
    "person.name": ("Họ và tên không được để trống.", "The full name must not be empty."),
    "series.not_found": (
        "Không tìm thấy loại hồ sơ “{code}”.",
        "Record series “{code}” not found.",
    ),
    "series.duplicate_code": (
        "Loại hồ sơ “{code}” đã tồn tại.",
        "Record series “{code}” already exists.",
    ),
    "retention.invalid": ("Thời hạn lưu trữ không hợp lệ.", "Invalid retention rule."),
    "lookup.empty": (
        "Nhập mã vạch, số ký hiệu, mã số BHXH, mã đơn vị hoặc họ tên.",
        "Enter a barcode, file code, social-insurance number, employer code or name.",
    ),
    # handover
    "handover.not_found": ("Không tìm thấy đợt giao nhận.", "Handover batch not found."),
    "handover.closed": (
        "Đợt giao nhận đã kết thúc, không thể thay đổi.",
        "The handover batch is closed.",
    ),
    "handover.duplicate_item": (
        "Hồ sơ “{code}” đã có trong danh mục giao nhận.",
        "File “{code}” is already in this handover catalogue.",
    ),
    "handover.already_received": (
        "Hồ sơ “{code}” đã được nhận.",
        "File “{code}” was already received.",
    ),
    "handover.item_not_found": ("Không tìm thấy dòng danh mục.", "Catalogue line not found."),
    "handover.nothing_received": (
        "Chưa nhận hồ sơ nào; không thể hoàn thành đợt giao nhận.",
        "No file has been received; the batch cannot be completed.",
    ),
    "handover.name": (
        "Tên đợt giao nhận không được để trống.",
        "The batch name must not be empty.",
    ),
    "handover.parties": (
        "Cần ghi họ tên bên giao và bên nhận.",
        "The giver's and the receiver's names are required.",
    ),
    "handover.source": (
        "Cần ghi đơn vị hoặc phòng nghiệp vụ giao hồ sơ.",
        "The giving office or department is required.",
    ),
    "handover.kind": (
        "Loại đợt giao nhận “{value}” không hợp lệ.",
        "Unknown batch kind “{value}”.",
    ),
    "handover.series_required": (
        "Cần chọn loại hồ sơ của đợt giao nhận.",
        "The batch needs a record series.",
    ),
    "handover.series_kind": (
        "Đợt giao nhận hồ sơ rà soát sổ BHXH phải thuộc loại hồ sơ rà soát sổ (không phải “{code}”).",
        "A passbook-review batch needs a passbook-review series (not “{code}”).",
    ),
    "handover.district_required": (
        "Đợt giao nhận hồ sơ rà soát sổ BHXH cần ghi BHXH huyện giao.",
        "A passbook-review batch needs its district office.",
    ),
    "handover.employer_required": (
        "Đợt giao nhận hồ sơ rà soát sổ BHXH cần mã đơn vị sử dụng lao động.",
        "A passbook-review batch needs the employer code.",
    ),
    "handover.passbook_required": (
        "Dòng hồ sơ rà soát sổ cần số sổ BHXH hoặc mã số BHXH.",
        "A passbook-review line needs a passbook or social-insurance number.",
    ),
    "handover.passbook_number": (
        "Số sổ BHXH “{value}” không hợp lệ.",
        "Passbook number “{value}” is invalid.",
    ),
    "handover.scan_empty": ("Chưa quét hoặc nhập mã hồ sơ.", "Nothing was scanned or typed."),
    "handover.discrepancy_text": (
        "Cần ghi nội dung sai lệch.",
        "Describe the discrepancy.",
    ),
    "handover.box_not_found": (
        "Hộp số {number} (hồ sơ “{code}”) không có trong đơn vị nhận.",
        "Box {number} (file “{code}”) does not exist in the receiving office.",
    ),
    # reports
    "report.group": (
        "Cách nhóm “{value}” không hợp lệ (ngày, tháng hoặc năm).",
        "Unknown grouping “{value}” (day, month or year).",
    ),
    "report.period": (
        "Khoảng thời gian không hợp lệ: từ {since} đến {until}.",
        "Invalid period: from {since} to {until}.",
    ),
    # import
    "import.invalid_rows": (
        "Tệp có {count} dòng lỗi; chưa ghi dữ liệu nào.",
        "The file has {count} bad rows; nothing was written.",
    ),
    "import.format": (
        "Định dạng tệp không được hỗ trợ (chỉ CSV hoặc XLSX).",
        "Unsupported file format (CSV or XLSX only).",
    ),
    "import.unreadable": ("Không đọc được tệp: {reason}", "The file cannot be read: {reason}"),
    "import.header": (
        "Không tìm thấy dòng tiêu đề cột hợp lệ; thiếu cột: {missing}.",
        "No valid header row found; missing columns: {missing}.",
    ),
    "import.empty": ("Tệp không có dòng dữ liệu nào.", "The file has no data rows."),
    "import.too_large": (
        "Tệp quá lớn ({size} byte, tối đa {max}).",
        "The file is too large ({size} bytes, max {max}).",
    ),
    "job.not_found": ("Không tìm thấy tác vụ.", "Job not found."),
    "import.source_missing": (
        "Không còn tệp đã kiểm tra; vui lòng tải tệp lên và kiểm tra lại.",
        "The checked file is no longer available; please upload and check it again.",
    ),
    # demo data
    "demo.not_empty": (
        "Cơ sở dữ liệu đã có hồ sơ; chỉ tạo dữ liệu mẫu trong cơ sở dữ liệu chưa có hồ sơ nào.",
        "The database already holds files; demo data is only created in a database without files.",
    ),
    "demo.files": (
        "Số hồ sơ mẫu ({value}) không hợp lệ: từ 1 đến {max}.",
        "The number of demo files ({value}) is invalid: from 1 to {max}.",
    ),
    "import.required": (
        "Cột “{column}” không được để trống.",
        "Column “{column}” must not be empty.",
    ),
    "import.date_future": (
        "Ngày “{value}” ở cột “{column}” muộn hơn ngày hôm nay.",
        "Date “{value}” in column “{column}” is later than today.",
    ),
    "import.too_long": (
        "Giá trị ở cột “{column}” dài quá {max} ký tự.",
        "The value in column “{column}” is longer than {max} characters.",
    ),
    "import.passbook": (
        "Số sổ BHXH “{value}” không hợp lệ (chữ và số, tối đa 20 ký tự).",
        "Passbook number “{value}” is invalid (letters and digits, at most 20).",
    ),
    "import.box_number": (
        "Số hộp “{value}” không hợp lệ: phải là số nguyên dương.",
        "Box number “{value}” is invalid: it must be a positive whole number.",
    ),
    "import.box_unknown": (
        "Hộp số {number} không có trong kho của đơn vị.",
        "Box {number} does not exist in this office.",
    ),
    "import.box_capacity": (
        "Hộp số {number} không đủ chỗ: chứa tối đa {capacity} hồ sơ, "
        "đã có {existing}, tệp thêm {adding}.",
        "Box {number} is too small: it holds {capacity} files, "
        "has {existing}, the file adds {adding}.",
    ),
    "import.duplicate_in_file": (
        "Số ký hiệu hồ sơ “{code}” bị lặp lại (đã có ở dòng {first_row}).",
        "File code “{code}” is repeated (first at row {first_row}).",
    ),
    "import.office_unknown": (
        "Mã đơn vị BHXH “{value}” không có trong hệ thống.",
        "Office code “{value}” is not known.",
    ),
    "person.citizen_id_taken": (
        "Số định danh “{value}” đã gắn với mã số BHXH {ssn}.",
        "Personal ID “{value}” already belongs to social-insurance number {ssn}.",
    ),
    "queue.url": (
        "Địa chỉ hàng đợi “{url}” không được hỗ trợ (sqlite:///… hoặc redis://…).",
        "Queue address “{url}” is not supported (sqlite:///… or redis://…).",
    ),
    # scans: intake checks and stored originals (issue 3)
    "search.query_invalid": (
        "Câu tìm kiếm không hợp lệ (trường “{field}”).",
        "Invalid search (field “{field}”).",
    ),
    "search.index_write_failed": (
        "Không ghi được chỉ mục tìm kiếm; thay đổi chưa được áp dụng vào chỉ mục. Vui lòng báo quản trị viên.",
        "The search index could not be written; the change is not in the index yet. Please tell an administrator.",
    ),
    "search.index_unusable": (
        "Thư mục chỉ mục tìm kiếm không dùng được (không phải chỉ mục của hệ thống); cần dựng lại bằng `archive reindex`.",
        "The search index directory is unusable (not this system's index); rebuild it with `archive reindex`.",
    ),
    "search.backend_unavailable": (
        "Bộ máy tìm kiếm “{backend}” chưa được cài đặt trong phiên bản này; hãy chọn ARCHIVE_SEARCH_BACKEND=tantivy.",
        "Search backend “{backend}” is not installed in this build; choose ARCHIVE_SEARCH_BACKEND=tantivy.",
    ),
    "scan.empty": (
        "Tệp rỗng (0 byte); không có gì để lưu.",
        "The file is empty (0 bytes); nothing to store.",
    ),
    "scan.unsupported_type": (
        "Loại tệp không được hỗ trợ: chỉ nhận PDF, TIFF, PNG hoặc JPEG (nhận diện theo nội dung, không theo tên tệp).",
        "Unsupported file type: only PDF, TIFF, PNG or JPEG are accepted (recognised by content, not by file name).",
    ),
    "scan.pdf_corrupt": (
        "Tệp PDF bị hỏng, không đọc được; vui lòng xuất hoặc quét lại.",
        "The PDF is corrupt and cannot be read; please export or scan it again.",
    ),
    "scan.pdf_truncated": (
        "Tệp PDF không đầy đủ (bị cắt cụt); vui lòng tải lên lại.",
        "The PDF is incomplete (truncated); please upload it again.",
    ),
    "scan.pdf_encrypted": (
        "Tệp PDF được mã hoá hoặc đặt mật khẩu; vui lòng gỡ mật khẩu rồi tải lên lại.",
        "The PDF is encrypted or password-protected; please remove the password and upload it again.",
    ),
    "scan.pdf_no_pages": ("Tệp PDF không có trang nào.", "The PDF has no pages."),
    "scan.image_too_large": (
        "Ảnh quá lớn: {width} × {height} điểm ảnh (tối đa {max_megapixels} triệu điểm ảnh).",
        "The image is too large: {width} × {height} pixels (at most {max_megapixels} megapixels).",
    ),
    "scan.image_corrupt": (
        "Tệp ảnh bị hỏng hoặc không đầy đủ; vui lòng quét lại.",
        "The image file is corrupt or incomplete; please scan it again.",
    ),
    "scan.original_missing": (
        "Không tìm thấy bản gốc đã lưu (SHA-256 {sha256}).",
        "The stored original is missing (SHA-256 {sha256}).",
    ),
    "scan.derived_missing": (
        "Không tìm thấy ảnh “{variant}” dựng từ bản gốc {sha256}.",
        "The “{variant}” image derived from original {sha256} is missing.",
    ),
}


# Labels of the web UI: key -> (vi, en). Templates call t("key").
UI: dict[str, tuple[str, str]] = {
    "app.name": ("Kho lưu trữ hồ sơ BHXH", "BHXH records archive"),
    "nav.home": ("Trang chủ", "Home"),
    "nav.locations": ("Kho, giá, hộp", "Stores and boxes"),
    "nav.handover": ("Giao nhận", "Handovers"),
    "nav.import": ("Nhập mục lục", "Import catalogue"),
    "nav.reports": ("Báo cáo", "Reports"),
    "nav.audit": ("Nhật ký", "Audit log"),
    "nav.users": ("Người dùng", "Users"),
    "nav.series": ("Loại hồ sơ", "Record series"),
    "nav.logout": ("Đăng xuất", "Log out"),
    "lookup.placeholder": (
        "Quét mã vạch hoặc nhập số ký hiệu, mã số BHXH, mã đơn vị, họ tên…",
        "Scan a barcode or type a file code, number, employer code, name…",
    ),
    "lookup.button": ("Tra cứu", "Look up"),
    "lookup.title": ("Kết quả tra cứu", "Lookup results"),
    "lookup.none": ("Không tìm thấy kết quả nào.", "Nothing found."),
    "lookup.birth_date": ("Ngày sinh", "Birth date"),
    "lookup.office": ("Đơn vị", "Office"),
    "lookup.employer": ("Mã đơn vị sử dụng lao động", "Employer code"),
    "lookup.narrow": ("Lọc", "Narrow"),
    "lookup.match.exact": ("trùng khớp có dấu", "exact match"),
    "lookup.match.folded": ("trùng khớp không dấu", "match without diacritics"),
    "lookup.match.partial": ("trùng một phần", "partial match"),
    "login.title": ("Đăng nhập", "Log in"),
    "login.username": ("Tên đăng nhập", "Username"),
    "login.password": ("Mật khẩu", "Password"),
    "login.submit": ("Đăng nhập", "Log in"),
    "home.title": ("Tổng quan", "Overview"),
    "home.offices": ("Đơn vị", "Offices"),
    "home.files": ("Hồ sơ", "Files"),
    "home.boxes": ("Hộp", "Boxes"),
    "home.metres": ("Mét giá", "Shelf metres"),
    "error.title": ("Không thực hiện được", "Could not be done"),
    "error.back": ("Quay lại", "Go back"),
    "col.code": ("Số ký hiệu", "File code"),
    "col.title": ("Tiêu đề", "Title"),
    "col.person": ("Họ và tên", "Name"),
    "col.ssn": ("Mã số BHXH", "Social-insurance no."),
    "col.birth": ("Ngày sinh", "Born"),
    "col.path": ("Vị trí", "Location"),
    "col.office": ("Đơn vị", "Office"),
    "col.series": ("Loại hồ sơ", "Series"),
    "col.status": ("Trạng thái", "Status"),
    "col.match": ("Khớp", "Match"),
    "col.kind": ("Loại", "Kind"),
    "kind.file": ("Hồ sơ", "File"),
    "kind.box": ("Hộp", "Box"),
    "kind.tier": ("Tầng", "Tier"),
    "kind.shelf": ("Giá", "Shelf"),
    "kind.store": ("Kho", "Store"),
    "status.active": ("Trong kho", "In store"),
    "status.on_loan": ("Đang cho mượn", "On loan"),
    "status.missing": ("Thất lạc", "Missing"),
    "status.destroyed": ("Đã hủy", "Destroyed"),
    "status.transferred": ("Đã nộp lưu", "Transferred"),
    "lang.switch": ("English", "Tiếng Việt"),
    # locations, boxes and files pages (issue 2, item 11)
    "stores.title": ("Kho lưu trữ", "Stores"),
    "stores.none": ("Chưa có kho nào.", "No stores yet."),
    "stores.create": ("Thêm kho", "Add a store"),
    "stores.create_button": ("Thêm kho", "Add store"),
    "stores.code": ("Mã kho", "Store code"),
    "stores.name": ("Tên kho", "Store name"),
    "store.no_shelves": ("Kho chưa có giá nào.", "This store has no shelves yet."),
    "tier.no_boxes": ("Chưa có hộp", "No boxes"),
    "box.empty": ("Hộp chưa có hồ sơ nào.", "This box holds no files."),
    "box.up": ("Chuyển lên", "Move up"),
    "box.down": ("Chuyển xuống", "Move down"),
    "layout.title": ("Thêm giá theo dải số", "Add shelves from a range"),
    "layout.help": (
        "Tạo liên tiếp các giá, mỗi giá có số tầng và số hộp mỗi tầng; hộp được đánh số "
        "và gắn mã vạch tự động.",
        "Creates consecutive shelves, each with its tiers and boxes per tier; boxes are "
        "numbered and barcoded automatically.",
    ),
    "layout.shelf_from": ("Từ giá số", "From shelf"),
    "layout.shelf_to": ("Đến giá số", "To shelf"),
    "layout.tiers": ("Số tầng mỗi giá", "Tiers per shelf"),
    "layout.boxes": ("Số hộp mỗi tầng", "Boxes per tier"),
    "layout.length": ("Chiều dài tầng (cm)", "Tier length (cm)"),
    "layout.profile": ("Loại hộp", "Box profile"),
    "layout.submit": ("Tạo giá", "Create shelves"),
    "move.title": ("Chuyển hồ sơ sang hộp khác", "Move a file to another box"),
    "move.file": ("Hồ sơ", "File"),
    "move.target": ("Hộp đích", "Target box"),
    "move.target_placeholder": (
        "Quét mã vạch hoặc nhập số hộp",
        "Scan a barcode or type a box number",
    ),
    "move.reason": ("Lý do", "Reason"),
    "move.submit": ("Chuyển", "Move"),
    "move.button_short": ("Chuyển…", "Move…"),
    "occ.free": ("còn trống", "free"),
    "unit.boxes": ("hộp", "boxes"),
    "unit.files": ("hồ sơ", "files"),
    "file.details": ("Thông tin hồ sơ", "File details"),
    "file.person": ("Người hưởng, đơn vị", "Person and employer"),
    "file.personal_hidden": (
        "Bạn không có quyền xem thông tin cá nhân.",
        "You may not see personal data.",
    ),
    "file.unboxed": ("Chưa xếp vào hộp", "Not in a box"),
    "file.history": ("Lịch sử hồ sơ", "File history"),
    "col.barcode": ("Mã vạch", "Barcode"),
    "col.boxes": ("Số hộp", "Boxes"),
    "col.files": ("Số hồ sơ", "Files"),
    "col.shelves": ("Số giá", "Shelves"),
    "col.metres": ("Mét giá", "Shelf metres"),
    "col.occupancy": ("Mức sử dụng", "Occupancy"),
    "col.fill": ("Độ đầy", "Fill"),
    "col.position": ("Vị trí", "Position"),
    "col.profile": ("Loại hộp", "Box profile"),
    "col.dates": ("Thời gian", "Dates"),
    "col.sheets": ("Số tờ", "Sheets"),
    "col.notes": ("Ghi chú", "Notes"),
    "col.actions": ("Thao tác", "Actions"),
    "col.benefit_type": ("Chế độ hưởng", "Benefit type"),
    "col.citizen_id": ("Số định danh cá nhân", "Personal ID number"),
    "col.passbook": ("Số sổ BHXH", "Passbook number"),
    "col.employer": ("Đơn vị sử dụng lao động", "Employer"),
    "col.when": ("Thời điểm", "When"),
    "col.who": ("Người thực hiện", "Who"),
    "col.action": ("Thao tác", "Action"),
    "col.details": ("Chi tiết", "Details"),
    "action.file.created": ("Đăng ký hồ sơ", "Registered"),
    "action.file.updated": ("Sửa thông tin", "Edited"),
    "action.file.moved": ("Chuyển hộp", "Moved"),
    "field.title": ("Tiêu đề", "Title"),
    "field.start_date": ("Ngày bắt đầu", "Start date"),
    "field.end_date": ("Ngày kết thúc", "End date"),
    "field.sheet_count": ("Số tờ", "Sheets"),
    "field.notes": ("Ghi chú", "Notes"),
    "field.benefit_type": ("Chế độ hưởng", "Benefit type"),
    "field.series_id": ("Loại hồ sơ", "Series"),
    "ok.file.moved": ("Đã chuyển hồ sơ.", "The file was moved."),
    "ok.box.reordered": ("Đã sắp xếp lại hồ sơ trong hộp.", "The box was re-ordered."),
    "ok.layout.built": ("Đã tạo giá, tầng và hộp.", "Shelves, tiers and boxes were created."),
    "ok.store.created": ("Đã thêm kho.", "The store was added."),
    "ok.retention.changed": ("Đã lưu thời hạn lưu trữ mới.", "The new retention rule was saved."),
    "ok.user.created": ("Đã thêm người dùng.", "The user was added."),
    # series, audit and users pages
    "series.title": ("Loại hồ sơ và thời hạn lưu trữ", "Record series and retention"),
    "series.code": ("Mã", "Code"),
    "series.name": ("Tên loại hồ sơ", "Series name"),
    "series.kind": ("Nhóm", "Kind"),
    "series.retention": ("Thời hạn lưu trữ", "Retention"),
    "series.version": ("Phiên bản", "Version"),
    "series_kind.benefit": ("Hồ sơ hưởng", "Benefit files"),
    "series_kind.operational": ("Hồ sơ nghiệp vụ", "Operational files"),
    "series_kind.passbook_review": ("Hồ sơ rà soát sổ BHXH", "Passbook-review files"),
    "retention.permanent": ("Vĩnh viễn", "Permanent"),
    "retention.years": ("năm", "years"),
    "retention.new": ("Đặt thời hạn lưu trữ mới", "Set a new retention rule"),
    "retention.help": (
        "Để trống số năm và chọn “Không (vĩnh viễn)” cho hồ sơ lưu trữ vĩnh viễn. "
        "Các phiên bản cũ được giữ lại.",
        "Leave the years empty and choose “None (permanent)” for permanent files. "
        "Earlier versions are kept.",
    ),
    "retention.period": ("Số năm", "Years"),
    "retention.trigger": ("Tính từ", "Counted from"),
    "retention.note": ("Căn cứ, ghi chú", "Basis, note"),
    "retention.save": ("Lưu phiên bản mới", "Save new version"),
    "retention.versions": ("Các phiên bản", "Versions"),
    "trigger.none": ("Không (vĩnh viễn)", "None (permanent)"),
    "trigger.closed_year": ("từ năm kết thúc hồ sơ", "from the year the file closed"),
    "trigger.fiscal_year_end": ("từ năm kết thúc năm tài chính", "from the end of the fiscal year"),
    "trigger.benefit_end": ("từ khi hết hưởng", "from the end of the benefit"),
    "trigger.contract_end": ("từ khi hết hợp đồng", "from the end of the contract"),
    "trigger.destruction_year": ("từ năm hủy tài liệu", "from the year of destruction"),
    "audit.title": ("Nhật ký thao tác", "Audit log"),
    "audit.action": ("Thao tác (mã)", "Action (code)"),
    "audit.object_type": ("Đối tượng", "Object"),
    "audit.object_id": ("Số hiệu đối tượng", "Object id"),
    "audit.object": ("Đối tượng", "Object"),
    "audit.any": ("Tất cả", "Any"),
    "audit.since": ("Từ ngày", "From"),
    "audit.until": ("Đến ngày", "To"),
    "audit.filter": ("Lọc", "Filter"),
    "audit.clear": ("Bỏ lọc", "Clear"),
    "audit.none": ("Không có sự kiện nào.", "No events."),
    "audit.older": ("Cũ hơn", "Older"),
    "object.file": ("Hồ sơ", "File"),
    "object.box": ("Hộp", "Box"),
    "object.store": ("Kho", "Store"),
    "object.series": ("Loại hồ sơ", "Series"),
    "object.user": ("Người dùng", "User"),
    "object.office": ("Đơn vị", "Office"),
    "object.handover": ("Đợt giao nhận", "Handover"),
    "object.job": ("Tác vụ", "Job"),
    "object.import": ("Nhập mục lục", "Import"),
    "object.api_token": ("Mã truy cập API", "API token"),
    "action.box.created": ("Tạo hộp", "Box created"),
    "action.box.moved": ("Chuyển hộp sang tầng khác", "Box moved"),
    "action.box.reordered": ("Sắp xếp lại hộp", "Box re-ordered"),
    "action.store.created": ("Tạo kho", "Store created"),
    "action.store.layout_built": ("Tạo giá, tầng, hộp", "Layout built"),
    "action.office.created": ("Tạo đơn vị", "Office created"),
    "action.retention.changed": ("Đổi thời hạn lưu trữ", "Retention changed"),
    "action.user.created": ("Tạo người dùng", "User created"),
    "action.user.password_changed": ("Đổi mật khẩu", "Password changed"),
    "action.session.opened": ("Đăng nhập", "Logged in"),
    "action.token.issued": ("Cấp mã truy cập API", "API token issued"),
    "action.import.completed": ("Nhập mục lục", "Catalogue imported"),
    "action.demo.loaded": ("Nạp dữ liệu mẫu", "Demo data loaded"),
    "action.handover.created": ("Tạo đợt giao nhận", "Handover created"),
    "action.handover.catalogue_loaded": ("Nạp danh mục giao nhận", "Handover catalogue loaded"),
    "action.handover.discrepancy_recorded": ("Ghi nhận sai lệch", "Discrepancy recorded"),
    "action.handover.completed": ("Hoàn thành giao nhận", "Handover completed"),
    "action.handover.cancelled": ("Hủy đợt giao nhận", "Handover cancelled"),
    "users.title": ("Người dùng", "Users"),
    "users.full_name": ("Họ và tên", "Full name"),
    "users.department": ("Phòng, bộ phận", "Department"),
    "users.roles": ("Vai trò", "Roles"),
    "users.scope": ("Phạm vi", "Scope"),
    "users.all_offices": ("Mọi đơn vị", "All offices"),
    "users.own_office": ("Đơn vị mình", "Own office"),
    "users.active": ("Đang hoạt động", "Active"),
    "users.inactive": ("Đã khóa", "Disabled"),
    "users.create": ("Thêm người dùng", "Add a user"),
    "users.create_button": ("Thêm", "Add"),
    "users.password_help": (
        "Mật khẩu ít nhất 10 ký tự. Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch dưới.",
        "Passwords have at least 10 characters. Usernames: ASCII letters, digits, dot, underscore.",
    ),
    "role.administrator": ("Quản trị", "Administrator"),
    "role.archivist": ("Lưu trữ viên", "Archivist"),
    "role.approver": ("Lãnh đạo duyệt", "Approver"),
    "role.staff": ("Cán bộ nghiệp vụ", "Staff"),
    "role.inspector": ("Thanh tra, kiểm tra", "Inspector"),
    # import page
    "import.title": ("Nhập mục lục hồ sơ", "Import a catalogue"),
    "import.upload_title": ("Tải tệp mục lục lên", "Upload a catalogue file"),
    "import.help": (
        "Tệp CSV hoặc XLSX có dòng tiêu đề cột (Số ký hiệu hồ sơ, Tiêu đề hồ sơ, …). "
        "Bước kiểm tra không ghi dữ liệu nào; chỉ tệp không có dòng lỗi mới được nhập.",
        "A CSV or XLSX file with a header row (File code, Title, …). The check writes "
        "nothing; only a file without bad rows can be imported.",
    ),
    "import.series": ("Loại hồ sơ mặc định", "Default series"),
    "import.file": ("Tệp", "File"),
    "import.check": ("Kiểm tra (không ghi)", "Check (writes nothing)"),
    "import.run": ("Nhập vào sổ đăng ký", "Import into the register"),
    "import.report_title": ("Kết quả kiểm tra", "Check report"),
    "import.rows_checked": ("Số dòng đã kiểm tra", "Rows checked"),
    "import.fix_and_retry": (
        "Chưa ghi dữ liệu nào. Sửa các dòng dưới đây rồi tải tệp lên lại.",
        "Nothing was written. Fix the rows below and upload the file again.",
    ),
    "import.clean": ("Tệp hợp lệ:", "The file is valid:"),
    "import.rows_ready": ("dòng sẵn sàng để nhập.", "rows ready to import."),
    "import.col_row": ("Dòng", "Row"),
    "import.col_column": ("Cột", "Column"),
    "import.col_value": ("Giá trị", "Value"),
    "import.col_reason": ("Lý do", "Reason"),
    "import.done_title": ("Đã nhập xong", "Import finished"),
    "import.done": ("Đã nhập", "Imported"),
    "import.people_created": ("Người hưởng mới", "New people"),
    "import.job_title": ("Tác vụ nhập mục lục", "Import job"),
    "job.queued": ("Đang chờ", "Queued"),
    "job.running": ("Đang chạy", "Running"),
    "job.done": ("Hoàn thành", "Done"),
    "job.failed": ("Thất bại", "Failed"),
    "job.stage.read": ("Đọc và kiểm tra tệp", "Reading and checking the file"),
    "job.stage.write": ("Ghi vào sổ đăng ký", "Writing to the register"),
    # handover pages
    "handover.title": ("Giao nhận hồ sơ", "Handovers"),
    "handover.none": ("Chưa có đợt giao nhận nào.", "No handover batches yet."),
    "handover.name": ("Tên đợt giao nhận", "Batch name"),
    "handover.name_placeholder": (
        "VD: Hồ sơ hưởng một lần năm 2023 của BHXH huyện Duy Tiên",
        "e.g. One-time benefit files 2023 from Duy Tiên",
    ),
    "handover.kind": ("Loại đợt", "Kind"),
    "handover.expected": ("Theo danh mục", "In catalogue"),
    "handover.received": ("Đã nhận", "Received"),
    "handover.missing": ("Thiếu", "Missing"),
    "handover.not_yet": ("Chưa nhận", "Not yet received"),
    "handover.extra": ("Thừa", "Extra"),
    "handover.created_at": ("Ngày lập", "Created"),
    "handover.completed_at": ("hoàn thành", "completed"),
    "handover.create": ("Lập đợt giao nhận mới", "New handover batch"),
    "handover.create_button": ("Lập đợt giao nhận", "Create batch"),
    "handover.receiving_office": ("Đơn vị nhận", "Receiving office"),
    "handover.source_office": ("Mã đơn vị giao", "Giving office code"),
    "handover.source_department": ("Hoặc phòng, bộ phận giao", "Or giving department"),
    "handover.employer_code": ("Mã đơn vị SDLĐ (rà soát sổ)", "Employer code (passbook review)"),
    "handover.employer_name": ("Tên đơn vị SDLĐ", "Employer name"),
    "handover.giver_name": ("Người giao", "Given by"),
    "handover.giver_position": ("Chức vụ người giao", "Giver's position"),
    "handover.receiver_name": ("Người nhận", "Received by"),
    "handover.receiver_position": ("Chức vụ người nhận", "Receiver's position"),
    "handover.legal_basis": ("Căn cứ", "Legal basis"),
    "handover.condition": ("Tình trạng tài liệu", "Condition"),
    "handover.from": ("Bên giao", "From"),
    "handover.to": ("Bên nhận", "To"),
    "handover.minutes": ("Biên bản giao nhận và mục lục", "Handover minutes and catalogue"),
    "handover.scan_title": ("Quét hồ sơ nhận", "Scan files in"),
    "handover.scan_placeholder": (
        "Quét mã vạch hoặc nhập số ký hiệu, số sổ rồi nhấn Enter",
        "Scan a barcode or type a file code or passbook number, then Enter",
    ),
    "handover.receive": ("Nhận", "Receive"),
    "handover.scan_matched": ("Đã nhận hồ sơ", "Received file"),
    "handover.scan_extra": (
        "Không có trong danh mục — đã ghi nhận là hồ sơ thừa:",
        "Not in the catalogue — recorded as an extra file:",
    ),
    "handover.catalogue": ("Danh mục giao nhận", "Handover catalogue"),
    "handover.no_lines": ("Danh mục chưa có dòng nào.", "The catalogue has no lines yet."),
    "handover.row": ("STT", "No."),
    "handover.discrepancy": ("Sai lệch", "Discrepancy"),
    "handover.discrepancies": ("Sai lệch khi đối chiếu", "Discrepancies found"),
    "handover.note": ("Ghi sai lệch", "Note a discrepancy"),
    "handover.note_placeholder": ("VD: thực tế 22 tờ", "e.g. 22 sheets in fact"),
    "handover.note_save": ("Lưu", "Save"),
    "handover.add_line": ("Thêm dòng vào danh mục", "Add a catalogue line"),
    "handover.box_number": ("Hộp số", "Box no."),
    "handover.start": ("Từ ngày", "From"),
    "handover.end": ("Đến ngày", "To"),
    "handover.add": ("Thêm", "Add"),
    "handover.load_catalogue": ("Nạp danh mục từ tệp", "Load the catalogue from a file"),
    "handover.load": ("Nạp danh mục", "Load"),
    "handover.finish": ("Kết thúc đợt giao nhận", "Close the batch"),
    "handover.complete_help": (
        "Hoàn thành: các hồ sơ đã nhận (và thừa) được đăng ký vào sổ, các dòng "
        "chưa nhận ghi là thiếu. Hủy: không đăng ký gì.",
        "Complete: received (and extra) files are registered, lines not "
        "received become missing. Cancel: nothing is registered.",
    ),
    "handover.complete": ("Hoàn thành giao nhận", "Complete the handover"),
    "handover.complete_confirm": ("Hoàn thành đợt giao nhận này?", "Complete this handover?"),
    "handover.cancel": ("Hủy đợt", "Cancel batch"),
    "handover.cancel_confirm": ("Hủy đợt giao nhận này?", "Cancel this handover?"),
    "handover.cancel_reason": ("Lý do hủy", "Reason"),
    "handover.print": ("In", "Print"),
    "handover.preview": ("Bản xem trước (đợt chưa hoàn thành)", "Preview (batch still open)"),
    "handover_kind.general": ("Giao nhận hồ sơ", "General handover"),
    "handover_kind.passbook_review": ("Rà soát sổ BHXH", "Passbook review"),
    "batch.open": ("Đang nhận", "Open"),
    "batch.completed": ("Đã hoàn thành", "Completed"),
    "batch.cancelled": ("Đã hủy", "Cancelled"),
    "item.expected": ("Chưa nhận", "Expected"),
    "item.received": ("Đã nhận", "Received"),
    "item.missing": ("Thiếu", "Missing"),
    "item.extra": ("Thừa", "Extra"),
    "discrepancy.missing": ("Thiếu", "Missing"),
    "discrepancy.extra": ("Thừa (không có trong danh mục)", "Extra (not in the catalogue)"),
    "discrepancy.wrong_details": ("Sai thông tin", "Wrong details"),
    "ok.handover.created": ("Đã lập đợt giao nhận.", "The handover batch was created."),
    "ok.handover.completed": (
        "Đã hoàn thành giao nhận; hồ sơ đã được đăng ký.",
        "The handover is complete; the files are registered.",
    ),
    "ok.handover.cancelled": ("Đã hủy đợt giao nhận.", "The handover batch was cancelled."),
    # reports page
    "reports.title": ("Báo cáo", "Reports"),
    "reports.all_offices": ("Mọi đơn vị", "All offices"),
    "reports.group": ("Theo", "Per"),
    "reports.group.day": ("Ngày", "Day"),
    "reports.group.month": ("Tháng", "Month"),
    "reports.group.year": ("Năm", "Year"),
    "reports.show": ("Xem", "Show"),
    "reports.holdings": ("Tài liệu đang bảo quản", "Holdings"),
    "reports.holding": ("Khối tài liệu", "Holding"),
    "reports.file_units": ("Số đơn vị bảo quản", "File units"),
    "reports.total": ("Tổng cộng", "Total"),
    "reports.by_office_series_year": (
        "Theo đơn vị, loại hồ sơ và năm",
        "Per office, series and year",
    ),
    "reports.year": ("Năm", "Year"),
    "reports.office_total": ("Cộng", "Total"),
    "reports.no_data": ("Không có số liệu.", "No data."),
    "reports.occupancy": ("Sức chứa các kho", "Store occupancy"),
    "reports.length_m": ("Chiều dài giá (m)", "Shelf length (m)"),
    "reports.received": ("Hồ sơ tiếp nhận theo thời gian", "Files received per period"),
    "reports.period": ("Kỳ", "Period"),
    "reports.files_registered": ("Hồ sơ đăng ký", "Files registered"),
    "reports.handovers_completed": ("Đợt giao nhận hoàn thành", "Handovers completed"),
}


def ui(key: str, lang: str = "vi") -> str:
    """A UI label in the reader's language (the key itself if it is missing, caught by a test)."""
    entry = UI.get(key)
    if entry is None:
        return key
    return entry[1] if lang == "en" else entry[0]


def message(code: str, lang: str = "vi", /, **params: Any) -> str:
    """The user's message for `code` in `lang`, with params filled in (unknown code → generic)."""
    vi, en = MESSAGES.get(code) or MESSAGES.get(code.split(".")[0]) or MESSAGES["error"]
    template = en if lang == "en" else vi
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
