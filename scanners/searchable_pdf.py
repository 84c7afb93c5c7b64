"""The two-layer PDF of a file's scans: each page image with an invisible text layer over it.

Issue 3, item 8: a file's scans download as one searchable PDF (the "image + invisible text"
PDF the Vietnamese digitisation standard asks for), built from the stored originals, so nothing
is re-encoded: a PDF page is copied as it is (its own text layer kept), a JPEG is embedded as its
DCT bytes, and other image frames are stored losslessly (Flate). One reportlab document holds
the text of every page (one DejaVu Sans subset for the whole file); pypdf lays each of its pages
over the matching image page.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from PIL import Image, JpegImagePlugin
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from scanners.intake_checks import ScanKind
from scanners.pages import open_image
from scanners.pdf_reading import open_pdf
from scanners.words import Word

DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PRODUCER = "BHXH archive (scanners.searchable_pdf)"
INVISIBLE = 3  # PDF text render mode 3: neither fill nor stroke, yet selectable and searchable


@dataclass(frozen=True)
class SourcePage:
    """A page of a stored original and the OCR words found on its rendered image."""

    original: Path
    kind: ScanKind
    index: int
    dpi: int
    image_width: int  # pixels of the image the word boxes refer to
    image_height: int
    words: Sequence[Word]
    has_text_layer: bool


@dataclass(frozen=True)
class _Frame:
    """Where a page's words go: the upright (viewer) size in points, and the page's user space.

    `size` is the unrotated media box (what the overlay page must match), `origin` its lower-left
    corner, `rotate` the page's /Rotate normalised to 0, 90, 180 or 270."""

    upright: tuple[float, float]
    size: tuple[float, float]
    origin: tuple[float, float]
    rotate: int


def write_searchable_pdf(
    pages: Sequence[SourcePage],
    out: BinaryIO,
    *,
    title: str,
    author: str = "",
    font_path: Path = DEFAULT_FONT,
) -> None:
    """Write the two-layer PDF of `pages`, in order, to `out`; refuses an empty page list."""
    if not pages:
        raise ValueError("a searchable PDF needs at least one page")
    font = register_font(font_path)
    writer = PdfWriter()
    writer.pdf_header = "%PDF-1.7"  # 16-bit images need 1.5; PDF/A-2 is based on 1.7
    with ExitStack() as stack:
        readers: dict[Path, PdfReader] = {}
        images: dict[Path, Image.Image] = {}
        embedded: dict[tuple[Path, int], IndirectObject] = {}
        frames = [_frame(page, readers, images, stack) for page in pages]
        layers = PdfReader(io.BytesIO(_text_layers(pages, frames, font)))
        for page, frame, layer in zip(pages, frames, layers.pages, strict=True):
            if page.kind is ScanKind.PDF:
                target = writer.add_page(readers[page.original].pages[page.index])
                if page.has_text_layer:
                    continue  # the page's own text layer is kept as it is (issue 3, item 2)
                _detach(writer, target)
            else:
                target = _image_page(writer, page, frame, images, embedded)
            target.merge_transformed_page(layer, Transformation().translate(*frame.origin))
            target.compress_content_streams()
        metadata = {"/Title": title, "/Producer": PRODUCER}
        if author:
            metadata["/Author"] = author
        writer.add_metadata(metadata)
        writer.write(out)  # while the originals are open: pypdf may still read from them


def register_font(font_path: Path) -> str:
    """Register a TrueType font with reportlab once per process; return its reportlab name."""
    name = f"Archive-{font_path.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font_path)))
    return name


def _frame(
    page: SourcePage,
    readers: dict[Path, PdfReader],
    images: dict[Path, Image.Image],
    stack: ExitStack,
) -> _Frame:
    """Open the page's original (once per file) and measure where its words must land."""
    if page.kind is ScanKind.PDF:
        if page.original not in readers:
            readers[page.original] = open_pdf(stack.enter_context(page.original.open("rb")))
        pdf_page = readers[page.original].pages[page.index]
        box = pdf_page.mediabox
        size = (float(box.width), float(box.height))
        rotate = round(pdf_page.rotation / 90) * 90 % 360  # PDF allows only quarter turns
        upright = (size[1], size[0]) if rotate in {90, 270} else size
        return _Frame(upright, size, (float(box.left), float(box.bottom)), rotate)
    if page.kind is not ScanKind.JPEG and page.original not in images:
        images[page.original] = stack.enter_context(open_image(page.original, page.kind))
    # Image pages are made to measure: page.dpi pixels per inch of the image the words refer to.
    upright = (page.image_width / page.dpi * 72, page.image_height / page.dpi * 72)
    return _Frame(upright, upright, (0.0, 0.0), 0)


def _detach(writer: PdfWriter, target: PageObject) -> None:
    """Give a copied PDF page its own content stream and resource dictionaries.

    pypdf shares both between two copies of one page (the same stored page listed twice) and
    between pages whose source shared them; merging in place would put one page's text on the
    other. Fonts, images and other resources themselves stay shared."""
    contents = target.get_contents()
    if contents is not None:
        fresh = DecodedStreamObject()
        fresh.set_data(contents.get_data())
        target[NameObject("/Contents")] = writer._add_object(fresh)
    resources = target.get("/Resources")
    old = resources.get_object() if resources is not None else DictionaryObject()
    new = DictionaryObject()
    for key, value in old.items():
        resolved = value.get_object()
        copy = DictionaryObject(resolved) if isinstance(resolved, DictionaryObject) else value
        new[NameObject(key)] = copy
    target[NameObject("/Resources")] = new


