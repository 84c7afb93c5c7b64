"""The message of every error code, in Vietnamese and English: code -> (vi, en), formatted with
the error's params. One module per part of the domain; every raised code must have an entry
(tests/test_docs.py), and no code may be defined twice."""

from __future__ import annotations

from archive.i18n_catalogue import merged
from archive.messages import copies, custody, general, loans, printing, reading

MESSAGES: dict[str, tuple[str, str]] = merged(general, loans, reading, copies, custody, printing)
