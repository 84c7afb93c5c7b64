"""Who issues the papers an office prints: the governing body, the office, the place in dates."""

from __future__ import annotations

from archive.models import Office
from archive.printing.official import Issuer

GOVERNING_BODY = "Bảo hiểm xã hội Việt Nam"


def issuer_for(office: Office) -> Issuer:
    """The heading of an office's papers; the place falls back to the office's own name."""
    return Issuer(
        governing_body=GOVERNING_BODY,
        office_name=office.name,
        place=office.place or office.short_name or office.name,
    )
