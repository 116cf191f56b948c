"""Coverage (SPEC v3): what a program's pages require per area, what admitcheck checks, page
dates and their age, pages that disagree, and deadlines beside the checklist."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from admitcheck.catalog import check_rules_file, load_catalog
from admitcheck.cycles import parse_cycle
from admitcheck.evaluate import evaluate, rank
from admitcheck.models.profile import Profile
from admitcheck.models.program import LoadedProgram
from admitcheck.vocabulary import Status, Verdict
from tests.conftest import AS_OF_DATE, Run, eligible_profile, write_json

Cli = Callable[..., Run]

HEAD = """format = 1

[[programs]]
id = "cov"
name = "Coverage fixture"
source = "https://example.edu/ms"
as_of = 2026-12-01
"""

GPA = """
[programs.gpa]
source = "https://example.edu/ms/admission"
quote = "a minimum GPA of 3.0"
page_date = "Fall 2026"
minimum = 3.0
"""

DEGREE = """
[programs.degree]
source = "https://example.edu/ms/admission"
quote = "a bachelor's degree in engineering"
page_date = "2025-09-12"
min_level = "bachelor"
areas = ["engineering"]
"""

MATERIALS = """
[programs.materials]
source = "https://example.edu/ms/apply"
quote = "Statement of Purpose: Required"
page_date = "undated"
documents = [{ key = "statement_of_purpose", title = "Statement of purpose" }]
"""


def rules(tmp_path: Path, *parts: str, name: str = "rules.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "".join(parts), encoding="utf-8")
    return path


def program_of(path: Path, program_id: str = "cov") -> LoadedProgram:
    return load_catalog([path], builtin=False).get(program_id)


def report_of(program: LoadedProgram, as_of: date = AS_OF_DATE, **changes: Any) -> Any:
    profile = Profile.model_validate_json(json.dumps(eligible_profile(**changes)))
    return evaluate(profile, program, as_of)


COVERAGE_ALL_CHECKED_BUT = """
[programs.coverage]
degree = "checked"
gpa = "checked"
materials = "checked"
english = {{ value = "stated", source = "https://example.edu/ms/english", quote = "Applicants must prove English proficiency.", page_date = "undated", by_hand = "Ask which certificates and levels are accepted." }}
tests = {{ value = "none", source = "https://example.edu/ms/faq", quote = "The GRE is not required.", page_date = "2026-01-15" }}
coursework = "{coursework}"
deadline = "unknown"
"""


def declared(coursework: str = "unknown") -> str:
    return COVERAGE_ALL_CHECKED_BUT.format(coursework=coursework)


# ----------------------------------------------------------------------------- the grammar


@pytest.mark.parametrize(
    ("text", "start", "label"),
    [
        ("2025-09-12", date(2025, 9, 12), "2025-09-12"),
        ("2025-09", date(2025, 9, 1), "2025-09"),
        ("2013", date(2013, 1, 1), "2013"),
        ("Fall 2026", date(2026, 8, 1), "Fall 2026"),
        ("fall-2027", date(2027, 8, 1), "Fall 2027"),
        ("Spring 2027", date(2027, 1, 1), "Spring 2027"),
        ("Summer 2027", date(2027, 5, 1), "Summer 2027"),
        ("Winter 2026", date(2026, 10, 1), "Winter 2026"),
        ("2024-25", date(2024, 8, 1), "2024-25"),
        ("2024/25", date(2024, 8, 1), "2024-25"),
        ("2099-2100", date(2099, 8, 1), "2099-00"),
    ],
)
def test_page_dates_and_cycles_count_from_their_start(text: str, start: date, label: str) -> None:
    found = parse_cycle(text)
    assert found is not None
    assert (found.start, found.label) == (start, label)


def test_undated_is_a_page_date_of_its_own() -> None:
    assert parse_cycle("undated") is None


@pytest.mark.parametrize("text", ["Fall", "2024-26", "2025-13", "2025-02-30", "last year", ""])
def test_a_page_date_outside_the_grammar_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="expected a date"):
        parse_cycle(text)


# ----------------------------------------------------------------------------- the report


def test_a_stated_area_is_one_review_check_quoting_the_page(tmp_path: Path) -> None:
    program = program_of(rules(tmp_path, DEGREE, GPA, MATERIALS, declared()))
    report = report_of(program)
    english = next(c for c in report.checks if c.id == "english")
    assert english.status is Status.review
    assert "Applicants must prove English proficiency." in english.detail
    assert "Ask which certificates" in english.detail
    assert report.verdict is Verdict.review
    assert [c.id for c in report.checks] == [
        "degree",
        "gpa",
        "english",
        "materials.statement_of_purpose",
    ]


def test_a_none_area_has_no_check_and_is_listed_as_not_required(tmp_path: Path, cli: Cli) -> None:
    path = rules(tmp_path, DEGREE, GPA, MATERIALS, declared())
    report = report_of(program_of(path))
    assert report.coverage["tests"].value == "none"
    assert not any(c.id == "tests" for c in report.checks)
    profile = write_json(tmp_path / "p.json", eligible_profile())
    run = cli("check", str(profile), "--rules", str(path), "--no-builtin", "--as-of", "2026-11-24")
    assert 'Not required (tests): "The GRE is not required."' in run.stdout


def test_unknown_areas_are_listed_and_eligible_is_said_on_what_the_pages_state(
    tmp_path: Path, cli: Cli
) -> None:
    coverage = (
        declared()
        .replace('english = { value = "stated"', 'english = { value = "none"')
        .replace(', by_hand = "Ask which certificates and levels are accepted."', "")
    )
    path = rules(tmp_path, DEGREE, GPA, MATERIALS, coverage)
    report = report_of(program_of(path))
    assert report.verdict is Verdict.eligible
    assert report.unchecked_areas == ["coursework", "deadline"]
    assert report.eligible_on_pages
    profile = write_json(tmp_path / "p.json", eligible_profile())
    args = ("--rules", str(path), "--no-builtin", "--as-of", "2026-11-24")
    table = cli("check", str(profile), *args)
    assert table.exit_code == 0
    assert "ELIGIBLE ON WHAT THE PAGES STATE" in table.stdout
    assert "Not stated by the program's pages, so not checked: coursework, deadline." in (
        table.stdout
    )
    document = cli("check", str(profile), *args, "-f", "json").json()
    assert document["verdict"] == "eligible"
    assert document["unchecked_areas"] == ["coursework", "deadline"]
    assert document["coverage"]["deadline"] == {"value": "unknown", "source": None, "quote": None}
    assert document["coverage"]["tests"]["quote"] == "The GRE is not required."
    markdown = cli("check", str(profile), *args, "-f", "markdown").stdout
    assert "ELIGIBLE ON WHAT THE PAGES STATE" in markdown


def test_a_checked_area_cites_its_rule_when_the_declaration_does_not(tmp_path: Path) -> None:
    report = report_of(program_of(rules(tmp_path, DEGREE, GPA, MATERIALS, declared())))
    assert report.coverage["gpa"].value == "checked"
    assert report.coverage["gpa"].quote == "a minimum GPA of 3.0"


@pytest.mark.parametrize("materials", ["unknown", "stated"])
def test_application_complete_is_unknown_without_a_document_list(
    tmp_path: Path, cli: Cli, materials: str
) -> None:
    entry = (
        '"unknown"'
        if materials == "unknown"
        else '{ value = "stated", source = "https://example.edu/x", quote = "Submit the '
        'usual documents.", page_date = "undated" }'
    )
    coverage = declared().replace('materials = "checked"', f"materials = {entry}")
    path = rules(tmp_path, DEGREE, GPA, coverage)
    report = report_of(program_of(path))
    assert report.application_complete is None
    profile = write_json(tmp_path / "p.json", eligible_profile())
    args = ("--rules", str(path), "--no-builtin", "--as-of", "2026-11-24")
    assert "Application: unknown" in cli("check", str(profile), *args).stdout
    required = cli("check", str(profile), *args, "--require-complete", "-f", "json")
    assert required.exit_code == 4
    assert required.json()["verdict"] == "review"
    assert required.json()["application_complete"] is None
    listing = tmp_path / "one.jsonl"
    listing.write_text(json.dumps(eligible_profile()) + "\n", encoding="utf-8")
    batch = cli("batch", str(listing), *args, "-f", "csv", "--exit-zero")
    row = next(csv.DictReader(io.StringIO(batch.stdout)))
    assert row["application_complete"] == ""
    silent = "coursework;materials;deadline" if materials == "unknown" else "coursework;deadline"
    assert row["unchecked_areas"] == silent


def test_a_file_without_coverage_decides_as_before(tmp_path: Path) -> None:
    """A user's own format-1 file: areas with rules are checked, the others none."""
    program = program_of(rules(tmp_path, DEGREE, GPA))
    report = report_of(program)
    assert report.verdict is Verdict.eligible
    assert report.unchecked_areas == []
    assert report.application_complete is True
    assert {a: c.value for a, c in report.coverage.items()} == {
        "degree": "checked",
        "gpa": "checked",
        "english": "none",
        "tests": "none",
        "coursework": "none",
        "materials": "none",
        "deadline": "none",
    }


