"""The copy price list (bảng giá sao tài liệu): every price by kind, the one that applies today,
and a new price from a date for those who keep the list (requests already quoted keep their fee)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, Today
from archive.errors import Invalid
from archive.identifiers import parse_date
from archive.models import COPY_KINDS, CopyPrice
from archive.permissions import Actor, Perm
from archive.services import copy_prices
from archive.web.copies import copy_notice
from archive.web.forms import FormError, outcome
from archive.web.templating import hx_redirect, render

router = APIRouter()
PRICES_TEMPLATE = "copies/prices.html"


@dataclass(frozen=True)
class PriceForm:
    kind: str = "photocopy"
    per_page: str = ""
    per_request: str = "0"
    valid_from: str = ""


@dataclass(frozen=True)
class PricesPage:
    prices: list[CopyPrice]  # by kind, newest first
    current: frozenset[int]  # the price of each kind that applies today
    today: date
    can_set: bool
    form: PriceForm
    kinds: tuple[str, ...] = COPY_KINDS
    ok: str | None = None
    error: FormError | None = None


def prices_page(
    session: Session,
    actor: Actor,
    today: date,
    *,
    form: PriceForm | None = None,
    ok: str | None = None,
    error: FormError | None = None,
) -> PricesPage:
    applying = (copy_prices.price_on(session, kind, today) for kind in COPY_KINDS)
    return PricesPage(
        prices=copy_prices.list_prices(session),
        current=frozenset(price.id for price in applying if price is not None),
        today=today,
        can_set=actor.has(Perm.USE_SETTINGS),
        form=form or PriceForm(valid_from=today.isoformat()),
        ok=copy_notice(ok),
        error=error,
    )


def _dong(text: str) -> int:
    """Whole đồng as typed, with dots or spaces between thousands ("16.000")."""
    digits = text.replace(".", "").replace(" ", "").replace("đ", "").strip()
    if not digits.isdigit():
        raise Invalid("copy_price.amount", amount=text, max=copy_prices.MAX_DONG)
    return int(digits)


@router.get("/copy-prices")
def show_prices(
    request: Request, session: DbSession, actor: CurrentActor, today: Today, ok: str | None = None
) -> Response:
    return render(request, PRICES_TEMPLATE, prices_page(session, actor, today, ok=ok))


@router.post("/copy-prices")
def set_price(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    today: Today,
    kind: str = Form(""),
    per_page: str = Form(""),
    per_request: str = Form("0"),
    valid_from: str = Form(""),
) -> Response:
    """A new price of a kind, valid from a date (requests already quoted keep their fee)."""
    form = PriceForm(kind, per_page, per_request, valid_from)
    _, error = outcome(
        session,
        lambda: copy_prices.set_price(
            session,
            actor,
            kind=kind,
            per_page=_dong(per_page),
            per_request=_dong(per_request or "0"),
            valid_from=parse_date(valid_from),
        ),
    )
    if error is None:
        return hx_redirect(request, "/copy-prices?ok=price_set")
    page = prices_page(session, actor, today, form=form, error=error)
    return render(request, PRICES_TEMPLATE, page, status=422)
