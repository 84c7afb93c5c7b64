"""Identifiers and Vietnamese folding, with property-based tests."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive import identifiers as ids
from archive.errors import Invalid
from archive.text import exact, fold, nfc

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
words = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ", min_size=1, max_size=40)


@given(words)
def test_folding_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(words)
def test_nfc_and_nfd_fold_and_compare_identically(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert fold(nfd) == fold(text)
    assert exact(nfd) == exact(text)
    assert nfc(nfd) == nfc(text)


@given(words)
def test_folded_text_is_plain_ascii_letters(text: str) -> None:
    assert fold(text).isascii()


def test_fold_examples() -> None:
    assert fold("Nguyễn Thị Mai Lan") == "nguyen thi mai lan"
    assert fold("Phan Ngọc Hoàng Đình Thục") == "phan ngoc hoang dinh thuc"
    assert fold("  ĐẶNG   văn ") == "dang van"
    # Ð (U+00D0, often typed for Đ U+0110) folds to d too, so folding stays idempotent.
    assert fold("Ðặng") == fold(fold("Ðặng")) == "dang"


@pytest.mark.parametrize("value", ["0111063484", "4803004239", " 4803 004 239 ", "4803.004.239"])
def test_ssn_keeps_leading_zeros_and_strips_separators(value: str) -> None:
    assert ids.parse_ssn(value) in ("0111063484", "4803004239")


@pytest.mark.parametrize("value", ["48030042391", "480300423", "48030O4239", ""])
def test_ssn_of_wrong_shape_is_refused(value: str) -> None:
    with pytest.raises(Invalid) as err:
        ids.parse_ssn(value)
    assert err.value.code == "identifier.ssn"


@given(st.from_regex(r"\A[0-9]{10}\Z", fullmatch=True))
def test_every_ten_digit_string_is_a_valid_ssn(value: str) -> None:
    assert ids.parse_ssn(value) == value


def test_health_card_carries_the_ssn() -> None:
    assert ids.ssn_from_health_card("HN4014803004239") == "4803004239"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("4027/BHXH-ST", "4027/BHXH-ST"),
        ("4027/BHXH – ST", "4027/BHXH-ST"),
        ("4970/QĐ- BHXH", "4970/QĐ-BHXH"),
        ("43/2021/NĐ-CP", "43/2021/NĐ-CP"),
        ("346/qđ-bhxh", "346/QĐ-BHXH"),
    ],
)
def test_document_numbers_normalise(raw: str, normal: str) -> None:
    assert ids.normalise_document_number(raw) == normal


def test_barcodes_are_code128_safe_and_typed() -> None:
    code = ids.make_barcode("B", "03", 45)
    assert code == "B0300000045" and code.isascii() and code.isalnum()
    assert ids.barcode_kind(code) == "box"
    assert ids.barcode_kind("4803004239") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("17/05/1980", date(1980, 5, 17)),
        ("17/05/80", date(1980, 5, 17)),
        ("1980-05-17", date(1980, 5, 17)),
    ],
)
def test_dates_as_vietnamese_screens_write_them(raw: str, expected: date) -> None:
    assert ids.parse_date(raw) == expected


def test_year_and_month_ranges() -> None:
    assert ids.parse_year_or_date("2015") == date(2015, 1, 1)
    assert ids.parse_year_or_date("2015", end=True) == date(2015, 12, 31)
    assert ids.parse_year_or_date("02/2016", end=True) == date(2016, 2, 29)


def test_employer_codes_soft_validation() -> None:
    assert ids.normalise_employer_code(" yn0405z ") == "YN0405Z"
    assert ids.is_classic_employer_code("YN0405Z")
    assert not ids.is_classic_employer_code("DD0000012345")
    with pytest.raises(Invalid):
        ids.normalise_employer_code("YN 04/05")