def test_the_old_engine_fixture_validates_and_decides_as_before(program: LoadedProgram) -> None:
    report = report_of(program)
    assert report.verdict is Verdict.eligible
    assert report.unchecked_areas == []


def test_match_ranks_a_fully_checked_eligible_program_first(tmp_path: Path) -> None:
    full = rules(tmp_path, DEGREE, GPA, name="a.toml")
    silent_coverage = (
        declared()
        .replace('english = { value = "stated"', 'english = { value = "none"')
        .replace(', by_hand = "Ask which certificates and levels are accepted."', "")
    )
    silent = tmp_path / "b.toml"
    silent.write_text(
        (HEAD + DEGREE + GPA + MATERIALS + silent_coverage).replace('id = "cov"', 'id = "aaa"'),
        encoding="utf-8",
    )
    catalog = load_catalog([full, silent], builtin=False)
    profile = Profile.model_validate_json(json.dumps(eligible_profile()))
    ranked = rank(evaluate(profile, p, AS_OF_DATE) for p in catalog.all())
    assert [r.program.id for r in ranked] == ["cov", "aaa"]


# ----------------------------------------------------------------------------- validation


def problems_of(path: Path, strict: bool = False) -> list[str]:
    return [str(p) for p in check_rules_file(path, strict=strict)[2]]


