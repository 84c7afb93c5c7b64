"""`archive handover list|show|minutes` and `archive report`: handovers and holdings in a terminal."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import typer

from archive.cli.common import runtime, unit_of_work
from archive.permissions import Actor
from archive.services import handover, handover_queries, offices, reports

CLI = Actor.system("cli")
handover_app = typer.Typer(
    help="Giao nhận hồ sơ: danh sách đợt, chi tiết, biên bản.", no_args_is_help=True
)
STATUS_VI = {"open": "đang nhận", "completed": "đã hoàn thành", "cancelled": "đã hủy"}
ITEM_STATUS_VI = {
    "expected": "chờ nhận",
    "received": "đã nhận",
    "missing": "thiếu",
    "extra": "thừa",
}
KIND_VI = {
    "benefit": "Hồ sơ hưởng",
    "operational": "Hồ sơ nghiệp vụ",
    "passbook_review": "Hồ sơ rà soát sổ BHXH",
}
DISCREPANCY_VI = {
    "missing": "Thiếu",
    "extra": "Thừa (không có trong danh mục)",
    "wrong_details": "Sai lệch",
}


def register(app: typer.Typer) -> None:
    app.add_typer(handover_app, name="handover")
    app.command()(report)


def _json(value: Any) -> str:
    return json.dumps(dataclasses.asdict(value), ensure_ascii=False, indent=2, default=str)


def _party(party: handover_queries.Party) -> str:
    return f"{party.name} ({party.position})" if party.position else party.name


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@handover_app.command("list")
def list_batches(
    office: str = typer.Option("", help="Mã đơn vị BHXH nhận (00, 01…)"),
    status: str = typer.Option("", help="open, completed hoặc cancelled"),
    limit: int = typer.Option(50, help="Số đợt tối đa"),
) -> None:
    """Handover batches, newest first, with their counts."""
    with unit_of_work(runtime(), write=False) as session:
        office_id = offices.get_by_code(session, office).id if office else None
        found = handover_queries.list_batches(
            session, CLI, office_id=office_id, status=status or None, limit=limit
        )
    if not found:
        typer.echo("Chưa có đợt giao nhận nào.")
        return
    for s in found:
        c = s.counts
        typer.echo(
            f"{s.batch.id:>6}  {STATUS_VI.get(s.batch.status, s.batch.status):<14} {s.batch.name}  "
            f"(danh mục {c.expected}, đã nhận {c.received}, thiếu {c.missing}, thừa {c.extra})"
        )


@handover_app.command("show")
def show(batch_id: int = typer.Argument(..., help="Số đợt giao nhận")) -> None:
    """A batch and its catalogue lines (passbook review: by passbook number)."""
    with unit_of_work(runtime(), write=False) as session:
        batch = handover.get_batch(session, CLI, batch_id)
        items = handover_queries.list_items(session, CLI, batch_id)
    typer.echo(f"Đợt {batch.id}: {batch.name} — {STATUS_VI.get(batch.status, batch.status)}")
    typer.echo(f"Bên giao: {batch.giver_name} {batch.giver_position}".rstrip())
    typer.echo(f"Bên nhận: {batch.receiver_name} {batch.receiver_position}".rstrip())
    for i in items:
        number = f"  sổ {i.passbook_number}" if i.passbook_number else ""
        box = f"  hộp {i.box_number}" if i.box_number else ""
        typer.echo(
            f"{i.row_no:>5}. {ITEM_STATUS_VI.get(i.status, i.status):<9} {i.file_code}  {i.title}{number}{box}"
        )


@handover_app.command("minutes")
def minutes(
    batch_id: int = typer.Argument(..., help="Số đợt giao nhận"),
    as_json: bool = typer.Option(False, "--json", help="In dữ liệu biên bản dạng JSON"),
) -> None:
    """The data of the handover minutes (biên bản giao nhận)."""
    with unit_of_work(runtime(), write=False) as session:
        m = handover_queries.minutes(session, CLI, batch_id)
    if as_json:
        typer.echo(_json(m))
        return
    source = m.source_office_name or m.source_department
    typer.echo(f"BIÊN BẢN GIAO NHẬN — {m.batch_name}")
    typer.echo(f"Đơn vị nhận: {m.office_name}; đơn vị giao: {source}")
    typer.echo(f"Căn cứ: {m.legal_basis}")
    typer.echo(f"Bên giao: {_party(m.giver)}; bên nhận: {_party(m.receiver)}")
    typer.echo(f"Thời gian tài liệu: {_date(m.start_date)} – {_date(m.end_date)}")
    typer.echo(
        f"Số lượng: {len(m.boxes)} hộp, {m.registered or m.counts.received + m.counts.extra} hồ sơ, "
        f"{m.shelf_metres:.2f} mét giá, {m.total_sheets} tờ"
    )
    typer.echo(
        f"Danh mục: {m.counts.expected}; đã nhận: {m.counts.received}; "
        f"thiếu: {m.counts.missing}; thừa: {m.counts.extra}"
    )
    typer.echo(f"Tình trạng tài liệu: {m.condition}")
    for d in m.discrepancies:
        typer.echo(
            f"  - {DISCREPANCY_VI.get(d.kind, d.kind)}: {d.file_code} {d.title} {d.text}".rstrip()
        )


def report(
    office: str = typer.Option("", help="Mã đơn vị BHXH (00, 01…); mặc định tất cả"),
    as_json: bool = typer.Option(False, "--json", help="In báo cáo dạng JSON"),
) -> None:
    """Holdings: files and shelf metres per office, series and year, with the totals."""
    with unit_of_work(runtime(), write=False) as session:
        office_id = offices.get_by_code(session, office).id if office else None
        r = reports.holdings(session, CLI, office_id=office_id)
    if as_json:
        typer.echo(_json(r))
        return
    typer.echo(f"{'Đơn vị':<7}{'Loại hồ sơ':<20}{'Năm':>8}{'Hồ sơ':>12}{'Mét giá':>10}")
    for row in r.rows:
        year = str(row.year) if row.year is not None else "không rõ"
        typer.echo(
            f"{row.office_code:<7}{row.series_code:<20}{year:>8}{row.files:>12,}{row.shelf_metres:>10.2f}"
        )
    typer.echo("")
    for t in r.by_kind:
        typer.echo(f"{KIND_VI.get(t.key, t.key):<35}{t.files:>12,}{t.shelf_metres:>10.2f}")
    typer.echo(f"{'Tổng cộng':<35}{r.total.files:>12,}{r.total.shelf_metres:>10.2f}")
