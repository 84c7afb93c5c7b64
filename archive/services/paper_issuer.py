"""Who issues the papers an office prints: the governing body, the office, the place in dates.

A district office's papers are headed by its provincial office, the province's by the national
body (Decree 30/2020: the governing body's name above the issuing office's)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Office
from archive.printing.official import Issuer

NATIONAL_BODY = "Bảo hiểm xã hội Việt Nam"
PROVINCE_CODE = "00"
_KIND = re.compile(r"^(BHXH|Bảo hiểm xã hội)\s+(tỉnh|thành phố|huyện|quận|thị xã)?\s*")


def issuer_for(session: Session, office: Office) -> Issuer:
    """The heading of the office's papers; the place is the office's own, else read from its
    name ("BHXH tỉnh Long An" → "Long An")."""
    body = NATIONAL_BODY
    if office.code != PROVINCE_CODE:
        province = session.scalar(select(Office.name).where(Office.code == PROVINCE_CODE))
        body = province or NATIONAL_BODY
    place = office.place or _KIND.sub("", office.name) or office.name
    return Issuer(governing_body=body, office_name=office.name, place=place)
