"""How Vietnamese paper writes dates, counts and money, including sums read out in words."""

from __future__ import annotations

from datetime import date

from archive.errors import Invalid

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def format_date(day: date) -> str:
    """`dd/mm/yyyy`, the way Vietnamese forms write a date."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def long_date(day: date) -> str:
    """`ngày 05 tháng 3 năm 2026`: a zero before days 1-9 and months 1-2 (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: date) -> str:
    """`Long An, ngày 05 tháng 3 năm 2026`, the line under the national motto."""
    return f"{place}, {long_date(day)}"


def format_number(number: int) -> str:
    """`1.250.000`: a whole number with dots between thousands."""
    sign = "-" if number < 0 else ""
    return f"{sign}{abs(number):,}".replace(",", ".")


def format_dong(amount: int) -> str:
    """`125.000 đ`: money in đồng with dots between thousands."""
    return f"{format_number(amount)} đ"


def number_in_words(number: int) -> str:
    """Vietnamese reading of a whole number (`hai triệu không trăm linh năm nghìn`).

    Refuses a negative number with Invalid. Groups of three digits take nghìn, triệu, then tỷ,
    which repeats (`một nghìn tỷ`); a group after a higher one is read in full (`một nghìn
    không trăm linh một`).
    """
    if number < 0:
        raise Invalid("printing.negative_number", number=number)
    if number == 0:
        return DIGITS[0]
    billions, rest = divmod(number, 1_000_000_000)
    words: list[str] = [number_in_words(billions), "tỷ"] if billions else []
    for value, unit in ((rest // 1_000_000, "triệu"), (rest // 1000 % 1000, "nghìn")):
        if value:
            words += [*_hundreds(value, full=bool(words)), unit]
    if rest % 1000:
        words += _hundreds(rest % 1000, full=bool(words))
    return " ".join(words)


def _hundreds(number: int, *, full: bool) -> list[str]:
    """One group of three digits; `full` when a higher group was read before it."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0 and units and words:
        words.append("linh")
    elif tens == 1:
        words.append("mười")
    elif tens > 1:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5 and tens > 0:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def capitalised(text: str) -> str:
    """The text with its first letter in capitals, the rest untouched."""
    return text[:1].upper() + text[1:]


def amount_in_words(amount: int) -> str:
    """`Một trăm hai mươi lăm nghìn đồng`: a sum of money written out, as receipts need."""
    return f"{capitalised(number_in_words(amount))} đồng"
