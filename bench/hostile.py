"""Cost of hostile inputs: time and peak memory of `admitcheck batch` at three sizes each.

    python bench/hostile.py              # the sizes below (about a minute on 2 cores)
    python bench/hostile.py --scale 0.25 # smaller, for a quick look

Three inputs whose cost once grew faster than their size (issue 23):

- one long JSON Lines line (with a good record after it): read past in pieces, never
  joined, one error record;
- a CSV header of many unknown columns: one short error record, checked in linear time;
- a gzip stream that expands to one long line (a 'gzip bomb' a thousand times its
  size): inflated in pieces, the line read past, one error record.

Each input is read three times by the reader and the workers' path in a process of its own
(timed past its imports: the command's start-up, about half a second, would hide the cost
of the input), and once by the real command (`batch --jobs 1`, for its exit code and its
peak memory). The report gives the best time and the largest peak resident memory, then
the ratio of each to the smallest size beside the ratio of the sizes: time linear in the
size grows as the size does, and memory stays flat.
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
MIB = 1 << 20
GOOD = b'{"id": "G", "gpa": 3.5}\n'


def long_line(path: Path, size: int) -> Path:
    path = path.with_suffix(".jsonl")
    piece = b"x" * MIB
    with path.open("wb") as handle:
        handle.write(b'{"id": "L", "name": "')
        for _ in range(size // MIB):
            handle.write(piece)
        handle.write(b'"}\n' + GOOD)
    return path


def wide_header(path: Path, columns: int) -> Path:
    path = path.with_suffix(".csv")
    names = [f"column{n}" for n in range(columns)]
    path.write_text(",".join(names) + "\n" + ",".join("1" for _ in names) + "\n")
    return path


def gzip_bomb(path: Path, size: int) -> Path:
    """One line of `size` bytes, as gzip members of 64 MiB each (a gzip file may hold
    several; they read as one stream)."""
    path = path.with_suffix(".jsonl.gz")
    member = gzip.compress(b"x" * (64 * MIB), compresslevel=9)
    with path.open("wb") as handle:
        handle.write(gzip.compress(b'{"id": "B", "name": "'))
        for _ in range(size // (64 * MIB)):
            handle.write(member)
        handle.write(gzip.compress(b'"}\n' + GOOD))
    return path


def measure(path: Path) -> tuple[float, float, int]:
    """The whole command: seconds, peak resident MiB of the run, and the exit code."""
    started = time.monotonic()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "admitcheck", "batch", str(path), "-p", "usc-msece-mlds"),
            *("--jobs", "1", "-f", "jsonl-compact", "--as-of", "2026-11-24"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    return time.monotonic() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


# The reader and the workers' path in a process of its own, timed past its imports: the
# cost of the input alone, without the command's start-up (about half a second).
_READER = """
import resource, sys, time
from datetime import date
from admitcheck.batch.pipeline import BatchSettings, process_chunk
from admitcheck.batch.writers import writer_for
from admitcheck.catalog import check_ids, load_catalog
from admitcheck.inputs.flat import ColumnMap
from admitcheck.inputs.profiles import Screen
from admitcheck.inputs.records import iter_work
from admitcheck.vocabulary import BatchFormat
program = load_catalog().get("usc-msece-mlds")
day = date(2026, 11, 24)
writer = writer_for(BatchFormat.jsonl_compact, check_ids([program]))
settings = BatchSettings([program], day, writer, Screen(day, program.reference))
started = time.perf_counter()
work = iter_work([sys.argv[1]], ColumnMap.identity())
records = sum(process_chunk(w, settings).records for w in work)
seconds = time.perf_counter() - started
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, records)
"""


def measure_reader(path: Path) -> tuple[float, float, int]:
    """The reader alone: seconds, peak resident MiB, and the records it gave."""
    found = subprocess.run(
        [sys.executable, "-c", _READER, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(found[0]), float(found[1]), int(found[2])


REPEAT = 3  # runs of each input: the best time, the largest peak

# (title, unit, how to make the input, sizes in the unit: MiB, or columns)
CASES: list[tuple[str, str, Callable[[Path, int], Path], list[int]]] = [
    ("long JSONL line", "MiB", long_line, [512, 1024, 2048]),
    # (up to 80,000 columns: a header of more than 1 MiB is refused whole by its size)
    ("wide CSV header", "columns", wide_header, [20_000, 40_000, 80_000]),
    ("gzip bomb, one line", "MiB", gzip_bomb, [512, 1024, 2048]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size")
    args = parser.parse_args()
    if not 0 < args.scale <= 4:
        parser.error("--scale runs from 0 to 4 (the largest input is 2 GiB times it)")
    OUT.mkdir(exist_ok=True)
    print("seconds: the reader and the workers' path alone, best of 3 (no start-up); peak: the")
    print("largest resident memory of those runs and of the whole command; exit: the command's")
    print(f"{'input':<22} {'size':>12} {'seconds':>8} {'peak MiB':>9} {'exit':>4}  ratios")
    for title, unit, make, counts in CASES:
        step = 64 if "gzip" in title else 1  # gzip bombs are made of 64 MiB members
        scaled = [max(step, round(n * args.scale / step) * step) for n in counts]
        sizes = [n * MIB for n in scaled] if unit == "MiB" else scaled
        # The three sizes are measured in turns, so that a change of the machine's load
        # falls on all of them alike.
        paths = [make(OUT / f"hostile-{make.__name__}-{size}", size) for size in sizes]
        try:
            runs: list[list[tuple[float, float, int]]] = [[] for _ in sizes]
            for _ in range(REPEAT):
                for found, path in zip(runs, paths, strict=True):
                    found.append(measure_reader(path))
            rows = []
            for size, path, found in zip(sizes, paths, runs, strict=True):
                _, whole_peak, code = measure(path)
                seconds = min(r[0] for r in found)
                peak = max(whole_peak, *(r[1] for r in found))
                rows.append((size, seconds, peak, code, path.stat().st_size))
        finally:
            for path in paths:
                path.unlink(missing_ok=True)
        base = rows[0]
        for size, seconds, peak, code, on_disk in rows:
            shown = f"{size // MIB:,} MiB" if unit == "MiB" else f"{size:,} cols"
            ratios = (
                f"size x{size / base[0]:.1f}  time x{seconds / base[1]:.2f}  "
                f"memory x{peak / base[2]:.2f}  (file {on_disk / MIB:.1f} MiB)"
            )
            print(f"{title:<22} {shown:>12} {seconds:>8.2f} {peak:>9.0f} {code:>4}  {ratios}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"largest process of any run: {children:.0f} MiB")


if __name__ == "__main__":
    main()
