"""Circulation through HTTP on PostgreSQL: 50 desks handing out and taking back distinct files at
once, next to a trivial endpoint under the same load in the same run (issue 5).

    .venv/bin/python bench/circulation.py [--clients 50] [--rounds 9] [--per-round 2] [--workers 2]

A fresh PostgreSQL database is created (and dropped), migrated and seeded: one office, a box per
client, a borrower per client with a staff card, an approved loan per file. `archive serve` then
runs on it. Each round alternates three loads, every client at once: GET /api/v1/ping, the desk
hand-out (POST /api/v1/loans/desk/hand-out: the borrower's card and a file's barcode), the desk
return (POST /api/v1/loans/returns). A figure is the median over rounds of each round's p95, so
a burst of noise on a shared machine moves one round, not the figure.

Prints:
    FIGURE circulation.handout_p95 <ms> ms baseline=<ping p95> ratio=<x>
    FIGURE circulation.return_p95 <ms> ms baseline=<ping p95> ratio=<x>
    FIGURE circulation.errors <n> count
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import register_http  # noqa: E402  (beside this script)
from figures import Figure  # noqa: E402

from archive import migrate  # noqa: E402
from archive.db import make_engine, session_factory, transaction  # noqa: E402
from archive.models import BoxProfile, Series, User  # noqa: E402
from archive.permissions import Actor  # noqa: E402
from archive.services import accounts, files, loans, locations, offices  # noqa: E402
from archive.services.loans import LoanRequest  # noqa: E402
from archive.services.use_purposes import list_purposes  # noqa: E402

ACTOR = Actor.system("bench")
PG_ADMIN_URL = os.environ.get(
    "ARCHIVE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "bench-password-long"


def note(text_: str) -> None:
    print(f"# {text_}", file=sys.stderr, flush=True)


@contextmanager
def fresh_database() -> Iterator[str]:
    name = f"archive_bench_circ_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass(frozen=True)
class Desk:
    """One client: a borrower's card and the barcodes of the files approved for them."""

    card: str
    barcodes: list[str]


