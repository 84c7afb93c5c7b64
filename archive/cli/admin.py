"""`archive users …` and `archive audit …`: accounts and the audit trail from a terminal."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import select

from archive.cli.common import runtime, unit_of_work
from archive.models import User
from archive.permissions import Actor
from archive.services import accounts, audit, offices, staff_cards

CLI = Actor.system("cli")
users_app = typer.Typer(help="Người dùng: tạo, liệt kê, cấp mã truy cập API.", no_args_is_help=True)
audit_app = typer.Typer(
    help="Nhật ký thao tác: kiểm tra chuỗi băm, liệt kê sự kiện.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")


@users_app.command("create")
def create_user(
    username: str,
    full_name: str = typer.Option(..., "--name", help="Họ và tên"),
    office: str = typer.Option("00", help="Mã đơn vị BHXH của người dùng"),
    role: list[str] = typer.Option(
        ..., help="administrator, archivist, approver, staff, inspector"
    ),
    all_offices: bool = typer.Option(False, "--all-offices", help="Được xem mọi đơn vị"),
    department: str = typer.Option("", help="Phòng/bộ phận"),
    password: str = typer.Option(..., prompt="Mật khẩu", hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a user with roles and an office scope."""
    rt = runtime()
    with unit_of_work(rt) as session:
        office_id = offices.get_by_code(session, office).id
        accounts.create_user(
            session,
            CLI,
            accounts.UserIn(
                username=username,
                full_name=full_name,
                password=password,
                office_id=office_id,
                roles=tuple(role),
                department=department,
                all_offices=all_offices,
            ),
        )
    typer.echo(f"Đã tạo người dùng {username}.")


@users_app.command("list")
def list_users() -> None:
    """Users with their roles and office."""
    rt = runtime()
    with unit_of_work(rt, write=False) as session:
        for user in accounts.list_users(session, CLI):
            roles = ", ".join(accounts.roles_of(session, user.id))
            scope = "mọi đơn vị" if user.all_offices else f"đơn vị #{user.office_id}"
            typer.echo(f"{user.username:20} {user.full_name:30} {roles:30} {scope}")


@users_app.command("cards")
def cards(
    out: Path = typer.Argument(..., help="Tệp PDF để in thẻ"),
    office: str = typer.Option("", "--office", help="Mã đơn vị (mặc định: mọi đơn vị)"),
    username: list[str] = typer.Option([], "--user", help="Chỉ in thẻ của người dùng này"),
) -> None:
    """Print staff cards (the barcode the loans desk scans), ten per A4 page."""
    rt = runtime()
    with unit_of_work(rt) as session:
        office_id = offices.get_by_code(session, office).id if office else None
        pdf = staff_cards.cards_pdf(session, CLI, office_id=office_id, usernames=tuple(username))
    out.write_bytes(pdf)
    typer.echo(f"Đã ghi thẻ mượn hồ sơ vào {out}")


@users_app.command("token")
def token(
    username: str,
    name: str = typer.Option("cli", help="Tên gợi nhớ của mã"),
    days: int = typer.Option(365, help="Số ngày hiệu lực"),
) -> None:
    """Issue an API bearer token for a user (printed once)."""
    rt = runtime()
    with unit_of_work(rt) as session:
        user = session.scalar(select(User).where(User.username == username.lower()))
        if user is None:
            typer.echo(f"Không có người dùng {username}.", err=True)
            raise typer.Exit(1)
        value = accounts.issue_token(session, CLI, user_id=user.id, name=name, days=days)
    typer.echo(value)


@users_app.command("password")
def password(
    username: str,
    new_password: str = typer.Option(
        ..., "--password", prompt="Mật khẩu mới", hide_input=True, confirmation_prompt=True
    ),
) -> None:
    """Set a user's password."""
    rt = runtime()
    with unit_of_work(rt) as session:
        user = session.scalar(select(User).where(User.username == username.lower()))
        if user is None:
            typer.echo(f"Không có người dùng {username}.", err=True)
            raise typer.Exit(1)
        accounts.set_password(session, CLI, user_id=user.id, password=new_password)
    typer.echo("Đã đổi mật khẩu.")


@audit_app.command("verify")
def verify() -> None:
    """Re-hash the audit chain; report the first broken link (exit 1 if any)."""
    rt = runtime()
    with unit_of_work(rt, write=False) as session:
        report = audit.verify(session)
    if report.first_broken_id is None:
        typer.echo(f"Nhật ký toàn vẹn: đã kiểm tra {report.checked} sự kiện.")
        return
    typer.echo(
        f"Chuỗi nhật ký bị phá vỡ tại sự kiện #{report.first_broken_id} ({report.reason}); "
        f"{report.checked} sự kiện trước đó hợp lệ.",
        err=True,
    )
    raise typer.Exit(1)


@audit_app.command("list")
def list_events(
    action: str = typer.Option("", help="Lọc theo thao tác (tiền tố), ví dụ file."),
    limit: int = typer.Option(50, help="Số sự kiện"),
) -> None:
    """The newest audit events."""
    rt = runtime()
    with unit_of_work(rt, write=False) as session:
        events = audit.list_events(
            session, CLI, audit.EventFilter(action=action or None), limit=limit
        )
    for e in events:
        typer.echo(
            f"#{e.id} {e.at:%Y-%m-%d %H:%M:%S} {e.actor_label:18} {e.action:22} "
            f"{e.object_type}#{e.object_id} {e.changes}"
        )
