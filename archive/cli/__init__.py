"""The `archive` command: one typer app; each group of commands lives in its own module."""

from __future__ import annotations

import typer

from archive.cli import (
    admin,
    core,
    demo,
    handover,
    imports,
    jobs,
    loans,
    lookup,
    scans,
    search,
)

app = typer.Typer(
    help="Kho lưu trữ hồ sơ BHXH — records archive for social-insurance offices.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

for module in (core, lookup, search, admin, demo, jobs, imports, handover, scans, loans):
    module.register(app)


def main() -> None:
    app()
