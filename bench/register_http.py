"""The register's HTTP figures: lookup by barcode through a real uvicorn server on a demo province,
next to a trivial endpoint on the same server in the same run; and the box page's server time.

Used by bench/register.py (figures register.lookup_http_p95 and register.box_page_p95)."""

from __future__ import annotations

import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive import migrate  # noqa: E402
from archive.db import make_engine, session_factory, transaction  # noqa: E402
from archive.models import BoxProfile, File, Office, Series, User  # noqa: E402
from archive.permissions import Actor  # noqa: E402
from archive.services import accounts, files, locations  # noqa: E402
from archive.services.demo import build_demo  # noqa: E402

ACTOR = Actor.system("bench")
SEED = 2019
CONCURRENCY = 4


def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def demo_database(cache_dir: Path, n_files: int) -> Path:
    """A data directory holding a migrated demo province of `n_files` files (built once, cached)."""
    data_dir = cache_dir / f"demo-{n_files}-{SEED}"
    db = data_dir / "archive.sqlite3"
    if (data_dir / "ready").exists():
        return data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    migrate.upgrade(engine)
    start = time.perf_counter()
    with transaction(session_factory(engine)) as session:
        build_demo(session, ACTOR, files=n_files, seed=SEED)
    note(f"demo province of {n_files:,} files built in {time.perf_counter() - start:.0f} s ({db})")
    engine.dispose()
    (data_dir / "ready").touch()
    return data_dir


def bench_token(data_dir: Path) -> str:
    """A bearer token of a bench administrator (created on first use)."""
    engine = make_engine(f"sqlite:///{data_dir / 'archive.sqlite3'}")
    with transaction(session_factory(engine)) as session:
        user = session.scalar(select(User).where(User.username == "bench"))
        if user is None:
            office_id = session.scalar(select(Office.id).where(Office.code == "00"))
            assert office_id is not None
            user = accounts.create_user(
                session,
                ACTOR,
                accounts.UserIn(
                    username="bench",
                    full_name="Bench",
                    password="bench-password-long",
                    office_id=office_id,
                    roles=("administrator",),
                    all_offices=True,
                ),
            )
        token = accounts.issue_token(session, ACTOR, user_id=user.id, name="bench", days=1)
    engine.dispose()
    return token


def sample_barcodes(data_dir: Path, count: int) -> list[str]:
    engine = make_engine(f"sqlite:///{data_dir / 'archive.sqlite3'}")
    with transaction(session_factory(engine), write=False) as session:
        top = session.scalar(select(func.max(File.id))) or 0
        rng = random.Random(SEED)
        ids = rng.sample(range(1, top + 1), min(count, top))
        codes = list(session.scalars(select(File.barcode).where(File.id.in_(ids))))
    engine.dispose()
    rng.shuffle(codes)
    return codes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(data_dir: Path, *, database_url: str = "", workers: int = 1) -> Iterator[str]:
    """`archive serve` on the data directory (and database); yields its base URL."""
    port = _free_port()
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data_dir), "ARCHIVE_DATABASE_URL": database_url}
    command = [str(ROOT / ".venv/bin/archive"), "serve", "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/v1/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


async def _timed(
    client: httpx.AsyncClient, urls: list[str], headers: dict[str, str]
) -> list[float]:
    """Latency (ms) of each URL, CONCURRENCY requests in flight; every answer must be 200."""
    queue = list(urls)
    out: list[float] = []

    async def worker() -> None:
        while queue:
            url = queue.pop()
            start = time.perf_counter()
            response = await client.get(url, headers=headers)
            out.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def lookup_vs_ping(
    base: str, token: str, barcodes: list[str], rounds: int = 9
) -> tuple[float, float]:
    """(lookup p95, ping p95) in ms, each the median over rounds of that round's p95. Rounds
    alternate the two loads, so a burst of noise on this shared machine hits both alike and
    moves one round, not the figure."""
    headers = {"Authorization": f"Bearer {token}"}
    per_round = max(len(barcodes) // rounds, 20)

    async def run() -> tuple[list[float], list[float]]:
        lookups: list[float] = []
        pings: list[float] = []
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            await _timed(client, ["/api/v1/ping"] * 100, headers)  # warm up
            await _timed(client, [f"/api/v1/lookup?q={b}" for b in barcodes[:50]], headers)
            for r in range(rounds):
                chunk = barcodes[r * per_round : (r + 1) * per_round]
                pings.append(p95(await _timed(client, ["/api/v1/ping"] * len(chunk), headers)))
                lookups.append(
                    p95(await _timed(client, [f"/api/v1/lookup?q={b}" for b in chunk], headers))
                )
        return lookups, pings

    lookups, pings = asyncio.run(run())
    return statistics.median(lookups), statistics.median(pings)


def box_with_files(data_dir: Path, count: int = 100) -> int:
    """A box holding `count` files (a bench profile of that capacity), created once."""
    engine = make_engine(f"sqlite:///{data_dir / 'archive.sqlite3'}")
    with transaction(session_factory(engine)) as session:
        profile = session.scalar(select(BoxProfile).where(BoxProfile.code == "BENCH_100"))
        if profile is None:
            profile = BoxProfile(
                code="BENCH_100", name="Bench box", width_cm=15, capacity_files=count
            )
            session.add(profile)
            session.flush()
            office_id = session.scalar(select(Office.id).where(Office.code == "00"))
            series_id = session.scalar(select(Series.id).where(Series.code == "HANH_CHINH"))
            assert office_id is not None and series_id is not None
            box = locations.create_box(session, ACTOR, office_id=office_id, profile_id=profile.id)
            for n in range(count):
                files.create_file(
                    session,
                    ACTOR,
                    files.FileIn(
                        office_id=office_id,
                        series_id=series_id,
                        code=f"BENCH-{n:04d}",
                        box_id=box.id,
                        title=f"Công văn đi, đến năm 2015 — tập {n + 1}",
                        sheet_count=40 + n,
                    ),
                )
            profile.name = f"Bench box #{box.id}"
        box_id = int(profile.name.rsplit("#", 1)[1])
    engine.dispose()
    return box_id


def box_page_server_ms(base: str, token: str, box_id: int, requests: int = 300) -> list[float]:
    """Server time (the app's Server-Timing header) of the box page, one request at a time."""
    headers = {"Authorization": f"Bearer {token}"}
    out: list[float] = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for i in range(requests + 20):
            response = client.get(f"/boxes/{box_id}", headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"box page: {response.status_code} {response.text[:300]}")
            if i >= 20:  # warm-up
                timing = response.headers["server-timing"]
                out.append(float(timing.split("dur=")[1]))
    return out
