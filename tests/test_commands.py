"""The other commands: programs, match, schema, init, test, --version, --help."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from admitcheck.catalog import load_catalog
from tests.conftest import AS_OF, DATA, PROGRAM_ID, ROOT, Run, eligible_profile, write_json

Cli = Callable[..., Run]
EXTRA = DATA / "extra-program.toml"


def test_version(cli: Cli) -> None:
    run = cli("--version")
    assert run.exit_code == 0
    assert run.stdout.startswith("admitcheck 0.")


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["check"],
        ["batch"],
        ["match"],
        ["programs"],
        ["programs", "validate"],
        ["schema"],
        ["init"],
        ["test"],
    ],
)
def test_every_command_has_help(cli: Cli, command: list[str]) -> None:
    run = cli(*command, "--help")
    assert run.exit_code == 0
    assert "Usage" in run.stdout


def test_unknown_flag_is_a_usage_error(cli: Cli) -> None:
    run = cli("check", "-p", PROGRAM_ID, "--gpa-scal", "4")
    assert run.exit_code == 2


def test_programs_list_and_show(cli: Cli) -> None:
    listed = cli("programs", "list", "-f", "json").json()
    assert [p["id"] for p in listed] == list(load_catalog().programs)
    assert listed[0]["id"] == "usc-msece-mlds"
    shown = cli("programs", "show", "usc-msece-mlds")
    assert shown.exit_code == 0
    assert "GRE or GMAT" in shown.stdout
    as_json = cli("programs", "show", "usc-msece-mlds", "-f", "json").json()
    assert as_json["gpa"]["minimum"] == 3.0
    assert cli("programs", "show", "nope").exit_code == 2
    markdown = cli("programs", "show", "usc-msece-mlds", "-f", "markdown").stdout
    assert "| english | TOEFL iBT 80, IELTS 6.5 or PTE Academic 61" in markdown
    assert "GRE is not required" in markdown


def test_match_ranks_programs_best_first(cli: Cli, tmp_path: Path) -> None:
    profile = write_json(tmp_path / "p.json", eligible_profile(gpa=3.1))
    run = cli("match", str(profile), "--rules", str(EXTRA), "--as-of", AS_OF, "-f", "json")
    ranked = run.json()
    verdicts = {r["program"]["id"]: r["verdict"] for r in ranked}
    assert len(ranked) == len(load_catalog().programs) + 1
    assert (verdicts["usc-msece-mlds"], verdicts["example-ms-data"]) == ("eligible", "ineligible")
    order = ["eligible", "review", "incomplete", "ineligible"]
    ranks = [order.index(r["verdict"]) for r in ranked]
    assert ranks == sorted(ranks)
    assert ranked[0]["verdict"] == "eligible" and ranked[-1]["verdict"] == "ineligible"
    assert run.exit_code == 0
    table = cli("match", str(profile), "--rules", str(EXTRA), "--as-of", AS_OF)
    assert "0.1 below 3.2" in table.stdout


def test_match_institution_id_is_matched_whole_before_part_of_a_name(
    cli: Cli, tmp_path: Path
) -> None:
    # "uw" is the University of Washington's id, and also part of "Guwahati".
    profile = write_json(tmp_path / "p.json", eligible_profile())
    run = cli("match", str(profile), "--as-of", AS_OF, "--institution", "uw", "-f", "json")
    assert sorted(r["program"]["id"] for r in run.json()) == ["uw-ece-pmp", "uw-msds"]
    # Part of a name still finds an institution when nothing matches whole.
    run = cli("match", str(profile), "--as-of", AS_OF, "--institution", "guwahati", "-f", "json")
    assert [r["program"]["id"] for r in run.json()] == ["iitg-mtech-eee"]


@pytest.mark.parametrize("document", ["profile", "programs", "report"])
def test_schema_is_json_schema(cli: Cli, document: str) -> None:
    schema = cli("schema", document).json()
    assert schema["title"] == f"admitcheck {document}"
    assert "$defs" in schema or "properties" in schema


def test_schema_of_an_unknown_document(cli: Cli) -> None:
    run = cli("schema", "nope")
    assert run.exit_code == 2
    assert "expected one of: profile, programs, report" in run.stderr


def test_reports_validate_against_the_report_schema(cli: Cli, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = cli("schema", "report").json()
    for name in ("priya-review", "kenji-ineligible"):
        report = cli(
            "check", "-p", PROGRAM_ID, f"examples/{name}.json", "--as-of", AS_OF, "-f", "json"
        ).json()
        jsonschema.validate(report, schema)
    path = tmp_path / "in.jsonl"
    path.write_text('{"gpa": 9}\n', encoding="utf-8")
    error = cli("batch", "-p", PROGRAM_ID, str(path)).jsonl()[0]
    jsonschema.validate(error, schema)


def test_init_writes_a_valid_profile_and_refuses_to_overwrite(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "me.json"
    assert cli("init", str(target)).exit_code == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert set(document) >= {"degree", "gpa", "tests", "courses", "materials"}
    run = cli("check", "-p", PROGRAM_ID, str(target), "--as-of", AS_OF, "-f", "json")
    assert run.json()["verdict"] == "incomplete"
    again = cli("init", str(target))
    assert again.exit_code == 2
    assert "--force" in again.stderr


def test_init_interactive_asks_and_writes(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMITCHECK_FORCE_PROMPTS", "1")
    answers = (
        "\n".join(
            [
                "Ada",  # name
                "yes",  # international
                "Kenya",  # citizenship
                "bachelor",
                "Electrical Engineering",
                "University of Nairobi",  # institution
                "Kenya",  # degree country
                "completed",
                "Jun 2025",  # graduation, a month
                "4",  # degree years
                "yes",  # taught in English
                "8.2/10",  # GPA with its scale
                "",  # best end of the scale skipped
                "8.6",  # last two years
                "155",  # TOEFL: out of range, asked again
                "101",
                "",  # TOEFL band skipped
                "25",  # sections: reading, listening, speaking, writing
                "26",
                "24",
                "26",
                "",  # section bands (1-6) skipped
                "",
                "",
                "",
                "14/06/2025",  # not an ISO date: asked again
                "2025-05-05",
                "",  # IELTS skipped
                "",  # PTE skipped
                "",  # Duolingo skipped
                "160",
                "text",  # GRE quant: not a number, asked again
                "165",
                "4.5",  # GRE writing
                "2025-01-01",
                "",  # GMAT skipped
                "Calculus; Statistics; Programming; Physics",
                "",  # whole transcript? skipped
                "y",
                "maybe",  # resume: not yes or no, asked again
                "y",
                "y",
                "3",
                "y",
                "A-77",  # id, last
            ]
        )
        + "\n"
    )
    target = tmp_path / "ada.json"
    run = cli("init", str(target), "--interactive", stdin=answers)
    assert run.exit_code == 0, run.stderr
    assert "must be at most 120, got 155" in run.stderr
    assert "expected a date like 2025-06-14, got '14/06/2025'" in run.stderr
    assert "expected a number, got text 'text'" in run.stderr
    assert "answer yes or no" in run.stderr
    report = cli("check", "-p", PROGRAM_ID, str(target), "--as-of", AS_OF, "-f", "json").json()
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert statuses["gpa"] == "review"  # 8.2/10: no minimum stated for that scale
    assert {s for k, s in statuses.items() if k != "gpa"} == {"met"}
    assert report["applicant"]["name"] == "Ada"
    assert report["applicant"]["id"] == "A-77"
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["degree"]["graduation"] == "2025-06"
    assert written["degree"]["years"] == 4
    assert written["gpa"]["last_two_years"] == 8.6
    assert written["tests"]["toefl"]["writing"] == 26


def test_init_interactive_needs_a_terminal(cli: Cli, tmp_path: Path) -> None:
    run = cli("init", str(tmp_path / "x.json"), "--interactive")
    assert run.exit_code == 2


def test_rule_cases_run_like_a_test_runner(cli: Cli) -> None:
    run = cli("test", str(DATA / "cases.toml"))
    assert run.exit_code == 1
    assert "PASS gpa at the minimum is met" in run.stdout
    assert "FAIL a deliberately wrong expectation" in run.stdout
    assert "gpa: expected met, got not_met" in run.stdout
    assert run.stdout.strip().endswith("3 passed, 1 failed")


def test_rule_cases_in_json(cli: Cli, tmp_path: Path) -> None:
    cases = {
        "cases": [
            {
                "name": "json case",
                "program": PROGRAM_ID,
                "as_of": AS_OF,
                "verdict": "eligible",
                "profile": eligible_profile(),
            }
        ]
    }
    run = cli("test", str(write_json(tmp_path / "cases.json", cases)))
    assert (run.exit_code, run.stdout.splitlines()[-1]) == (0, "1 passed, 0 failed")


def run_python(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_do_not_import_pydantic_or_the_rules(flag: str) -> None:
    code = (
        "import sys\nfrom admitcheck.cli import app\n"
        f"try:\n    app(['{flag}'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pydantic', 'admitcheck.models.profile',"
        " 'admitcheck.models.program', 'admitcheck.catalog',"
        " 'admitcheck.render.table', 'orjson') if m in sys.modules]\nprint(heavy)"
    )
    result = run_python("-c", code)
    assert result.stdout.strip().endswith("[]"), result.stdout + result.stderr


def test_plain_option_values_are_converted_without_typers_pydantic_adapters(
    tmp_path: Path,
) -> None:
    """Typer would build a pydantic TypeAdapter (and import its adapters module, ~60 ms)
    to turn `-f jsonl-compact --jobs 2 FILE FILE` into an enum member, an int and a list;
    the command gets the same values without them."""
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(eligible_profile(id="1")) + "\n", encoding="utf-8")
    args = ["batch", str(path), str(path), "-p", PROGRAM_ID, "--as-of", AS_OF]
    args += ["-f", "jsonl-compact", "--jobs", "2", "-o", str(tmp_path / "out.jsonl")]
    code = (
        "import sys\nfrom admitcheck.cli import main\n"
        f"sys.argv = ['admitcheck', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    print(exc.code)\n"
        "print('typer._adapters' in sys.modules)"
    )
    result = run_python("-c", code)
    assert result.stdout.split() == ["0", "False"], result.stdout + result.stderr
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["verdict"] for line in lines] == ["eligible", "eligible"]


@pytest.mark.parametrize(
    ("jobs", "message"),
    [
        ("0", "Input should be greater than or equal to 1"),
        ("x", "Input should be a valid integer"),
        ("1.5", "Input should be a valid integer"),
        ("\u0662", "Input should be a valid integer"),  # an Arabic-Indic two
    ],
)
def test_an_option_value_that_is_not_plain_still_gets_typers_message(
    cli: Cli, tmp_path: Path, jobs: str, message: str
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(eligible_profile(id="1")) + "\n", encoding="utf-8")
    run = cli("batch", str(path), "-p", PROGRAM_ID, "--as-of", AS_OF, "--jobs", jobs)
    assert run.exit_code == 2
    assert f"Invalid value for '--jobs' / '-j': {message}" in run.stderr


def test_module_entry_point_checks_an_example_in_a_real_process() -> None:
    result = run_python(
        "-m",
        "admitcheck",
        "check",
        "-p",
        PROGRAM_ID,
        "examples/kenji-ineligible.json",
        "--as-of",
        AS_OF,
    )
    assert result.returncode == 1
    assert "INELIGIBLE" in result.stdout
    assert result.stderr == ""


def test_invalid_input_in_a_real_process_is_one_message_no_traceback() -> None:
    result = run_python("-m", "admitcheck", "check", "-p", PROGRAM_ID, "-", stdin='{"gpa": [1]}')
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("admitcheck: <stdin>: gpa: ")


def test_batch_pipe_in_a_real_process() -> None:
    lines = "\n".join(json.dumps(eligible_profile(id=str(i))) for i in range(3)) + "\n"
    result = run_python(
        "-m", "admitcheck", "batch", "-p", PROGRAM_ID, "-", "--as-of", AS_OF, stdin=lines
    )
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == ""


def test_a_bug_is_one_line_with_exit_70_not_a_traceback(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import admitcheck.evaluate

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(admitcheck.evaluate, "run_checks", broken)
    run = cli("check", "-p", PROGRAM_ID, "examples/maria-eligible.json")
    assert run.exit_code == 70
    assert run.stderr.startswith("admitcheck: internal error (ZeroDivisionError: division by zero)")
