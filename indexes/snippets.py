"""Best pages and highlighted snippets of a hit, computed the same way for every backend."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from indexes.analyzer import Token, analyze, normalise
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


def best_pages(
    pages: Iterable[tuple[int, str]], matcher: TextMatcher, *, limit: int, chars: int
) -> tuple[PageHit, ...]:
    """The `limit` pages with the most (exact-weighted) matches, each with one snippet."""
    scored: list[tuple[int, int, str, list[tuple[Token, int]]]] = []
    for number, raw in pages:
        text = normalise(raw)
        matches = [(t, w) for t in analyze(text) if (w := matcher.weight(t))]
        if matches:
            scored.append((-sum(w for _, w in matches), number, text, matches))
    scored.sort(key=lambda item: (item[0], item[1]))
    return tuple(
        PageHit(number, snippet(text, matches, chars))
        for _, number, text, matches in scored[:limit]
    )


def snippet(text: str, matches: list[tuple[Token, int]], chars: int) -> Snippet:
    """About `chars` characters around the first strongest match, with every match inside marked."""
    strongest = max(w for _, w in matches)
    anchor = next(t for t, w in matches if w == strongest)
    start = max(0, anchor.start - chars // 3)
    if start > 0 and " " in text[start : anchor.start]:
        start = text.index(" ", start, anchor.start) + 1
    end = min(len(text), start + chars)
    if end < len(text) and " " in text[anchor.end : end]:
        end = text.rindex(" ", anchor.end, end)
    spans = tuple((t.start - start, t.end - start) for t, _ in matches if start <= t.start < end)
    clipped = tuple((a, min(b, end - start)) for a, b in spans)
    return Snippet(text[start:end], clipped)
