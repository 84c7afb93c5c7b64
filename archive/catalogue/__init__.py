"""Catalogues (mục lục hồ sơ) from CSV and XLSX: columns, reading, typed rows and row errors.

No database here: the register import (archive.services.imports) and the handover both build
on `load`."""

from archive.catalogue.columns import COLUMNS, Column, header_key, label, match_header
from archive.catalogue.reader import Header, Sheet, open_sheet
from archive.catalogue.rows import Catalogue, CatalogueRow, RowError, load, read_sheet, row_error

__all__ = [
    "COLUMNS",
    "Catalogue",
    "CatalogueRow",
    "Column",
    "Header",
    "RowError",
    "Sheet",
    "header_key",
    "label",
    "load",
    "match_header",
    "open_sheet",
    "read_sheet",
    "row_error",
]
