"""`archive reindex` and `archive search`: rebuild the full-text index, search it (issue 4)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from archive.cli.common import runtime, unit_of_work
from archive.permissions import Actor
from archive.services import search as search_service
from archive.services import search_outbox
from archive.services.search_index import indexed_file_count, open_backend, rebuild
from indexes.query import parse

CLI = Actor.system("cli")


def register(app: typer.Typer) -> None:
    app.command("reindex")(reindex_command)
    app.command("search")(search_command)


def reindex_command(
    backend: str = typer.Option(
        "", "--backend", help="tantivy, whoosh hoặc postgresql (mặc định: ARCHIVE_SEARCH_BACKEND)"
    ),
    batch: int = typer.Option(5000, "--batch", min=1, help="Số hồ sơ đọc mỗi lượt"),
) -> None:
    """Rebuild the search index from the database (every file not destroyed); an index of an
    older version is rebuilt beside it and kept aside once the new one is in place."""
    rt = runtime()
    with unit_of_work(rt, write=False) as session:
        covered = search_outbox.mark_ids(session)  # the marks this rebuild's snapshot covers
        with _bar(indexed_file_count(session)) as progress:
            done = rebuild(
                session, rt.settings, name=backend or None, batch=batch, progress=progress
            )
    if not backend or backend == rt.settings.search_backend:
        with unit_of_work(rt) as session:
            search_outbox.forget(session, covered)
    typer.echo(f"Đã lập chỉ mục {done.count} hồ sơ.")
    if done.kept_aside is not None:
        typer.echo(
            f"Chỉ mục cũ (phiên bản trước hoặc hỏng) đã được thay và giữ lại ở {done.kept_aside};"
            " xoá khi không còn cần."
        )


@contextmanager
def _bar(total: int) -> Iterator[Callable[[int], None]]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("Đang lập chỉ mục", total=total)
        yield lambda done: bar.update(task, advance=done)


def search_command(
    query: str = typer.Argument(..., help='Từ, "cụm từ", -loại trừ, tiền tố* (có dấu hoặc không)'),
    office: list[str] = typer.Option([], "--office", help="Mã đơn vị BHXH (00, 01…), lặp lại được"),
    size: int = typer.Option(20, "--size", min=1, max=100, help="Số hồ sơ mỗi trang"),
    page: int = typer.Option(1, "--page", min=1, help="Trang"),
    as_json: bool = typer.Option(False, "--json", help="In kết quả dạng JSON"),
) -> None:
    """Full-text search: files with their location path and best pages."""
    rt = runtime()
    with unit_of_work(rt, write=False) as session:
        index = open_backend(rt.settings)
        try:
            found = search_service.search(
                session, CLI, index, parse(query, office_codes=office, size=size, page=page)
            )
        finally:
            index.close()
    if as_json:
        typer.echo(json.dumps(_as_json(found), ensure_ascii=False, indent=2))
        return
    if not found.hits:
        typer.echo("Không tìm thấy kết quả nào.")
        raise typer.Exit(1)
    if found.fuzzy:
        typer.echo("Không có kết quả khớp đúng; đây là các kết quả gần đúng.")
    typer.echo(f"{found.total} hồ sơ (trang {found.query.page}):")
    for h in found.hits:
        who = f" · {h.person_name}" if h.person_name else ""
        typer.echo(f"{h.path.text()}\n    {h.code} · {h.title}{who}")
        for p in h.pages:
            typer.echo(f"    tr. {p.page_number}: {p.snippet.text}")


def _as_json(found: search_service.SearchPage) -> dict[str, Any]:
    facets = found.facets
    return {
        "total": found.total,
        "fuzzy": found.fuzzy,
        "page": found.query.page,
        "hits": [
            {
                "file_id": h.file_id,
                "code": h.code,
                "title": h.title,
                "status": h.status,
                "office_code": h.office_code,
                "series_code": h.series_code,
                "person_name": h.person_name,
                "ssn": h.ssn,
                "birth_date": h.birth_date.isoformat() if h.birth_date else None,
                "path": h.path.text(),
                "score": h.score,
                "pages": [
                    {"page_number": p.page_number, "snippet": p.snippet.text} for p in h.pages
                ],
            }
            for h in found.hits
        ],
        "facets": {
            name: {f.value: f.count for f in getattr(facets, name)}
            for name in ("office", "series", "year", "status")
        },
    }
