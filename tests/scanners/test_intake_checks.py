"""Intake checks refuse bad uploads by content before anything is stored (issue 3, "Must show")."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from archive.i18n import MESSAGES, message
from scanners.intake_checks import (
    REFUSAL_CODES,
    Accepted,
    IntakeLimits,
    ScanKind,
    ScanRefused,
    check_bytes,
    check_file,
    sniff,
)


def make_pdf(pages: int) -> bytes:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"Hồ sơ hưởng chế độ ốm đau, trang {number}")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG signature and a valid IHDR chunk, with no pixel data at all."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + crc


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), **save: object) -> bytes:
    buf = io.BytesIO()
    Image.new("L", size, color=200).save(buf, format=fmt, **save)
    return buf.getvalue()


def refusal(data: bytes, limits: IntakeLimits | None = None) -> ScanRefused:
    with pytest.raises(ScanRefused) as info:
        check_bytes(data, limits)
    # every refusal renders in both languages with the params it carries
    for lang in ("vi", "en"):
        assert "{" not in message(info.value.code, lang, **info.value.params)
    return info.value


def test_every_refusal_code_has_messages_in_both_languages() -> None:
    assert [code for code in REFUSAL_CODES if code not in MESSAGES] == []


def test_valid_three_page_pdf_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf(3))
    assert check_file(path) == Accepted(ScanKind.PDF, 3)


def test_zero_byte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ScanRefused) as info:
        check_file(path)
    assert info.value.code == "scan.empty"


@pytest.mark.parametrize(
    ("head", "detected"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "windows_executable"),
        (b"\x7fELF\x02\x01\x01\x00", "elf_executable"),
        (b"PK\x03\x04\x14\x00", "zip"),
        (b"just some text", "unknown"),
    ],
)
def test_executable_renamed_pdf_is_refused_by_content(
    tmp_path: Path, head: bytes, detected: str
) -> None:
    path = tmp_path / "ho_so.pdf"
    path.write_bytes(head + b"\x00" * 4000)
    with pytest.raises(ScanRefused) as info:
        check_file(path)
    assert (info.value.code, info.value.params) == ("scan.unsupported_type", {"detected": detected})


def test_corrupt_pdf_is_refused() -> None:
    data = make_pdf(3)
    corrupt = data[:9] + b"\x00garbage\xff" * (len(data) // 10) + data[-40:]
    assert refusal(corrupt).code == "scan.pdf_corrupt"


def test_pdf_with_a_damaged_page_object_is_refused() -> None:
    data = make_pdf(3)
    start = data.index(b"/Type /Page\n")
    damaged = data[:start] + b"\x00" * 40 + data[start + 40 :]
    assert refusal(damaged).code == "scan.pdf_corrupt"


@pytest.mark.parametrize("keep", [0.5, 0.95])
def test_truncated_pdf_is_refused(keep: float) -> None:
    data = make_pdf(3)
    assert refusal(data[: int(len(data) * keep)]).code == "scan.pdf_truncated"


def encrypted(user: str, owner: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(2))))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_encrypted_pdf_that_needs_a_password_is_refused(algorithm: str) -> None:
    assert refusal(encrypted("mat-khau", "chu-so-huu", algorithm)).code == "scan.pdf_encrypted"


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_with_only_an_owner_password_is_accepted(algorithm: str) -> None:
    """What printers write: "encrypted", but the user password is empty; nothing is withheld."""
    assert check_bytes(encrypted("", "chu-so-huu", algorithm)) == Accepted(ScanKind.PDF, 2)


def test_pdf_without_pages_is_refused() -> None:
    buf = io.BytesIO()
    PdfWriter().write(buf)
    assert refusal(buf.getvalue()).code == "scan.pdf_no_pages"


def test_png_of_30000_by_30000_pixels_is_refused_from_its_header(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header_only(30_000, 30_000))
    with pytest.raises(ScanRefused) as info:
        check_file(path)
    assert info.value.code == "scan.image_too_large"
    assert info.value.params == {"width": 30_000, "height": 30_000, "max_megapixels": 120}


def test_pixel_limit_is_configurable() -> None:
    data = image_bytes("PNG", (200, 100))
    assert check_bytes(data, IntakeLimits(max_pixels=20_000)) == Accepted(ScanKind.PNG, 1)
    assert refusal(data, IntakeLimits(max_pixels=19_999)).code == "scan.image_too_large"


def test_oversized_jpeg_is_refused_before_decoding() -> None:
    data = image_bytes("JPEG", (400, 300))
    assert refusal(data, IntakeLimits(max_pixels=100_000)).code == "scan.image_too_large"


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_truncated_image_is_refused(fmt: str) -> None:
    data = image_bytes(fmt, (300, 200), **({"compression": "tiff_lzw"} if fmt == "TIFF" else {}))
    assert refusal(data[: len(data) // 2]).code == "scan.image_corrupt"


def test_png_with_only_a_header_is_corrupt() -> None:
    assert refusal(png_header_only(100, 100)).code == "scan.image_corrupt"


@pytest.mark.parametrize(("fmt", "kind"), [("PNG", ScanKind.PNG), ("JPEG", ScanKind.JPEG)])
def test_valid_images_are_accepted_as_one_page(fmt: str, kind: ScanKind) -> None:
    assert check_bytes(image_bytes(fmt)) == Accepted(kind, 1)


def test_multi_page_tiff_pages_are_counted(tmp_path: Path) -> None:
    pages = [Image.new("1", (170, 240), color=i % 2) for i in range(4)]
    path = tmp_path / "batch.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:], compression="group4")
    assert check_file(path) == Accepted(ScanKind.TIFF, 4)


def test_oversized_page_in_a_multi_page_tiff_is_refused() -> None:
    pages = [Image.new("L", size, color=255) for size in [(100, 100), (100, 100), (400, 400)]]
    buf = io.BytesIO()
    pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:])
    info = refusal(buf.getvalue(), IntakeLimits(max_pixels=50_000))
    assert (info.code, info.params["width"]) == ("scan.image_too_large", 400)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", ScanKind.PDF),
        (b"II*\x00\x08\x00", ScanKind.TIFF),
        (b"MM\x00*\x00\x00", ScanKind.TIFF),
        (b"\x89PNG\r\n\x1a\n", ScanKind.PNG),
        (b"\xff\xd8\xff\xe0", ScanKind.JPEG),
        (b"II+\x00", None),
        (b"GIF89a", None),
    ],
)
def test_sniff_reads_magic_bytes(head: bytes, kind: ScanKind | None) -> None:
    assert sniff(head) is kind