def seed(url: str, clients: int, files_each: int) -> tuple[str, list[Desk]]:
    """The office, boxes, borrowers, approved loans; returns the desk token and the desks."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = session_factory(engine)
    start = time.perf_counter()
    with transaction(factory) as session:
        office = offices.create_office(session, ACTOR, code="00", name="BHXH tỉnh Long An")
        profile = BoxProfile(
            code="BENCH_CIRC", name="Bench", width_cm=15, capacity_files=files_each
        )
        session.add(profile)
        session.flush()
        series_id = session.query(Series.id).filter(Series.code == "HUONG_MOT_LAN").scalar()
        purpose_id = list_purposes(session)[0].id

        def user(name: str, roles: tuple[str, ...]) -> User:
            return accounts.create_user(
                session,
                ACTOR,
                accounts.UserIn(
                    username=name,
                    full_name=name.title(),
                    password=PASSWORD,
                    office_id=office.id,
                    roles=roles,
                    department="Phòng Chế độ BHXH",
                ),
            )

        desk_user = user("desk", ("archivist",))
        approver = accounts.actor_for(session, user("approver", ("approver",)))
        token = accounts.issue_token(session, ACTOR, user_id=desk_user.id, name="bench", days=1)
        desks = []
        for c in range(clients):
            borrower = user(f"borrower{c:02d}", ("staff",))
            who = accounts.actor_for(session, borrower)
            box = locations.create_box(session, ACTOR, office_id=office.id, profile_id=profile.id)
            barcodes = []
            for n in range(files_each):
                file = files.create_file(
                    session,
                    ACTOR,
                    files.FileIn(
                        office_id=office.id,
                        series_id=series_id,
                        code=f"BENCH-{c:02d}-{n:03d}",
                        title=f"Hồ sơ hưởng BHXH một lần — người {c}, tập {n}",
                        sheet_count=20 + n,
                        box_id=box.id,
                        ssn=f"48{c:04d}{n:04d}",
                        full_name=f"Nguyễn Văn {c}-{n}",
                    ),
                )
                loan = loans.request_loan(
                    session, who, LoanRequest(file_ids=(file.id,), purpose_id=purpose_id)
                )
                loans.decide_loan(session, approver, loan_id=loan.id, approve=True)
                barcodes.append(file.barcode)
            assert borrower.card_code is not None
            desks.append(Desk(card=borrower.card_code, barcodes=barcodes))
    engine.dispose()
    note(
        f"seeded {clients} desks × {files_each} approved loans in {time.perf_counter() - start:.0f} s"
    )
    return token, desks


@contextmanager
def server(url: str, workers: int) -> Iterator[str]:
    with (
        TemporaryDirectory() as data_dir,
        register_http.server(Path(data_dir), database_url=url, workers=workers) as base,
    ):
        yield base


Call = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


async def _load(
    client: httpx.AsyncClient, clients: int, calls: int, call: Call, errors: list[str]
) -> list[float]:
    """Every client at once, each making `calls` calls in turn; latencies in ms."""
    out: list[float] = []

    async def one(c: int) -> None:
        for _ in range(calls):
            start = time.perf_counter()
            response = await call(client, c)
            out.append((time.perf_counter() - start) * 1000)
            if response.status_code >= 300:
                errors.append(
                    f"{response.request.url.path}: {response.status_code} {response.text[:200]}"
                )

    await asyncio.gather(*(one(c) for c in range(clients)))
    return out


def run_load(
    base: str, token: str, desks: list[Desk], rounds: int, per_round: int
) -> tuple[float, float, float, int]:
    headers = {"Authorization": f"Bearer {token}"}
    errors: list[str] = []
    clients = len(desks)

    async def main() -> tuple[list[float], list[float], list[float]]:
        pings: list[float] = []
        handouts: list[float] = []
        returns: list[float] = []
        limits = httpx.Limits(max_connections=clients + 10)
        async with httpx.AsyncClient(
            base_url=base, headers=headers, timeout=60, limits=limits
        ) as client:
            next_file = [0] * clients
            warm: list[str] = []
            await _load(client, clients, 5, lambda cl, c: cl.get("/api/v1/ping"), warm)

            async def hand_out(cl: httpx.AsyncClient, c: int) -> httpx.Response:
                barcode = desks[c].barcodes[next_file[c]]
                return await cl.post(
                    "/api/v1/loans/desk/hand-out",
                    json={"card": desks[c].card, "barcodes": [barcode]},
                )

            async def give_back(cl: httpx.AsyncClient, c: int) -> httpx.Response:
                barcode = desks[c].barcodes[next_file[c]]
                next_file[c] += 1
                return await cl.post(
                    "/api/v1/loans/returns", json={"lines": [{"barcode": barcode}]}
                )

            # One untimed hand-out and return per desk first: every worker process has then
            # imported and cached what these routes use.
            await _load(client, clients, 1, hand_out, warm)
            await _load(client, clients, 1, give_back, warm)
            errors.extend(warm)
            for r in range(rounds):
                pings.append(
                    register_http.p95(
                        await _load(
                            client, clients, per_round, lambda cl, c: cl.get("/api/v1/ping"), errors
                        )
                    )
                )
                # Hand out `per_round` files per desk, then take them back in the same order.
                start_of_round = list(next_file)
                took: list[float] = []
                for _ in range(per_round):
                    took += await _load(client, clients, 1, hand_out, errors)
                    for c in range(clients):
                        next_file[c] += 1
                handouts.append(register_http.p95(took))
                next_file[:] = start_of_round
                back: list[float] = []
                for _ in range(per_round):
                    back += await _load(client, clients, 1, give_back, errors)
                returns.append(register_http.p95(back))
                note(
                    f"round {r + 1}: ping p95 {pings[-1]:.1f} ms, hand-out {handouts[-1]:.1f} ms, "
                    f"return {returns[-1]:.1f} ms"
                )
        return pings, handouts, returns

    pings, handouts, returns = asyncio.run(main())
    for line in errors[:10]:
        note(f"error: {line}")
    return (
        statistics.median(pings),
        statistics.median(handouts),
        statistics.median(returns),
        len(errors),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent desks (default 50)")
    parser.add_argument("--rounds", type=int, default=9, help="alternating rounds (default 9)")
    parser.add_argument("--per-round", type=int, default=2, help="loans per desk per round")
    parser.add_argument("--workers", type=int, default=2, help="app processes (default 2)")
    args = parser.parse_args(argv)
    with fresh_database() as url:
        token, desks = seed(url, args.clients, args.rounds * args.per_round + 1)
        with server(url, args.workers) as base:
            ping, handout, ret, errors = run_load(base, token, desks, args.rounds, args.per_round)
    print(Figure("circulation.handout_p95", handout, "ms", ping).line())
    print(Figure("circulation.return_p95", ret, "ms", ping).line())
    print(Figure("circulation.errors", errors, "count").line())
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
