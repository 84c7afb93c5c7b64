"""Opening a PDF the way every part of the pipeline must: printers and scanner software often
"encrypt" their output with an owner password only (the user password is empty), which forbids
nothing a reader does. Such a PDF opens; one that really needs a password is refused."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.errors import DependencyError

from archive.errors import Invalid


class PdfNeedsPassword(Invalid):
    code = "scan.pdf_encrypted"


def open_pdf(source: Path | BinaryIO, *, strict: bool = False) -> PdfReader:
    """A reader on `source`, decrypted with the empty user password when it is encrypted;
    raises PdfNeedsPassword when that is not enough."""
    reader = PdfReader(source, strict=strict)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as exc:  # an unknown cipher
            raise PdfNeedsPassword(reason=type(exc).__name__) from exc
        if not opened:
            raise PdfNeedsPassword()
    return reader