def _text_layers(pages: Sequence[SourcePage], frames: Sequence[_Frame], font: str) -> bytes:
    """One reportlab page per source page, each holding that page's words as invisible text."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=True)
    for page, frame in zip(pages, frames, strict=True):
        pdf.setPageSize(frame.size)
        if not page.has_text_layer and page.words:
            pdf.saveState()
            pdf.transform(*_upright_to_user(frame))
            _draw_words(pdf, page, frame, font)
            pdf.restoreState()
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _upright_to_user(frame: _Frame) -> tuple[float, float, float, float, float, float]:
    """The matrix taking upright page coordinates (as a viewer shows the page, y up) to the
    unrotated user space relative to the media box corner; /Rotate turns the page clockwise."""
    width, height = frame.size
    return {
        0: (1.0, 0.0, 0.0, 1.0, 0.0, 0.0),
        90: (0.0, 1.0, -1.0, 0.0, width, 0.0),
        180: (-1.0, 0.0, 0.0, -1.0, width, height),
        270: (0.0, -1.0, 1.0, 0.0, 0.0, height),
    }[frame.rotate]


def _draw_words(pdf: canvas.Canvas, page: SourcePage, frame: _Frame, font: str) -> None:
    """Draw each word invisibly so that its glyphs fill the word's box, in upright coordinates.

    The font size makes ascent-to-descent equal the box height; horizontal scaling stretches
    the advance widths to the box width, so selection and search highlights land on the word."""
    upright_width, upright_height = frame.upright
    scale_x = upright_width / page.image_width
    scale_y = upright_height / page.image_height
    face: Any = pdfmetrics.getFont(font).face
    ascent, descent = face.ascent / 1000, face.descent / 1000  # descent is negative
    text = pdf.beginText()
    text.setTextRenderMode(INVISIBLE)
    for word in page.words:
        chars = unicodedata.normalize("NFC", word.text).strip()
        if not chars or word.width <= 0 or word.height <= 0:
            continue
        size = word.height * scale_y / (ascent - descent)
        natural = pdfmetrics.stringWidth(chars, font, size)
        if natural <= 0:
            continue
        text.setFont(font, size)
        text.setHorizScale(100 * word.width * scale_x / natural)
        bottom = upright_height - (word.top + word.height) * scale_y
        text.setTextOrigin(word.left * scale_x, bottom - descent * size)
        text.textOut(chars)
    pdf.drawText(text)


def _image_page(
    writer: PdfWriter,
    page: SourcePage,
    frame: _Frame,
    images: dict[Path, Image.Image],
    embedded: dict[tuple[Path, int], IndirectObject],
) -> PageObject:
    """A new page of the upright size with the original image (frame) drawn over all of it.

    An image listed twice is embedded once (`embedded`), as pypdf does for a PDF page."""
    key = (page.original, page.index)
    if key not in embedded:
        image = images.get(page.original)
        xobject = _jpeg_xobject(page.original) if image is None else _frame_xobject(image, key[1])
        embedded[key] = writer._add_object(xobject)
    width, height = frame.upright
    target = writer.add_blank_page(width, height)
    target[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): embedded[key]})}
    )
    content = DecodedStreamObject()
    content.set_data(f"q {width:.4f} 0 0 {height:.4f} 0 0 cm /Im0 Do Q".encode("ascii"))
    target[NameObject("/Contents")] = writer._add_object(content)
    return target


def _frame_xobject(image: Image.Image, index: int) -> StreamObject:
    """A PNG or TIFF frame as a Flate image, losslessly: 1-bit stays 1-bit, 16-bit stays 16-bit."""
    image.seek(index)
    if image.mode in {"I;16", "I;16B", "I;16L", "I;16N"}:
        data, space, bits = np.asarray(image, dtype=np.uint16).astype(">u2").tobytes(), "Gray", 16
    elif image.mode == "1":
        data, space, bits = image.tobytes(), "Gray", 1  # Pillow packs rows MSB first, 1 = white
    elif image.mode in {"L", "RGB", "CMYK"} and "transparency" not in image.info:
        data, space, bits = image.tobytes(), {"L": "Gray"}.get(image.mode, image.mode), 8
    else:  # palette, alpha: what a viewer shows, i.e. over white
        flat = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        data, space, bits = flat.tobytes(), "RGB", 8
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update(_image_dict(image.width, image.height, space, bits))
    return stream.flate_encode()


def _jpeg_xobject(path: Path) -> StreamObject:
    """A JPEG original embedded as its own DCT bytes: no decoding, no re-encoding."""
    data = path.read_bytes()
    with JpegImagePlugin.JpegImageFile(io.BytesIO(data)) as image:
        width, height, mode, adobe = image.width, image.height, image.mode, "adobe" in image.info
    space = {"L": "Gray", "RGB": "RGB", "CMYK": "CMYK"}[mode]
    entries = _image_dict(width, height, space, 8)
    entries[NameObject("/Filter")] = NameObject("/DCTDecode")
    if mode == "CMYK" and adobe:  # Adobe writes CMYK JPEGs inverted
        entries[NameObject("/Decode")] = ArrayObject([NumberObject(v) for v in (1, 0) * 4])
    fields: dict[Any, Any] = {"__streamdata__": data, **entries}
    return StreamObject.initialize_from_dictionary(fields)


def _image_dict(width: int, height: int, space: str, bits: int) -> dict[NameObject, Any]:
    return {
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(width),
        NameObject("/Height"): NumberObject(height),
        NameObject("/ColorSpace"): NameObject(f"/Device{space}"),
        NameObject("/BitsPerComponent"): NumberObject(bits),
    }
