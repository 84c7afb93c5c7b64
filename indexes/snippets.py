"""Best pages and highlighted snippets of a hit, computed the same way for every backend."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from archive.text import fold
from indexes.analyzer import Token, analyze, forms, normalise
from indexes.backend import PageHit, Snippet
from indexes.query import Query


@dataclass(frozen=True)
class TextMatcher:
    """Which tokens a query matches: exact forms weigh more than folded ones and prefixes."""

    exact: frozenset[str]
    folded: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def for_query(cls, query: Query) -> TextMatcher:
        """The matcher of a query's words, phrase words and prefixes (never its exclusions)."""
        tokens = [t for part in (*query.words, *query.phrases) for t in analyze(part)]
        prefixes = tuple(t.folded for p in query.prefixes for t in analyze(p)[:1])
        return cls(
            exact=frozenset(t.exact for t in tokens if t.exact != t.folded),
            folded=frozenset(t.folded for t in tokens),
            prefixes=prefixes,
        )

    def weight(self, token: Token) -> int:
        """2 for an exact-diacritic match, 1 for a folded or prefix match, 0 for none."""
        if token.exact in self.exact:
            return 2
        if token.folded in self.folded or token.folded.startswith(self.prefixes):
            return 1
        return 0


@dataclass(frozen=True, slots=True)
class AnalysedPage:
    """A page as indexed: NFC text, its exact and folded token streams and the tokens' spans
    (`start,end,start,end…`). Streams are padded, ` a  b  c `: each token has its own spaces,
    so ` b ` counts every occurrence, even repeated ones (white-space tokenizers skip the extra
    spaces).

    Stored beside the text so that a hit's pages are scored by counting strings in C, not
    analysed again at query time: re-analysing every page of every hit dominated search (issue 4,
    bench/search.py). Only the tokens around a shown page's snippet are read one by one."""

    number: int
    text: str
    exact: str
    folded: str
    spans: str

    @classmethod
    def of(cls, number: int, raw: str) -> AnalysedPage:
        """The page analysed once; its `exact` and `folded` streams are what engines index."""
        text = normalise(raw)
        tokens = analyze(text)
        return cls(
            number,
            text,
            _padded(t.exact for t in tokens),
            _padded(t.folded for t in tokens),
            ",".join(f"{t.start},{t.end}" for t in tokens),
        )

    def to_json(self) -> list[object]:
        """The stored JSON value: [number, text, exact stream, folded stream, spans]."""
        return [self.number, self.text, self.exact, self.folded, self.spans]

    @classmethod
    def from_json(cls, value: Sequence[object]) -> AnalysedPage | tuple[int, str]:
        """The stored page back; an older `[number, text]` pair comes back as it was."""
        if len(value) == 2:
            return int(str(value[0])), str(value[1])
        number, text, exact, folded, spans = value
        return cls(int(str(number)), str(text), str(exact), str(folded), str(spans))

    def score(self, matcher: TextMatcher) -> int:
        """The sum of `matcher.weight` over the page's tokens, by counting in the streams."""
        folded = self.folded
        prefixes = _minimal(matcher.prefixes)
        total = sum(folded.count(f" {prefix}") for prefix in prefixes)
        # A word that also matches a prefix is counted once, by the prefix.
        total += sum(folded.count(f" {w} ") for w in matcher.folded if not w.startswith(prefixes))
        if matcher.exact:
            exact = self.exact
            total += sum(exact.count(f" {word} ") for word in matcher.exact)
        return total

    def snippet(self, matcher: TextMatcher, chars: int) -> Snippet:
        """`snippet()` of this page, reading only the tokens around its first strongest match."""
        anchor = _first(self.exact, matcher.exact, ())
        if anchor is None:
            anchor = _first(self.folded, matcher.folded, matcher.prefixes)
        if anchor is None:
            return Snippet(self.text[:chars], ())
        # Tokens take at least two characters of text each (with a separator), so none past
        # `chars // 2` after the anchor can start inside the window: split no further.
        reach = anchor + chars // 2 + 2
        spans = self.spans.split(",", 2 * reach)
        usable = len(spans) - 1 if len(spans) > 2 * reach else len(spans)
        start, end = _window(self.text, int(spans[2 * anchor]), int(spans[2 * anchor + 1]), chars)
        low, high = anchor, anchor + 1  # the tokens starting inside the window
        while low > 0 and int(spans[2 * (low - 1)]) >= start:
            low -= 1
        while 2 * high + 1 < usable and int(spans[2 * high]) < end:
            high += 1
        exact, folded = self.exact.split(None, high), self.folded.split(None, high)
        wanted, prefixes = matcher.folded, matcher.prefixes
        found: list[tuple[Token, int]] = []
        for i in range(low, high):
            if folded[i] in wanted or (prefixes and folded[i].startswith(prefixes)):
                token = Token(exact[i], folded[i], int(spans[2 * i]), int(spans[2 * i + 1]))
                found.append((token, matcher.weight(token)))
        return _marked(self.text, found, start, end)


