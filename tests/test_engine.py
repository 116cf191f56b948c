"""The pure core, one requirement kind at a time: facts + rule -> status and wording."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from admitcheck.catalog import load_catalog
from admitcheck.evaluate import decide, evaluate, rank, run_checks
from admitcheck.models.profile import Profile
from admitcheck.models.program import LoadedProgram
from admitcheck.models.report import Check
from admitcheck.requirements.score_outcomes import add_years
from admitcheck.vocabulary import Category, Status, Verdict
from admitcheck.wording import num
from tests.conftest import AS_OF_DATE, eligible_profile


def checks_of(program: LoadedProgram, as_of: date = AS_OF_DATE, **changes: Any) -> dict[str, Check]:
    profile = Profile.model_validate_json(__import__("json").dumps(eligible_profile(**changes)))
    return {c.id: c for c in run_checks(profile, program, as_of)}


def status(program: LoadedProgram, check_id: str, **changes: Any) -> Status:
    return checks_of(program, **changes)[check_id].status


def test_the_reference_profile_meets_every_requirement(program: LoadedProgram) -> None:
    assert {c.status for c in checks_of(program).values()} == {Status.met}


# --------------------------------------------------------------------------- degree


@pytest.mark.parametrize(
    ("degree", "expected"),
    [
        ({"level": "bachelor", "field": "Electronics and Communication Engineering"}, Status.met),
        ({"level": "master", "field": "Mechanical Engineering"}, Status.met),
        ({"level": "doctorate", "field": "Civil Engineering"}, Status.met),
        ({"level": "bachelor", "field": "Computer Science"}, Status.review),
        ({"level": "bachelor", "field": "Applied Mathematics"}, Status.review),
        ({"level": "bachelor", "field": "Data Science"}, Status.review),
        ({"level": "bachelor", "field": "History"}, Status.not_met),
        ({"level": "associate", "field": "Electrical Engineering"}, Status.not_met),
        ({"level": "diploma", "field": "Electrical Engineering"}, Status.not_met),
        ({"level": "bachelor"}, Status.missing),
        ({"field": "Electrical Engineering"}, Status.missing),
    ],
)
def test_degree_level_and_field(
    program: LoadedProgram, degree: dict[str, str], expected: Status
) -> None:
    assert status(program, "degree", degree=degree) is expected


def test_no_degree_is_missing(program: LoadedProgram) -> None:
    assert status(program, "degree", degree=None) is Status.missing


def test_degree_in_progress_counts_with_a_conditional_note(program: LoadedProgram) -> None:
    check = checks_of(
        program,
        degree={"level": "bachelor", "field": "Electrical Engineering", "status": "in_progress"},
    )["degree"]
    assert check.status is Status.met
    assert "conditional on completing" in check.detail


@pytest.mark.parametrize("field", ["", "   ", "\t", "-", "—", "...", "( )", "/"])
def test_a_blank_or_punctuation_field_is_missing_like_an_empty_one(
    program: LoadedProgram, field: str
) -> None:
    check = checks_of(program, degree={"level": "bachelor", "field": field})["degree"]
    assert check.status is Status.missing
    assert "No degree field given" in check.detail and check.actual == "bachelor's degree"


@pytest.mark.parametrize("field", ["N/A", "X", "?? Engg"])
def test_a_field_with_letters_is_read_not_taken_as_blank(
    program: LoadedProgram, field: str
) -> None:
    status_found = status(program, "degree", degree={"level": "bachelor", "field": field})
    assert status_found is (Status.met if "Engg" in field else Status.review)


@pytest.mark.parametrize(
    "field",
    [
        "Bachelor of Fine Arts (Painting)",
        "Bachelor of Music in Piano Performance",
        "B.Mus. (Voice)",
        "BA Musicology",
        "LLB (Hons)",
        "Bachelor of Laws (Honours)",
        "B.Com (Hons) Accountancy",
        "Commerce",
        "Fine Arts / Law",
    ],
)
def test_a_field_recognised_as_unrelated_is_not_met(program: LoadedProgram, field: str) -> None:
    check = checks_of(program, degree={"level": "bachelor", "field": field})["degree"]
    assert check.status is Status.not_met, check.detail
    assert check.shortfall == "field must be engineering or related"


@pytest.mark.parametrize(
    "field",
    [
        "Bachelor of Music in Performance",  # a word no entry names: might change its sense
        "Fine Arts and Computer Science",  # a related field beside it
        "Music and Electrical Engineering",  # an accepted one beside it
    ],
)
def test_beside_it_an_unread_word_or_a_related_field_is_not_a_shortfall(
    program: LoadedProgram, field: str
) -> None:
    found = status(program, "degree", degree={"level": "bachelor", "field": field})
    assert found in (Status.review, Status.met)


def test_related_field_review_explains_why(program: LoadedProgram) -> None:
    check = checks_of(program, degree={"level": "bachelor", "field": "Physics"})["degree"]
    assert "related field" in check.detail


# --------------------------------------------------------------------------- gpa


@pytest.mark.parametrize(
    ("gpa", "expected"),
    [(3.0, Status.met), (2.99, Status.not_met), (4.0, Status.met), (0.0, Status.not_met)],
)
def test_gpa_minimum_is_inclusive(program: LoadedProgram, gpa: float, expected: Status) -> None:
    assert status(program, "gpa", gpa=gpa) is expected


def test_gpa_shortfall_names_the_gap(program: LoadedProgram) -> None:
    check = checks_of(program, gpa=2.85)["gpa"]
    assert check.shortfall == "0.15 below 3.0"
    assert check.detail == "GPA 2.85 is 0.15 below 3.0."


def test_gpa_on_another_scale_is_converted_and_sent_to_review(program: LoadedProgram) -> None:
    check = checks_of(program, gpa={"value": 8.4, "scale": 10})["gpa"]
    assert check.status is Status.review
    assert check.actual == "8.4 / 10 (~3.36 / 4.0)"
    assert "approximate" in check.detail


def test_gpa_missing(program: LoadedProgram) -> None:
    assert status(program, "gpa", gpa=None) is Status.missing


# --------------------------------------------------------------------------- english


def toefl(total: int, when: str | None = "2025-06-01") -> dict[str, Any]:
    score: dict[str, Any] = {"total": total}
    if when:
        score["date"] = when
    return {"toefl": score}


@pytest.mark.parametrize(("total", "expected"), [(80, Status.met), (79, Status.not_met)])
def test_toefl_boundary(program: LoadedProgram, total: int, expected: Status) -> None:
    assert status(program, "english", tests=toefl(total)) is expected


@pytest.mark.parametrize(
    ("tests", "expected"),
    [
        ({"ielts": {"overall": 6.5}}, Status.met),
        ({"ielts": {"overall": 6.0}}, Status.not_met),
        ({"pte": {"overall": 61}}, Status.met),
        ({"pte": {"overall": 60}}, Status.not_met),
        ({"toefl": {"total": 70}, "pte": {"overall": 65}}, Status.met),
    ],
)
def test_any_one_english_test_satisfies(
    program: LoadedProgram, tests: dict[str, Any], expected: Status
) -> None:
    assert status(program, "english", tests=tests) is expected


def test_english_does_not_apply_to_domestic_applicants(program: LoadedProgram) -> None:
    assert status(program, "english", international=False, tests={}) is Status.not_applicable


def test_international_without_score_is_missing(program: LoadedProgram) -> None:
    assert status(program, "english", tests={}) is Status.missing


def test_unknown_residency_with_a_qualifying_score_is_met(program: LoadedProgram) -> None:
    assert status(program, "english", international=None) is Status.met


def test_unknown_residency_without_a_qualifying_score_is_missing(
    program: LoadedProgram,
) -> None:
    check = checks_of(program, international=None, tests=toefl(70))["english"]
    assert check.status is Status.missing
    assert "international" in check.detail


def test_short_scores_name_each_shortfall_and_the_alternatives(program: LoadedProgram) -> None:
    check = checks_of(program, tests={"toefl": {"total": 76}, "ielts": {"overall": 6.0}})["english"]
    assert check.status is Status.not_met
    assert check.shortfall == "TOEFL iBT 76 is 4 below 80; IELTS 6.0 is 0.5 below 6.5"
    assert "Alternatives: PTE Academic 61" in check.detail


def test_toefl_counts_on_the_last_day_of_its_two_years(program: LoadedProgram) -> None:
    # Taken 2024-11-24: valid through 2026-11-24, expired from 2026-11-25.
    assert status(program, "english", tests=toefl(100, "2024-11-24")) is Status.met
    expired = checks_of(program, date(2026, 11, 25), tests=toefl(100, "2024-11-24"))["english"]
    # An expired score is never worse than none: missing, not not_met.
    assert expired.status is Status.missing
    assert "expired after 2026-11-24" in expired.detail


def test_an_expired_score_does_not_hide_a_valid_one(program: LoadedProgram) -> None:
    tests = {"toefl": {"total": 110, "date": "2020-01-01"}, "ielts": {"overall": 7.0}}
    assert status(program, "english", tests=tests) is Status.met


def test_undated_score_counts_with_a_note(program: LoadedProgram) -> None:
    check = checks_of(program, tests=toefl(90, None))["english"]
    assert check.status is Status.met
    assert "validity was not checked" in check.detail


@pytest.mark.parametrize(
    ("band", "expected"), [(4.5, Status.met), (4.0, Status.met), (3.5, Status.not_met)]
)
def test_a_toefl_band_alone_is_judged_by_the_ets_concordance(
    program: LoadedProgram, band: float, expected: Status
) -> None:
    # ETS: a total of 80 lies in band 4.0 (72-85).
    check = checks_of(program, tests={"toefl": {"band": band, "date": "2026-03-01"}})["english"]
    assert check.status is expected
    assert "band 4.0 (72-85)" in (check.detail + (check.shortfall or ""))


def test_toefl_total_is_used_when_band_and_total_are_given(program: LoadedProgram) -> None:
    tests = {"toefl": {"band": 4.0, "total": 82, "date": "2026-03-01"}}
    assert status(program, "english", tests=tests) is Status.met


# --------------------------------------------------------------------------- gre / gmat


def test_gre_or_gmat_is_required(program: LoadedProgram) -> None:
    assert status(program, "tests", tests={"toefl": {"total": 100}}) is Status.missing
    assert status(program, "tests", tests={"gmat": {"total": 645}}) is Status.met
    assert status(program, "tests", tests={"gre": {"total": 300}}) is Status.met


def test_no_minimum_gre_is_applied(program: LoadedProgram) -> None:
    assert status(program, "tests", tests={"gre": {"verbal": 130, "quant": 130}}) is Status.met


def test_gre_expires_after_five_years(program: LoadedProgram) -> None:
    on_day = {"gre": {"total": 320, "date": "2021-11-24"}}
    assert status(program, "tests", tests=on_day) is Status.met
    day_after = {"gre": {"total": 320, "date": "2021-11-23"}}
    check = checks_of(program, tests=day_after)["tests"]
    assert check.status is Status.missing
    assert "expired after 2026-11-23" in check.detail


# --------------------------------------------------------------------------- coursework


def test_courses_match_subjects_by_keywords(program: LoadedProgram) -> None:
    found = checks_of(
        program,
        courses=[
            "Linear Algebra",
            "Probability and Random Processes",
            "Data Structures",
            "Electromagnetics",
        ],
    )
    assert all(
        found[f"coursework.{s}"].status is Status.met
        for s in ("mathematics", "statistics", "computer_science", "physics")
    )


def test_a_declared_subject_counts(program: LoadedProgram) -> None:
    courses = [{"title": "ECE 101", "subject": "physics"}]
    assert status(program, "coursework.physics", courses=courses) is Status.met


def test_multivariable_calculus_is_mathematics_not_statistics(program: LoadedProgram) -> None:
    found = checks_of(program, courses=["Multivariable Calculus"])
    assert found["coursework.mathematics"].status is Status.met
    assert found["coursework.statistics"].status is not Status.met


def test_a_declared_subject_is_not_re_read_through_a_guessed_slip(program: LoadedProgram) -> None:
    # "Multivariat" is no word: alone it is read as "multivariate" (statistics), but the
    # applicant said what the course is.
    declared = [{"title": "Multivariat Calculus", "subject": "mathematics"}]
    found = checks_of(program, courses=declared)
    assert found["coursework.mathematics"].status is Status.met
    assert found["coursework.statistics"].status is not Status.met
    assert (
        checks_of(program, courses=["Multivariat Calculus"])["coursework.statistics"].status
        is Status.met
    )


@pytest.mark.parametrize(
    "title",
    [
        "Antenna Theory",
        "Microwave Engineering",
        "Transmission Lines and Waveguides",
        "Electromagnetic Compatibility",
        "EM Wave Propagation and Antennas",
    ],
)
def test_applied_electromagnetics_may_be_physics_never_its_absence(
    program: LoadedProgram, title: str
) -> None:
    check = checks_of(program, courses=[*FOUR, title], courses_complete=True)["coursework.physics"]
    assert check.status is Status.review, check.detail
    assert f"'{title}' may count as physics, so a person must judge" in check.detail


@pytest.mark.parametrize(
    "title",
    [
        "Electromagnetic Fields and Waves",
        "Fields and Waves I",
        "Engineering Electromagnetics",
        "Applied Electromagnetics",
        "EM Fields and Transmission Lines",
    ],
)
def test_fields_and_waves_are_physics(program: LoadedProgram, title: str) -> None:
    found = checks_of(program, courses=[*FOUR, title], courses_complete=True)
    assert found["coursework.physics"].status is Status.met


def test_an_applied_electromagnetics_course_counts_for_electrical_engineering(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        COUNTED_RULES.replace(
            'subject = "physics"\nmin_credits = 6', 'subject = "electrical_engineering"'
        ),
        encoding="utf-8",
    )
    ee = load_catalog([path], builtin=False).get("counted")
    profile = Profile.model_validate({"courses": ["Antenna Theory"], "courses_complete": True})
    found = {c.id: c for c in run_checks(profile, ee, AS_OF_DATE)}
    assert found["coursework.electrical_engineering"].status is Status.met


def test_no_courses_at_all_is_missing(program: LoadedProgram) -> None:
    assert status(program, "coursework.mathematics", courses=None) is Status.missing
    assert status(program, "coursework.mathematics", courses=[]) is Status.missing


def test_courses_without_the_subject_are_missing_with_a_hint(program: LoadedProgram) -> None:
    check = checks_of(program, courses=["Art History"])["coursework.physics"]
    assert check.status is Status.missing
    assert check.detail.startswith("No physics course listed: add it if taken")
    assert '"subject": "physics"' in check.detail
    assert "courses_complete" in check.detail and check.shortfall is None


def test_courses_without_the_subject_in_a_complete_list_are_not_met(
    program: LoadedProgram,
) -> None:
    check = checks_of(program, courses=["Art History"], courses_complete=True)["coursework.physics"]
    assert check.status is Status.not_met
    assert '"subject": "physics"' in check.detail and "declared complete" in check.detail
    assert check.shortfall == "no physics course"


# A counsellor's export: four courses, none of them statistics or physics.
FOUR = ["Calculus I", "Linear Algebra", "Data Structures", "Organic Chemistry"]


@pytest.mark.parametrize(
    ("complete", "expected"),
    [(None, Status.missing), (False, Status.missing), (True, Status.not_met)],
)
def test_a_four_course_list_is_partial_unless_declared_complete(
    program: LoadedProgram, complete: bool | None, expected: Status
) -> None:
    found = checks_of(program, courses=FOUR, courses_complete=complete)
    assert found["coursework.mathematics"].status is Status.met
    assert found["coursework.computer_science"].status is Status.met
    assert found["coursework.statistics"].status is expected
    assert found["coursework.physics"].status is expected
    profile = Profile.model_validate_json(
        json.dumps(eligible_profile(courses=FOUR, courses_complete=complete))
    )
    verdict = evaluate(profile, program, AS_OF_DATE).verdict
    assert verdict is (Verdict.ineligible if complete else Verdict.incomplete)


def test_an_unreadable_title_is_review_whether_or_not_the_list_is_complete(
    program: LoadedProgram,
) -> None:
    for complete in (False, True):
        courses = [*FOUR, "Xyzzy Seminar"]
        check = checks_of(program, courses=courses, courses_complete=complete)
        assert check["coursework.physics"].status is Status.review


def test_a_failed_course_alone_is_missing_in_a_partial_list(program: LoadedProgram) -> None:
    courses = [*FOUR, {"title": "Physics I", "grade": "F"}]
    partial = checks_of(program, courses=courses)["coursework.physics"]
    assert partial.status is Status.missing and "'Physics I' (grade F)" in partial.detail
    complete = checks_of(program, courses=courses, courses_complete=True)["coursework.physics"]
    assert complete.status is Status.not_met


COUNTED_RULES = """
[[programs]]
id = "counted"
name = "Counted coursework"
source = "fixture"
as_of = 2026-01-01

