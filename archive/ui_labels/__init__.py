"""Every label of the web UI, in Vietnamese and English: key -> (vi, en). One module per part of
the domain; no key may be defined twice. Templates call t("key")."""

from __future__ import annotations

from archive.i18n_catalogue import merged
from archive.ui_labels import copies, custody, general, loans, reading

UI: dict[str, tuple[str, str]] = merged(general, loans, reading, copies, custody, name="UI")
