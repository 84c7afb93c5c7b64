"""OCR benchmark on generated Vietnamese pages: our pipeline against raw tesseract (issue 3).

For each dpi, N degraded specimens (text and ruled-table pages alternating) are OCR'd twice in
the same run: by the raw `tesseract IMG stdout -l vie --dpi D` CLI, two processes at a time
(the baseline), and by our whole pipeline through a real `archive worker --workers 2` (render,
cover-sheet check, clean-up, OCR, storage, batch assignment: `ocr.throughput`, from the pages
being queued to the batch closed; `ocr.throughput_with_intake` adds the intake before, which
checks every image by decoding it, hashes and stores it: bench/ocr_worker.py). Then,
interleaved with the raw CLI in short chunks, the OCR stage alone (clean-up + OCR on two
processes: `ocr.throughput_ocr_stage`) and the same without clean-up, for the CER it buys. All
use OMP_THREAD_LIMIT=1.

Character error rate (CER) = Levenshtein distance / truth length over whitespace-normalised
text, summed over pages; "folded" drops diacritics first (NFD, no combining marks, đ -> d).
Prints one line per figure (DESIGN.md, "Benchmarks speak one format"):

    FIGURE <name> <value> <unit> baseline=<value> ratio=<value>

    .venv/bin/python bench/ocr.py --pages 16 --dpi 200,300
    .venv/bin/python bench/ocr.py --pages 8 --dpi 300 --compare-steps   # choose the defaults
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import Figure  # noqa: E402  (beside this script)
from ocr_worker import WorkerRun, run_through_worker  # noqa: E402

from scanners.cleanup import CleanupOptions, clean  # noqa: E402
from scanners.ocr import OcrOptions, ocr_image, tesseract_version  # noqa: E402
from scanners.specimens import character_error_rate, write_specimens  # noqa: E402

SEED = 20260301
CHUNK = 4  # pages per interleaved round: two per worker
WORKERS = 2  # one per core on the 2-core box; the baseline runs as many tesseract processes
OCR = OcrOptions()
STEP_VARIANTS = {  # --compare-steps: each clean-up step alone and together
    "none": CleanupOptions(denoise=False, deskew=False, binarise=False),
    "denoise": CleanupOptions(denoise=True, deskew=False, binarise=False),
    "deskew": CleanupOptions(denoise=False, deskew=True, binarise=False),
    "binarise": CleanupOptions(denoise=False, deskew=False, binarise=True),
    "denoise+binarise": CleanupOptions(denoise=True, deskew=False, binarise=True),
    "deskew+binarise": CleanupOptions(denoise=False, deskew=True, binarise=True),
    "all": CleanupOptions(denoise=True, deskew=True, binarise=True),
}


Pools = tuple[ThreadPoolExecutor, ProcessPoolExecutor]


@dataclass(frozen=True)
class Run:
    texts: list[str]
    seconds: float

    def pages_per_minute(self) -> float:
        return 60 * len(self.texts) / self.seconds


def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def cer(truths: Sequence[str], texts: Sequence[str], *, folded: bool = False) -> float:
    return character_error_rate(truths, texts, folded=folded)


def raw_tesseract(path: Path, dpi: int) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = ["tesseract", str(path), "stdout", "-l", OCR.languages, "--dpi", str(dpi)]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout


def pipeline(path: Path, dpi: int, options: CleanupOptions | None) -> str:
    """What the worker does with one page: clean up (unless None), skip blanks, OCR."""
    if options is None:
        return ocr_image(path, dpi=dpi, options=OCR).text
    cleaned = clean(path.read_bytes(), dpi=dpi, options=options)
    if cleaned.blank:
        return ""
    target = path.with_name(f"{path.stem}.clean.png")
    target.write_bytes(cleaned.png)
    return ocr_image(target, dpi=dpi, options=OCR).text


def warm() -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    tesseract_version()


Variant = Callable[[list[Path]], list[str]]


def measure(variants: dict[str, Variant], paths: list[Path]) -> dict[str, Run]:
    """Run every variant on the same pages, chunk by chunk in rotating order.

    The box is shared and its load drifts: interleaving short chunks gives every variant the
    same share of a busy minute, where running them one after the other would not."""
    names = list(variants)
    texts: dict[str, list[str]] = {name: [] for name in names}
    seconds = dict.fromkeys(names, 0.0)
    for index, start in enumerate(range(0, len(paths), CHUNK)):
        part = paths[start : start + CHUNK]
        for name in names[index % len(names) :] + names[: index % len(names)]:
            began = time.perf_counter()
            texts[name] += variants[name](part)
            seconds[name] += time.perf_counter() - began
    return {name: Run(texts[name], seconds[name]) for name in names}


def variants(
    pools: Pools, dpi: int, cleanups: dict[str, CleanupOptions | None]
) -> dict[str, Variant]:
    """The raw CLI baseline plus our pipeline under each named clean-up (None: OCR only)."""
    threads, workers = pools

    def raw(part: list[Path]) -> list[str]:
        return list(threads.map(raw_tesseract, part, [dpi] * len(part)))

    def ours(options: CleanupOptions | None) -> Variant:
        return lambda part: list(
            workers.map(pipeline, part, [dpi] * len(part), [options] * len(part))
        )

    return {"raw": raw} | {name: ours(options) for name, options in cleanups.items()}


def specimens(directory: Path, dpi: int, pages: int, seed: int) -> tuple[list[Path], list[str]]:
    written = write_specimens(directory / f"{dpi}dpi", range(seed, seed + pages), dpi=dpi)
    return [path for path, _ in written], [specimen.text for _, specimen in written]


def through_worker(pools: Pools, paths: list[Path], dpi: int) -> tuple[WorkerRun, float]:
    """The real pipeline (intake + `archive worker -w 2`) and the raw CLI two at a time on the
    same pages, the raw run split around the worker run so both see the same drift in load."""
    threads, _ = pools
    half = len(paths) // 2
    began = time.perf_counter()
    list(threads.map(raw_tesseract, paths[:half], [dpi] * half))
    first = time.perf_counter() - began
    run = run_through_worker(paths, dpi, workers=WORKERS)
    began = time.perf_counter()
    list(threads.map(raw_tesseract, paths[half:], [dpi] * (len(paths) - half)))
    raw_seconds = first + time.perf_counter() - began
    return run, 60 * len(paths) / raw_seconds


def bench_dpi(pools: Pools, directory: Path, dpi: int, pages: int, seed: int) -> None:
    paths, truths = specimens(directory, dpi, pages, seed)
    worker, raw_rate = through_worker(pools, paths, dpi)
    note(
        f"{dpi} dpi through the worker: {worker.seconds:.1f} s for {pages} pages, after "
        f"{worker.intake_seconds:.1f} s of intake (checks, store, page rows)"
    )
    rate, with_intake = worker.pages_per_minute(), worker.pages_per_minute_with_intake()
    print(Figure(f"ocr.throughput.{dpi}dpi", rate, "pages/min", raw_rate).line())
    print(Figure(f"ocr.throughput_with_intake.{dpi}dpi", with_intake, "pages/min", raw_rate).line())
    print(Figure(f"ocr.cer_worker.{dpi}dpi", cer(truths, worker.texts), "%").line(), flush=True)
    runs = measure(variants(pools, dpi, {"ours": CleanupOptions(), "bare": None}), paths)
    raw, ours, bare = runs["raw"], runs["ours"], runs["bare"]
    note(f"{dpi} dpi, {pages} pages: raw {raw.seconds:.1f} s, ours {ours.seconds:.1f} s, "
         f"ours without clean-up {bare.seconds:.1f} s")  # fmt: skip
    for kind, picked in (("text", slice(0, None, 2)), ("table", slice(1, None, 2))):
        note(f"{dpi} dpi {kind} pages: CER raw {cer(truths[picked], raw.texts[picked]):.2f} %, "
             f"ours {cer(truths[picked], ours.texts[picked]):.2f} %, "
             f"ours without clean-up {cer(truths[picked], bare.texts[picked]):.2f} %")  # fmt: skip
    suffix = f"{dpi}dpi"
    figures = [
        Figure(f"ocr.throughput_ocr_stage.{suffix}", ours.pages_per_minute(), "pages/min",
               raw.pages_per_minute()),
        Figure(f"ocr.cer.{suffix}", cer(truths, ours.texts), "%", cer(truths, raw.texts)),
        Figure(f"ocr.cer_no_cleanup.{suffix}", cer(truths, bare.texts), "%", cer(truths, raw.texts)),
        Figure(f"ocr.cer_folded.{suffix}", cer(truths, ours.texts, folded=True), "%",
               cer(truths, raw.texts, folded=True)),
        Figure(f"ocr.cer_folded_no_cleanup.{suffix}", cer(truths, bare.texts, folded=True), "%",
               cer(truths, raw.texts, folded=True)),
        Figure(f"ocr.throughput_no_cleanup.{suffix}", bare.pages_per_minute(), "pages/min",
               raw.pages_per_minute()),
    ]  # fmt: skip
    for figure in figures:
        print(figure.line(), flush=True)


def compare_steps(pools: Pools, directory: Path, dpi: int, pages: int, seed: int) -> None:
    """CER and throughput of each clean-up step alone: what decides CleanupOptions' defaults."""
    paths, truths = specimens(directory, dpi, pages, seed)
    runs = measure(variants(pools, dpi, dict(STEP_VARIANTS)), paths)
    raw = runs.pop("raw")
    print(Figure(f"ocr.cer_steps.raw.{dpi}dpi", cer(truths, raw.texts), "%").line(), flush=True)
    for name, run in runs.items():
        print(Figure(f"ocr.cer_steps.{name}.{dpi}dpi", cer(truths, run.texts), "%",
                     cer(truths, raw.texts)).line()
              + f" pages/min={run.pages_per_minute():.1f} raw={raw.pages_per_minute():.1f}",
              flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=24, help="pages per dpi (default 24)")
    parser.add_argument(
        "--dpi", default="200,300", help="comma list of resolutions (default 200,300)"
    )
    parser.add_argument(
        "--seed", type=int, default=SEED, help=f"first specimen seed (default {SEED})"
    )
    parser.add_argument(
        "--compare-steps",
        action="store_true",
        help="instead, measure CER for each clean-up step alone (deciding CleanupOptions' defaults)",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="keep the generated pages here")
    args = parser.parse_args(argv)
    resolutions = [int(d) for d in args.dpi.split(",") if d.strip()]
    note(
        f"tesseract {tesseract_version()} -l {OCR.languages}, {WORKERS} processes, cleanup {CleanupOptions()}"
    )
    with (
        tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp,
        ThreadPoolExecutor(WORKERS) as threads,
        ProcessPoolExecutor(WORKERS, initializer=warm) as workers,
    ):
        list(workers.map(time.sleep, [0.2] * WORKERS))  # both workers up before any clock starts
        workdir = args.workdir or Path(tmp)
        for dpi in resolutions:
            run = compare_steps if args.compare_steps else bench_dpi
            run((threads, workers), workdir, dpi, args.pages, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
