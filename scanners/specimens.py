"""Synthetic scanned Vietnamese pages with known text, for tests, the OCR benchmark and demo data.

Issue 3 asks for tests and a benchmark on real tesseract without real (personal) scans: pages are
rendered in DejaVu with full stacked diacritics, then degraded like a sheet-fed scan (slight
rotation, blur, noise, speckle, uneven paper). Everything follows from the seed, so a failing test
or a benchmark figure can be reproduced exactly.
"""

from __future__ import annotations

import io
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = ("DejaVuSans.ttf", "DejaVuSerif.ttf")
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.9

Kind = Literal["text", "table"]

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Dương")
MIDDLES = ("Thị", "Văn", "Ngọc", "Hữu", "Đức", "Thị Mai", "Ngọc Hoàng", "Quốc", "Thanh", "Minh")
GIVEN = ("Lan", "Hương", "Dũng", "Thục", "Đình Thục", "Tuấn", "Phượng", "Hải", "Yến", "Khải")
PLACES = ("Sóc Trăng", "Cần Thơ", "Hậu Giang", "Bạc Liêu", "Vĩnh Long", "Trà Vinh")
SENTENCES = (
    "Căn cứ Luật Bảo hiểm xã hội số 58/2014/QH13 ngày 20/11/2014 của Quốc hội;",
    "Ông (bà) {name}, sinh ngày {date}, mã số BHXH {code}, được hưởng trợ cấp mai táng.",
    "Xét đề nghị của Phòng Chế độ bảo hiểm xã hội tại Tờ trình số {doc} ngày {date};",
    "Thân nhân của ông (bà) {name} được nhận khoản trợ cấp một lần là {money} đồng.",
    "Đơn vị đã đóng bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp cho {n} người lao động.",
    "Hồ sơ đề nghị hưởng chế độ ốm đau, thai sản, dưỡng sức phục hồi sức khỏe gồm {n} tờ.",
    "Thời gian đóng bảo hiểm xã hội từ tháng {month} đến tháng {month2}, tổng cộng {n} tháng.",
    "Người lao động {name} (mã số {code}) nghỉ việc hưởng chế độ hưu trí kể từ ngày {date}.",
    "Giám đốc Bảo hiểm xã hội huyện và các ông (bà) có tên trên chịu trách nhiệm thi hành.",
    "Nơi nhận: như Điều 3; lưu hồ sơ tại hộp số {n}, kho lưu trữ tỉnh {place}.",
)
TABLE_HEADER = ("STT", "Họ và tên", "Mã số BHXH", "Ngày sinh", "Số tiền (đồng)")


@dataclass(frozen=True)
class Specimen:
    """A rendered page: PNG bytes (dpi stored in the file) and its ground truth text (NFC)."""

    png: bytes
    text: str
    dpi: int


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVEN)}"


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2024)}"


def _code(rng: random.Random) -> str:
    return str(rng.randint(10**9, 10**10 - 1))


def _money(rng: random.Random) -> str:
    return f"{rng.randint(1_000, 99_999) * 1000:,}".replace(",", ".")


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        name=_name(rng),
        date=_date(rng),
        code=_code(rng),
        doc=f"{rng.randint(100, 9999)}/BHXH-{rng.choice(('ST', 'CĐ', 'TCKT', 'VP'))}",
        money=_money(rng),
        n=rng.randint(2, 250),
        month=f"{rng.randint(1, 12):02d}/{rng.randint(1990, 2005)}",
        month2=f"{rng.randint(1, 12):02d}/{rng.randint(2006, 2024)}",
        place=rng.choice(PLACES),
    )


