"""Output unchanged, and the second engine held to the first.

`batch --all-programs` (the screening path, with its shortcuts) says exactly what
evaluating each record against each program on its own says. The reference is the plain
engine, one record and one program at a time, with no memo: `evaluate(profile, program,
as_of, memo=False)`. The batch runs the real CLI over a few hundred generated profiles
(bench/bench.py's generator, plus variations that leave parts out, date scores after the
evaluation date, or make the applicant domestic) and the shipped examples, and every line
must be byte for byte the reference's once keys are sorted.

The screener (`screening.py`, what `-f jsonl-compact` runs) is a second engine: below,
its lines are held to the plain engine's byte for byte (generated profiles with scores on
every validity edge, examples, classification strings, the real export; every program),
and the compact batch to the full reports through the CLI with every option that changes
the checks.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import json
import multiprocessing
import os
import random
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
import tomllib

from admitcheck.catalog import load_catalog
from admitcheck.evaluate import evaluate
from admitcheck.inputs.profiles import Screen, validate_json
from admitcheck.models.profile import Profile
from admitcheck.models.program import LoadedProgram
from admitcheck.models.report import CompactReport
from admitcheck.screening import Screener
from tests.conftest import AS_OF, AS_OF_DATE, EXAMPLES, ROOT, SHARED, Run

Cli = Callable[..., Run]
GRAD_CSV = SHARED / "data" / "graduate-admissions" / "Admission_Predict.csv"
GRAD_MAP = ROOT / "examples" / "columns" / "graduate-admissions.toml"


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generator", ROOT / "bench" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _varied(rng: random.Random, profile: dict[str, Any]) -> dict[str, Any]:
    """Some profiles with parts left out or unusual, so that every status turns up."""
    roll = rng.random()
    if roll < 0.1:
        profile.pop(rng.choice(["gpa", "tests", "courses", "materials", "degree"]), None)
    elif roll < 0.2:
        profile["international"] = False
    elif roll < 0.25:
        profile.pop("international", None)
    elif roll < 0.3 and profile.get("tests"):
        for score in profile["tests"].values():
            score["date"] = "2026-12-01"  # after the evaluation date, before today
    elif roll < 0.35:
        profile["degree"]["country"] = rng.choice(["India", "United Kingdom", "Nigeria", "US"])
    return profile


def _profiles(count: int) -> list[bytes]:
    bench = _bench()
    rng = random.Random(20261207)
    lines = [orjson.dumps(_varied(rng, bench.make_profile(rng, number))) for number in range(count)]
    for example in sorted(EXAMPLES.glob("*.json")):
        lines.append(orjson.dumps(json.loads(example.read_text(encoding="utf-8"))))
    return lines


def _sorted(document: Any) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


@pytest.mark.parametrize("fmt", ["jsonl-compact", "jsonl"])
def test_all_programs_output_is_the_plain_engines_record_by_record(
    cli: Cli, tmp_path: Path, fmt: str
) -> None:
    lines = _profiles(300)
    path = tmp_path / "profiles.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    run = cli("batch", str(path), "--all-programs", "--as-of", AS_OF, "-f", fmt, "--exit-zero")
    assert run.exit_code == 0, run.stderr
    got = [_sorted(json.loads(line)) for line in run.stdout.splitlines()]

    catalog = load_catalog()
    programs = list(catalog.all())
    screen = Screen(date.today(), catalog.reference)  # as the batch command screens
    expected = []
    for number, line in enumerate(lines, start=1):
        profile = validate_json(line, screen)
        assert isinstance(profile, Profile), (number, profile)
        for program in programs:
            report = evaluate(profile, program, AS_OF_DATE, source=f"{path}:{number}", memo=False)
            shown = CompactReport.of(report) if fmt == "jsonl-compact" else report
            expected.append(_sorted(json.loads(orjson.dumps(shown))))
    assert len(got) == len(expected) == len(lines) * len(programs)
    for index, (found, wanted) in enumerate(zip(got, expected, strict=True)):
        assert found == wanted, (
            f"record {index // len(programs) + 1}, program {index % len(programs)}"
        )


# --------------------------------------------------------------------------- the screener
#
# The differential test of the second engine (`screening.Screener`, what `-f
# jsonl-compact` runs) against the plain one (`evaluate`): the same line, byte for byte,
# for every program, on generated profiles (with scores dated on every validity
# boundary), the shipped examples, every string of tests/data/classification.toml, and
# the real export. The suite runs 5,000 generated profiles against every program; CI
# 200,000, each against 6 programs in rotation (ADMITCHECK_DIFFERENTIAL and
# ADMITCHECK_DIFFERENTIAL_PROGRAMS).

DIFFERENTIAL = int(os.environ.get("ADMITCHECK_DIFFERENTIAL", "5000"))
# How many programs the plain engine checks each generated profile against, in rotation
# (unset: all of them). CI: 200,000 profiles, 6 programs each (every program sees about
# 34,000); all of them against every program takes about 15 minutes on two cores.
_WINDOW = os.environ.get("ADMITCHECK_DIFFERENTIAL_PROGRAMS")
DIFFERENTIAL_WINDOW = int(_WINDOW) if _WINDOW else None


def _boundary_day(rng: random.Random) -> str:
    """A test date on or next to an edge the checks judge by: a whole number of years
    before the evaluation date, the evaluation date itself, a leap day, a month only."""
    years = rng.choice([0, 1, 2, 3, 5, 6])
    try:
        day = AS_OF_DATE.replace(year=AS_OF_DATE.year - years)
    except ValueError:  # pragma: no cover - AS_OF is not a leap day
        day = AS_OF_DATE
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(["2024-02-29", "2022-02-28", "2022-03-01", "2020-02-29"])
    if roll < 0.3:
        return day.isoformat()[:7]  # a month only
    return (day + timedelta(days=rng.choice([-1, 0, 1]))).isoformat()


_TEST_DAYS = [
    date(year, month, day).isoformat()
    for year in range(2020, 2027)
    for month in range(1, 13)
    for day in (8, 22)
    if date(year, month, day) <= AS_OF_DATE
]


def _boundaries(rng: random.Random, profile: dict[str, Any]) -> dict[str, Any]:
    """Scores dated on the edges, sections and the rarer tests, graded and credited
    courses, residency given in other ways, fee waivers."""
    tests = profile.setdefault("tests", {})
    roll = rng.random()
    for score in tests.values():
        # On an edge, or on a test day: tests are given on set days, so real exports
        # repeat dates (a TOEFL on the second and fourth Saturday, say; here the 8th and
        # the 22nd of each month), and the plain engine's memo sees them again.
        score["date"] = _boundary_day(rng) if roll < 0.5 else rng.choice(_TEST_DAYS)
    if rng.random() < 0.2:
        tests["toefl"] = {
            "total": 100,
            "reading": rng.randint(18, 30),
            "listening": 25,
            "speaking": rng.randint(15, 30),
            "writing": 25,
            "date": _boundary_day(rng),
        }
        toefl = tests["toefl"]
        toefl["total"] = sum(toefl[s] for s in ("reading", "listening", "speaking", "writing"))
    if rng.random() < 0.1:
        tests["duolingo"] = {"overall": rng.randint(90, 140), "date": _boundary_day(rng)}
    if rng.random() < 0.1 and "gre" in tests:
        tests["gre"].pop(rng.choice(["verbal", "quant", "writing"]), None)
    if rng.random() < 0.2:
        profile.pop("international", None)
        profile["citizenship"] = rng.choice(["United States", "India", "Canada", "Germany"])
        profile["permanent_resident"] = rng.random() < 0.3
    if rng.random() < 0.2 and isinstance(profile.get("degree"), dict):
        profile["degree"]["graduation"] = rng.choice(["2021-06", "2019-05", "2025-12-15"])
        profile["degree"]["country"] = rng.choice(["India", "United Kingdom", "Canada"])
    if rng.random() < 0.2 and profile.get("courses"):
        profile["courses"] = [
            {
                "title": title,
                "grade": rng.choice(["A", "B+", "F", "W", "IP", "7/10"]),
                "credits": rng.choice([3, 4, 3.5]),
            }
            for title in profile["courses"]
        ]
    if rng.random() < 0.1 and isinstance(profile.get("materials"), dict):
        profile["materials"]["fee_waiver"] = True
    return profile


def _generated(count: int, seed: int) -> list[bytes]:
    bench = _bench()
    rng = random.Random(seed)
    return [
        orjson.dumps(_boundaries(rng, _varied(rng, bench.make_profile(rng, number))))
        for number in range(count)
    ]


def _classification_profiles() -> list[bytes]:
    """Each degree field of the classification cases as the degree of a profile, and
    each course title alone and with its neighbours."""
    cases = tomllib.loads((ROOT / "tests" / "data" / "classification.toml").read_text("utf-8"))
    base = json.loads((EXAMPLES / "maria-eligible.json").read_text(encoding="utf-8"))
    found = []
    for entry in cases.get("fields", []):
        profile = json.loads(json.dumps(base))
        profile["degree"]["field"] = entry["text"]
        found.append(orjson.dumps(profile))
    titles = [entry["title"] for entry in cases.get("courses", [])]
    for index, title in enumerate(titles):
        for courses in ([title], titles[index : index + 4]):
            profile = json.loads(json.dumps(base))
            profile["courses"] = courses
            found.append(orjson.dumps(profile))
    return found


@functools.cache
def _engines() -> tuple[list[LoadedProgram], Screener, Screen]:
    """The catalogue's programs, one screener (kept warm across calls in a process, as a
    batch worker keeps it), and the profile screen."""
    catalog = load_catalog()
    programs = list(catalog.all())
    return programs, Screener(programs, AS_OF_DATE), Screen(date.today(), catalog.reference)


def screen_and_compare(
    lines: list[bytes], first: int = 0, window: int | None = None
) -> tuple[int, list[str]]:
    """(reports compared, the first few differences): each profile through the screener
    and through `evaluate`, every program of the built-in catalogue; with `window`, the
    plain engine checks `window` programs of each profile, in rotation (profile `first +
    i` from program `(first + i) * window`), so that every program still sees its share."""
    programs, screener, screen = _engines()
    count = len(programs)
    compared = 0
    differences: list[str] = []
    for number, line in enumerate(lines, start=first + 1):
        profile = validate_json(line, screen)
        if not isinstance(profile, Profile):
            continue
        source = f"profiles:{number}"
        screened_all = screener.screen(profile, source)
        chosen = range(count)
        if window is not None:
            chosen = range((number - 1) * window, (number - 1) * window + window)
        for index in chosen:
            program, screened = programs[index % count], screened_all[index % count]
            report = evaluate(profile, program, AS_OF_DATE, source=source)
            plain = orjson.dumps(CompactReport.of(report)) + b"\n"
            compared += 1
            if screened.line != plain and len(differences) < 5:
                differences.append(f"{program.ref.id}\n{line!r}\n{screened.line!r}\n{plain!r}")
            if screened.verdict != report.verdict.value and len(differences) < 5:
                differences.append(f"{program.ref.id}: verdict {screened.verdict}")
    return compared, differences


def _memo_every_kind() -> None:
    """In a worker of this test only: the plain engine memoises every kind's checks by
    its exact facts, not only the kinds whose facts often repeat. Checks are pure in
    their facts (and `test_all_programs_output_is_the_plain_engines_record_by_record`
    holds the memo to no memo), so the answers are the same, for less time."""
    from admitcheck.requirements import KINDS

    for kind in KINDS:
        kind.memoise = True


def _compare_in_parallel(lines: list[bytes], window: int | None) -> tuple[int, list[str]]:
    size = 5000
    starts = range(0, len(lines), size)
    if len(starts) == 1:
        return screen_and_compare(lines, 0, window)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=2, mp_context=context, initializer=_memo_every_kind
    ) as pool:
        pieces = [lines[i : i + size] for i in starts]
        results = list(pool.map(screen_and_compare, pieces, starts, [window] * len(starts)))
    return sum(r[0] for r in results), [d for r in results for d in r[1]]


def test_screener_answers_as_the_plain_engine_on_generated_profiles() -> None:
    lines = _generated(DIFFERENTIAL, 20261207)
    compared, differences = _compare_in_parallel(lines, DIFFERENTIAL_WINDOW)
    assert not differences, "\n\n".join(differences)
    # every valid profile against every program (or its window of them)
    assert compared >= DIFFERENTIAL * min(30, DIFFERENTIAL_WINDOW or 30)


def test_screener_answers_as_the_plain_engine_on_examples_and_classification_cases() -> None:
    lines = [
        orjson.dumps(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(EXAMPLES.glob("*.json"))
    ]
    lines += _classification_profiles()
    compared, differences = screen_and_compare(lines)
    assert not differences, "\n\n".join(differences)
    assert compared == len(lines) * len(list(load_catalog().all()))


@pytest.mark.skipif(not GRAD_CSV.exists(), reason="../shared/data is not beside the project")
def test_screener_answers_as_the_plain_engine_on_the_real_export() -> None:
    from admitcheck.api import from_flat

    with GRAD_CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    lines = [from_flat(row, columns=GRAD_MAP).model_dump_json().encode() for row in rows]
    compared, differences = screen_and_compare(lines)
    assert not differences, "\n\n".join(differences)
    assert compared == 400 * len(list(load_catalog().all()))


def _compact_of_full(report: dict[str, Any]) -> dict[str, Any]:
    """What `-f jsonl-compact` writes, read off a full report (as `CompactReport.of`)."""
    if report.get("verdict") == "error":
        return report
    checks = report["checks"]
    return {
        "applicant": report["applicant"],
        "program": {"id": report["program"]["id"], "rules_hash": report["program"]["rules_hash"]},
        "evaluated_on": report["evaluated_on"],
        "verdict": report["verdict"],
        "application_complete": report["application_complete"],
        "checks": {c["id"]: c["status"] for c in checks},
        "shortfalls": {c["id"]: c["shortfall"] for c in checks if c["shortfall"]},
        "checks_left_out": report["checks_left_out"],
        "unchecked_areas": report["unchecked_areas"],
    }


@pytest.mark.parametrize(
    "rules, options",
    [
        ("engine-program.toml", ()),
        ("extra-program.toml", ("--require-complete",)),
        ("engine-program.toml", ("--checks", "gpa,english,coursework")),
        ("extra-program.toml", ("--courses-complete",)),
        ("cycles/program.toml", ("--cycle", "fall-2027")),
        ("cycles/program.toml", ("--cycle", "fall-2019")),  # older than every version
        (None, ("--require-complete", "--checks", "english,tests,materials")),
    ],
)
def test_compact_batch_says_what_the_full_reports_say(
    cli: Cli, tmp_path: Path, rules: str | None, options: tuple[str, ...]
) -> None:
    """Both engines through the real CLI, with each option that changes the checks (a
    rules file of its own, --checks, --require-complete, --courses-complete, cycles)."""
    path = tmp_path / "profiles.jsonl"
    path.write_bytes(b"\n".join(_generated(150, 7)) + b"\nnot json\n")
    where = ["--rules", str(ROOT / "tests" / "data" / rules), "--no-builtin"] if rules else []
    common = ["batch", str(path), *where, "--all-programs", "--as-of", AS_OF, "--exit-zero"]
    compact = cli(*common, *options, "-f", "jsonl-compact")
    full = cli(*common, *options, "-f", "jsonl")
    assert compact.exit_code == full.exit_code == 0, compact.stderr + full.stderr
    found = [json.loads(line) for line in compact.stdout.splitlines()]
    wanted = [_compact_of_full(json.loads(line)) for line in full.stdout.splitlines()]
    assert len(found) == len(wanted) > 150
    for number, (got, expected) in enumerate(zip(found, wanted, strict=True), start=1):
        assert _sorted(got) == _sorted(expected), number


def test_compact_batch_summary_counts_what_the_full_reports_count(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "profiles.jsonl"
    path.write_bytes(b"\n".join(_generated(200, 11)) + b"\n{}\n")
    summaries = {}
    for fmt in ("jsonl-compact", "jsonl"):
        summary = tmp_path / f"summary-{fmt}.json"
        run = cli(
            "batch", str(path), "--all-programs", "--as-of", AS_OF, "--exit-zero",
            "-f", fmt, "-o", str(tmp_path / f"out-{fmt}"), "--summary", str(summary),
        )  # fmt: skip
        assert run.exit_code == 0, run.stderr
        summaries[fmt] = summary.read_text(encoding="utf-8")
    assert summaries["jsonl-compact"] == summaries["jsonl"]
    assert '"ineligible"' in summaries["jsonl"]


def test_screener_answers_as_the_plain_engine_when_it_forgets_its_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past its limit the screener forgets every key and answer (memory stays flat); the
    answers after that are still the plain engine's (a limit of 5 forgets every few
    records, mid-way through an applicant's kinds as well)."""
    import admitcheck.screening

    monkeypatch.setattr(admitcheck.screening, "KEY_LIMIT", 5)
    _engines.cache_clear()
    try:
        compared, differences = screen_and_compare(_generated(300, 5))
    finally:
        _engines.cache_clear()
    assert not differences, "\n\n".join(differences)
    assert compared >= 300 * 30
