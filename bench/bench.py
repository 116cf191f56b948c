"""Benchmark `admitcheck batch` against a minimal hand-written reference pipeline.

    python bench/bench.py                      # 200,000 records, --jobs 2 and 1
    python bench/bench.py --records 1000000 --jobs 2

It writes N seeded, realistic JSONL profiles to bench/out/, runs the real CLI on them
(JSONL in, JSONL out) as a subprocess, and reports records/s and peak memory. In the
same run it times a reference pipeline on one core: pydantic validation of the same
profile model from JSON, the same checks hand-written for the built-in program, and an
orjson dump. The ratio shows what admitcheck's generality costs per core.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
AS_OF = "2026-11-24"

FIELDS = [
    "Electrical Engineering",
    "Electronics and Communication Engineering",
    "Computer Science",
    "Mechanical Engineering",
    "Mathematics",
    "Physics",
    "Computer Engineering",
    "Economics",
    "Data Science",
    "Civil Engineering",
]
COURSES = [
    "Linear Algebra",
    "Calculus II",
    "Probability and Random Processes",
    "Engineering Statistics",
    "Data Structures and Algorithms",
    "Programming in C",
    "Engineering Physics",
    "Electromagnetics",
    "Signals and Systems",
    "Digital Logic",
    "Thermodynamics",
    "Microeconomics",
    "Operating Systems",
    "Discrete Mathematics",
]


def _day(rng: random.Random, years_back: float) -> str:
    start = date(2026, 11, 1)
    return (start - timedelta(days=rng.randint(1, int(365 * years_back)))).isoformat()


def make_profile(rng: random.Random, number: int) -> dict[str, Any]:
    international = rng.random() < 0.6
    profile: dict[str, Any] = {
        "id": f"A-{number:07d}",
        "name": f"Applicant {number}",
        "international": international,
        "degree": {
            "level": rng.choice(["bachelor"] * 8 + ["master", "associate"]),
            "field": rng.choice(FIELDS),
            "status": rng.choice(["completed"] * 4 + ["in_progress"]),
        },
    }
    if rng.random() < 0.7:
        profile["gpa"] = round(rng.uniform(2.4, 4.0), 2)
    else:
        profile["gpa"] = {"value": round(rng.uniform(6.0, 9.8), 2), "scale": 10}
    tests: dict[str, Any] = {}
    if international:
        roll = rng.random()
        if roll < 0.6:
            tests["toefl"] = {"total": rng.randint(70, 118), "date": _day(rng, 3)}
        elif roll < 0.85:
            tests["ielts"] = {
                "overall": rng.choice([5.5, 6.0, 6.5, 7.0, 7.5, 8.0]),
                "date": _day(rng, 3),
            }
        elif roll < 0.95:
            tests["pte"] = {"overall": rng.randint(50, 85), "date": _day(rng, 3)}
    if rng.random() < 0.85:
        verbal, quant = rng.randint(140, 170), rng.randint(145, 170)
        tests["gre"] = {
            "verbal": verbal,
            "quant": quant,
            "writing": rng.choice([3.0, 3.5, 4.0, 4.5, 5.0]),
            "date": _day(rng, 6),
        }
    elif rng.random() < 0.5:
        tests["gmat"] = {
            "total": rng.randrange(505, 805, 10),
            "edition": "focus",
            "date": _day(rng, 6),
        }
    profile["tests"] = tests
    profile["courses"] = rng.sample(COURSES, rng.randint(3, 8))
    profile["materials"] = {
        "statement_of_purpose": rng.random() < 0.9,
        "resume": rng.random() < 0.95,
        "transcripts": rng.random() < 0.8,
        "recommendation_letters": rng.randint(0, 4),
        "application_fee_paid": rng.random() < 0.85,
    }
    return profile


def generate(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("wb") as handle:
        for number in range(count):
            handle.write(orjson.dumps(make_profile(rng, number)) + b"\n")


_TICK = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> dict[int, tuple[int, float]]:
    """{pid: (RSS in KiB, CPU seconds so far)} of a process and all its descendants."""
    found: dict[int, tuple[int, float]] = {}
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            rss = sum(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
            )
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime
            found[current] = (rss, cpu)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return found


def batch_command(
    path: Path,
    jobs: int,
    output: Path | None,
    extra: list[str],
    select: tuple[str, ...] = ("--program", "usc-msece-mlds"),
) -> list[str]:
    """The `admitcheck batch` command line of one bench run."""
    command = [
        sys.executable,
        "-m",
        "admitcheck",
        "batch",
        str(path),
        "--jobs",
        str(jobs),
        "--as-of",
        AS_OF,
        "--exit-zero",
        *select,
        *extra,
    ]
    return command if output is None else [*command, "--output", str(output)]


def run_wall(
    path: Path, jobs: int, output: Path | None, extra: list[str], src: Path | None
) -> float:
    """Wall seconds of one `batch` run, with nothing else running beside it: `run_cli`'s
    sampling of /proc takes ~1 ms of CPU every 20 ms, which a run with --jobs 2 on two
    cores pays for and the reference (timed in its own process) does not."""
    started = time.perf_counter()
    done = subprocess.run(
        batch_command(path, jobs, output, extra), stdout=subprocess.DEVNULL, env=_env(src)
    )
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"admitcheck exited {done.returncode}")
    return wall


def run_cli(
    path: Path,
    jobs: int,
    output: Path | None,
    extra: list[str],
    src: Path | None,
    select: tuple[str, ...] = ("--program", "usc-msece-mlds"),
) -> tuple[float, float, float, float]:
    """(wall seconds, CPU seconds of every process, peak RSS of the largest process, peak
    RSS of the whole tree in MiB). `src` runs another checkout's code (its src/ folder).

    The tree (main process, forkserver, workers) is sampled every 20 ms: CPU time is the
    sum over processes of the last time each was seen with (so up to 20 ms per process
    may be missed at its end).
    """
    command = batch_command(path, jobs, output, extra, select)
    env = _env(src)
    started = time.perf_counter()
    largest = total = 0
    cpu_seen: dict[int, float] = {}
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env) as process:
        while process.poll() is None:
            tree = _tree(process.pid)
            sizes = [rss for rss, _ in tree.values()]
            largest, total = max(largest, *sizes, 0), max(total, sum(sizes))
            cpu_seen.update({pid: cpu for pid, (_, cpu) in tree.items()})
            time.sleep(0.02)
    wall = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"admitcheck exited {process.returncode}")
    return wall, sum(cpu_seen.values()), largest / 1024, total / 1024


def _env(src: Path | None) -> dict[str, str]:
    """The environment of a run of `src` (None: this checkout), each code with a catalogue
    cache of its own (two codes sharing one folder would evict each other's entry)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    name = hashlib.sha256(str(src).encode()).hexdigest()[:12]
    cache = OUT / ("cache" if src is None else f"cache-{name}")
    cache.mkdir(mode=0o700, exist_ok=True)
    env["ADMITCHECK_CACHE_DIR"] = str(cache)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def child_cpu(command: list[str], env: dict[str, str]) -> float:
    """CPU seconds (user + system) of one run of `command` and its children: under load,
    steadier than wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleaved(
    runs: dict[str, tuple[list[str], dict[str, str]]],
    rounds: int,
    between: Callable[[], float] | None = None,
) -> dict[str, list[float]]:
    """CPU seconds of each command, once per round (`rounds` rounds after one warm-up),
    run in turn so that every command sees the same load; with `between`, its value in
    each round too (under "between")."""
    for command, env in runs.values():
        child_cpu(command, env)
    times: dict[str, list[float]] = {name: [] for name in runs}
    times["between"] = []
    for _ in range(rounds):
        for name, (command, env) in runs.items():
            times[name].append(child_cpu(command, env))
        if between is not None:
            times["between"].append(between())
    return times


def medians(times: dict[str, list[float]]) -> dict[str, float]:
    return {name: statistics.median(found) for name, found in times.items() if found}


EXAMPLE = str(HERE.parent / "examples" / "maria-eligible.json")


def startup_runs(
    variants: list[tuple[str, Path | None]],
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """The commands of the start-up targets: the two imports, the floor (`floor_cli.py`),
    and each code's three."""
    python = sys.executable
    stack = "import typer, rich.console, rich.table; from pydantic import BaseModel"
    floor = [python, "-m", "floor_cli", EXAMPLE, "-p", "usc-msece-mlds", "--as-of", AS_OF]
    runs = {
        "stack": ([python, "-c", stack], _env(None)),
        "typer": ([python, "-c", "import typer"], _env(None)),
        "floor": (floor, {**_env(None), "PYTHONPATH": str(HERE)}),
    }
    cli = [python, "-m", "admitcheck"]
    for label, src in variants:
        env = _env(src)
        runs[f"{label}|help"] = ([*cli, "--help"], env)
        runs[f"{label}|check"] = (
            [*cli, "check", EXAMPLE, "-p", "usc-msece-mlds", "--as-of", AS_OF],
            env,
        )
        runs[f"{label}|match"] = ([*cli, "match", EXAMPLE, "--as-of", AS_OF], env)
    return runs


def startup_ratios(
    variants: list[tuple[str, Path | None]], found: dict[str, float], unit: str
) -> dict[str, dict[str, float]]:
    """Print and return each code's start-up ratios from one measure of every command."""
    print(
        f"floor (bench/floor_cli.py: Typer, a pydantic model, a Rich table) "
        f"{found['floor']:,.0f} {unit}, {found['floor'] / found['stack']:.2f}x the stack import"
    )
    print(
        f"{'code':14} {'check/stack':>12} {'help/typer':>11} {'match/check':>12}"
        f" {'check/floor':>12}  (targets: 1.5, 1.2, 2; check/floor: none)"
    )
    ratios: dict[str, dict[str, float]] = {}
    for label, _ in variants:
        check, help_, match = (found[f"{label}|{c}"] for c in ("check", "help", "match"))
        print(
            f"{label:14} {check / found['stack']:12.2f} {help_ / found['typer']:11.2f} "
            f"{match / check:12.2f} {check / found['floor']:12.2f}   check {check:,.0f} {unit}"
        )
        ratios[label] = {
            "check": check / found["stack"],
            "help": help_ / found["typer"],
            "match": match / check,
            "floor": check / found["floor"],
        }
    return ratios


def startup(variants: list[tuple[str, Path | None]], rounds: int) -> dict[str, dict[str, float]]:
    """Issue 21's start-up targets, each code beside the others, in one interleaved run."""
    found = medians(interleaved(startup_runs(variants), rounds))
    print(
        f"start-up, CPU ms (median of {rounds}, interleaved): stack import "
        f"{found['stack'] * 1e3:.0f}, `import typer` {found['typer'] * 1e3:.0f}"
    )
    return startup_ratios(variants, {k: v * 1e3 for k, v in found.items()}, "ms")


def instructions(command: list[str], env: dict[str, str]) -> float:
    """Instructions one run of `command` executes, counted by valgrind's callgrind: the
    same on a loaded host as on an idle one (each run takes ~5 s under valgrind)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return float(line.rsplit(":", 1)[1])
    raise SystemExit(f"valgrind counted nothing for {command}: {done.stderr[-500:]}")


def startup_instructions(variants: list[tuple[str, Path | None]]) -> None:
    """The start-up ratios by instruction count, once per command (after a warm-up run
    that writes each code's bytecode and cache entries)."""
    runs = startup_runs(variants)
    for command, env in runs.values():
        child_cpu(command, env)
    found = {name: instructions(command, env) / 1e6 for name, (command, env) in runs.items()}
    print(
        f"start-up, instructions (millions, callgrind): stack import {found['stack']:,.0f}, "
        f"`import typer` {found['typer']:,.0f}"
    )
    startup_ratios(variants, found, "M")


def screening(
    variants: list[tuple[str, Path | None]],
    data: Path,
    records: int,
    rounds: int,
    reference_records: int,
) -> dict[str, float]:
    """`batch --all-programs -f jsonl-compact` (one process), records/s of CPU, each code
    beside the others in one interleaved run; and `programs diff --profiles` on the same
    profiles (every program of one institution's file, evaluated under an old and a new
    version: a GPA minimum raised)."""
    python = sys.executable
    runs = {}
    for label, src in variants:
        command = [
            python,
            "-m",
            "admitcheck",
            "batch",
            str(data),
            "--all-programs",
            "--jobs",
            "1",
            "--as-of",
            AS_OF,
            "--exit-zero",
            "--format",
            "jsonl-compact",
        ]
        runs[label] = (command, _env(src))
    old = HERE.parent / "data" / "programs" / "berkeley.toml"
    new = OUT / "berkeley-new.toml"
    new.write_text(old.read_text(encoding="utf-8").replace("minimum = 3.0", "minimum = 3.2", 1))
    runs["diff"] = (
        [
            python,
            "-m",
            "admitcheck",
            "programs",
            "diff",
            str(old),
            str(new),
            "--profiles",
            str(data),
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
        _env(None),
    )
    # The reference is timed in every round beside the commands: the host's speed drifts
    # by a quarter within minutes, and a ratio is only as good as its two sides' timing.
    times = interleaved(runs, rounds, between=lambda: reference(data, reference_records))
    found = medians(times)
    first = variants[0][0]
    print(f"screening, {records:,} records, 1 process (median CPU of {rounds}, interleaved):")
    reports: dict[str, float] = {}
    for label, src in variants:
        rate = records / found[label]
        programs = count_programs(src)
        # Per round: reports/s of the command / records/s of the reference in that round.
        reports[label] = statistics.median(
            records / cpu * programs / ref
            for cpu, ref in zip(times[label], times["between"], strict=True)
        )
        print(
            f"  batch --all-programs -f jsonl-compact, {label:14} {rate:8,.0f} records/s "
            f"x {programs} programs = {rate * programs:9,.0f} reports/s "
            f"({found[first] and found[label] / found[first]:.2f}x the CPU of {first})"
        )
    print(
        f"  programs diff --profiles (berkeley.toml, old and new) {records / found['diff']:8,.0f}"
        " records/s"
    )
    return reports


def count_programs(src: Path | None) -> int:
    """How many programs `batch --all-programs` checks with that code's catalogue."""
    command = [sys.executable, "-m", "admitcheck", "programs", "list", "--format", "json"]
    found = subprocess.run(command, capture_output=True, env=_env(src), check=True).stdout
    return len(orjson.loads(found))


def single(
    variants: list[tuple[str, Path | None]], data: Path, rounds: int, reference_records: int
) -> dict[str, dict[str, float]]:
    """Issue 21's single-program targets: records/s of wall time on one program
    (usc-msece-mlds), full and compact reports, --jobs 1 and 2, in `rounds` interleaved
    rounds (the output written to a file), each round ending with both reference
    pipelines. Each ratio is the median of its per-round ratios, so that both sides of
    it were timed minutes apart, not a whole run apart."""
    records = sum(1 for _ in data.open("rb"))
    rates: dict[str, dict[str, list[float]]] = {label: {} for label, _ in variants}
    for _ in range(rounds):
        found: dict[str, dict[str, float]] = {label: {} for label, _ in variants}
        for label, src in variants:
            for fmt in ("full", "compact"):
                for jobs in (1, 2):
                    extra = ["--format", "jsonl-compact" if fmt == "compact" else "jsonl"]
                    output = OUT / f"single-{jobs}.jsonl"
                    try:
                        wall = run_wall(data, jobs, output, extra, src)
                    except SystemExit:  # a code without that format
                        continue
                    found[label][f"{fmt}-{jobs}"] = records / wall
        ref = reference(data, reference_records)
        full = reference_full(data, reference_records)
        for label, by in found.items():
            by["ref"], by["ref-full"] = ref, full
            by["full-2/ref-full"] = by.get("full-2", 0) / full
            by["compact-2/ref"] = by.get("compact-2", 0) / ref
            by["full-2/full-1"] = by.get("full-2", 0) / by.get("full-1", 1)
            by["compact-2/compact-1"] = by.get("compact-2", 0) / by.get("compact-1", 1)
            for name, value in by.items():
                rates[label].setdefault(name, []).append(value)
    return {label: medians(by) for label, by in rates.items()}


# --------------------------------------------------------------------------- reference


def reference(path: Path, limit: int) -> float:
    """Records/s of the minimal pipeline, hand-written for usc-msece-mlds, on one core."""
    from admitcheck.models.profile import Profile

    as_of = date.fromisoformat(AS_OF)
    two, five = as_of.replace(year=as_of.year - 2), as_of.replace(year=as_of.year - 5)
    subjects = {
        "mathematics": ("algebra", "calculus", "mathemat", "discrete"),
        "statistics": ("statistic", "probability", "random"),
        "computer_science": ("data structures", "programming", "algorithm", "operating"),
        "physics": ("physics", "electromagnet", "thermodynamics", "mechanics"),
    }
    lines = path.read_bytes().splitlines()[:limit]
    sink = bytearray()
    Profile.model_validate_json(lines[0])  # the schema is built on first use: not timed
    started = time.process_time()
    for line in lines:
        p = Profile.model_validate_json(line)
        checks: list[dict[str, Any]] = []
        d = p.degree
        ok = d is not None and d.level in ("bachelor", "master", "doctorate")
        eng = ok and d is not None and "engineering" in (d.field or "").lower()
        checks.append({"id": "degree", "status": "met" if eng else "review" if ok else "not_met"})
        g = p.gpa
        checks.append(
            {
                "id": "gpa",
                "status": "missing"
                if g is None
                else "review"
                if g.scale != 4.0
                else "met"
                if g.value >= 3.0
                else "not_met",
            }
        )
        t = p.tests
        english = "not_applicable" if p.international is False else "missing"
        if t is not None and english == "missing":
            scores = (
                (t.toefl, t.toefl.total if t.toefl else None, 80),
                (t.ielts, t.ielts.overall if t.ielts else None, 6.5),
                (t.pte, t.pte.overall if t.pte else None, 61),
            )
            for score, value, minimum in scores:
                if (
                    score is not None
                    and value is not None
                    and value >= minimum
                    and (score.date is None or score.date >= two)
                ):
                    english = "met"
        checks.append({"id": "english", "status": english})
        gre_ok = t is not None and (
            (t.gre is not None and (t.gre.date is None or t.gre.date >= five))
            or (t.gmat is not None and (t.gmat.date is None or t.gmat.date >= five))
        )
        checks.append({"id": "tests", "status": "met" if gre_ok else "missing"})
        titles = [c.title.lower() for c in p.courses or []]
        for subject, words in subjects.items():
            hit = any(w in title for title in titles for w in words)
            checks.append({"id": f"coursework.{subject}", "status": "met" if hit else "not_met"})
        m = p.materials
        for key in ("statement_of_purpose", "resume", "transcripts", "application_fee_paid"):
            checks.append({"id": key, "status": "met" if m and getattr(m, key) else "missing"})
        letters = m.recommendation_letters if m else None
        checks.append(
            {"id": "letters", "status": "met" if letters and 2 <= letters <= 3 else "missing"}
        )
        statuses = {c["status"] for c in checks[:8]}
        verdict = (
            "ineligible"
            if "not_met" in statuses
            else "incomplete"
            if "missing" in statuses
            else "review"
            if "review" in statuses
            else "eligible"
        )
        sink += (
            orjson.dumps(
                {"applicant": {"id": p.id, "name": p.name}, "verdict": verdict, "checks": checks}
            )
            + b"\n"
        )
    return len(lines) / (time.process_time() - started)


def reference_full(path: Path, limit: int) -> float:
    """Records/s of a hand-written pipeline that writes reports like admitcheck's.

    The same statuses as `reference`, but every check also carries its title, what is
    required, the applicant's facts and a sentence when it is not met, and the report its
    program block: about 3.1 KB per record against admitcheck's 3.9 KB. Against this, the
    ratio shows the cost of the rules engine alone, not of the report's content.
    """
    from admitcheck.models.profile import Profile

    as_of = date.fromisoformat(AS_OF)
    two, five = as_of.replace(year=as_of.year - 2), as_of.replace(year=as_of.year - 5)
    program = {
        "id": "usc-msece-mlds",
        "name": "MS in ECE - MLDS",
        "as_of": AS_OF,
        "caveats": ["The GRE/GMAT requirement follows the program page; " * 4],
    }
    subjects = (
        ("mathematics", ("algebra", "calculus", "mathemat", "discrete")),
        ("statistics", ("statistic", "probability", "random")),
        ("computer_science", ("data structures", "programming", "algorithm", "operating")),
        ("physics", ("physics", "electromagnet", "thermodynamics", "mechanics")),
    )

    def check(
        cid: str,
        title: str,
        status: str,
        required: str,
        actual: str | None,
        detail: str = "",
        shortfall: str | None = None,
    ) -> dict[str, Any]:
        return {
            "id": cid,
            "category": cid.split(".")[0],
            "title": title,
            "status": status,
            "required": required,
            "actual": actual,
            "detail": detail,
            "shortfall": shortfall,
        }

    lines = path.read_bytes().splitlines()[:limit]
    sink = bytearray()
    Profile.model_validate_json(lines[0])  # the schema is built on first use: not timed
    started = time.process_time()
    for number, line in enumerate(lines, start=1):
        p = Profile.model_validate_json(line)
        checks = []
        d = p.degree
        level_ok = d is not None and d.level in ("bachelor", "master", "doctorate")
        field = (d.field or "") if d else ""
        status = (
            "missing"
            if d is None
            else "met"
            if level_ok and "engineering" in field.lower()
            else "review"
            if level_ok
            else "not_met"
        )
        checks.append(
            check(
                "degree",
                "Degree",
                status,
                "bachelor's or higher in engineering",
                f"{d.level}, {field}" if d else None,
                "" if status == "met" else f"'{field}' is not engineering.",
            )
        )
        g = p.gpa
        if g is None:
            checks.append(check("gpa", "Minimum GPA", "missing", "3.0 / 4.0", None, "No GPA."))
        elif g.scale != 4.0:
            checks.append(
                check(
                    "gpa",
                    "Minimum GPA",
                    "review",
                    "3.0 / 4.0",
                    f"{g.value} / {g.scale} (~{g.value / g.scale * 4:.2f} / 4.0)",
                    "Converted proportionally; a person must judge.",
                )
            )
        else:
            ok = g.value >= 3.0
            checks.append(
                check(
                    "gpa",
                    "Minimum GPA",
                    "met" if ok else "not_met",
                    "3.0 / 4.0",
                    f"{g.value} / 4.0",
                    "" if ok else f"GPA {g.value} is below 3.0.",
                    None if ok else f"{3.0 - g.value:.2f} below 3.0",
                )
            )
        t = p.tests
        english, actual = ("not_applicable" if p.international is False else "missing"), []
        if t is not None and english == "missing":
            for name, score, value, minimum in (
                ("TOEFL", t.toefl, t.toefl.total if t.toefl else None, 80),
                ("IELTS", t.ielts, t.ielts.overall if t.ielts else None, 6.5),
                ("PTE", t.pte, t.pte.overall if t.pte else None, 61),
            ):
                if score is None or value is None:
                    continue
                actual.append(f"{name} {value} ({score.date})")
                if value >= minimum and (score.date is None or score.date >= two):
                    english = "met"
            if actual and english != "met":
                english = "not_met"
        checks.append(
            check(
                "english",
                "English proficiency",
                english,
                "TOEFL iBT 80, IELTS 6.5 or PTE Academic 61",
                "; ".join(actual) or None,
                "" if english in ("met", "not_applicable") else "No score meets the minimum.",
            )
        )
        gre = t.gre if t else None
        gre_ok = gre is not None and (gre.date is None or gre.date >= five)
        checks.append(
            check(
                "tests",
                "GRE / GMAT",
                "met" if gre_ok else "missing",
                "GRE or GMAT",
                f"GRE {gre.verbal}/{gre.quant} ({gre.date})" if gre else None,
                "" if gre_ok else "No GRE or GMAT score.",
            )
        )
        titles = [c.title for c in p.courses or []]
        lowered = [title.lower() for title in titles]
        for subject, words in subjects:
            hits = [titles[i] for i, low in enumerate(lowered) if any(w in low for w in words)]
            checks.append(
                check(
                    f"coursework.{subject}",
                    f"Coursework: {subject}",
                    "met" if hits else "not_met",
                    f"1 course in {subject}",
                    "; ".join(hits[:3]) or None,
                    ""
                    if hits
                    else f"None of the {len(titles)} courses is recognised as {subject}.",
                    None if hits else "no course",
                )
            )
        m = p.materials
        for key in ("statement_of_purpose", "resume", "transcripts", "application_fee_paid"):
            given = bool(m and getattr(m, key))
            checks.append(
                check(
                    f"materials.{key}",
                    key,
                    "met" if given else "missing",
                    "required",
                    "provided" if given else None,
                    "" if given else "Not yet provided.",
                )
            )
        letters = m.recommendation_letters if m else None
        ok = letters is not None and 2 <= letters <= 3
        checks.append(
            check(
                "materials.recommendation_letters",
                "Recommendation letters",
                "met" if ok else "missing",
                "2-3 letters",
                str(letters),
                "" if ok else f"{letters} letters provided.",
            )
        )
        statuses = {c["status"] for c in checks[:8]}
        verdict = next(
            (
                v
                for s, v in (
                    ("not_met", "ineligible"),
                    ("missing", "incomplete"),
                    ("review", "review"),
                )
                if s in statuses
            ),
            "eligible",
        )
        sink += (
            orjson.dumps(
                {
                    "applicant": {"id": p.id, "name": p.name, "source": f"{path}:{number}"},
                    "program": program,
                    "evaluated_on": AS_OF,
                    "verdict": verdict,
                    "application_complete": all(c["status"] == "met" for c in checks[8:]),
                    "missing_materials": [
                        c["title"] for c in checks[8:] if c["status"] == "missing"
                    ],
                    "checks": checks,
                }
            )
            + b"\n"
        )
    return len(lines) / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--reference-records", type=int, default=50_000)
    parser.add_argument(
        "--baseline",
        type=Path,
        action="append",
        help="another checkout's src/ folder, run in the same session for comparison "
        "(e.g. a `git worktree` of the last release); repeatable, each named by its "
        "checkout's folder",
    )
    parser.add_argument(
        "--formats",
        nargs="+",
        default=["full"],
        help="'full' (JSONL reports) and/or 'compact' (--format jsonl-compact)",
    )
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument(
        "--targets",
        action="store_true",
        help="issue 21's targets only: start-up ratios and screening (--all-programs), "
        "each beside --baseline, interleaved, CPU medians",
    )
    parser.add_argument("--rounds", type=int, default=7, help="runs of each command (--targets)")
    parser.add_argument(
        "--single-records",
        type=int,
        default=50_000,
        help="records of the single-program targets (--targets)",
    )
    parser.add_argument(
        "--single-rounds",
        type=int,
        default=5,
        help="interleaved rounds of the single-program targets (--targets); each ratio is "
        "the median of its rounds' ratios",
    )
    parser.add_argument(
        "--startup-only",
        action="store_true",
        help="the start-up ratios of --targets only (no screening, no records generated)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="with --startup-only or --targets: the start-up ratios by instruction count "
        "too (valgrind's callgrind; independent of the host's load, ~1 min)",
    )
    parser.add_argument(
        "--to-stdout",
        action="store_true",
        help="discard the output (stdout to /dev/null) instead of --output FILE",
    )
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    variants: list[tuple[str, Path | None]] = [("this checkout", None)]
    for baseline in args.baseline or []:
        name = "baseline" if len(args.baseline) == 1 else baseline.resolve().parent.name
        variants.append((name, baseline.resolve()))
    if args.startup_only:
        print(f"cores: {os.cpu_count()}")
        startup(variants, args.rounds)
        if args.instructions:
            startup_instructions(variants)
        return
    data = OUT / f"profiles-{args.records}-{args.seed}.jsonl"
    if not data.exists():
        print(f"generating {args.records:,} records -> {data}", file=sys.stderr)
        generate(data, args.records, args.seed)
    size = data.stat().st_size / 1024 / 1024
    print(f"input: {args.records:,} records, {size:.0f} MiB, cores: {os.cpu_count()}")
    if args.targets:
        targets(args, variants, data)
        return
    per_core = 0.0
    print(
        f"{'code':14} {'format':8} {'jobs':>4} {'wall s':>8} {'records/s':>10} "
        f"{'CPU us/rec':>10} {'largest MiB':>11} {'all MiB':>8}"
    )
    for fmt in args.formats:
        extra = ["--format", "jsonl-compact" if fmt == "compact" else "jsonl"]
        for label, src in variants:
            if fmt == "compact" and src is not None:
                continue  # the baseline has no compact format
            for jobs in args.jobs:
                output = None if args.to_stdout else OUT / f"result-{jobs}.jsonl"
                wall, cpu, largest, tree = run_cli(data, jobs, output, extra, src)
                rate = args.records / wall
                if jobs == 1 and src is None and fmt == "full":
                    per_core = rate
                print(
                    f"{label:14} {fmt:8} {jobs:>4} {wall:8.2f} {rate:10,.0f} "
                    f"{cpu / args.records * 1e6:10.1f} {largest:11.0f} {tree:8.0f}"
                )
    if args.no_reference:
        return
    ref = reference(data, args.reference_records)
    full = reference_full(data, args.reference_records)
    print(f"reference pipeline, statuses only (1 core):   {ref:10,.0f} records/s")
    print(f"reference pipeline, full reports (1 core):    {full:10,.0f} records/s")
    if per_core:
        print(
            f"admitcheck per core / reference: {per_core / ref:.2f} (statuses only), "
            f"{per_core / full:.2f} (full reports)"
        )


def targets(args: argparse.Namespace, variants: list[tuple[str, Path | None]], data: Path) -> None:
    """Every target of issue 21, each code beside the others, in one run."""
    started = startup(variants, args.rounds)
    if args.instructions:
        startup_instructions(variants)
    screened = screening(
        variants, data, args.records, max(3, args.rounds // 2), args.reference_records
    )
    single_data = OUT / f"profiles-{args.single_records}-{args.seed}.jsonl"
    if not single_data.exists():
        generate(single_data, args.single_records, args.seed)
    one = single(variants, single_data, args.single_rounds, args.reference_records)
    first = one[variants[0][0]]
    print(
        f"reference pipeline (1 core, CPU, median of the rounds): statuses only "
        f"{first['ref']:,.0f} records/s, full reports {first['ref-full']:,.0f} records/s"
    )
    rows: list[tuple[str, str, float, Any]] = [
        ("1. screening reports/s / reference records/s", ">=", 2.5, lambda v: screened[v]),
        (
            "2. full, 1 program, --jobs 2 / reference full",
            ">=",
            0.5,
            lambda v: one[v]["full-2/ref-full"],
        ),
        (
            "2. compact, 1 program, --jobs 2 / reference",
            ">=",
            0.7,
            lambda v: one[v]["compact-2/ref"],
        ),
        ("2. full, --jobs 2 / --jobs 1", ">=", 1.7, lambda v: one[v]["full-2/full-1"]),
        (
            "2. compact, --jobs 2 / --jobs 1",
            ">=",
            1.7,
            lambda v: one[v]["compact-2/compact-1"],
        ),
        ("3. check CPU / stack import", "<=", 1.5, lambda v: started[v]["check"]),
        ("3. --help CPU / import typer", "<=", 1.2, lambda v: started[v]["help"]),
        ("3. match CPU / check", "<=", 2.0, lambda v: started[v]["match"]),
    ]
    labels = [label for label, _ in variants]
    print()
    print("| target | " + " | ".join(labels) + " | met |")
    print("|---|" + "---|" * len(labels) + "---|")
    for name, sense, bound, value in rows:
        values = [value(label) for label in labels]
        ok = values[0] >= bound if sense == ">=" else values[0] <= bound
        shown = " | ".join(f"{v:.2f}" for v in values)
        print(f"| {name} ({sense} {bound}) | {shown} | {'yes' if ok else 'no'} |")
    for label in labels:
        rates = ", ".join(f"{k} {v:,.0f}" for k, v in sorted(one[label].items()) if "/" not in k)
        print(f"{label}: 1 program, records/s of wall time: {rates}")


if __name__ == "__main__":
    main()
