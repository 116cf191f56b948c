"""`admitcheck check` through the real CLI: statuses, verdicts, exit codes, formats."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from admitcheck.vocabulary import CheckFormat
from tests.conftest import AS_OF, EXAMPLES, PROGRAM_ID, Run, eligible_profile, golden, write_json

Cli = Callable[..., Run]

EXAMPLE_VERDICTS = {
    "maria-eligible": ("eligible", 0),
    "kenji-ineligible": ("ineligible", 1),
    "sam-incomplete": ("incomplete", 4),
    "priya-review": ("review", 4),
}


@pytest.mark.parametrize(("name", "expected"), EXAMPLE_VERDICTS.items())
def test_shipped_examples_give_their_verdict_and_exit_code(
    cli: Cli, name: str, expected: tuple[str, int]
) -> None:
    run = cli(
        "check",
        "-p",
        PROGRAM_ID,
        str(EXAMPLES / f"{name}.json"),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    )
    assert (run.json()["verdict"], run.exit_code) == expected


@pytest.mark.parametrize("name", sorted(EXAMPLE_VERDICTS))
# HTML is the table's rendering, checked by parsing it (tests/test_counsellor.py).
@pytest.mark.parametrize("fmt", [f for f in CheckFormat if f is not CheckFormat.html])
def test_rendered_reports_match_golden_files(cli: Cli, name: str, fmt: CheckFormat) -> None:
    run = cli(
        "check", "-p", PROGRAM_ID, f"examples/{name}.json", "--as-of", AS_OF, "--format", fmt.value
    )
    suffix = {CheckFormat.table: "txt", CheckFormat.markdown: "md", CheckFormat.json: "json"}[fmt]
    golden(f"check-{name}.{suffix}", run.stdout)


def test_explain_golden(cli: Cli) -> None:
    run = cli(
        "check",
        "-p",
        PROGRAM_ID,
        "examples/kenji-ineligible.json",
        "--as-of",
        AS_OF,
        "--explain",
        "--format",
        "markdown",
    )
    golden("check-kenji-ineligible-explain.md", run.stdout)


@pytest.mark.parametrize(
    ("changes", "verdict", "code"),
    [
        ({}, "eligible", 0),
        ({"gpa": 2.99}, "ineligible", 1),
        ({"gpa": None}, "incomplete", 4),
        ({"degree": {"level": "bachelor", "field": "Physics"}}, "review", 4),
    ],
)
def test_each_verdict_maps_to_its_exit_code(
    cli: Cli, tmp_path: Path, changes: dict[str, object], verdict: str, code: int
) -> None:
    path = write_json(tmp_path / "p.json", eligible_profile(**changes))
    run = cli("check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF, "-f", "json")
    assert (run.json()["verdict"], run.exit_code) == (verdict, code)


def test_every_status_appears_in_a_report(cli: Cli, tmp_path: Path) -> None:
    profile = eligible_profile(
        international=False,
        degree={"level": "bachelor", "field": "Computer Science"},
        gpa=2.5,
        tests={},
        materials={"application_fee_paid": False, "fee_waiver": True},
    )
    run = cli(
        "check",
        "-p",
        PROGRAM_ID,
        str(write_json(tmp_path / "p.json", profile)),
        "--as-of",
        AS_OF,
        "-f",
        "json",
    )
    statuses = {c["id"]: c["status"] for c in run.json()["checks"]}
    assert statuses["degree"] == "review"
    assert statuses["gpa"] == "not_met"
    assert statuses["english"] == "not_applicable"
    assert statuses["tests"] == "missing"
    assert statuses["coursework.mathematics"] == "met"
    assert statuses["materials.application_fee"] == "waived"


def test_materials_join_the_verdict_with_require_complete(cli: Cli, tmp_path: Path) -> None:
    path = write_json(tmp_path / "p.json", eligible_profile(materials={"resume": True}))
    plain = cli("check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF, "-f", "json")
    strict = cli(
        "check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF, "-f", "json", "--require-complete"
    )
    assert (plain.json()["verdict"], plain.exit_code) == ("eligible", 0)
    assert (strict.json()["verdict"], strict.exit_code) == ("incomplete", 4)
    assert plain.json()["application_complete"] is False


def test_flags_build_a_profile(cli: Cli) -> None:
    run = cli(
        "check",
        "-p",
        PROGRAM_ID,
        "--as-of",
        AS_OF,
        "-f",
        "json",
        "--domestic",
        "--degree-level",
        "bachelor",
        "--degree-field",
        "Electrical Engineering",
        "--gpa",
        "3.2",
        "--gre-verbal",
        "150",
        "--gre-quant",
        "160",
        "--course",
        "Calculus",
        "--course",
        "Statistics",
        "--course",
        "Programming",
        "--course",
        "Physics I",
    )
    assert (run.json()["verdict"], run.exit_code) == ("eligible", 0)


def test_flags_override_the_files_fields(cli: Cli) -> None:
    run = cli(
        "check",
        "-p",
        PROGRAM_ID,
        "examples/priya-review.json",
        "--as-of",
        AS_OF,
        "-f",
        "json",
        "--gpa",
        "3.4",
    )
    gpa = next(c for c in run.json()["checks"] if c["id"] == "gpa")
    assert (gpa["status"], gpa["actual"]) == ("met", "3.4 / 4.0")
    assert run.json()["verdict"] == "eligible"


def test_gpa_scale_alone_rescales_the_files_gpa(cli: Cli, tmp_path: Path) -> None:
    path = write_json(tmp_path / "p.json", eligible_profile(gpa=8.4))
    assert (
        cli("check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF).exit_code == 3
    )  # 8.4 on a 4.0 scale
    run = cli(
        "check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF, "-f", "json", "--gpa-scale", "10"
    )
    gpa = next(c for c in run.json()["checks"] if c["id"] == "gpa")
    assert gpa["actual"] == "8.4 / 10 (~3.36 / 4.0)"


def test_profile_from_standard_input(cli: Cli) -> None:
    run = cli(
        "check",
        "-p",
        PROGRAM_ID,
        "-",
        "--as-of",
        AS_OF,
        "-f",
        "json",
        stdin=json.dumps(eligible_profile()),
    )
    assert run.exit_code == 0
    assert run.json()["applicant"]["source"] == "<stdin>"


def test_report_carries_program_trace_and_caveat(cli: Cli) -> None:
    report = cli(
        "check", "-p", PROGRAM_ID, "examples/maria-eligible.json", "--as-of", AS_OF, "-f", "json"
    ).json()
    program = report["program"]
    assert program["id"] == "usc-msece-mlds"
    assert program["rules_hash"].startswith("sha256:")
    assert any("GRE is not required" in c for c in program["caveats"])
    assert report["evaluated_on"] == AS_OF


def test_as_of_defaults_to_the_day_of_the_run(cli: Cli) -> None:
    import datetime

    before = datetime.date.today()
    report = cli("check", "-p", PROGRAM_ID, "examples/maria-eligible.json", "-f", "json").json()
    after = datetime.date.today()
    assert before <= datetime.date.fromisoformat(report["evaluated_on"]) <= after


def test_no_profile_and_no_flags_is_a_usage_error(cli: Cli) -> None:
    run = cli("check", "-p", PROGRAM_ID)
    assert run.exit_code == 2
    assert "give a profile file" in run.stderr


def test_unknown_program_suggests_the_nearest(cli: Cli) -> None:
    run = cli("check", "examples/maria-eligible.json", "--program", "usc-msece-mld")
    assert run.exit_code == 2
    assert "did you mean 'usc-msece-mlds'" in run.stderr


def test_bad_as_of_is_a_usage_error(cli: Cli) -> None:
    run = cli("check", "-p", PROGRAM_ID, "examples/maria-eligible.json", "--as-of", "24/11/2026")
    assert run.exit_code == 2
    assert "--as-of: expected a date as YYYY-MM-DD" in run.stderr


def test_invalid_profile_lists_each_field_and_exits_3(cli: Cli, tmp_path: Path) -> None:
    path = write_json(tmp_path / "bad.json", {"gpa": 5, "tests": {"tofel": {}}})
    run = cli("check", "-p", PROGRAM_ID, str(path))
    assert run.exit_code == 3
    assert f"{path}: invalid profile (2 problems)" in run.stderr
    assert "tests.tofel: unknown field 'tofel'; did you mean 'toefl'?" in run.stderr
    assert run.stdout == ""


def test_profile_text_is_not_read_as_markup(cli: Cli, tmp_path: Path) -> None:
    profile = eligible_profile(
        name="[bold red]Eve[/] \x1b[31mred\x1b[0m",
        degree={"level": "bachelor", "field": "[link=x]Eng[/link]"},
    )
    run = cli(
        "check", "-p", PROGRAM_ID, str(write_json(tmp_path / "p.json", profile)), "--as-of", AS_OF
    )
    assert "[bold red]Eve[/]" in run.stdout
    assert "\x1b" not in run.stdout
    assert "\\x1b[31mred" in run.stdout


@pytest.mark.parametrize(
    ("changes", "as_of", "check_id", "status"),
    [
        ({"gpa": 3.0}, AS_OF, "gpa", "met"),
        ({"gpa": 2.99}, AS_OF, "gpa", "not_met"),
        ({"tests": {"toefl": {"total": 80}, "gre": {"total": 310}}}, AS_OF, "english", "met"),
        ({"tests": {"toefl": {"total": 79}, "gre": {"total": 310}}}, AS_OF, "english", "not_met"),
        (
            {"tests": {"toefl": {"total": 100, "date": "2024-11-24"}, "gre": {"total": 310}}},
            "2026-11-24",
            "english",
            "met",
        ),
        (
            {"tests": {"toefl": {"total": 100, "date": "2024-11-24"}, "gre": {"total": 310}}},
            "2026-11-25",
            "english",
            "missing",  # expired, and an old score is never worse than none
        ),
        ({"tests": {"gre": {"total": 310, "date": "2021-11-24"}}}, "2026-11-24", "tests", "met"),
        (
            {"tests": {"gre": {"total": 310, "date": "2021-11-24"}}},
            "2026-11-25",
            "tests",
            "missing",
        ),
    ],
)
def test_boundaries_through_the_cli(
    cli: Cli, tmp_path: Path, changes: dict[str, object], as_of: str, check_id: str, status: str
) -> None:
    path = write_json(tmp_path / "p.json", eligible_profile(**changes))
    report = cli("check", "-p", PROGRAM_ID, str(path), "--as-of", as_of, "-f", "json").json()
    assert {c["id"]: c["status"] for c in report["checks"]}[check_id] == status


FOUR_COURSES = ["Calculus I", "Linear Algebra", "Data Structures", "Organic Chemistry"]


def _four_course_check(cli: Cli, tmp_path: Path, *flags: str) -> dict[str, str]:
    path = write_json(tmp_path / "p.json", eligible_profile(courses=FOUR_COURSES))
    run = cli("check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF, "-f", "json", *flags)
    return {c["id"]: c["status"] for c in run.json()["checks"]} | {"verdict": run.json()["verdict"]}


def test_a_four_course_list_is_partial_without_courses_complete(cli: Cli, tmp_path: Path) -> None:
    found = _four_course_check(cli, tmp_path)
    assert found["coursework.statistics"] == found["coursework.physics"] == "missing"
    assert found["verdict"] == "incomplete"


def test_courses_complete_makes_a_missing_subject_not_met(cli: Cli, tmp_path: Path) -> None:
    found = _four_course_check(cli, tmp_path, "--courses-complete")
    assert found["coursework.statistics"] == found["coursework.physics"] == "not_met"
    assert (found["coursework.mathematics"], found["verdict"]) == ("met", "ineligible")
