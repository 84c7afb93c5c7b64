"""The one Vietnamese analyser every backend indexes and queries with (issue 4).

Engines only split our output on white space: folding, identifier shapes and exact forms are decided
here, so tantivy, Whoosh and PostgreSQL see identical tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from archive.identifiers import normalise_document_number
from archive.text import exact, fold

_DASHES = "\\-\u2010-\u2015\u2212"
_PART = r"[0-9A-Za-zĐđ]+"
# `4027/BHXH-ST`, `4027/BHXH – ST`, `01/2015/TT-BLĐTBXH`: digits, then slash-separated parts that
# may be dash-joined with stray spaces. Spans without any letter (dates) are plain numbers.
DOCUMENT_NUMBER_PATTERN = rf"\d+(?:\s*/\s*{_PART}(?:\s*[{_DASHES}]\s*{_PART})*)+"
# Letters and digits (10- and 12-digit numbers, `YN0405Z` stay whole); combining marks are kept
# inside a word for the rare mark NFC cannot compose.
_WORD = r"(?:[^\W_]|[\u0300-\u036f])+"
_TOKEN_RE = re.compile(rf"(?P<doc>{DOCUMENT_NUMBER_PATTERN})|(?P<word>{_WORD})")
_WORD_RE = re.compile(_WORD)
_LETTER_RE = re.compile(r"[^\W\d_]")
# Folding is most of the analyser's cost and page vocabularies repeat: the forms of recent
# spellings are kept (bench/search.py, issue 4).
_FORMS_CACHE = 1 << 17


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its exact form (NFC, lower-cased, with diacritics), folded form and span."""

    exact: str
    folded: str
    start: int
    end: int


def normalise(text: str) -> str:
    """NFC without collapsing white space, so token spans stay valid offsets into page text."""
    return unicodedata.normalize("NFC", text)


def analyze(text: str) -> list[Token]:
    """Tokens of `text` (normalised to NFC first); spans refer to `normalise(text)`."""
    return list(_tokens(normalise(text)))


def _tokens(text: str) -> Iterator[Token]:
    for match in _TOKEN_RE.finditer(text):
        span = match.group()
        if match.lastgroup == "doc" and _LETTER_RE.search(span):
            yield Token(*forms(span), match.start(), match.end())
        elif match.lastgroup == "doc":
            for word in _WORD_RE.finditer(span):
                yield _word_token(word.group(), match.start() + word.start())
        else:
            yield _word_token(span, match.start())


def _word_token(word: str, start: int) -> Token:
    return Token(*forms(word), start, start + len(word))


@lru_cache(maxsize=_FORMS_CACHE)
def forms(span: str) -> tuple[str, str]:
    """The exact and folded forms of one token's text: a word, or a document number (has `/`)."""
    value = normalise_document_number(span) if "/" in span else span
    return exact(value), fold(value)


def folded_terms(text: str) -> list[str]:
    """The folded tokens of `text`, in order."""
    return [token.folded for token in analyze(text)]


def exact_terms(text: str) -> list[str]:
    """The exact tokens of `text`, in order."""
    return [token.exact for token in analyze(text)]


def index_text(text: str) -> tuple[str, str]:
    """The exact and folded streams of `text`, space-joined for an engine's white-space tokenizer."""
    tokens = analyze(text)
    return " ".join(t.exact for t in tokens), " ".join(t.folded for t in tokens)
