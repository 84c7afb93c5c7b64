"""Docs as tests: every setting is documented, every error code and UI label has both languages,
every permission and CLI command is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.cli import app as cli_app
from archive.i18n import MESSAGES, UI
from archive.permissions import Perm
from archive.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SOURCES = (
    [p for p in (ROOT / "archive").rglob("*.py")]
    + [p for p in (ROOT / "scanners").rglob("*.py")]
    + [p for p in (ROOT / "indexes").rglob("*.py")]
)
RAISED = re.compile(
    r"\b(?:NotFound|Forbidden|Conflict|Invalid|Unauthenticated|ArchiveError|\w+Refused)\(\s*\"([a-z_]+\.[a-z_.]+)\""
)
# Error classes that carry their code as a class attribute: `code = "scan.original_missing"`.
CLASS_CODE = re.compile(r"^\s+code(?::\s*str)?\s*=\s*\"([a-z_]+\.[a-z_.]+)\"", re.MULTILINE)
TEMPLATE_KEY = re.compile(r"""\bt\(\s*["']([a-z_.]+)["']\s*\)""")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"ARCHIVE_{name.upper()}" in README


def test_every_raised_error_code_has_vietnamese_and_english_messages() -> None:
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    codes = {
        code for text in texts for pattern in (RAISED, CLASS_CODE) for code in pattern.findall(text)
    }
    assert codes, "the pattern found no codes"
    missing = sorted(code for code in codes if code not in MESSAGES)
    assert missing == []
    for code, (vi, en) in MESSAGES.items():
        assert (vi.strip() and en.strip() and vi != en) or code in {"error"}, code


def test_every_template_label_exists_in_both_languages() -> None:
    keys = set()
    for path in (ROOT / "archive" / "web" / "templates").rglob("*.html"):
        keys |= set(TEMPLATE_KEY.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in keys if k not in UI)
    assert missing == []


@pytest.mark.parametrize("perm", [p.value for p in Perm])
def test_every_permission_is_listed_in_the_readme(perm: str) -> None:
    assert f"`{perm}`" in README


def test_every_cli_command_is_in_the_readme() -> None:
    import typer.main

    for name in typer.main.get_group(cli_app).commands:
        assert f"archive {name}" in README, name
