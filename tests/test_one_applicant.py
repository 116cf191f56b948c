"""Issue 20.5: one applicant from the terminal: flags for every fact a program reads,
`match` lines that name the deciding fact, a template with every field, plain words for
a check a program does not have."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from admitcheck.models.flat import FLAT_FIELDS
from admitcheck.profile_template import QUESTIONS, blank_profile
from tests.conftest import AS_OF, Run

Cli = Callable[..., Run]

UCLA_FLAGS = (
    "-p",
    "ucla-msece",
    "--international",
    "--degree-level",
    "Bachelor",  # any case
    "--degree-field",
    "B.Tech ECE",
    "--degree-country",
    "India",
    "--gpa",
    "3.5",
)


def checks_of(run: Run) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in run.json()["checks"]}


def test_flags_give_test_dates_sections_degree_years_and_last_two_years(cli: Cli) -> None:
    before = checks_of(cli("check", *UCLA_FLAGS, "--toefl", "100", "--as-of", AS_OF, "-f", "json"))
    assert before["gpa"]["status"] == "missing"  # UCLA reads the last two years
    assert before["english"]["status"] == "missing"  # and TOEFL sections
    run = cli(
        "check",
        *UCLA_FLAGS,
        "--gpa-last-two-years",
        "3.7",
        "--toefl",
        "100",
        "--toefl-reading",
        "25",
        "--toefl-listening",
        "25",
        "--toefl-speaking",
        "25",
        "--toefl-writing",
        "25",
        "--toefl-date",
        "Mar 2025",  # a month, as a score report may give it
        "--degree-years",
        "4",
        "--as-of",
        AS_OF,
        "-f",
        "json",
    )
    found = checks_of(run)
    assert found["gpa"]["status"] == "met"
    assert found["gpa"]["actual"] == "3.7 / 4.0 over the last two years"
    assert found["english"]["status"] == "met"
    assert found["english"]["actual"] == "TOEFL iBT 100 (2025-03)"
    assert found["degree"]["status"] == "met"


def test_ielts_and_pte_sections_and_dates_are_flags(cli: Cli) -> None:
    run = cli(
        "check",
        "-p",
        "usc-msece-mlds",
        "--international",
        "--ielts",
        "7",
        "--ielts-reading",
        "6.5",
        "--ielts-writing",
        "7",
        "--ielts-date",
        "2025-02-10",
        "--pte",
        "65",
        "--pte-writing",
        "60",
        "--pte-date",
        "15 Jan 2025",
        "--checks",
        "english",
        "--as-of",
        AS_OF,
        "-f",
        "json",
    )
    english = checks_of(run)["english"]
    assert english["status"] == "met"
    assert "IELTS 7.0 (2025-02-10)" in english["actual"]
    assert "PTE Academic 65 (2025-01-15)" in english["actual"]


def test_a_date_flag_that_could_be_read_two_ways_is_one_clear_line(cli: Cli) -> None:
    run = cli("check", "-p", "usc-msece-mlds", "--toefl", "100", "--toefl-date", "05/03/2025")
    assert run.exit_code == 3
    assert run.stderr.strip() == (
        "admitcheck: --toefl-date: '05/03/2025' could be 5/3 or 3/5; write it as YYYY-MM-DD"
    )


def test_every_flat_field_is_a_flag(cli: Cli) -> None:
    text = cli("check", "--help").stdout
    for field in FLAT_FIELDS:
        flag = field.flag_decl
        assert flag is not None, field.name
        assert flag.split("/")[0] in text, flag


def test_match_lines_name_the_fact_that_would_decide(cli: Cli, tmp_path: Path) -> None:
    profile = tmp_path / "p.json"
    profile.write_text(
        json.dumps(
            {
                "international": True,
                "degree": {"level": "bachelor", "field": "Physics", "country": "India"},
                "gpa": {"value": 8.4, "scale": 10},
                "tests": {"toefl": {"total": 100, "date": "2025-09-01"}},
            }
        ),
        encoding="utf-8",
    )
    text = cli("match", str(profile), "--as-of", AS_OF, "-f", "markdown").stdout
    lines = {
        found[1]: line
        for line in text.splitlines()
        if (found := re.search(r"\(([a-z0-9.-]+)\) \|", line))
    }
    assert "English proficiency: needs TOEFL iBT section scores" in lines["cmu-msece"]
    assert "Minimum GPA: needs the last-two-years GPA" in lines["ucla-msece"]
    assert "Degree: needs degree.years" in lines["usc-mscs-se"]
    assert "GRE / GMAT: needs a GRE or GMAT score" in lines["usc-msece-mlds"]


def test_init_writes_every_fields_structure_and_it_is_a_valid_profile(
    cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "profile.json"
    assert cli("init", str(target)).exit_code == 0
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written == blank_profile()
    assert set(written["gpa"]) == {"value", "scale", "best", "last_two_years"}
    assert {"total", "band", "reading", "writing", "date"} <= set(written["tests"]["toefl"])
    assert set(written["tests"]["gre"]) == {"verbal", "quant", "writing", "total", "date"}
    assert set(written["courses"][0]) == {"title", "subject", "credits", "grade"}
    assert "years" in written["degree"]
    # As it stands it is a profile with nothing known; partly filled, what is filled counts.
    run = cli("check", str(target), "-p", "usc-msece-mlds", "--as-of", AS_OF, "-f", "json")
    assert run.exit_code == 4
    written["gpa"]["value"] = 3.4
    written["tests"]["toefl"]["total"] = 101
    written["courses"].append("Linear Algebra")
    target.write_text(json.dumps(written), encoding="utf-8")
    found = checks_of(
        cli("check", str(target), "-p", "usc-msece-mlds", "--as-of", AS_OF, "-f", "json")
    )
    assert found["gpa"]["actual"] == "3.4 / 4.0"
    assert found["coursework.mathematics"]["status"] == "met"


def test_schema_profile_describes_every_field(cli: Cli) -> None:
    schema = json.loads(cli("schema", "profile").stdout)
    models = {"Profile": schema, **schema["$defs"]}
    undescribed = [
        f"{model}.{name}"
        for model, body in models.items()
        for name, prop in body.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert undescribed == []


def test_init_interactive_asks_for_every_field() -> None:
    asked = {q.field for q in QUESTIONS}
    # the GPA's scale is asked with the GPA ("8.2/10")
    assert asked == {f.name for f in FLAT_FIELDS} - {"gpa_scale"}


def test_checks_naming_a_category_the_program_does_not_check_says_so(
    cli: Cli, tmp_path: Path
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(
        '[[programs]]\nid = "gpa-only"\nname = "GPA only"\nsource = "fixture"\n'
        "as_of = 2026-01-01\n\n[programs.gpa]\nminimum = 3.0\n",
        encoding="utf-8",
    )
    run = cli("check", "--rules", str(rules), "--no-builtin", "--gpa", "3.5", "--checks", "degree")
    assert run.exit_code == 2
    line = run.stderr.strip()
    assert line == (
        "admitcheck: --checks: gpa-only has no degree check (its rules state no degree "
        "requirement); its checks are: gpa"
    )
