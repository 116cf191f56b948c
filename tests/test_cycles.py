"""Rules across time: admission cycles in the rules (`--cycle`), and who a rules change
affects (`programs diff --profiles`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from admitcheck import api
from admitcheck.catalog import check_rules_file, load_catalog
from tests.conftest import DATA, Run

Cli = Callable[..., Run]
CYCLES = DATA / "cycles"
PROGRAM = CYCLES / "program.toml"
TOEFL_95 = json.dumps(
    {"id": "A-1", "international": True, "tests": {"toefl": {"total": 95, "date": "2026-03-01"}}}
)
RULES = ("--rules", str(PROGRAM), "--no-builtin", "--as-of", "2026-12-07")


def run_check(cli: Cli, *extra: str) -> dict[str, object]:
    run = cli("check", "-", *RULES, *extra, "-f", "json", stdin=TOEFL_95)
    document: dict[str, object] = run.json()
    return document


def statuses(document: dict[str, object]) -> dict[str, str]:
    return {c["id"]: c["status"] for c in document["checks"]}  # type: ignore[attr-defined]


def test_each_cycle_decides_by_its_own_rules(cli: Cli) -> None:
    fall_2026 = run_check(cli, "--cycle", "fall-2026")
    assert statuses(fall_2026) == {"english": "met", "tests": "missing"}
    assert fall_2026["program"]["cycle"] == "Fall 2026"  # type: ignore[index]
    fall_2027 = run_check(cli, "--cycle", "Fall 2027")
    assert statuses(fall_2027) == {"english": "not_met", "tests": "not_applicable"}
    assert fall_2027["program"]["cycle"] == "Fall 2027"  # type: ignore[index]
    assert fall_2027["program"]["cycle_requested"] is None  # type: ignore[index]


def test_the_newest_cycle_is_the_default(cli: Cli) -> None:
    document = run_check(cli)
    assert document["program"]["cycle"] == "Fall 2027"  # type: ignore[index]
    assert statuses(document)["english"] == "not_met"


def test_a_later_cycle_inherits_what_it_does_not_restate(tmp_path: Path) -> None:
    catalog = load_catalog([PROGRAM], builtin=False)
    [(_, fall_2026), (_, fall_2027)] = catalog.versions["cycled"]
    assert fall_2027.rules.source == "https://example.edu/ms/2027"
    assert fall_2027.rules.as_of == fall_2026.rules.as_of  # not restated: inherited
    assert fall_2027.ref.rules_hash != fall_2026.ref.rules_hash


def test_a_cycle_newer_than_any_transcribed_uses_the_newest_with_a_caveat(cli: Cli) -> None:
    document = run_check(cli, "--cycle", "fall-2028")
    program = document["program"]
    assert program["cycle"] == "Fall 2027"  # type: ignore[index]
    assert program["cycle_requested"] == "Fall 2028"  # type: ignore[index]
    assert "No rules are transcribed for Fall 2028" in program["caveats"][-1]  # type: ignore[index]


def test_a_cycle_older_than_every_version_decides_nothing(cli: Cli) -> None:
    run = cli("check", "-", *RULES, "--cycle", "fall-2019", "-f", "json", stdin=TOEFL_95)
    assert run.exit_code == 4
    document = run.json()
    assert document["verdict"] == "review"
    assert set(statuses(document).values()) == {"review"}
    assert all("No rules are transcribed for Fall 2019" in c["detail"] for c in document["checks"])


def test_the_table_names_the_cycle_used(cli: Cli) -> None:
    run = cli("check", "-", *RULES, "--cycle", "fall-2028", stdin=TOEFL_95)
    assert "for Fall 2027 (asked for Fall 2028)" in run.stdout


def test_a_program_without_cycles_holds_for_every_cycle(cli: Cli) -> None:
    run = cli(
        "check",
        "-",
        "--rules",
        str(CYCLES / "toefl-90.toml"),
        "--no-builtin",
        "--cycle",
        "fall-2030",
        "-f",
        "json",
        stdin=TOEFL_95,
    )
    assert run.json()["program"]["cycle"] is None
    assert statuses(run.json()) == {"english": "met"}


def test_the_api_takes_a_cycle() -> None:
    catalog = load_catalog([PROGRAM], builtin=False)
    profile = json.loads(TOEFL_95)
    old = api.check(profile, "cycled", catalog=catalog, as_of="2026-12-07", cycle="fall-2026")
    assert old.program.cycle == "Fall 2026"


@pytest.mark.parametrize("bad", ["fall", "2026-13", "undated"])
def test_a_cycle_outside_the_grammar_is_a_usage_error(cli: Cli, bad: str) -> None:
    run = cli("check", "-", *RULES, "--cycle", bad, stdin=TOEFL_95)
    assert run.exit_code == 2
    assert "--cycle:" in run.stderr


def test_cycles_must_follow_the_programs_own_and_each_other(tmp_path: Path) -> None:
    text = PROGRAM.read_text(encoding="utf-8").replace('cycle = "Fall 2027"', 'cycle = "Fall 2025"')
    path = tmp_path / "r.toml"
    path.write_text(text, encoding="utf-8")
    [problem] = [str(p) for p in check_rules_file(path)[2]]
    assert "programs[0].cycles[0].cycle: Fall 2025 is not later than Fall 2026" in problem
    no_base = PROGRAM.read_text(encoding="utf-8").replace('cycle = "Fall 2026"\n', "")
    path.write_text(no_base, encoding="utf-8")
    assert any("need the program's own `cycle`" in str(p) for p in check_rules_file(path)[2])


# ----------------------------------------------------------------------------- impact

DIFF = (
    "programs",
    "diff",
    str(CYCLES / "toefl-90.toml"),
    str(CYCLES / "toefl-100.toml"),
    "--profiles",
    str(CYCLES / "profiles.jsonl"),
    "--as-of",
    "2026-12-07",
)


def test_a_raised_minimum_lists_exactly_those_between_the_old_and_new(cli: Cli) -> None:
    run = cli(*DIFF)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    changed = [line.split()[0] for line in lines if " -> " in line and line[0] == "T"]
    assert changed == ["T90", "T95", "T99"]
    assert "english: met -> not_met" in run.stdout
    assert "unreadable: " in run.stdout and ":6:" in run.stdout
    assert lines[-1] == ("3 changed of 8 evaluation(s); 1 unreadable; eligible -> ineligible: 3")


def test_the_impact_in_json(cli: Cli) -> None:
    document = cli(*DIFF, "-f", "json").json()
    assert [c["applicant"]["id"] for c in document["changes"]] == ["T90", "T95", "T99"]
    assert document["transitions"] == {"eligible -> ineligible": 3}
    assert document["profiles"] == 9
    assert len(document["errors"]) == 1
    first = document["changes"][0]["checks"][0]
    assert first["id"] == "english"
    assert (first["before"], first["after"]) == ("met", "not_met")
    assert first["required_after"].startswith("TOEFL iBT 100")


def test_the_impact_in_csv(cli: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(cli(*DIFF, "-f", "csv").stdout)))
    assert [r["id"] for r in rows if r["id"]] == ["T90", "T95", "T99"]
    assert [r["error"] != "" for r in rows].count(True) == 1


def test_between_two_cycles_of_one_program(cli: Cli, tmp_path: Path) -> None:
    profiles = tmp_path / "p.jsonl"
    profiles.write_text(TOEFL_95 + "\n", encoding="utf-8")
    run = cli(
        "programs",
        "diff",
        "--program",
        "cycled",
        "--cycle",
        "fall-2026",
        "--cycle",
        "fall-2027",
        "--profiles",
        str(profiles),
        *RULES,
    )
    assert run.exit_code == 0, run.stderr
    assert "A-1 (cycled): incomplete -> ineligible" in run.stdout
    assert "english: met -> not_met" in run.stdout
    assert "tests: missing -> not_applicable" in run.stdout


def test_without_profiles_diff_stays_the_rules_diff(cli: Cli) -> None:
    run = cli("programs", "diff", str(CYCLES / "toefl-90.toml"), str(CYCLES / "toefl-100.toml"))
    assert run.exit_code == 0
    assert "minimum" in run.stdout