def test_an_unknown_coverage_word_is_a_problem_with_its_line(tmp_path: Path) -> None:
    path = rules(tmp_path, GPA, '\n[programs.coverage]\ngpa = "partial"\n')
    [problem] = problems_of(path)
    assert (
        ":16: programs[0].coverage.gpa.value: expected one of: checked, stated, none, unknown"
        in problem
    )


def test_a_checked_area_without_a_rule_is_a_problem(tmp_path: Path) -> None:
    path = rules(tmp_path, GPA, '\n[programs.coverage]\ngpa = "checked"\ntests = "checked"\n')
    [problem] = problems_of(path)
    assert "programs[0].coverage.tests: 'tests' is declared checked" in problem


@pytest.mark.parametrize("value", ["unknown", "none"])
def test_a_rule_under_an_area_declared_without_rules_is_a_problem(
    tmp_path: Path, value: str
) -> None:
    entry = (
        '"unknown"'
        if value == "unknown"
        else '{ value = "none", source = "https://example.edu/x", quote = "No minimum GPA." }'
    )
    path = rules(tmp_path, GPA, f"\n[programs.coverage]\ngpa = {entry}\n")
    [problem] = problems_of(path)
    assert f"programs[0].gpa: a rule under the 'gpa' area, which coverage declares '{value}'" in (
        problem
    )


def test_a_none_area_needs_its_quote(tmp_path: Path) -> None:
    path = rules(tmp_path, '\n[programs.coverage]\ntests = { value = "none" }\n')
    [problem] = problems_of(path)
    assert "needs the source and quote" in problem


def test_a_page_date_in_no_accepted_form_is_a_problem(tmp_path: Path) -> None:
    path = rules(tmp_path, GPA.replace('"Fall 2026"', '"autumn term"'))
    [problem] = problems_of(path)
    assert "programs[0].gpa.page_date:" in problem
    assert "Fall 2026" in problem  # the accepted forms are named


def test_strict_wants_every_area_declared_and_every_page_dated(tmp_path: Path) -> None:
    path = rules(tmp_path, GPA.replace('page_date = "Fall 2026"\n', ""))
    assert problems_of(path) == []
    found = problems_of(path, strict=True)
    assert any(
        "missing: degree, gpa, english, tests, coursework, materials, deadline" in p for p in found
    )
    assert any("programs[0].gpa.source: --strict: a source without page_date" in p for p in found)


# ----------------------------------------------------------------------------- page dates


def test_a_page_dated_more_than_two_years_before_gives_a_caveat(tmp_path: Path) -> None:
    old = GPA.replace('"Fall 2026"', '"Fall 2019"')
    report = report_of(program_of(rules(tmp_path, DEGREE, old)), as_of=date(2026, 12, 7))
    assert report.notes == [
        "Some requirements rest on a page for Fall 2019, more than 2 years before the "
        "evaluation date: check the live page (https://example.edu/ms/admission)."
    ]


def test_a_page_exactly_two_years_old_is_not_stale(tmp_path: Path) -> None:
    dated = GPA.replace('"Fall 2026"', '"2024-12-07"')
    program = program_of(rules(tmp_path, dated))
    assert report_of(program, as_of=date(2026, 12, 7)).notes == []
    assert len(report_of(program, as_of=date(2026, 12, 8)).notes) == 1


