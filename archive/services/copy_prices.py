"""What a copy costs: which pages of a file are asked for and how many there are, and the price
list (whole đồng per page of each kind, plus a fixed fee per request).

Prices are never edited: a change is a new row valid from its date, so a request keeps the fee
it was quoted, and the price it was quoted from can be found again (`price_on(known_at=...)`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Invalid
from archive.models import COPY_KINDS, CopyPrice, File, Page, utcnow
from archive.permissions import Actor, Perm, require
from archive.services import audit
from archive.services.pages import LISTED_ROLES

MAX_DONG = 100_000_000  # a sanity bound: no copy fee comes near a hundred million đồng
MAX_PAGES_TEXT = 200  # the column's width
_RANGE = re.compile(r"^(\d{1,6})(?:-(\d{1,6}))?$")


@dataclass(frozen=True)
class Quote:
    """A fee as the price list gives it: `per_page` × `pages` + `per_request`."""

    price_id: int | None
    per_page: int
    per_request: int
    pages: int

    @property
    def total(self) -> int:
        return self.per_page * self.pages + self.per_request


def check_kind(kind: str) -> str:
    """Return `kind` if it is a copy kind; refuses others."""
    if kind not in COPY_KINDS:
        raise Invalid("copy.kind", kind=kind)
    return kind


def parse_pages(text: str) -> str:
    """The pages asked for, normalised ("1 – 3; 5" → "1-3,5"; "" = every page); refuses text
    that is not a list of page numbers and ranges."""
    cleaned = text.replace(" ", "").replace(";", ",").replace("–", "-").replace("—", "-")
    if not cleaned:
        return ""
    spans: list[tuple[int, int]] = []
    for part in cleaned.split(","):
        match = _RANGE.match(part)
        if match is None:
            raise Invalid("copy.pages", pages=text)
        first, last = int(match[1]), int(match[2] or match[1])
        if first < 1 or last < first:
            raise Invalid("copy.pages", pages=text)
        spans.append((first, last))
    normalised = ",".join(f"{a}-{b}" if a != b else str(a) for a, b in _merge(spans))
    if len(normalised) > MAX_PAGES_TEXT:
        raise Invalid("copy.pages", pages=text[:40])
    return normalised


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def page_numbers(pages: str, total: int | None, *, file_code: str) -> list[int]:
    """The page numbers of normalised `pages` in a file of `total` pages ("" = all of them;
    None = a paper file whose sheets are not counted, so only numbered pages can be asked for);
    refuses a file without pages and pages beyond its last."""
    if total is None:
        if not pages:
            raise Invalid("copy.file_without_pages", file_code=file_code)
    elif total <= 0:
        raise Invalid("copy.file_without_pages", file_code=file_code)
    elif not pages:
        return list(range(1, total + 1))
    spans = [(int(a), int(b or a)) for a, _, b in (p.partition("-") for p in pages.split(","))]
    last = max(b for _, b in spans)
    if total is not None and last > total:
        raise Invalid("copy.page_out_of_range", file_code=file_code, page=last, total=total)
    return [n for first, end in _merge(spans) for n in range(first, end + 1)]


def pages_label(pages: str, count: int) -> str:
    """How a slip shows the pages: "1-3, 5", or "1-12" for a whole file of 12 pages."""
    if pages:
        return pages.replace(",", ", ")
    return "1" if count == 1 else f"1-{count}"


def page_total(session: Session, kind: str, file: File) -> int | None:
    """How many pages a copy of `file` can take: its scanned pages (as its searchable PDF holds
    them) for a digital copy, its registered sheet count for a paper one (None if not counted)."""
    if kind != "digital":
        return file.sheet_count or None
    # The pages scan_exports.file_scans_pdf renders: listed, placed, processed.
    count = session.scalar(
        select(func.count(Page.id)).where(
            Page.file_id == file.id,
            Page.removed_at.is_(None),
            Page.role.in_(LISTED_ROLES),
            Page.position.is_not(None),
            Page.status.in_(("done", "failed")),
        )
    )
    return int(count or 0)


def list_prices(session: Session, *, kind: str | None = None) -> list[CopyPrice]:
    """Every price of the list (public information), by kind, newest first."""
    stmt = select(CopyPrice).order_by(
        CopyPrice.kind,
        CopyPrice.valid_from.desc(),
        CopyPrice.created_at.desc(),
        CopyPrice.id.desc(),
    )
    if kind is not None:
        stmt = stmt.where(CopyPrice.kind == check_kind(kind))
    return list(session.scalars(stmt))


def price_on(
    session: Session, kind: str, day: date, *, known_at: datetime | None = None
) -> CopyPrice | None:
    """The price of `kind` valid on `day` (the latest entered, if two start the same day); with
    `known_at`, as the list stood at that instant. None when the list has no price yet."""
    stmt = select(CopyPrice).where(CopyPrice.kind == kind, CopyPrice.valid_from <= day)
    if known_at is not None:
        stmt = stmt.where(CopyPrice.created_at <= known_at)
    order = (CopyPrice.valid_from.desc(), CopyPrice.created_at.desc(), CopyPrice.id.desc())
    return session.scalars(stmt.order_by(*order).limit(1)).first()


def quote(price: CopyPrice | None, pages: int) -> Quote:
    """The fee for `pages` pages at `price` (nothing when there is no price: a free request)."""
    if price is None:
        return Quote(None, 0, 0, pages)
    return Quote(price.id, price.per_page_dong, price.per_request_dong, pages)


def set_price(
    session: Session,
    actor: Actor,
    *,
    kind: str,
    per_page: int,
    per_request: int = 0,
    valid_from: date,
) -> CopyPrice:
    """Add a price valid from `valid_from`; requests already quoted keep their fee. Refuses
    negative or absurd amounts."""
    require(actor, Perm.USE_SETTINGS)
    check_kind(kind)
    for amount in (per_page, per_request):
        if not 0 <= amount <= MAX_DONG:
            raise Invalid("copy_price.amount", amount=amount, max=MAX_DONG)
    price = CopyPrice(
        kind=kind,
        per_page_dong=per_page,
        per_request_dong=per_request,
        valid_from=valid_from,
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(price)
    session.flush()
    audit.record(
        session,
        actor,
        "copy_price.set",
        object_type="copy_price",
        object_id=price.id,
        changes={
            "kind": kind,
            "per_page_dong": per_page,
            "per_request_dong": per_request,
            "valid_from": valid_from,
        },
    )
    return price
