"""Benchmarks of the register, on generated data with a fixed seed.

Prints one line per figure (DESIGN.md, "Benchmarks speak one format"):

    FIGURE <name> <value> <unit> baseline=<value> ratio=<value>

Figures are plain functions registered in FIGURES; add one by writing `def figure_x(ctx) -> Figure`
and listing it there (register.lookup_http_p95 and register.box_page_p95 are meant to join).

    .venv/bin/python bench/register.py --figures register.import_csv_400k --rows 400000
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import register_http  # noqa: E402  (beside this script)
from figures import Figure  # noqa: E402
from sqlalchemy import select  # noqa: E402

from archive import migrate  # noqa: E402
from archive.db import make_engine, session_factory, transaction  # noqa: E402
from archive.models import BoxProfile, Series  # noqa: E402
from archive.permissions import Actor  # noqa: E402
from archive.services import imports, locations, offices  # noqa: E402

SEED = 20261123
ACTOR = Actor.system("bench")
HEADER = [
    "Số TT",
    "Số ký hiệu hồ sơ",
    "Tiêu đề hồ sơ",
    "Thời gian bắt đầu",
    "Thời gian kết thúc",
    "Số tờ",
    "Thời hạn bảo quản",
    "Ghi chú",
    "Hộp số",
    "Mã số BHXH",
    "Họ và tên",
    "Ngày sinh",
    "Mã đơn vị",
]
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Quang", "Thu", "Hoàng Đình"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thục",
    "Trang",
    "Tuấn",
    "Yến",
]
CAPACITY_PROFILE = "HOP_10_HUONG"  # 80 files per box
BOXES_PER_TIER, TIERS_PER_SHELF = 10, 5


@dataclass(frozen=True)
class Context:
    rows: int
    workdir: Path
    files: int = 1_000_000
    cache: Path = ROOT / "bench" / "out"


def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def generate_catalogue(path: Path, rows: int, seed: int = SEED) -> None:
    """A benefit-file catalogue: unique codes and numbers, Vietnamese names, 80 files a box."""
    rng = random.Random(seed)
    ssns = rng.sample(range(10**10), rows)
    employers = [
        f"{a}{b}{n:04d}Z" for a, b, n in zip("YTHNBQ" * 40, "NZWAKX" * 40, range(240), strict=True)
    ]
    epoch = date(1995, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(rows):
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            start = epoch + timedelta(days=rng.randrange(9000))
            end = start + timedelta(days=rng.randrange(1, 400))
            birth = date(1945, 1, 1) + timedelta(days=rng.randrange(20000))
            employer = rng.choice(employers)
            out.writerow(
                [
                    i + 1,
                    f"HS-{start.year}-{i + 1:07d}",
                    f"Hồ sơ hưởng BHXH một lần của {name}, đơn vị {employer}",
                    start.strftime("%d/%m/%Y"),
                    end.strftime("%d/%m/%Y"),
                    rng.randrange(5, 120),
                    "70 năm",
                    "" if i % 7 else "Bản sao có chứng thực",
                    i // 80 + 1,
                    f"{ssns[i]:010d}",
                    name,
                    birth.strftime("%d/%m/%Y"),
                    employer,
                ]
            )


def prepare_database(path: Path, rows: int) -> tuple[int, int]:
    """A migrated SQLite database with office 00 and enough boxes; (office id, series id)."""
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    boxes = -(-rows // 80)
    shelves = -(-boxes // (BOXES_PER_TIER * TIERS_PER_SHELF))
    with transaction(session_factory(engine)) as session:
        office = offices.create_office(session, ACTOR, code="00", name="BHXH tỉnh Hà Nam")
        profile_id = session.scalar(
            select(BoxProfile.id).where(BoxProfile.code == CAPACITY_PROFILE)
        )
        series_id = session.scalar(select(Series.id).where(Series.code == "HUONG_MOT_LAN"))
        assert profile_id is not None and series_id is not None
        for first in range(1, shelves + 1, 500):
            store = locations.create_store(
                session, ACTOR, office_id=office.id, code=str(first), name=f"Kho {first}"
            )
            locations.build_layout(
                session,
                ACTOR,
                store_id=store.id,
                shelf_from=1,
                shelf_to=min(500, shelves - first + 1),
                tiers_per_shelf=TIERS_PER_SHELF,
                boxes_per_tier=BOXES_PER_TIER,
                profile_id=profile_id,
            )
        office_id = office.id
    engine.dispose()
    return office_id, series_id


def raw_rows(source: Path, office_id: int, series_id: int, db: Path) -> list[tuple[object, ...]]:
    """The same rows as the import writes, as plain tuples for sqlite3 (prepared untimed)."""
    conn = sqlite3.connect(db)
    box_ids = dict(conn.execute("SELECT number, id FROM boxes WHERE office_id = ?", (office_id,)))
    conn.close()
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    out: list[tuple[object, ...]] = []
    with source.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for i, r in enumerate(reader):
            start = datetime.strptime(r[3], "%d/%m/%Y").date().isoformat()
            end = datetime.strptime(r[4], "%d/%m/%Y").date().isoformat()
            out.append(
                (
                    office_id,
                    series_id,
                    r[1],
                    r[2],
                    start,
                    end,
                    int(r[5]),
                    r[7],
                    "active",
                    box_ids[int(r[8])],
                    i % 80 + 1,
                    f"F00{i + 1:08d}",
                    i + 1,
                    "",
                    None,
                    i % 240 + 1,
                    None,
                    None,
                    now,
                    now,
                )
            )
    return out


RAW_INSERT = (
    "INSERT INTO files (office_id, series_id, code, title, start_date, end_date, sheet_count, notes,"
    " status, box_id, position, barcode, person_id, benefit_type, passbook_number, employer_id,"
    " district_office_id, handover_id, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def raw_executemany(db: Path, values: list[tuple[object, ...]]) -> float:
    """Seconds for one sqlite3 executemany of the rows into `files`, committed."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous=NORMAL")
    began = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(RAW_INSERT, values)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - began
    conn.close()
    return elapsed


