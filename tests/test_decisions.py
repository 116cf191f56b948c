"""Decision fidelity through the real CLI, on the built-in program: what real applicants
write comes out as the contract says. `not_met` only when the facts show a shortfall;
what the checker cannot recognise is `review`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AS_OF, PROGRAM_ID, Run, eligible_profile, write_json

Cli = Callable[..., Run]


@pytest.fixture
def report(cli: Cli, tmp_path: Path) -> Callable[..., dict[str, Any]]:
    """check --format json of the eligible profile with some parts changed."""

    def run(as_of: str = AS_OF, **changes: Any) -> dict[str, Any]:
        path = write_json(tmp_path / "p.json", eligible_profile(**changes))
        result = cli("check", "-p", PROGRAM_ID, str(path), "--as-of", as_of, "-f", "json")
        assert result.exit_code in (0, 1, 4), result.stderr
        document: dict[str, Any] = result.json()
        document["by_id"] = {c["id"]: c for c in document["checks"]}
        return document

    return run


def status_of(report: Callable[..., dict[str, Any]], check_id: str, **changes: Any) -> str:
    return str(report(**changes)["by_id"][check_id]["status"])


# --------------------------------------------------------------------------- degree fields


@pytest.mark.parametrize(
    "field",
    [
        "Electrical Eng.",
        "BSEE",
        "BEng",
        "B.E. (E&TC)",
        "B.Tech",
        "B.Tech ECE",
        "EEE",
        "ECE",
        "CSE",
        "Mechatronics",
        "Aerospace",
        "Elektrotechnik",
        "Ingeniería Electrónica",
        "Génie électrique",
        "Engenharia Elétrica",
        "Electronics & Comm. Engg.",
    ],
)
def test_engineering_however_it_is_written_is_met(
    report: Callable[..., dict[str, Any]], field: str
) -> None:
    degree = {"level": "bachelor", "field": field}
    assert status_of(report, "degree", degree=degree) == "met"


@pytest.mark.parametrize(
    "field",
    [
        "Applied Math",
        "Maths",
        "Comp Sci",
        "Artificial Intelligence",
        "Astrophysics",
        "Chemistry",
        "Non-engineering",
        "Pre-Engineering",
        "Underwater Basket Weaving",
    ],
)
def test_related_or_unrecognised_fields_go_to_a_person(
    report: Callable[..., dict[str, Any]], field: str
) -> None:
    check = report(degree={"level": "bachelor", "field": field})["by_id"]["degree"]
    assert check["status"] == "review"
    assert field.split()[0].strip(".") in check["detail"] or "related" in check["detail"]


@pytest.mark.parametrize("field", ["History", "Business Administration", "Law"])
def test_a_field_recognised_as_something_else_falls_short(
    report: Callable[..., dict[str, Any]], field: str
) -> None:
    assert status_of(report, "degree", degree={"level": "bachelor", "field": field}) == "not_met"


def test_an_associate_degree_reads_an_associate_degree(
    report: Callable[..., dict[str, Any]],
) -> None:
    check = report(degree={"level": "associate", "field": "Electrical Engineering"})["by_id"]
    assert check["degree"]["detail"].startswith("An associate degree is below")


@pytest.mark.parametrize(
    ("degree", "expected"),
    [
        ({"level": "bachelor", "field": "Physics", "country": "India", "years": 3}, "not_met"),
        ({"level": "bachelor", "field": "B.Tech ECE", "country": "India"}, "met"),
        ({"level": "bachelor", "field": "B.Sc. Physics", "country": "India"}, "review"),
        (
            {
                "level": "bachelor",
                "field": "Electrical Engineering",
                "country": "Germany",
                "years": 3,
            },
            "met",
        ),
        (
            {
                "level": "bachelor",
                "field": "Electrical Engineering",
                "country": "Australia",
                "years": 4,
            },
            "met",
        ),
        (
            {"level": "master", "field": "Electrical Engineering", "country": "India", "years": 2},
            "met",
        ),
    ],
)
def test_the_three_year_degree_rule(
    report: Callable[..., dict[str, Any]], degree: dict[str, Any], expected: str
) -> None:
    assert status_of(report, "degree", degree=degree) == expected


# --------------------------------------------------------------------------- coursework

ONE_OF_EACH = [
    "Linear Algebra",
    "Probability and Statistics",
    "Data Structures",
    "Electromagnetics",
]


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("Engineering Maths 1", "mathematics"),
        ("Maths II", "mathematics"),
        ("Calc I", "mathematics"),
        ("MATH 125", "mathematics"),
        ("Graph Theory", "mathematics"),
        ("Complex Analysis", "mathematics"),
        ("Stats 101", "statistics"),
        ("STAT 200", "statistics"),
        ("Biostatistics", "statistics"),
        ("Time Series Analysis", "statistics"),
        ("Intro to Java", "computer_science"),
        ("Python", "computer_science"),
        ("C++", "computer_science"),
        ("CS101", "computer_science"),
        ("CS 101", "computer_science"),
        ("Compiler Design", "computer_science"),
        ("Database Management Systems", "computer_science"),
        ("Deep Learning", "computer_science"),
        ("PHYS 151", "physics"),
        ("Statistical Mechanics", "physics"),
    ],
)
def test_a_course_counts_for_its_subject(
    report: Callable[..., dict[str, Any]], title: str, subject: str
) -> None:
    courses = [title, "History of Art"]
    assert status_of(report, f"coursework.{subject}", courses=courses) == "met"


@pytest.mark.parametrize(
    ("title", "not_for"),
    [
        ("Statistical Mechanics", "statistics"),
        ("Matrix Management", "mathematics"),
        ("Radio Programming and Broadcasting", "computer_science"),
        ("Physics for Poets", "physics"),
        ("History of Mathematics", "mathematics"),
        ("Mathematics Education", "mathematics"),
        ("Computing Ethics", "computer_science"),
    ],
)
def test_a_course_that_only_sounds_like_a_subject_does_not_count(
    report: Callable[..., dict[str, Any]], title: str, not_for: str
) -> None:
    # In a list declared complete (the whole transcript) the subject is then not met; in
    # a list that may be partial it is missing. Either way the course does not count.
    check_id = f"coursework.{not_for}"
    assert status_of(report, check_id, courses=[title], courses_complete=True) == "not_met"
    assert status_of(report, check_id, courses=[title]) == "missing"


def test_poets_history_ethics_and_statistical_mechanics_do_not_make_an_applicant_eligible(
    report: Callable[..., dict[str, Any]],
) -> None:
    courses = [
        "Physics for Poets",
        "History of Mathematics",
        "Computing Ethics",
        "Statistical Mechanics",
    ]
    result = report(courses=courses, courses_complete=True)  # a whole transcript
    statuses = {k: v["status"] for k, v in result["by_id"].items() if k.startswith("coursework")}
    assert statuses == {
        "coursework.mathematics": "not_met",
        "coursework.statistics": "not_met",
        "coursework.computer_science": "not_met",
        "coursework.physics": "met",
    }
    assert result["verdict"] == "ineligible"


def test_unrecognised_titles_send_the_subject_to_a_person_quoting_them(
    report: Callable[..., dict[str, Any]],
) -> None:
    check = report(courses=["Special Topics II", "Physics I"])["by_id"]["coursework.mathematics"]
    assert check["status"] == "review"
    assert "'Special Topics II'" in check["detail"]
    assert '"subject": "mathematics"' in check["detail"]


def test_a_failed_course_does_not_count_and_an_unknown_grade_is_shown(
    report: Callable[..., dict[str, Any]],
) -> None:
    failed = [{"title": "Calculus I", "grade": "F"}, *ONE_OF_EACH[1:]]
    check = report(courses=failed, courses_complete=True)["by_id"]["coursework.mathematics"]
    assert check["status"] == "not_met"
    assert "'Calculus I' (grade F)" in check["detail"]
    check = report(courses=failed)["by_id"]["coursework.mathematics"]  # a partial list
    assert check["status"] == "missing"
    assert "'Calculus I' (grade F)" in check["detail"]
    odd = [{"title": "Calculus I", "grade": "Z9"}, *ONE_OF_EACH[1:]]
    check = report(courses=odd)["by_id"]["coursework.mathematics"]
    assert check["status"] == "met"
    assert "grade 'Z9'" in check["detail"]
    ongoing = [{"title": "Calculus I", "grade": "IP"}, *ONE_OF_EACH[1:]]
    check = report(courses=ongoing)["by_id"]["coursework.mathematics"]
    assert (check["status"], "in progress" in check["detail"]) == ("met", True)


def test_a_course_subject_can_be_declared_from_the_flags(cli: Cli) -> None:
    run = cli(
        "check",
        "-p",
        PROGRAM_ID,
        "--as-of",
        AS_OF,
        "-f",
        "json",
        "--course",
        "Signals and Systems=mathematics",
        "--course",
        "Physics I",
    )
    statuses = {c["id"]: c["status"] for c in run.json()["checks"]}
    assert statuses["coursework.mathematics"] == "met"


def test_an_unknown_declared_subject_is_invalid_with_the_nearest(cli: Cli, tmp_path: Path) -> None:
    courses = [{"title": "Calculus", "subject": "mathematic"}]
    path = write_json(tmp_path / "p.json", eligible_profile(courses=courses))
    run = cli("check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF)
    assert run.exit_code == 3
    assert (
        "courses[0].subject: 'mathematic' is not a subject admitcheck knows; did you mean 'mathematics'?"
        in run.stderr
    )


# --------------------------------------------------------------------------- english


def test_an_expired_score_alone_is_missing_not_short(report: Callable[..., dict[str, Any]]) -> None:
    tests = {"toefl": {"total": 110, "date": "2020-01-01"}, "gre": {"total": 320}}
    check = report(tests=tests)["by_id"]["english"]
    assert check["status"] == "missing"
    assert "expired after 2022-01-01" in check["detail"]


def test_a_short_valid_score_still_decides_beside_an_expired_one(
    report: Callable[..., dict[str, Any]],
) -> None:
    tests = {
        "toefl": {"total": 110, "date": "2020-01-01"},
        "ielts": {"overall": 6.0, "date": "2025-06-01"},
    }
    check = report(tests=tests)["by_id"]["english"]
    assert check["status"] == "not_met"
    assert "expired" in check["detail"]


@pytest.mark.parametrize(
    ("degree", "citizenship"),
    [
        (
            {"level": "bachelor", "field": "Electrical Engineering", "country": "United States"},
            "India",
        ),
        (
            {"level": "bachelor", "field": "Electrical Engineering", "country": "UK"},
            "United Kingdom",
        ),
        ({"level": "bachelor", "field": "Electrical Engineering", "country": "England"}, "Nigeria"),
        ({"level": "bachelor", "field": "Electrical Engineering", "country": "GB"}, None),
    ],
)
def test_a_bachelors_from_an_english_speaking_country_waives_english(
    report: Callable[..., dict[str, Any]], degree: dict[str, Any], citizenship: str | None
) -> None:
    changes: dict[str, Any] = {"degree": degree, "tests": {"gre": {"total": 320}}}
    if citizenship:
        changes["citizenship"] = citizenship
    assert status_of(report, "english", **changes) == "waived"


@pytest.mark.parametrize("country", ["India", "Nigeria", "Singapore", "Philippines"])
def test_english_medium_degrees_elsewhere_do_not_waive_english(
    report: Callable[..., dict[str, Any]], country: str
) -> None:
    degree = {"level": "bachelor", "field": "Electrical Engineering", "country": country}
    assert status_of(report, "english", degree=degree, tests={"gre": {"total": 320}}) == "missing"


def test_a_us_citizen_is_domestic_when_international_is_not_given(
    report: Callable[..., dict[str, Any]],
) -> None:
    check = report(international=None, citizenship="USA", tests={"gre": {"total": 320}})
    english = check["by_id"]["english"]
    assert english["status"] == "not_applicable"
    assert "citizenship USA" in english["detail"]


def test_a_duolingo_score_is_a_fact_this_program_does_not_accept(
    report: Callable[..., dict[str, Any]],
) -> None:
    tests = {"duolingo": {"overall": 125, "date": "2025-04-01"}, "gre": {"total": 320}}
    check = report(tests=tests)["by_id"]["english"]
    assert check["status"] == "missing"
    assert "Duolingo English Test is not accepted by this program" in check["detail"]


def test_a_score_dated_after_the_evaluation_date_is_ignored_with_a_note(
    report: Callable[..., dict[str, Any]],
) -> None:
    tests = {"toefl": {"total": 100, "date": "2026-10-01"}, "gre": {"total": 320}}
    check = report(as_of="2026-06-01", tests=tests)["by_id"]["english"]
    assert check["status"] == "missing"
    assert "dated after the evaluation date 2026-06-01" in check["detail"]


@pytest.mark.parametrize(("band", "expected"), [(4.0, "met"), (3.5, "not_met")])
def test_a_toefl_band_follows_the_ets_concordance(
    report: Callable[..., dict[str, Any]], band: float, expected: str
) -> None:
    tests = {"toefl": {"band": band, "date": "2026-03-01"}, "gre": {"total": 320}}
    assert status_of(report, "english", tests=tests) == expected


@pytest.mark.parametrize(
    ("toefl", "message"),
    [
        (
            {"band": 4.0, "total": 95, "date": "2026-03-01"},
            "TOEFL total 95 is outside band 4.0's comparable totals 72-85",
        ),
        (
            {"total": 100, "reading": 25, "listening": 25, "speaking": 25, "writing": 20},
            "TOEFL total 100 is not the sum of its sections",
        ),
        ({"total": 100, "date": "2099-01-01"}, "test date 2099-01-01 is in the future"),
    ],
)
def test_impossible_toefl_scores_are_invalid_input(
    cli: Cli, tmp_path: Path, toefl: dict[str, Any], message: str
) -> None:
    path = write_json(tmp_path / "p.json", eligible_profile(tests={"toefl": toefl}))
    run = cli("check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF)
    assert run.exit_code == 3
    assert message in run.stderr


# --------------------------------------------------------------------------- gpa, letters


@pytest.mark.parametrize(
    ("gpa", "status", "words"),
    [
        ({"value": 8.4, "scale": 10}, "review", "~3.36 / 4.0"),
        ({"value": 78, "scale": 100}, "review", "percentages are not converted"),
        ({"value": 1.7, "scale": 5, "best": 1}, "review", "never converted"),
        ({"value": 2.999, "scale": 4}, "not_met", "0.001 below 3.0"),
    ],
)
def test_gpa_on_other_scales_is_never_called_below(
    report: Callable[..., dict[str, Any]], gpa: dict[str, Any], status: str, words: str
) -> None:
    check = report(gpa=gpa)["by_id"]["gpa"]
    assert check["status"] == status
    assert words in check["detail"] + (check["actual"] or "")
    if status == "review":
        assert "below" not in check["detail"]


def test_four_letters_are_met_with_a_note(report: Callable[..., dict[str, Any]]) -> None:
    materials = eligible_profile()["materials"] | {"recommendation_letters": 4}
    check = report(materials=materials)["by_id"]["materials.recommendation_letters"]
    assert check["status"] == "met"
    assert "at most 3" in check["detail"]


def test_missing_materials_are_check_ids(report: Callable[..., dict[str, Any]]) -> None:
    result = report(materials={"statement_of_purpose": True})
    assert result["missing_materials"][:2] == ["materials.resume", "materials.transcripts"]


def test_explain_shows_which_taxonomy_entry_matched_which_text(cli: Cli, tmp_path: Path) -> None:
    profile = eligible_profile(degree={"level": "bachelor", "field": "B.Tech ECE"})
    path = write_json(tmp_path / "p.json", profile)
    run = cli("check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF, "--explain", "-f", "json")
    checks = {c["id"]: c for c in run.json()["checks"]}
    assert any("degree title 'b tech'" in line for line in checks["degree"]["evidence"])
    assert any("'Linear Algebra'" in line for line in checks["coursework.mathematics"]["evidence"])
    assert json.dumps(checks["gpa"]["rule"]).count("programs.toml") == 1
