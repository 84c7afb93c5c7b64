"""`archive demo`: fill an empty database with a plausible province (issue 2, item 12)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from archive.cli.common import runtime, unit_of_work
from archive.permissions import Actor
from archive.services.demo import DemoSummary, build_demo


def register(app: typer.Typer) -> None:
    app.command()(demo)


def demo(
    files: int = typer.Option(2000, "--files", help="Số hồ sơ mẫu cần tạo"),
    seed: int = typer.Option(2019, "--seed", help="Hạt giống ngẫu nhiên: cùng số thì cùng dữ liệu"),
) -> None:
    """Create demo data (offices 00-15, stores, boxes, files, people) in an empty database."""
    rt = runtime()
    started = time.perf_counter()
    # The bar closes before the transaction ends, so an error message is never drawn over.
    with unit_of_work(rt) as session:
        with _bar(files) as progress:
            summary = build_demo(
                session, Actor.system("demo"), files=files, seed=seed, progress=progress
            )
        typer.echo("Đang ghi vào cơ sở dữ liệu…")
    typer.echo(_report(summary, time.perf_counter() - started))


@contextmanager
def _bar(total: int) -> Iterator[Callable[[int, int], None]]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("Đang tạo hồ sơ mẫu", total=total)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _n(value: float) -> str:
    """A number written the Vietnamese way: 1.000.000 and 4,5."""
    text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _report(s: DemoSummary, seconds: float) -> str:
    return "\n".join(
        [
            f"Đã tạo dữ liệu mẫu (seed {s.seed}) trong {_n(round(seconds, 1))} giây:",
            f"  {_n(s.offices)} đơn vị, {_n(s.stores)} kho, {_n(s.shelves)} giá, "
            f"{_n(s.tiers)} tầng, {_n(s.boxes)} hộp ({_n(s.shelf_metres)} mét giá)",
            f"  {_n(s.files)} hồ sơ: {_n(s.benefit_files)} hồ sơ hưởng, "
            f"{_n(s.operational_files)} hồ sơ nghiệp vụ, "
            f"{_n(s.passbook_review_files)} hồ sơ rà soát sổ BHXH",
            f"  {_n(s.people)} người tham gia, {_n(s.employers)} đơn vị sử dụng lao động",
        ]
    )