def our_import(db: Path, source: Path, office_id: int, series_id: int) -> float:
    """Seconds for the real service path (read, check, write, commit)."""
    engine = make_engine(f"sqlite:///{db}")
    sessions = session_factory(engine)
    began = time.perf_counter()
    with transaction(sessions) as session:
        report = imports.run_import(
            session,
            ACTOR,
            office_id=office_id,
            series_id=series_id,
            source=source,
            filename=source.name,
        )
    elapsed = time.perf_counter() - began
    engine.dispose()
    assert report.created == report.rows, report.errors[:5]
    return elapsed


def figure_import_csv(ctx: Context) -> Figure:
    """register.import_csv_400k: run_import of a CSV vs raw executemany of the same rows."""
    source = ctx.workdir / "catalogue.csv"
    template = ctx.workdir / "template.sqlite3"
    ours_db, raw_db = ctx.workdir / "ours.sqlite3", ctx.workdir / "raw.sqlite3"
    for stale in ctx.workdir.glob("*.sqlite3*"):
        stale.unlink()
    generate_catalogue(source, ctx.rows)
    office_id, series_id = prepare_database(template, ctx.rows)
    shutil.copyfile(template, ours_db)
    shutil.copyfile(template, raw_db)
    values = raw_rows(source, office_id, series_id, template)
    baseline = raw_executemany(raw_db, values)
    del values
    ours = our_import(ours_db, source, office_id, series_id)
    note(
        f"{ctx.rows} rows: ours {ctx.rows / ours:,.0f} rows/s, raw {ctx.rows / baseline:,.0f} rows/s"
    )
    return Figure("register.import_csv_400k", ours, "s", baseline)


def figure_lookup_http(ctx: Context) -> Figure:
    """register.lookup_http_p95: lookup by barcode through uvicorn vs /api/v1/ping, same server."""
    data_dir = register_http.demo_database(ctx.cache, ctx.files)
    token = register_http.bench_token(data_dir)
    barcodes = register_http.sample_barcodes(data_dir, 2700)
    with register_http.server(data_dir) as base:
        lookup_p95, ping_p95 = register_http.lookup_vs_ping(base, token, barcodes)
    note(
        f"{ctx.files:,} files: lookup p95 {lookup_p95:.1f} ms, ping p95 {ping_p95:.1f} ms "
        f"({register_http.CONCURRENCY} clients)"
    )
    return Figure("register.lookup_http_p95", lookup_p95, "ms", baseline=ping_p95)


def figure_box_page(ctx: Context) -> Figure:
    """register.box_page_p95: server time (Server-Timing) of the page of a box with 100 files."""
    data_dir = register_http.demo_database(ctx.cache, ctx.files)
    token = register_http.bench_token(data_dir)
    box_id = register_http.box_with_files(data_dir, 100)
    with register_http.server(data_dir) as base:
        times = register_http.box_page_server_ms(base, token, box_id)
    note(f"box page, 100 files: p50 {statistics.median(times):.1f} ms over {len(times)} requests")
    return Figure("register.box_page_p95", register_http.p95(times), "ms")


FIGURES: dict[str, Callable[[Context], Figure]] = {
    "register.import_csv_400k": figure_import_csv,
    "register.lookup_http_p95": figure_lookup_http,
    "register.box_page_p95": figure_box_page,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--figures",
        default=",".join(FIGURES),
        help=f"comma list of figures to run (default: all of {', '.join(FIGURES)})",
    )
    parser.add_argument("--rows", type=int, default=400_000, help="catalogue rows (default 400000)")
    parser.add_argument(
        "--files",
        type=int,
        default=1_000_000,
        help="files in the demo province behind the HTTP figures (default 1000000; built once "
        "into bench/out/ and reused)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="keep generated files here (default: a temporary directory)",
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.figures.split(",") if n.strip()]
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        parser.error(f"unknown figures: {', '.join(unknown)}")
    with tempfile.TemporaryDirectory(prefix="bench-register-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for name in names:
            ctx = Context(rows=args.rows, workdir=workdir, files=args.files)
            print(FIGURES[name](ctx).line(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