def _padded(tokens: Iterable[str]) -> str:
    return "".join(f" {token} " for token in tokens)


def _first(stream: str, words: frozenset[str], prefixes: tuple[str, ...]) -> int | None:
    """The number of the first token of the padded `stream` equal to a word or with a prefix."""
    padded = stream
    needles = [f" {w} " for w in words] + [f" {p}" for p in prefixes]
    found = [at for at in (padded.find(n) for n in needles) if at != -1]
    return padded.count(" ", 0, min(found)) // 2 if found else None


def _minimal(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """The prefixes no other (shorter) one already covers."""
    kept: list[str] = []
    for prefix in sorted(set(prefixes), key=len):
        if not prefix.startswith(tuple(kept)):
            kept.append(prefix)
    return tuple(kept)


def best_pages(
    pages: Iterable[tuple[int, str] | AnalysedPage],
    matcher: TextMatcher,
    *,
    limit: int,
    chars: int,
) -> tuple[PageHit, ...]:
    """The `limit` pages with the most (exact-weighted) matches, each with one snippet."""
    stored: list[tuple[int, int, AnalysedPage]] = []
    scored: list[tuple[int, int, str, list[tuple[Token, int]]]] = []
    for page in pages:
        if isinstance(page, AnalysedPage):
            if weight := page.score(matcher):
                stored.append((-weight, page.number, page))
            continue
        number, text = page[0], normalise(page[1])
        matches = [(t, w) for t in analyze(text) if (w := matcher.weight(t))]
        if matches:
            scored.append((-sum(w for _, w in matches), number, text, matches))
    if stored:  # pages stored analysed: only the ones shown are read for snippets
        stored.sort(key=lambda item: (item[0], item[1]))
        return tuple(PageHit(p.number, p.snippet(matcher, chars)) for _, _, p in stored[:limit])
    scored.sort(key=lambda item: (item[0], item[1]))
    return tuple(
        PageHit(number, snippet(text, matches, chars))
        for _, number, text, matches in scored[:limit]
    )


def page_snippet(text: str, matcher: TextMatcher, chars: int) -> Snippet:
    """`snippet()` of one page's plain text (for backends that store pages unanalysed), without
    analysing the whole page: a pattern finds the tokens that can match, and the analyser
    confirms them where the page's tokens are not all plain words. Anything the fast path
    cannot vouch for (a document number in the query, letters outside Vietnamese Latin)
    analyses the whole page, as before."""
    text = normalise(text)
    hits = _hits(text, matcher)
    if hits is not None:
        if not hits:
            return Snippet(text[:chars], ())
        if "/" not in text:  # every token is a run of word characters, so the hits are exact
            return snippet(text, hits, chars)
        windowed = _windowed(text, hits, matcher, chars)
        if windowed is not None:
            return windowed
    matches = [(t, w) for t in analyze(text) if (w := matcher.weight(t))]
    return snippet(text, matches, chars) if matches else Snippet(text[:chars], ())


_LATIN = "\x00-\u024f\u1e00-\u1eff"  # every letter of Vietnamese, precomposed
_UNUSUAL = re.compile(rf"[^\W{_LATIN}]|[\u0300-\u036f]")  # other letters, combining marks
_PLAIN = re.compile(r"[^\W_]+\Z")  # a word or number token (a document number has a `/`)
_MARGIN = 64  # longer than any document number


def _hits(text: str, matcher: TextMatcher) -> list[tuple[Token, int]] | None:
    """The page's runs of word characters that match, with their weights; None when the
    query or the page is outside what the pattern can answer."""
    needles = (*matcher.folded, *matcher.prefixes)
    if not all(_PLAIN.match(n) for n in needles) or _UNUSUAL.search(text):
        return None
    out: list[tuple[Token, int]] = []
    for found in _pattern(tuple(sorted(matcher.folded)), matcher.prefixes).finditer(text):
        token = Token(*forms(found.group()), found.start(), found.end())
        if weight := matcher.weight(token):
            out.append((token, weight))
    return out


def _windowed(
    text: str, hits: list[tuple[Token, int]], matcher: TextMatcher, chars: int
) -> Snippet | None:
    """The snippet around the first strongest hit, analysing only its window (and a margin
    either side, so tokens crossing the edges are read whole); None unless the analyser
    confirms the hit as a token (a hit can lie inside a document number)."""
    anchor, strongest = _anchor(hits)
    start, end = _window(text, anchor.start, anchor.end, chars)
    offset, stop = max(0, start - _MARGIN), end + _MARGIN
    tokens = analyze(text[offset:stop])
    cut = tokens and stop < len(text) and tokens[-1].end + offset >= stop
    if cut and tokens[-1].start + offset < end:
        return None  # a token of the window runs past the margin: it may be cut
    matches = [
        (Token(t.exact, t.folded, t.start + offset, t.end + offset), w)
        for t in tokens
        if start <= t.start + offset < end and (w := matcher.weight(t))
    ]
    if not any(t.start == anchor.start and w == strongest for t, w in matches):
        return None
    return _marked(text, matches, start, end)


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...], prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """A whole token folding to one of `words`, or starting with a fold of one of `prefixes`:
    each letter a class of every character that folds to it."""

    def spelled(folded: str) -> str:
        return "".join(_spellings(ch) for ch in folded)

    options = [spelled(w) for w in words] + [spelled(p) + r"[^\W_]*" for p in prefixes]
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(options) or '(?!)'})(?![^\W_])")