def test_programs_stale_measures_from_the_page_date_not_the_read_date(
    tmp_path: Path, cli: Cli
) -> None:
    old = GPA.replace('"Fall 2026"', '"2013"').replace(
        "minimum = 3.0", "read = 2026-12-01\nminimum = 3.0"
    )
    path = rules(tmp_path, DEGREE, old, MATERIALS, declared())
    run = cli("programs", "stale", "--rules", str(path), "--no-builtin", "--as-of", "2026-12-07")
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == (
        "cov: a page for 2013 (167 months before 2026-12-07): https://example.edu/ms/admission"
    )
    assert "cov: undated: https://example.edu/ms/apply" in lines
    assert "cov: not stated by its pages: coursework, deadline" in lines


def test_programs_stale_exits_0_when_only_undated_or_unknown(tmp_path: Path, cli: Cli) -> None:
    path = rules(tmp_path, DEGREE, GPA, MATERIALS, declared())
    run = cli("programs", "stale", "--rules", str(path), "--no-builtin", "--as-of", "2026-12-07")
    assert run.exit_code == 0
    assert "no page is dated more than 24 months before 2026-12-07" in run.stdout


# ----------------------------------------------------------------------------- disputes

TESTS_DISPUTED = """
[programs.tests]
source = "https://example.edu/admissions"
quote = "The GRE General Test is required of all applicants."
page_date = "undated"
any_of = ["gre"]
policy = "required"

[programs.tests.disputed]
source = "https://example.edu/faq"
quote = "The GRE is optional."
page_date = "undated"
policy = "optional"
"""


def test_falling_short_only_under_the_stricter_page_is_review_naming_both(
    tmp_path: Path,
) -> None:
    program = program_of(rules(tmp_path, TESTS_DISPUTED))
    no_gre = report_of(program, tests={"toefl": {"total": 100, "date": "2025-06-01"}})
    check = next(c for c in no_gre.checks if c.id == "tests")
    assert check.status is Status.review
    assert "https://example.edu/admissions" in check.detail
    assert "https://example.edu/faq" in check.detail
    assert "The GRE is optional." in check.detail
    with_gre = report_of(program)
    assert next(c for c in with_gre.checks if c.id == "tests").status is Status.met


def test_a_disputed_reading_must_be_a_valid_rule(tmp_path: Path) -> None:
    path = rules(tmp_path, TESTS_DISPUTED.replace('policy = "optional"', 'policy = "maybe"'))
    [problem] = problems_of(path)
    assert "programs[0].tests.disputed.policy" in problem


# ----------------------------------------------------------------------------- deadlines

DEADLINES = """
[[programs.deadlines]]
term = "Fall"
kind = "priority"
month_day = "01-15"
source = "https://example.edu/dates"
quote = "Fall priority deadline: January 15"
page_date = "undated"

[[programs.deadlines]]
term = "Fall 2026"
kind = "final"
date = 2026-02-01
source = "https://example.edu/dates"
quote = "Final deadline: February 1, 2026"
page_date = "2025-09-01"
"""


def test_a_recurring_deadline_falls_on_its_next_occurrence(tmp_path: Path) -> None:
    program = program_of(rules(tmp_path, GPA, DEADLINES))
    report = report_of(program, as_of=date(2026, 12, 7))
    deadline = next(c for c in report.checks if c.id == "deadline")
    assert deadline.status is Status.met
    assert deadline.actual == "2027-01-15"
    assert report.verdict is Verdict.eligible
    on_the_day = report_of(program, as_of=date(2027, 1, 15))
    assert next(c for c in on_the_day.checks if c.id == "deadline").actual == "2027-01-15"


def test_only_passed_deadlines_are_review_and_never_change_the_verdict(tmp_path: Path) -> None:
    passed = DEADLINES.split("[[programs.deadlines]]")[2]
    program = program_of(rules(tmp_path, GPA, "\n[[programs.deadlines]]" + passed))
    report = report_of(program, as_of=date(2026, 12, 7))
    deadline = next(c for c in report.checks if c.id == "deadline")
    assert deadline.status is Status.review
    assert "2026-02-01" in deadline.detail
    assert report.verdict is Verdict.eligible


def test_a_deadline_needs_exactly_one_of_date_and_month_day(tmp_path: Path) -> None:
    both = DEADLINES.replace('month_day = "01-15"', 'month_day = "01-15"\ndate = 2027-01-15')
    assert any("either date" in p for p in problems_of(rules(tmp_path, both)))
    impossible = DEADLINES.replace('"01-15"', '"04-31"')
    assert problems_of(rules(tmp_path, impossible, name="x.toml")) != []


def test_a_dispute_survives_the_catalogue_cache(tmp_path: Path) -> None:
    """The cache stores loaded programs pickled: the disputed reading must still be found."""
    import pickle

    program = pickle.loads(pickle.dumps(program_of(rules(tmp_path, TESTS_DISPUTED))))
    no_gre = report_of(program, tests={"toefl": {"total": 100, "date": "2025-06-01"}})
    assert next(c for c in no_gre.checks if c.id == "tests").status is Status.review
