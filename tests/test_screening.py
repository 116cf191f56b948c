"""Output unchanged: `batch --all-programs` (the screening path, with its shortcuts) says
exactly what evaluating each record against each program on its own says.

The reference is the plain engine, one record and one program at a time, with no memo:
`evaluate(profile, program, as_of, memo=False)`. The batch runs the real CLI over a few
hundred generated profiles (bench/bench.py's generator, plus variations that leave parts
out, date scores after the evaluation date, or make the applicant domestic) and the
shipped examples, and every line must be byte for byte the reference's once keys are
sorted.
"""

from __future__ import annotations

import importlib.util
import json
import random
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from admitcheck.catalog import load_catalog
from admitcheck.evaluate import evaluate
from admitcheck.inputs.profiles import Screen, validate_json
from admitcheck.models.profile import Profile
from admitcheck.models.report import CompactReport
from tests.conftest import AS_OF, AS_OF_DATE, EXAMPLES, ROOT, Run

Cli = Callable[..., Run]


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
