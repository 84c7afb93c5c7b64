"""Our query model: what saved searches store (as JSON), never an engine's syntax (issue 4)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

from archive.errors import Invalid
from indexes.analyzer import DOCUMENT_NUMBER_PATTERN, analyze, normalise

JSON_VERSION = 1
MAX_PAGE_SIZE = 100
_LEXER = re.compile(
    rf'(?P<neg>-?)(?:"(?P<phrase>[^"]*)"?|(?P<doc>{DOCUMENT_NUMBER_PATTERN})|(?P<word>\S+))'
)


class QueryInvalid(Invalid):
    """A query (typed or stored) that cannot be used; `field` names the part at fault."""

    code = "search.query_invalid"


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"
    FILE_CODE = "file_code"


@dataclass(frozen=True)
class Query:
    """A search: text parts as typed (NFC), filters, sort and page; the same for every backend."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    office_codes: tuple[str, ...] = ()
    series_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    box_number: str | None = None
    has_scans: bool | None = None
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    size: int = 20

    def __post_init__(self) -> None:
        if self.page < 1:
            raise QueryInvalid(field="page", value=self.page)
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise QueryInvalid(field="size", value=self.size)
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise QueryInvalid(field="year", value=f"{self.year_from}-{self.year_to}")

    @property
    def has_text(self) -> bool:
        """True when the query asks for words, phrases or prefixes (not only filters)."""
        return bool(self.words or self.phrases or self.prefixes)

    @property
    def offset(self) -> int:
        """The number of hits before this page."""
        return (self.page - 1) * self.size

    def to_json(self) -> str:
        """The JSON a saved search stores: our model with a version, never engine syntax."""
        data = asdict(self)
        data["sort"] = self.sort.value
        return json.dumps({"v": JSON_VERSION, **data}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Query:
        """A query back from its JSON; refuses unknown versions, keys and wrongly typed values."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise QueryInvalid(field="json") from exc
        if not isinstance(data, dict) or data.pop("v", None) != JSON_VERSION:
            raise QueryInvalid(field="v")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise QueryInvalid(field=sorted(unknown)[0])
        return cls(**{key: _from_json_value(key, value) for key, value in data.items()})


_TUPLES = {"words", "phrases", "excluded", "prefixes", "office_codes", "series_codes", "statuses"}


def typed_with_diacritics(query: Query) -> bool:
    """Whether any word or phrase of the query was typed with diacritics. Then the reader means
    the exact forms of ALL its words: in "Nguyễn Phương Lan" the plain "Lan" means "Lan", not the
    "lần" it folds like, so every word's exact form is boosted, not only the accented ones."""
    return any(
        token.exact != token.folded
        for part in (*query.words, *query.phrases)
        for token in analyze(part)
    )


def _from_json_value(key: str, value: Any) -> Any:
    if key in _TUPLES:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise QueryInvalid(field=key)
        return tuple(value)
    if key == "sort":
        try:
            return Sort(value)
        except ValueError as exc:
            raise QueryInvalid(field=key, value=value) from exc
    expected: dict[str, tuple[type, ...]] = {
        "year_from": (int, type(None)),
        "year_to": (int, type(None)),
        "box_number": (str, type(None)),
        "has_scans": (bool, type(None)),
        "page": (int,),
        "size": (int,),
    }
    is_bool = isinstance(value, bool)
    if not isinstance(value, expected[key]) or (is_bool and bool not in expected[key]):
        raise QueryInvalid(field=key)
    return value


def parse(text: str, **filters: Any) -> Query:
    """Our query from typed text and keyword filters; refuses unknown filters and invalid values."""
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    prefixes: list[str] = []
    for match in _LEXER.finditer(normalise(text)):
        part = " ".join((match["phrase"] or match["doc"] or match["word"] or "").split())
        if match["word"] and part.endswith("*") and not match["neg"]:
            stem = part.rstrip("*")
            if analyze(stem):
                prefixes.append(stem)
            continue
        if not analyze(part):
            continue
        if match["neg"]:
            excluded.append(part)
        elif match["phrase"] is not None and len(analyze(part)) > 1:
            phrases.append(part)
        else:
            words.append(part)
    known = {f.name for f in fields(Query)} - {"words", "phrases", "excluded", "prefixes"}
    unknown = set(filters) - known
    if unknown:
        raise QueryInvalid(field=sorted(unknown)[0])
    for key in _TUPLES & set(filters):
        filters[key] = tuple(filters[key])
    if "sort" in filters:
        filters["sort"] = _from_json_value("sort", str(filters["sort"]))
    return Query(
        words=tuple(words),
        phrases=tuple(phrases),
        excluded=tuple(excluded),
        prefixes=tuple(prefixes),
        **filters,
    )
