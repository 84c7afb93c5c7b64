"""A fixed small corpus for the conformance suite: two offices, one person filed in both,
a name whose folding collides with a common word ("Hương" / "hưởng")."""

from __future__ import annotations

from datetime import date

from indexes.documents import FileDoc

HUONG_PAGES = tuple(
    (n, "Người lao động được hưởng trợ cấp, hưởng chế độ, hưởng lương") for n in (1, 2)
)
CORPUS = (
    FileDoc(
        file_id=1,
        office_code="01",
        series_code="HT",
        year=2015,
        status="active",
        code="01.HT.2015.0001",
        title="Hồ sơ hưu trí",
        box_number="B12",
        has_scans=True,
        person_name="Nguyễn Thị Hương",
        ssn="4803004239",
        citizen_id="001085012345",
        employer_code="YN0405Z",
        birth_date=date(1960, 5, 12),
        pages=(
            (1, "Bảng quá trình đóng bảo hiểm xã hội của người lao động"),
            (2, "Quyết định số 4027/BHXH-ST về việc hưởng lương hưu hằng tháng"),
        ),
    ),
    FileDoc(
        file_id=2,
        office_code="02",
        series_code="TC",
        year=2018,
        status="active",
        code="02.TC.2018.0007",
        title="Hồ sơ trợ cấp một lần",
        person_name="Nguyễn Thị Hương",
        ssn="4803004239",
        pages=((1, "Giấy đề nghị hưởng trợ cấp một lần"),),
        has_scans=True,
    ),
    FileDoc(
        file_id=3,
        office_code="01",
        series_code="HT",
        year=2012,
        status="on_loan",
        code="01.HT.2012.0003",
        title="Hồ sơ hưu trí",
        person_name="Phạm Văn Hướng",
        ssn="4803004111",
    ),
    FileDoc(
        file_id=4,
        office_code="01",
        series_code="TC",
        year=2016,
        status="active",
        code="01.TC.2016.0004",
        title="Hồ sơ hưởng trợ cấp mai táng",
        person_name="Lê Văn Dũng",
        ssn="4803004240",
        pages=((3, "Chi trả trợ cấp mai táng tại Bưu điện huyện"), *HUONG_PAGES),
        has_scans=True,
    ),
    FileDoc(
        file_id=5,
        office_code="02",
        series_code="HT",
        year=2010,
        status="disposed",
        code="02.HT.2010.0002",
        title="Hồ sơ chế độ thai sản",
        person_name="Nguyễn Văn Mai",
        ssn="0123456789",
        box_number="B07",
    ),
)
