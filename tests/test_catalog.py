"""Rules files: the built-in catalogue, validation with lines, custom rules on the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from admitcheck.catalog import builtin_path, check_rules_file, load_catalog, locate_keys
from tests.conftest import AS_OF, Run, eligible_profile, write_json

Cli = Callable[..., Run]
EXTRA = Path(__file__).resolve().parent / "data" / "extra-program.toml"


def rules(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


PROGRAM = """
[[programs]]
id = "p1"
name = "P1"
source = "fixture"
as_of = 2026-01-01
"""


def test_builtin_catalogue_is_valid_and_every_program_has_a_source() -> None:
    catalog, _, problems = check_rules_file(builtin_path())
    assert problems == []
    assert catalog is not None
    for program in catalog.programs:
        assert program.source and program.as_of
        for key in ("degree", "gpa", "english", "tests", "materials"):
            rule = getattr(program, key)
            assert rule is None or rule.quote, f"{program.id}.{key} quotes no source"
        assert all(rule.quote for rule in program.coursework)


def test_builtin_program_carries_the_gre_caveat() -> None:
    program = load_catalog().get("usc-msece-mlds")
    assert "GRE is not required" in program.ref.caveats[0]
    assert program.validity_years == {
        "toefl": 2,
        "ielts": 2,
        "pte": 2,
        "duolingo": 2,
        "gre": 5,
        "gmat": 5,
    }


def test_locate_keys_follows_arrays_of_tables() -> None:
    text = (
        "[[programs]]\nid = 'a'\n[programs.gpa]\nminimum = 3\n[[programs]]\nid = 'b'\n"
        "[[programs.coursework]]\nsubject = 'x'\n"
    )
    lines = locate_keys(text)
    assert lines[("programs", 0, "gpa", "minimum")] == 4
    assert lines[("programs", 1, "id")] == 6
    assert lines[("programs", 1, "coursework", 0, "subject")] == 8


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "[programs.gpa]\nminimum = 3.0\nminimun = 2\n",
            "rules.toml:9: programs[0].gpa.minimun: unknown field 'minimun'; did you mean 'minimum'?",
        ),
        (
            "[programs.gpa]\nminimum = 5.0\n",
            "rules.toml:8: programs[0].gpa.minimum: minimum 5 is above the scale 4",
        ),
        (
            "[programs.gpa]\nminimum = 'high'\n",
            "rules.toml:8: programs[0].gpa.minimum: expected a number, got 'high'",
        ),
        (
            "[programs.english]\ntests = [{ test = 'ielts', minimum = 65 }]\n",
            "rules.toml:8: programs[0].english.tests[0].minimum: ielts minimum 65 is outside the "
            "test's scale 0-9",
        ),
        (
            "[programs.english]\ntests = [{ test = 'toeic', minimum = 65 }]\n",
            "programs[0].english.tests[0].test: 'toeic' is not an English test; nearest: "
            "'toefl' (one of: toefl, ielts, pte, duolingo, cambridge)",
        ),
        (
            "[programs.materials]\nletters = { min = 3, max = 2 }\n",
            "rules.toml:8: programs[0].materials.letters: max 2 is below min 3",
        ),
        (
            '[[programs]]\nid = "p1"\nname = "again"\nsource = "x"\nas_of = 2026-01-01\n',
            "rules.toml:8: programs[1].id: program id 'p1' is used twice (first at programs[0])",
        ),
    ],
)
def test_validate_reports_each_problem_with_line_and_key_path(
    cli: Cli, tmp_path: Path, extra: str, expected: str
) -> None:
    path = rules(tmp_path, PROGRAM + extra)
    run = cli("programs", "validate", str(path))
    assert run.exit_code == 2
    assert expected in run.stderr.replace(str(tmp_path) + "/", "")


def test_validate_accepts_a_good_file(cli: Cli) -> None:
    run = cli("programs", "validate", str(EXTRA), str(builtin_path()))
    assert run.exit_code == 0
    assert "OK (1 program)" in run.stdout


def test_invalid_toml_names_line_and_column(cli: Cli, tmp_path: Path) -> None:
    run = cli("programs", "validate", str(rules(tmp_path, "[[programs]\nid = 1\n")))
    assert run.exit_code == 2
    assert "invalid TOML" in run.stderr and "line 1" in run.stderr


def test_a_bad_rules_file_on_check_exits_2_with_every_problem(cli: Cli, tmp_path: Path) -> None:
    path = rules(tmp_path, PROGRAM + "[programs.gpa]\nminimum = 'x'\nfoo = 1\n")
    run = cli("check", "examples/maria-eligible.json", "--rules", str(path))
    assert run.exit_code == 2
    assert "invalid rules file (2 problems)" in run.stderr
    assert "programs[0].gpa.foo: unknown field 'foo'" in run.stderr


def test_rules_add_a_program_and_program_must_then_be_named(cli: Cli, tmp_path: Path) -> None:
    profile = write_json(tmp_path / "p.json", eligible_profile())
    run = cli("check", str(profile), "--rules", str(EXTRA), "--as-of", AS_OF)
    assert run.exit_code == 2
    # The message names every program: the built-in ones, then the rules file's.
    assert ", ".join([*load_catalog().programs, "example-ms-data"]) in run.stderr
    run = cli(
        "check",
        str(profile),
        "--rules",
        str(EXTRA),
        "-p",
        "example-ms-data",
        "--as-of",
        AS_OF,
        "-f",
        "json",
    )
    statuses = {c["id"]: c["status"] for c in run.json()["checks"]}
    # TOEFL 100 with no section scores against a 20-per-section rule: the facts needed
    # to decide (the sections) are absent, so the check is missing, not review.
    assert statuses == {"gpa": "met", "english": "missing", "tests": "met"}


def test_no_builtin_uses_only_the_given_rules(cli: Cli, tmp_path: Path) -> None:
    profile = write_json(tmp_path / "p.json", eligible_profile(gpa={"value": 7.4, "scale": 10}))
    run = cli(
        "check", str(profile), "--rules", str(EXTRA), "--no-builtin", "--as-of", AS_OF, "-f", "json"
    )
    report = run.json()
    assert report["program"]["id"] == "example-ms-data"
    gpa = next(c for c in report["checks"] if c["id"] == "gpa")
    assert (gpa["status"], gpa["shortfall"]) == ("not_met", "0.1 below 7.5")


def test_no_builtin_without_rules_is_a_usage_error(cli: Cli) -> None:
    assert cli("programs", "list", "--no-builtin").exit_code == 2


def test_a_huge_rules_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"# " + b"x" * (6 * 1024 * 1024))
    run = cli("programs", "validate", str(path))
    assert run.exit_code == 2
    assert "the limit is" in run.stderr


def test_deeply_nested_toml_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = rules(tmp_path, "x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    run = cli("programs", "validate", str(path))
    assert run.exit_code == 2
    assert "arrays and inline tables nested more than 16 deep" in run.stderr


def test_validate_reports_problems_of_every_program_at_once(cli: Cli, tmp_path: Path) -> None:
    text = (
        PROGRAM
        + "[programs.gpa]\nminimum = 'x'\n"
        + PROGRAM.replace('"p1"', '"p2"')
        + "[programs.gpa]\nminimum = 9.0\n"
        + PROGRAM.replace('"p1"', '"p2"')
    )
    run = cli("programs", "validate", str(rules(tmp_path, text)))
    lines = run.stderr.replace(str(tmp_path) + "/", "").splitlines()
    assert lines == [
        "rules.toml:8: programs[0].gpa.minimum: expected a number, got 'x'",
        "rules.toml:16: programs[1].gpa.minimum: minimum 9 is above the scale 4",
        "rules.toml:19: programs[2].id: program id 'p2' is used twice (first at programs[1])",
    ]
    assert run.exit_code == 2


@pytest.mark.parametrize("key", ["recommendation_letters", "other", "fee_waiver"])
def test_a_document_rule_may_not_use_a_key_that_is_not_a_document(
    cli: Cli, tmp_path: Path, key: str
) -> None:
    extra = f"[programs.materials]\ndocuments = [{{ key = '{key}', title = 'x' }}]\n"
    run = cli("programs", "validate", str(rules(tmp_path, PROGRAM + extra)))
    assert run.exit_code == 2
    assert f"programs[0].materials.documents[0].key: '{key}' is not a document key" in run.stderr


def test_validate_reports_field_and_consistency_problems_in_one_pass(
    cli: Cli, tmp_path: Path
) -> None:
    extra = (
        "[programs.gpa]\nminimum = 'x'\n"
        "[programs.english]\ntests = [{ test = 'ielts', minimum = 6.3 }]\n"
        "[programs.materials]\nletters = { min = 3, max = 2 }\n"
        "[[programs.coursework]]\nsubject = 'mathematics'\n"
        "[[programs.coursework]]\nsubject = 'physics'\nmin_courses = 'two'\n"
        "[[programs.coursework]]\nsubject = 'mathematics'\n"
    )
    run = cli("programs", "validate", str(rules(tmp_path, PROGRAM + extra)))
    lines = run.stderr.replace(str(tmp_path) + "/", "").splitlines()
    assert lines == [
        "rules.toml:8: programs[0].gpa.minimum: expected a number, got 'x'",
        "rules.toml:10: programs[0].english.tests[0].minimum: ielts minimum 6.3 is not on the "
        "test's steps of 0.5",
        "rules.toml:12: programs[0].materials.letters: max 2 is below min 3",
        "rules.toml:17: programs[0].coursework[1].min_courses: expected a whole number, got 'two'",
        "rules.toml:19: programs[0].coursework[2].subject: subject 'mathematics' is listed twice",
    ]


WAIVER = """
[programs.english]
tests = [{ test = "toefl", minimum = 90 }]
waivers = [{ degree_countries = ["United Kingdom"] }]
"""


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_programs_show_shows_english_waivers(cli: Cli, tmp_path: Path, fmt: str) -> None:
    path = rules(tmp_path, PROGRAM + WAIVER)
    run = cli("programs", "show", "p1", "--rules", str(path), "-f", fmt)
    assert run.exit_code == 0
    assert "United Kingdom" in run.stdout
