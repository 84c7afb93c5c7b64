"""Generated pages for bench/search.py: the demo province's files as `FileDoc`s (fixed seed).

Files, people and employers come from the demo generator (archive/services/demo), so surnames
follow the real frequencies; page text is built from the specimen sentences (scanners/specimens)
around the file's one person, so `Nguyễn` is in about a third of pages. The docs are pickled once
under bench/out/ and reused.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random

from archive.reference_data import SERIES
from archive.services.demo import catalogue, tables
from archive.services.demo.population import GIVEN as GIVEN_NAMES
from archive.services.demo.population import MIDDLE as MIDDLE_NAMES
from archive.services.demo.population import (
    SURNAMES,
    EmployerSpec,
    PersonMaker,
    PersonSpec,
    employer_count,
    make_employers,
)
from indexes.documents import FileDoc
from scanners.specimens import PLACES, SENTENCES

SERIES_KINDS = {code: kind for code, _, _, kind, _, _ in SERIES}
PAGES_PER_FILE = (2, 6)  # inclusive: four pages a file on average
SENTENCES_PER_PAGE = (6, 12)
DOC_UNITS = ("ST", "CĐ", "TCKT", "VP", "CSXH", "QLT")
FORMAT = 1  # bump when the generated pages change, so stale caches are not reused


@dataclass(frozen=True)
class Corpus:
    """The generated files and the people behind them (for the query set)."""

    docs: list[FileDoc]
    people: list[PersonSpec]
    employers: list[EmployerSpec]

    @property
    def pages(self) -> int:
        return sum(len(doc.pages) for doc in self.docs)


def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def load(cache: Path, pages: int, seed: int) -> Corpus:
    """The corpus of about `pages` pages for `seed`, from bench/out/ when generated before."""
    path = cache / f"search-corpus-{pages}-{seed}-v{FORMAT}.pickle"
    if path.exists():
        with path.open("rb") as fh:
            corpus: Corpus = pickle.load(fh)
        note(f"corpus: {len(corpus.docs):,} files, {corpus.pages:,} pages from {path}")
        return corpus
    corpus = generate(pages, seed)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(corpus, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    note(f"corpus: {len(corpus.docs):,} files, {corpus.pages:,} pages generated into {path}")
    return corpus


def generate(pages: int, seed: int) -> Corpus:
    """Files of the demo province until `pages` pages are written (the last file is cut short)."""
    low, high = PAGES_PER_FILE
    files = max(1, round(pages / ((low + high) / 2)))
    groups = catalogue.plan(files, SERIES_KINDS)
    employers = make_employers(Random(f"bench:{seed}:employers"), employer_count(files), set())
    maker = PersonMaker(Random(f"bench:{seed}:people"))
    people_of_group = catalogue.cast(Random(f"bench:{seed}:cast"), groups, maker)
    ctx = catalogue.Context.build(maker.made, employers)
    rng = Random(f"bench:{seed}:pages")
    docs: list[FileDoc] = []
    left = pages
    for group, persons in zip(groups, people_of_group, strict=True):
        for draft in catalogue.drafts(rng, group, persons, ctx):
            if left <= 0:
                break
            count = min(left, rng.randint(low, high))
            left -= count
            docs.append(_doc(rng, len(docs) + 1, group, draft, ctx, count))
    while left > 0:  # rounding left a few pages over: one more file of the last group
        count = min(left, high)
        left -= count
        docs.append(_doc(rng, len(docs) + 1, group, draft, ctx, count))
    return Corpus(docs, maker.made, employers)


def _doc(
    rng: Random,
    file_id: int,
    group: catalogue.Group,
    draft: catalogue.Draft,
    ctx: catalogue.Context,
    count: int,
) -> FileDoc:
    person = ctx.people[draft.person] if draft.person is not None else None
    employer = ctx.employers[draft.employer] if draft.employer is not None else None
    # Operational files still name someone on their pages (a signatory, a listed worker).
    subject = person.full_name if person is not None else _name(rng)
    ssn = person.ssn if person is not None else f"48{rng.randrange(10**8):08d}"
    pages = tuple((number, _page(rng, subject, ssn, number == 1)) for number in range(1, count + 1))
    return FileDoc(
        file_id=file_id,
        office_code=group.office,
        series_code=group.series,
        year=draft.end.year,
        status="active",
        code=draft.code,
        title=draft.title,
        box_number=str(1 + (file_id - 1) // 80),
        has_scans=True,
        person_name=person.full_name if person is not None else "",
        ssn=person.ssn if person is not None else None,
        citizen_id=person.citizen_id if person is not None else None,
        employer_code=employer.code if employer is not None else None,
        birth_date=person.birth_date if person is not None else None,
        pages=pages,
    )


def _name(rng: Random) -> str:
    female = rng.random() < 0.5
    return f"{SURNAMES.pick(rng)} {MIDDLE_NAMES[female].pick(rng)} {GIVEN_NAMES[female].pick(rng)}"


def _date(rng: Random) -> str:
    return f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1995, 2024)}"


def _document_number(rng: Random) -> str:
    return f"{rng.randint(100, 9999)}/BHXH-{rng.choice(DOC_UNITS)}"


def _page(rng: Random, name: str, ssn: str, first: bool) -> str:
    """One page of an administrative document about `name` (the only person it names)."""
    lines: list[str] = []
    if first:
        place = rng.choice(tables.COMMUNES) if rng.random() < 0.5 else rng.choice(PLACES)
        lines += [
            "BẢO HIỂM XÃ HỘI TỈNH LONG AN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            f"Số: {_document_number(rng)}",
            f"{place}, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm "
            f"{rng.randint(2015, 2024)}",
        ]
    for _ in range(rng.randint(*SENTENCES_PER_PAGE)):
        lines.append(
            rng.choice(SENTENCES).format(
                name=name,
                date=_date(rng),
                code=ssn,
                doc=_document_number(rng),
                money=f"{rng.randint(1_000, 99_999) * 1000:,}".replace(",", "."),
                n=rng.randint(2, 250),
                month=f"{rng.randint(1, 12):02d}/{rng.randint(1990, 2005)}",
                month2=f"{rng.randint(1, 12):02d}/{rng.randint(2006, 2024)}",
                place=rng.choice(PLACES),
            )
        )
    return "\n".join(lines)


def batches(docs: Sequence[FileDoc], pages: int) -> Iterator[list[FileDoc]]:
    """The docs in batches of about `pages` pages each, as reindex hands them to a backend."""
    batch: list[FileDoc] = []
    count = 0
    for doc in docs:
        batch.append(doc)
        count += len(doc.pages)
        if count >= pages:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch
