"""`archive lookup`: where is it? Any barcode, file code, number, employer code or name."""

from __future__ import annotations

import json
from datetime import date

import typer

from archive.cli.common import runtime, unit_of_work
from archive.identifiers import parse_date
from archive.permissions import Actor
from archive.services import lookup as lookup_service
from archive.services import offices

CLI = Actor.system("cli")


def register(app: typer.Typer) -> None:
    app.command()(lookup)


def lookup(
    query: str = typer.Argument(..., help="Mã vạch, số ký hiệu, mã số BHXH, mã đơn vị hoặc họ tên"),
    birth_date: str = typer.Option(
        "", "--birth-date", help="Ngày sinh (dd/mm/yyyy) để lọc theo tên"
    ),
    office: str = typer.Option("", help="Mã đơn vị BHXH (00, 01…)"),
    employer: str = typer.Option("", help="Mã đơn vị sử dụng lao động"),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON"),
) -> None:
    """Where is it? Every hit with its full location path."""
    rt = runtime()
    with unit_of_work(rt, write=False) as session:
        office_id = offices.get_by_code(session, office).id if office else None
        narrow = lookup_service.Narrowing(
            birth_date=parse_date(birth_date) if birth_date else None,
            office_id=office_id,
            employer_code=employer or None,
        )
        result = lookup_service.lookup(session, CLI, query, narrow=narrow)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "query": result.query,
                    "interpreted_as": result.interpreted_as,
                    "hits": [
                        {
                            "kind": h.kind,
                            "id": h.id,
                            "code": h.code,
                            "barcode": h.barcode,
                            "label": h.label,
                            "person_name": h.person_name,
                            "ssn": h.ssn,
                            "birth_date": h.birth_date.isoformat() if h.birth_date else None,
                            "match": h.match,
                            "office_code": h.office_code,
                            "path": h.path.text(),
                        }
                        for h in result.hits
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not result.hits:
        typer.echo("Không tìm thấy kết quả nào.")
        raise typer.Exit(1)
    for h in result.hits:
        who = (
            f" · {h.person_name}" + (f" ({_d(h.birth_date)})" if h.birth_date else "")
            if h.person_name
            else ""
        )
        typer.echo(f"{h.path.text()}\n    {h.code or h.barcode} · {h.label}{who}")


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
