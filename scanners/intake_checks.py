"""Checks on an upload before anything is stored: real type, emptiness, PDF health, image size.

Issue 3 ("Must show"): a corrupt PDF, a 30,000 x 30,000 PNG, a zero-byte file and a `.exe`
renamed `.pdf` are refused with a clear reason and nothing stored. The type comes from the first
bytes, never from the file name; image sizes come from headers, so a pixel bomb is never decoded.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, Literal, get_args

from PIL import ImageFile, JpegImagePlugin, PngImagePlugin, TiffImagePlugin
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, NumberObject

from archive.errors import Invalid
from scanners.pdf_reading import PdfNeedsPassword, open_pdf

RefusalCode = Literal[
    "scan.empty",
    "scan.unsupported_type",
    "scan.pdf_corrupt",
    "scan.pdf_truncated",
    "scan.pdf_encrypted",
    "scan.pdf_no_pages",
    "scan.image_too_large",
    "scan.image_corrupt",
]
REFUSAL_CODES: tuple[str, ...] = get_args(RefusalCode)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PDF_EOF_WINDOW = 1024  # the "%%EOF" marker must sit in the last KiB, as pypdf's strict mode asks
OTHER_SIGNATURES = {  # named in the refusal so the archivist sees what was really uploaded
    b"MZ": "windows_executable",
    b"\x7fELF": "elf_executable",
    b"PK\x03\x04": "zip",
    b"II+\x00": "bigtiff",
    b"MM\x00+": "bigtiff",
}


class ScanKind(StrEnum):
    PDF = "pdf"
    TIFF = "tiff"
    PNG = "png"
    JPEG = "jpeg"


@dataclass(frozen=True)
class Accepted:
    """An upload that passed every check: its real kind and its number of pages."""

    kind: ScanKind
    pages: int


@dataclass(frozen=True)
class IntakeLimits:
    """Limits for intake checks; `decode_images` decodes every frame to catch corrupt data."""

    max_pixels: int = 120_000_000
    decode_images: bool = True


class ScanRefused(Invalid):
    """An upload refused before storage; `code` is one of REFUSAL_CODES."""

    def __init__(self, code: RefusalCode, /, **params: Any) -> None:
        super().__init__(code, **params)


def sniff(head: bytes) -> ScanKind | None:
    """Return the kind of document the first bytes announce, or None for anything we refuse."""
    if head.startswith(b"%PDF-"):
        return ScanKind.PDF
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return ScanKind.TIFF
    if head.startswith(PNG_SIGNATURE):
        return ScanKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return ScanKind.JPEG
    return None


def describe(head: bytes) -> str:
    """Name what the first bytes look like, for a refusal ("elf_executable", "unknown")."""
    for signature, name in OTHER_SIGNATURES.items():
        if head.startswith(signature):
            return name
    return "unknown"


def check_file(path: Path, limits: IntakeLimits | None = None) -> Accepted:
    """Check a file on disk without loading it whole; refuses bad uploads with ScanRefused."""
    with path.open("rb") as f:
        return check_stream(f, limits)


def check_bytes(data: bytes, limits: IntakeLimits | None = None) -> Accepted:
    """Check an upload held in memory; refuses bad uploads with ScanRefused."""
    return check_stream(io.BytesIO(data), limits)


def check_stream(f: BinaryIO, limits: IntakeLimits | None = None) -> Accepted:
    """Check a seekable binary stream from its start; refuses bad uploads with ScanRefused."""
    limits = limits or IntakeLimits()
    size = f.seek(0, io.SEEK_END)
    if size == 0:
        raise ScanRefused("scan.empty")
    f.seek(0)
    head = f.read(24)  # enough for every signature and a PNG's IHDR dimensions
    kind = sniff(head)
    if kind is None:
        raise ScanRefused("scan.unsupported_type", detected=describe(head))
    f.seek(0)
    if kind is ScanKind.PDF:
        return Accepted(kind, _check_pdf(f, size))
    if kind is ScanKind.PNG:
        _check_png_header(head, limits)
    return Accepted(kind, _check_image(f, kind, limits))


def _check_pdf(f: BinaryIO, size: int) -> int:
    """Open the PDF and read every page object; return the page count or refuse."""
    f.seek(max(0, size - PDF_EOF_WINDOW))
    if b"%%EOF" not in f.read():
        raise ScanRefused("scan.pdf_truncated")
    f.seek(0)
    try:
        try:
            reader = open_pdf(f)
        except PdfNeedsPassword:
            raise ScanRefused("scan.pdf_encrypted") from None
        pages = len(reader.pages)
        # pypdf skips unreadable page objects in lenient mode: a page tree that declares more
        # pages than can be read means pages would be silently lost.
        declared = _declared_page_count(reader)
        for page in reader.pages:
            page.get_contents()
            _ = page.mediabox
    except ScanRefused:
        raise
    except Exception as exc:  # pypdf raises many unrelated types on malformed input
        raise ScanRefused("scan.pdf_corrupt", reason=type(exc).__name__) from exc
    if declared != pages:
        raise ScanRefused("scan.pdf_corrupt", reason="page count", declared=declared, read=pages)
    if pages == 0:
        raise ScanRefused("scan.pdf_no_pages")
    return pages


def _declared_page_count(reader: PdfReader) -> int:
    """The /Count of the page tree's root node; refuses a missing or malformed one."""
    node = reader.root_object["/Pages"].get_object()
    if not isinstance(node, DictionaryObject):
        raise ScanRefused("scan.pdf_corrupt", reason="page tree")
    count = node.get("/Count")
    count = count.get_object() if count is not None else None
    if not isinstance(count, NumberObject):
        raise ScanRefused("scan.pdf_corrupt", reason="page tree")
    return int(count)


