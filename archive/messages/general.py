"""Messages of the register, accounts, scans and search: code -> (vi, en)."""

from __future__ import annotations

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
    "job.abandoned": (
        "Tác vụ đã dừng giữa chừng {attempts} lần (tiến trình xử lý bị tắt); không thử lại nữa. Không có dữ liệu nào bị ghi dở.",
        "The job stopped midway {attempts} times (its worker was killed); it is not retried again. Nothing was half-written.",
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
    "saved_search.name_invalid": (
        "Hãy đặt tên cho lượt tìm kiếm (tối đa {max} ký tự).",
        "Give the search a name (at most {max} characters).",
    ),
    "saved_search.empty": (
        "Không có gì để lưu: hãy nhập từ cần tìm hoặc chọn bộ lọc.",
        "Nothing to save: type words to search for or choose a filter.",
    ),
    "saved_search.name_taken": (
        "Bạn đã có một lượt tìm kiếm đã lưu tên “{name}”.",
        "You already have a saved search named “{name}”.",
    ),
    "saved_search.not_found": ("Không tìm thấy lượt tìm kiếm đã lưu.", "Saved search not found."),
    "saved_search.no_user": (
        "Chỉ người dùng đăng nhập mới lưu được lượt tìm kiếm.",
        "Only a logged-in user can keep saved searches.",
    ),
    "search.index_write_failed": (
        "Không ghi được chỉ mục tìm kiếm; thay đổi chưa được áp dụng vào chỉ mục. Vui lòng báo quản trị viên.",
        "The search index could not be written; the change is not in the index yet. Please tell an administrator.",
    ),
    "search.index_unusable": (
        "Không mở được chỉ mục tìm kiếm: nơi đặt chỉ mục chứa dữ liệu không phải của hệ thống hoặc không truy cập được. Vui lòng báo quản trị viên.",
        "The search index cannot be opened: its location holds data that is not this system's, or cannot be reached. Please tell an administrator.",
    ),
    "search.index_outdated": (
        "Chỉ mục tìm kiếm thuộc phiên bản cũ hoặc bị hỏng; cần dựng lại bằng `archive reindex` (chỉ mục cũ được giữ lại bên cạnh).",
        "The search index is of an older version or damaged; rebuild it with `archive reindex` (the old index is kept aside).",
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
    "scan.no_documents": ("Chưa chọn tệp nào để nhận.", "No document was given."),
    "scan.too_many_documents": (
        "Mỗi lần chỉ nhận tối đa {limit} tệp (đã chọn {count}).",
        "At most {limit} documents per intake ({count} given).",
    ),
    "scan.upload_too_large": (
        "Tệp “{filename}” lớn hơn giới hạn {limit_mb} MB.",
        "“{filename}” is larger than the {limit_mb} MB limit.",
    ),
    "scan.file_other_office": (
        "Hồ sơ {code} thuộc đơn vị khác với lô quét.",
        "File {code} belongs to another office than the batch.",
    ),
    "scan.batch_not_found": (
        "Không tìm thấy lô quét {batch_id}.",
        "Scan batch {batch_id} not found.",
    ),
    "scan.page_abandoned": (
        "Trang đã thử xử lý nhiều lần mà không xong; cần kiểm tra và xử lý lại.",
        "The page was tried several times without success; check it and run it again.",
    ),
    "scan.page_failed": (
        "Không đọc được trang này (lỗi khi xử lý).",
        "This page could not be read (processing error).",
    ),
    "scan.no_files": ("Chưa chọn hồ sơ nào.", "No file was chosen."),
    "scan.too_many_cover_sheets": (
        "Mỗi lần in tối đa {limit} tờ bìa.",
        "At most {limit} cover sheets per print.",
    ),
    "scan.box_empty": ("Hộp chưa có hồ sơ nào.", "The box holds no files."),
    "scan.file_has_no_pages": (
        "Hồ sơ {file_code} chưa có trang quét nào.",
        "File {file_code} has no scanned pages.",
    ),
    "page.not_found": ("Không tìm thấy trang {page_id}.", "Page {page_id} not found."),
    "page.still_processing": (
        "Trang {page_id} đang được xử lý; hãy thử lại sau.",
        "Page {page_id} is still being processed; try again later.",
    ),
    "page.order_mismatch": (
        "Thứ tự mới phải liệt kê đúng một lần mỗi trang của hồ sơ {file_code}.",
        "The new order must list each page of file {file_code} exactly once.",
    ),
    "page.other_office": (
        "Trang {page_id} thuộc đơn vị khác với hồ sơ {file_code}.",
        "Page {page_id} belongs to another office than file {file_code}.",
    ),
    "page.cover_not_content": (
        "Trang {page_id} là tờ bìa quét, không phải nội dung hồ sơ.",
        "Page {page_id} is a scan cover sheet, not content of a file.",
    ),
    "page.text_too_long": (
        "Nội dung trang dài quá {limit} ký tự.",
        "The page text is longer than {limit} characters.",
    ),
    "page.not_in_review": (
        "Trang {page_id} không nằm trong danh sách cần kiểm tra.",
        "Page {page_id} is not in the review queue.",
    ),
    "scan.page_render_failed": (
        "Không dựng được ảnh trang {page} của bản gốc ({reason}); vui lòng thử lại hoặc quét lại.",
        "Page {page} of the original could not be rendered ({reason}); please retry or scan it again.",
    ),
    "file.not_found_code": (
        "Không tìm thấy hồ sơ có mã “{code}” trong đơn vị.",
        "No file with code “{code}” in the office.",
    ),
    "scan.folder_not_a_directory": (
        "“{path}” không phải là một thư mục có sẵn (cần đường dẫn tuyệt đối).",
        "“{path}” is not an existing directory (an absolute path is needed).",
    ),
    "scan.folder_duplicate": (
        "Thư mục “{path}” đã được theo dõi.",
        "Folder “{path}” is already watched.",
    ),
    "scan.folder_not_found": (
        "Không tìm thấy thư mục quét {folder_id}.",
        "Scan folder {folder_id} not found.",
    ),
    "printing.font_missing": (
        "Thiếu phông chữ {font} (đã tìm trong: {searched}); cần cài gói fonts-dejavu để in tiếng Việt.",
        "Font {font} is missing (searched: {searched}); install fonts-dejavu to print Vietnamese.",
    ),
    "printing.no_cover_sheets": (
        "Chưa chọn hồ sơ nào để in tờ bìa.",
        "No files were chosen to print cover sheets for.",
    ),
    "scan.ocr_timeout": (
        "Nhận dạng chữ (OCR) vượt quá thời gian cho phép ({seconds} giây); hãy quét lại trang rõ hơn hoặc chạy lại OCR.",
        "Text recognition (OCR) took longer than allowed ({seconds} s); rescan the page more cleanly or re-run OCR.",
    ),
    "scan.ocr_failed": (
        "Không nhận dạng được chữ trên trang (lỗi tesseract: {reason}).",
        "Text recognition failed on this page (tesseract error: {reason}).",
    ),
}