@lru_cache(maxsize=512)
def _spellings(folded: str) -> str:
    """A character class of the characters (Vietnamese Latin) whose fold is `folded`."""
    ranges = (range(0x0000, 0x0250), range(0x1E00, 0x1F00))
    chars = {folded} | {chr(c) for r in ranges for c in r if fold(chr(c)) == folded}
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def snippet(text: str, matches: list[tuple[Token, int]], chars: int) -> Snippet:
    """About `chars` characters around the first strongest match, with every match inside marked."""
    anchor, _ = _anchor(matches)
    start, end = _window(text, anchor.start, anchor.end, chars)
    return _marked(text, matches, start, end)


def _anchor(matches: list[tuple[Token, int]]) -> tuple[Token, int]:
    """The first of the strongest matches, and its weight."""
    strongest = max(w for _, w in matches)
    return next(t for t, w in matches if w == strongest), strongest


def _window(text: str, first: int, last: int, chars: int) -> tuple[int, int]:
    """About `chars` characters around the span first:last, cut at spaces."""
    start = max(0, first - chars // 3)
    if start > 0 and " " in text[start:first]:
        start = text.index(" ", start, first) + 1
    end = min(len(text), start + chars)
    if end < len(text) and " " in text[last:end]:
        end = text.rindex(" ", last, end)
    return start, end


def _marked(text: str, matches: list[tuple[Token, int]], start: int, end: int) -> Snippet:
    spans = tuple((t.start - start, t.end - start) for t, _ in matches if start <= t.start < end)
    clipped = tuple((a, min(b, end - start)) for a, b in spans)
    return Snippet(text[start:end], clipped)