[[programs.coursework]]
subject = "mathematics"
min_courses = 2
source = "fixture"
quote = "two mathematics courses"

[[programs.coursework]]
subject = "physics"
min_credits = 6
source = "fixture"
quote = "six credits of physics"
"""


@pytest.mark.parametrize(
    ("complete", "expected"), [(False, Status.missing), (True, Status.not_met)]
)
def test_too_few_courses_or_credits_are_a_shortfall_only_in_a_complete_list(
    tmp_path: Path, complete: bool, expected: Status
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(COUNTED_RULES, encoding="utf-8")
    counted = load_catalog([path], builtin=False).get("counted")
    profile = Profile.model_validate(
        {
            "courses": [
                "Calculus I",
                {"title": "Physics I", "credits": 3},
                {"title": "Calculus II", "credits": 3},
            ],
            "courses_complete": complete,
        }
    )
    found = {c.id: c for c in run_checks(profile, counted, AS_OF_DATE)}
    assert found["coursework.mathematics"].status is Status.met
    physics = found["coursework.physics"]
    assert physics.status is expected
    assert physics.detail.startswith("3.0 credits in physics listed, 6.0 required")
    assert (physics.shortfall is not None) is complete
    one = Profile.model_validate(
        {"courses": ["Calculus I", "Physics I"], "courses_complete": complete}
    )
    maths = {c.id: c for c in run_checks(one, counted, AS_OF_DATE)}["coursework.mathematics"]
    assert maths.status is expected
    assert maths.detail.startswith("1 mathematics course listed, 2 required")


# --------------------------------------------------------------------------- materials


@pytest.mark.parametrize(
    ("letters", "expected"),
    [
        (None, Status.missing),
        (0, Status.missing),
        (1, Status.missing),
        (2, Status.met),
        (3, Status.met),
        (4, Status.met),
    ],
)
def test_letters_two_to_three(
    program: LoadedProgram, letters: int | None, expected: Status
) -> None:
    materials = eligible_profile()["materials"] | {"recommendation_letters": letters}
    assert status(program, "materials.recommendation_letters", materials=materials) is expected


@pytest.mark.parametrize(
    ("paid", "waiver", "expected"),
    [
        (True, None, Status.met),
        (None, True, Status.waived),
        (False, False, Status.missing),
        (None, None, Status.missing),
    ],
)
def test_fee_paid_waived_or_missing(
    program: LoadedProgram, paid: bool | None, waiver: bool | None, expected: Status
) -> None:
    materials = {"application_fee_paid": paid, "fee_waiver": waiver}
    assert status(program, "materials.application_fee", materials=materials) is expected


def test_documents_not_provided_are_missing(program: LoadedProgram) -> None:
    found = checks_of(program, materials={"resume": False})
    assert found["materials.resume"].status is Status.missing
    assert found["materials.statement_of_purpose"].status is Status.missing


# --------------------------------------------------------------------------- verdicts


def make(status: Status, category: Category = Category.gpa) -> Check:
    return Check("x", category, "x", status, "", None, "")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.met, Status.waived, Status.not_applicable], Verdict.eligible),
        ([Status.met, Status.not_met, Status.missing], Verdict.ineligible),
        ([Status.missing, Status.review], Verdict.incomplete),
        ([Status.review, Status.met], Verdict.review),
    ],
)
def test_verdict_order(statuses: list[Status], expected: Verdict) -> None:
    assert decide([make(s) for s in statuses]) is expected


def test_materials_count_only_when_required_complete() -> None:
    checks = [make(Status.met), make(Status.missing, Category.materials)]
    assert decide(checks) is Verdict.eligible
    assert decide(checks, require_complete=True) is Verdict.incomplete


def test_missing_materials_never_make_an_applicant_ineligible(program: LoadedProgram) -> None:
    profile = Profile.model_validate(eligible_profile(materials=None), strict=False)
    report = evaluate(profile, program, AS_OF_DATE)
    assert report.verdict is Verdict.eligible
    assert report.application_complete is False
    assert "materials.resume" in report.missing_materials


def test_evaluation_is_deterministic(program: LoadedProgram) -> None:
    profile = Profile.model_validate(eligible_profile(gpa=2.5), strict=False)
    first = evaluate(profile, program, AS_OF_DATE)
    assert evaluate(profile, program, AS_OF_DATE) == first


def test_rank_puts_the_best_verdict_first(program: LoadedProgram) -> None:
    good = evaluate(Profile.model_validate(eligible_profile(), strict=False), program, AS_OF_DATE)
    bad = evaluate(
        Profile.model_validate(eligible_profile(gpa=2.0), strict=False), program, AS_OF_DATE
    )
    assert rank([bad, good]) == [good, bad]


# --------------------------------------------------------------------------- helpers


def test_a_leap_day_score_expires_on_28_february() -> None:
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("value", "text"), [(3.0, "3.0"), (10, "10"), (8.4, "8.4"), (3.3571, "3.36"), (0.15, "0.15")]
)
def test_numbers_read_as_people_write_them(value: float, text: str) -> None:
    assert num(value) == text