def _check_png_header(head: bytes, limits: IntakeLimits) -> None:
    """Refuse an oversized PNG from its IHDR alone, before any image library touches it."""
    # signature (8) + chunk length (4) + b"IHDR" (4) + width (4) + height (4)
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise ScanRefused("scan.image_corrupt", reason="no IHDR")
    width, height = struct.unpack(">II", head[16:24])
    _check_pixels(width, height, limits)


def _check_pixels(width: int, height: int, limits: IntakeLimits) -> None:
    if width <= 0 or height <= 0:
        raise ScanRefused("scan.image_corrupt", reason="empty image")
    if width * height > limits.max_pixels:
        raise ScanRefused(
            "scan.image_too_large",
            width=width,
            height=height,
            max_megapixels=limits.max_pixels // 1_000_000,
        )


_PLUGINS: dict[ScanKind, type[ImageFile.ImageFile]] = {
    ScanKind.TIFF: TiffImagePlugin.TiffImageFile,
    ScanKind.PNG: PngImagePlugin.PngImageFile,
    ScanKind.JPEG: JpegImagePlugin.JpegImageFile,
}


def _check_image(f: BinaryIO, kind: ScanKind, limits: IntakeLimits) -> int:
    """Read each frame's header, refuse oversized or corrupt frames; return the page count.

    The plugin class is built directly (not `Image.open`) so Pillow's process-wide pixel limit
    plays no part: ours is the only one, checked before any pixel is decoded."""
    try:
        image = _PLUGINS[kind](f)
    except Exception as exc:  # Pillow raises many unrelated types on malformed headers
        raise ScanRefused("scan.image_corrupt", reason=type(exc).__name__) from exc
    with image:
        frames = 0
        for frame in _frames(image) if kind is ScanKind.TIFF else iter([image]):
            _check_pixels(frame.width, frame.height, limits)
            if limits.decode_images:
                _decode(frame, kind)
            frames += 1
    return frames


def _frames(image: ImageFile.ImageFile) -> Iterator[ImageFile.ImageFile]:
    """Yield the image once per frame (multi-page TIFF), refusing a frame that cannot be read."""
    index = 0
    while True:
        yield image
        index += 1
        try:
            image.seek(index)
        except EOFError:
            return
        except Exception as exc:
            raise ScanRefused("scan.image_corrupt", reason=type(exc).__name__) from exc


def _decode(frame: ImageFile.ImageFile, kind: ScanKind) -> None:
    """Decode a frame's pixels to catch truncated or corrupt data; refuses with ScanRefused."""
    try:
        if kind is ScanKind.JPEG:
            # DCT scaling decodes at 1/8 size: every entropy-coded byte is still read.
            frame.draft("L", (max(1, frame.width // 8), max(1, frame.height // 8)))
        frame.load()
    except Exception as exc:
        raise ScanRefused("scan.image_corrupt", reason=type(exc).__name__) from exc