def _header(rng: random.Random) -> list[str]:
    place = rng.choice(PLACES)
    return [
        f"BẢO HIỂM XÃ HỘI TỈNH {place.upper()}",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Số: {rng.randint(100, 9999)}/BHXH-ST",
        f"{place}, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {rng.randint(2015, 2024)}",
    ]


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def _canvas(dpi: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
    image = Image.new("L", size, 255)
    return image, ImageDraw.Draw(image)


def _draw_text_page(rng: random.Random, dpi: int) -> tuple[Image.Image, list[str]]:
    image, draw = _canvas(dpi)
    font = ImageFont.truetype(
        str(FONT_DIR / rng.choice(FONTS)), round(rng.uniform(11, 12) * dpi / 72)
    )
    margin, step = round(MARGIN_INCHES * dpi), round(font.size * 1.45)
    width, bottom = image.width - 2 * margin, image.height - margin
    lines, y = _header(rng), margin
    for line in lines:
        draw.text((margin, y), line, font=font, fill=0)
        y += step
    y += step
    while y + 4 * step < bottom:
        for line in _wrap(" ".join(_sentence(rng) for _ in range(rng.randint(1, 3))), font, width):
            if y + step > bottom:
                break
            draw.text((margin, y), line, font=font, fill=0)
            lines.append(line)
            y += step
        y += step // 2
    return image, lines


def _draw_table_page(rng: random.Random, dpi: int) -> tuple[Image.Image, list[str]]:
    image, draw = _canvas(dpi)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), round(11 * dpi / 72))
    margin, row_height = round(MARGIN_INCHES * dpi), round(font.size * 2.0)
    title = "DANH SÁCH NGƯỜI HƯỞNG TRỢ CẤP MAI TÁNG"
    draw.text((margin, margin), title, font=font, fill=0)
    widths = (0.08, 0.36, 0.2, 0.16, 0.2)
    table_width = image.width - 2 * margin
    xs = [margin + round(sum(widths[:i]) * table_width) for i in range(len(widths) + 1)]
    y, rows, lines = margin + 2 * row_height, [TABLE_HEADER], [title]
    rows += [
        (str(n), _name(rng), _code(rng), _date(rng), _money(rng))
        for n in range(1, rng.randint(18, 26))
    ]
    stroke = max(1, dpi // 150)
    for row in rows:
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=stroke)
        for x, cell in zip(xs, row, strict=False):
            draw.text((x + font.size // 2, y + row_height // 4), cell, font=font, fill=0)
        lines.append(" ".join(row))
        y += row_height
    draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=stroke)
    top = margin + 2 * row_height
    for x in xs:
        draw.line([(x, top), (x, y)], fill=0, width=stroke)
    return image, lines


def _paper(rng: np.random.Generator, ink: np.ndarray) -> np.ndarray:
    """Lay ink on uneven, noisy paper with specks of dust, as a sheet-fed scanner returns it.

    The shading is separable and the noise a tiled patch: full-page random fields cost more
    than the rest of the page together, and OCR cannot tell the difference."""
    height, width = ink.shape
    rows = np.interp(np.arange(height), np.linspace(0, height, 4), rng.uniform(0.87, 0.97, 4))
    cols = np.interp(np.arange(width), np.linspace(0, width, 3), rng.uniform(0.96, 1.0, 3))
    shade = (rows[:, None] * cols[None, :]).astype(np.float32)
    tile = rng.standard_normal((509, 509), dtype=np.float32) * 6.0
    noise = np.tile(tile, (height // 509 + 1, width // 509 + 1))[:height, :width]
    page = ink.astype(np.float32) * shade + noise
    specks = rng.integers(0, page.size, page.size // 5000)
    page.flat[specks] = rng.uniform(20, 120, specks.size)
    return np.asarray(np.clip(page, 0, 255), dtype=np.uint8)


def _degrade(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    angle = float(rng.uniform(-1.5, 1.5))
    image = image.rotate(angle, Image.Resampling.BILINEAR, fillcolor=255)
    image = image.filter(ImageFilter.BoxBlur(0.4 * image.width / 2481))
    return Image.fromarray(_paper(rng, np.asarray(image)))


def _png(image: Image.Image, dpi: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi), compress_level=1)
    return buffer.getvalue()


def make_page(seed: int, *, dpi: int = 300, kind: Kind = "text", degrade: bool = True) -> Specimen:
    """Render an A4 page of Vietnamese administrative text (or a ruled table) from the seed."""
    rng = random.Random(seed)
    draw = _draw_text_page if kind == "text" else _draw_table_page
    image, lines = draw(rng, dpi)
    if degrade:
        image = _degrade(image, np.random.default_rng(seed))
    text = unicodedata.normalize("NFC", "\n".join(lines))
    return Specimen(png=_png(image, dpi), text=text, dpi=dpi)


def make_blank_page(seed: int, dpi: int = 300) -> Specimen:
    """A scanned blank sheet: noisy uneven paper, dust, and a shadow along one edge."""
    rng = np.random.default_rng(seed)
    image, _ = _canvas(dpi)
    page = _paper(rng, np.asarray(image)).astype(np.float32)
    band = round(rng.uniform(0.01, 0.03) * dpi * A4_INCHES[0])
    ramp = np.linspace(0.45, 1.0, band, dtype=np.float32)
    side = int(rng.integers(0, 4))
    view = np.rot90(page, side)  # a view: the shadow lands on a different edge per seed
    view[:, :band] *= ramp
    return Specimen(png=_png(Image.fromarray(page.astype(np.uint8)), dpi), text="", dpi=dpi)


def write_specimens(
    directory: Path, seeds: range, *, dpi: int, kinds: tuple[Kind, ...] = ("text", "table")
) -> list[tuple[Path, Specimen]]:
    """Write `NNNN.png` and its truth `NNNN.txt` per seed, cycling through `kinds`."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for index, seed in enumerate(seeds):
        specimen = make_page(seed, dpi=dpi, kind=kinds[index % len(kinds)])
        path = directory / f"{seed:06d}-{dpi}.png"
        path.write_bytes(specimen.png)
        path.with_suffix(".txt").write_text(specimen.text, encoding="utf-8")
        written.append((path, specimen))
    return written


def fold(text: str) -> str:
    """Drop diacritics as a folded search field does: NFD, no combining marks, đ -> d."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (insertions via a running minimum)."""
    if not a or not b:
        return len(a) or len(b)
    target = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    offsets = np.arange(len(b) + 1)
    previous = offsets.copy()
    for i, char in enumerate(a, start=1):
        row = np.empty_like(previous)
        row[0] = i
        row[1:] = np.minimum(previous[1:] + 1, previous[:-1] + (target != ord(char)))
        previous = np.minimum.accumulate(row - offsets) + offsets
    return int(previous[-1])


def character_error_rate(
    truths: Sequence[str], texts: Sequence[str], *, folded: bool = False
) -> float:
    """Edit distance over truth length, in percent, summed over pages; whitespace-normalised."""

    def prepare(text: str) -> str:
        text = " ".join(unicodedata.normalize("NFC", text).split())
        return fold(text) if folded else text

    pairs = [(prepare(t), prepare(o)) for t, o in zip(truths, texts, strict=True)]
    errors = sum(edit_distance(t, o) for t, o in pairs)
    return 100 * errors / max(1, sum(len(t) for t, _ in pairs))
