"""`archive loans …` and `archive holidays …`: the overdue run, overdue lists, public holidays."""

from __future__ import annotations

import json
from datetime import date

import typer

from archive.cli.common import runtime, unit_of_work
from archive.clock import local_today
from archive.errors import ArchiveError
from archive.i18n import message
from archive.identifiers import parse_date
from archive.permissions import Actor
from archive.services import offices, overdue, workdays
from archive.services.overdue import OverduePolicy

CLI = Actor.system("cli")
loans_app = typer.Typer(help="Cho mượn hồ sơ: quá hạn, nhắc trả.", no_args_is_help=True)
holidays_app = typer.Typer(help="Ngày nghỉ lễ (không tính vào hạn trả).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(loans_app, name="loans")
    app.add_typer(holidays_app, name="holidays")


def _day(value: str) -> date:
    try:
        return parse_date(value)
    except ArchiveError as err:
        raise typer.BadParameter(message(err.code, **err.params)) from err


@loans_app.command("overdue")
def overdue_command(
    today: str = typer.Option(
        "", "--today", help="Ngày tính quá hạn (dd/mm/yyyy; mặc định hôm nay)"
    ),
    office: str = typer.Option("", "--office", help="Mã đơn vị (mặc định: mọi đơn vị)"),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON"),
) -> None:
    """Mark overdue loans (levels 1–3, notices) and list those out past their due date."""
    rt = runtime()
    day = _day(today) if today else local_today(rt.settings.timezone)
    policy = OverduePolicy(rt.settings.overdue_level2_days, rt.settings.overdue_level3_days)
    with unit_of_work(rt) as session:
        run = overdue.mark_overdue(session, CLI, today=day, policy=policy)
        office_id = offices.get_by_code(session, office).id if office else None
        lines = overdue.overdue_loans(session, CLI, today=day, office_id=office_id)
    if as_json:
        rows = [
            {
                "number": x.number,
                "borrower": x.borrower_name,
                "department": x.department,
                "due_date": x.due_date.isoformat(),
                "days_late": x.days_late,
                "level": x.level,
                "files": list(x.file_codes),
            }
            for x in lines
        ]
        typer.echo(json.dumps({"raised": run.raised, "overdue": rows}, ensure_ascii=False))
        return
    typer.echo(
        f"Đã kiểm tra {run.checked} phiếu mượn quá hạn; {run.raised} phiếu lên mức nhắc mới."
    )
    for x in lines:
        typer.echo(
            f"{x.number}  {x.borrower_name} ({x.department})  hạn {x.due_date:%d/%m/%Y}  "
            f"quá {x.days_late} ngày làm việc  mức {x.level}  {', '.join(x.file_codes)}"
        )


@holidays_app.command("list")
def holidays_list(year: int = typer.Option(0, "--year", help="Năm (mặc định: mọi năm)")) -> None:
    """List the public holidays on record."""
    rt = runtime()
    with unit_of_work(rt, write=False) as session:
        for h in workdays.list_holidays(session, year=year or None):
            typer.echo(f"{h.day:%d/%m/%Y}  {h.name}")


@holidays_app.command("add")
def holidays_add(
    day: str = typer.Argument(..., help="Ngày nghỉ (dd/mm/yyyy)"),
    name: str = typer.Argument(..., help="Tên ngày nghỉ, ví dụ “Tết Nguyên đán”"),
) -> None:
    """Add a public holiday (Tết and the Hùng Kings' day are announced each year)."""
    when = _day(day)
    rt = runtime()
    with unit_of_work(rt) as session:
        holiday = workdays.add_holiday(session, CLI, day=when, name=name)
    typer.echo(f"Đã thêm ngày nghỉ {holiday.day:%d/%m/%Y}: {holiday.name}")


@holidays_app.command("remove")
def holidays_remove(day: str = typer.Argument(..., help="Ngày nghỉ (dd/mm/yyyy)")) -> None:
    """Remove a public holiday."""
    when = _day(day)
    rt = runtime()
    with unit_of_work(rt) as session:
        workdays.remove_holiday(session, CLI, day=when)
    typer.echo(f"Đã bỏ ngày nghỉ {when:%d/%m/%Y}")
