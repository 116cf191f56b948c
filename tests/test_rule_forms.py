"""Rule forms every kind has (requirements/base.py) and the forms of single kinds: facts +
rule -> status and wording, with rules written inline so a catalogue update never breaks
them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from admitcheck.catalog import load_catalog
from admitcheck.errors import RulesError
from admitcheck.evaluate import evaluate, run_checks
from admitcheck.models.profile import Profile
from admitcheck.models.program import LoadedProgram
from admitcheck.models.report import Check
from admitcheck.vocabulary import Status, Verdict
from tests.conftest import AS_OF_DATE

HEAD = """
format = 1

[[institutions]]
id = "forms-u"
name = "Forms University"
country = "US"

[[programs]]
id = "forms"
name = "Forms MS"
institution = "forms-u"
source = "https://example.edu/forms"
as_of = 2026-11-25
"""


def program_of(tmp_path: Path, rules: str) -> LoadedProgram:
    path = tmp_path / "rules.toml"
    path.write_text(HEAD + rules, encoding="utf-8")
    return load_catalog([path], builtin=False).get("forms")


def checks_of(program: LoadedProgram, **profile: Any) -> dict[str, Check]:
    found = Profile.model_validate(profile, strict=False)
    return {c.id: c for c in run_checks(found, program, AS_OF_DATE)}


def one(program: LoadedProgram, check_id: str, **profile: Any) -> Check:
    return checks_of(program, **profile)[check_id]


GPA = """
[programs.gpa]
quote = "A minimum GPA of 3.0 is required; exceptions are made case by case."
minimum = 3.0
"""

# --------------------------------------------------------------------------- case_by_case


@pytest.fixture
def case_by_case(tmp_path: Path) -> LoadedProgram:
    return program_of(tmp_path, GPA + "case_by_case = true\n")


def test_case_by_case_turns_a_shortfall_into_review_quoting_the_rule(
    case_by_case: LoadedProgram,
) -> None:
    check = one(case_by_case, "gpa", gpa=2.9)
    assert check.status is Status.review
    assert check.detail.startswith("GPA 2.9 is 0.1 below 3.0.")
    assert '("A minimum GPA of 3.0 is required; exceptions are made case by case.")' in (
        check.detail
    )
    assert check.shortfall == "0.1 below 3.0"


def test_case_by_case_leaves_met_and_missing_alone(case_by_case: LoadedProgram) -> None:
    assert one(case_by_case, "gpa", gpa=3.0).status is Status.met
    assert one(case_by_case, "gpa").status is Status.missing


def test_case_by_case_as_a_note_or_with_a_page_of_its_own(tmp_path: Path) -> None:
    noted = program_of(tmp_path, GPA + 'case_by_case = "The committee may admit others"\n')
    check = one(noted, "gpa", gpa=2.5)
    assert check.status is Status.review
    assert "The committee may admit others." in check.detail
    cited = program_of(
        tmp_path,
        GPA + 'case_by_case = { source = "https://example.edu/faq", quote = "Lower GPAs are '
        'reviewed individually." }\n',
    )
    check = one(cited, "gpa", gpa=2.5)
    assert '("Lower GPAs are reviewed individually.")' in check.detail
    assert "exceptions are made" not in check.detail


def test_case_by_case_is_noted_in_the_rule_shown(case_by_case: LoadedProgram) -> None:
    (gpa,) = [r for r in case_by_case.requirements if r.check_id == "gpa"]
    assert gpa.notes == ("decided case by case",)


def test_case_by_case_false_is_off(tmp_path: Path) -> None:
    program = program_of(tmp_path, GPA + "case_by_case = false\n")
    assert one(program, "gpa", gpa=2.9).status is Status.not_met


# --------------------------------------------------------------------------- preferred

PREFERRED_MATH = """
[[programs.coursework]]
subject = "mathematics"
quote = "Coursework in linear algebra is preferred."
preferred = true
"""


@pytest.fixture
def preferred(tmp_path: Path) -> LoadedProgram:
    return program_of(tmp_path, PREFERRED_MATH)


def test_a_preferred_course_found_is_met(preferred: LoadedProgram) -> None:
    assert one(preferred, "coursework.mathematics", courses=["Linear Algebra"]).status is (
        Status.met
    )


@pytest.mark.parametrize(
    "courses",
    [None, ["Art History"], ["Zyxology 101"]],
    ids=["none listed", "another subject", "unrecognised"],
)
def test_a_preferred_course_not_shown_is_a_note_never_a_shortfall(
    preferred: LoadedProgram, courses: list[str] | None
) -> None:
    check = one(preferred, "coursework.mathematics", courses=courses)
    assert check.status is Status.not_applicable
    assert check.detail.startswith("Preferred, not required")
    assert check.shortfall is None


def test_a_preferred_rule_never_changes_the_verdict(preferred: LoadedProgram) -> None:
    profile = Profile.model_validate({"courses": ["Art History"]})
    assert evaluate(profile, preferred, AS_OF_DATE).verdict is Verdict.eligible


# --------------------------------------------------------------------------- when

OUTSIDE_COMPUTING = """
[[programs.coursework]]
subject = "computer_science"
quote = "Applicants without a computing degree must have taken programming."
when = { degree_outside_areas = ["computing"] }
"""


@pytest.fixture
def conditional(tmp_path: Path) -> LoadedProgram:
    return program_of(tmp_path, OUTSIDE_COMPUTING)


def degree(field: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"level": "bachelor"}
    if field is not None:
        found["field"] = field
    return found


def test_a_condition_that_does_not_hold_is_not_applicable(conditional: LoadedProgram) -> None:
    check = one(
        conditional,
        "coursework.computer_science",
        degree=degree("Computer Science"),
        courses=["Linear Algebra"],
    )
    assert check.status is Status.not_applicable
    assert check.detail == (
        "Applies only to applicants whose degree is outside computer and information "
        "sciences: 'Computer Science' reads as computer science."
    )


def test_a_condition_that_holds_checks_the_rule(conditional: LoadedProgram) -> None:
    outside = degree("Electrical Engineering")
    check = one(
        conditional,
        "coursework.computer_science",
        degree=outside,
        courses=["Calculus"],
        courses_complete=True,
    )
    assert check.status is Status.not_met
    assert "Applies only" not in check.detail
    met = one(conditional, "coursework.computer_science", degree=outside, courses=["CS 101"])
    assert met.status is Status.met


def test_a_condition_on_an_absent_field_is_missing(conditional: LoadedProgram) -> None:
    check = one(conditional, "coursework.computer_science", degree=degree(None), courses=["Art"])
    assert check.status is Status.missing
    assert "no degree field is given (add degree.field)" in check.detail


def test_a_condition_on_an_unrecognised_field_is_review(conditional: LoadedProgram) -> None:
    odd = degree("Zyxology")
    check = one(
        conditional,
        "coursework.computer_science",
        degree=odd,
        courses=["Art History"],
        courses_complete=True,
    )
    assert check.status is Status.review
    assert "'Zyxology' is not a field the taxonomy recognises" in check.detail
    # Met whether or not it applies: an undecided condition changes nothing.
    met = one(conditional, "coursework.computer_science", degree=odd, courses=["CS 101"])
    assert met.status is Status.met


def test_a_condition_on_residency(tmp_path: Path) -> None:
    program = program_of(tmp_path, GPA + "when = { international = true }\n")
    assert one(program, "gpa", international=False, gpa=2.0).status is Status.not_applicable
    assert one(program, "gpa", international=True, gpa=2.0).status is Status.not_met
    # A citizen of the institution's country is domestic when international is not given.
    assert one(program, "gpa", citizenship="USA", gpa=2.0).status is Status.not_applicable
    unknown = one(program, "gpa", gpa=2.0)
    assert unknown.status is Status.missing
    assert "set international" in unknown.detail


def test_the_memo_keeps_conditions_apart(tmp_path: Path) -> None:
    program = program_of(
        tmp_path, GPA + 'when = { degree_areas = ["engineering"] }\n'
    )  # gpa checks are memoised by their facts: the condition's facts must be in the key
    engineer = one(program, "gpa", gpa=2.0, degree=degree("Civil Engineering"))
    historian = one(program, "gpa", gpa=2.0, degree=degree("History"))
    assert (engineer.status, historian.status) == (Status.not_met, Status.not_applicable)


def test_a_condition_is_noted_in_the_rule_shown(conditional: LoadedProgram) -> None:
    (rule,) = conditional.requirements
    assert rule.notes == (
        "applies only to applicants whose degree is outside computer and information sciences",
    )


def test_an_empty_condition_is_a_rules_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as raised:
        program_of(tmp_path, GPA + "when = {}\n")
    assert "degree_areas, degree_outside_areas or international" in str(raised.value)


# --------------------------------------------------------------------------- gpa: two levels

TWO_LEVELS = """
[programs.gpa]
quote = "A GPA of 3.0 is required for full admission; 2.75 for limited status."
minimum = 3.0
conditional_minimum = 2.75
conditional_note = "limited status admission"
scale_minimums = [
  { scale = 10, minimum = 7.5, conditional_minimum = 7.0 },
  { scale = 5, best = 1, minimum = 2.5, conditional_minimum = 3.0 },
]
"""


@pytest.fixture
def two_levels(tmp_path: Path) -> LoadedProgram:
    return program_of(tmp_path, TWO_LEVELS)


@pytest.mark.parametrize(
    ("gpa", "expected"),
    [
        (3.0, Status.met),
        (2.99, Status.review),
        (2.75, Status.review),
        (2.74, Status.not_met),
        ({"value": 7.5, "scale": 10}, Status.met),
        ({"value": 7.0, "scale": 10}, Status.review),
        ({"value": 6.9, "scale": 10}, Status.not_met),
        ({"value": 2.5, "scale": 5, "best": 1}, Status.met),
        ({"value": 3.0, "scale": 5, "best": 1}, Status.review),
        ({"value": 3.1, "scale": 5, "best": 1}, Status.not_met),
    ],
)
def test_two_gpa_levels_met_review_not_met(
    two_levels: LoadedProgram, gpa: Any, expected: Status
) -> None:
    assert one(two_levels, "gpa", gpa=gpa).status is expected


def test_between_the_two_gpa_levels_names_the_condition(two_levels: LoadedProgram) -> None:
    check = one(two_levels, "gpa", gpa=2.8)
    assert check.required == "3.0 / 4.0 (2.75 for limited status admission)"
    (rule,) = two_levels.requirements
    assert rule.required == (
        "3.0 / 4.0 (2.75 for limited status admission); 7.5 / 10 (7.0 for limited status "
        "admission); 2.5 or better on 1.0-5.0 (1.0 best) (3.0 for limited status admission)"
    )
    assert check.detail == (
        "GPA 2.8 is below the 3.0 for full admission but reaches the 2.75 for limited status "
        "admission: a person must judge whether that admission applies."
    )
    assert check.shortfall is None


def test_below_the_lower_gpa_level_measures_from_it(two_levels: LoadedProgram) -> None:
    check = one(two_levels, "gpa", gpa=2.5)
    assert check.shortfall == "0.25 below 2.75"
    assert "3.0 for full admission" in check.detail


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("conditional_minimum = 3.2", "must be below minimum 3"),
        ('conditional_minimum = 2.5\nthreshold = "recommended"', 'needs threshold = "minimum"'),
        ('conditional_note = "limited"', "needs a conditional_minimum"),
    ],
)
def test_inconsistent_gpa_levels_are_rules_errors(tmp_path: Path, keys: str, message: str) -> None:
    with pytest.raises(RulesError) as raised:
        program_of(tmp_path, f"[programs.gpa]\nminimum = 3.0\n{keys}\n")
    assert message in str(raised.value) + " ".join(raised.value.details)


# --------------------------------------------------------------------------- degree: preferred

PREFERRED_FIELDS = """
[programs.degree]
quote = "Any bachelor's; a degree in computer science or mathematics is preferred."
preferred_areas = ["computing.cs", "mathematics"]
"""


@pytest.mark.parametrize(
    ("field", "note"),
    [
        (
            "Computer Science",
            "'computer science' is computer science, a field the program prefers.",
        ),
        (
            "History",
            "'History' is not in a field the program prefers (computer science or mathematics); "
            "preferred, not required.",
        ),
        ("Zyxology", "whether 'Zyxology' is one a person may judge."),
        (None, "The program prefers a degree in computer science or mathematics"),
    ],
)
def test_a_preferred_field_is_a_note_never_a_status(
    tmp_path: Path, field: str | None, note: str
) -> None:
    check = one(program_of(tmp_path, PREFERRED_FIELDS), "degree", degree=degree(field))
    assert check.status is Status.met
    assert note in check.detail


# --------------------------------------------------------------------------- degree: bar

BAR = """
[programs.degree]
quote = "A bachelor's degree in engineering."
areas = ["engineering"]
related_areas = ["computing"]

[programs.degree.bar]
source = "https://example.edu/faq"
quote = "Applicants who already hold a Masters degree in Electrical Engineering or Computer Science should not apply"
min_level = "master"
areas = ["engineering.electrical", "computing.cs"]
related_areas = ["computing", "engineering.computer"]
"""


def held(level: str, field: str | None = None, **more: Any) -> dict[str, Any]:
    return {"level": level, **({"field": field} if field else {}), **more}


@pytest.mark.parametrize(
    ("degree_", "expected"),
    [
        (held("bachelor", "Electrical Engineering"), Status.met),
        (held("master", "Mechanical Engineering"), Status.met),
        (held("master", "Electrical Engineering"), Status.not_met),
        (held("doctorate", "Electrical Engineering"), Status.not_met),
        (held("master", "Information Technology"), Status.review),
        (held("master", "Zyxology"), Status.review),
        (held("master", "Electrical Engineering", status="in_progress"), Status.review),
        (held("master"), Status.missing),
    ],
)
def test_a_bar_on_holders_of_an_equivalent_degree(
    tmp_path: Path, degree_: dict[str, Any], expected: Status
) -> None:
    assert one(program_of(tmp_path, BAR), "degree", degree=degree_).status is expected


def test_a_bar_quotes_the_page_and_names_the_shortfall(tmp_path: Path) -> None:
    check = one(program_of(tmp_path, BAR), "degree", degree=held("master", "Computer Science"))
    assert check.status is Status.not_met
    assert '("Applicants who already hold a Masters degree' in check.detail
    assert check.shortfall == (
        "already holds a master's degree in electrical and electronics engineering or computer "
        "science"
    )


def test_a_bar_judged_case_by_case_is_review(tmp_path: Path) -> None:
    program = program_of(tmp_path, BAR + 'case_by_case = "Equivalence is judged by the school"\n')
    check = one(program, "degree", degree=held("master", "Electrical Engineering"))
    assert check.status is Status.review
    assert "Equivalence is judged by the school." in check.detail


# --------------------------------------------------------------------------- degree: length

FOUR_YEARS = """
[programs.degree]
quote = "The equivalent of a four-year bachelor's degree."
min_years = 4
"""


def bachelor(years: int | None, country: str = "India") -> dict[str, Any]:
    found: dict[str, Any] = {"level": "bachelor", "field": "Physics", "country": country}
    if years is not None:
        found["years"] = years
    return found


@pytest.mark.parametrize(
    ("years", "expected"), [(4, Status.met), (5, Status.met), (3, Status.not_met)]
)
def test_a_minimum_length_of_a_bachelors(tmp_path: Path, years: int, expected: Status) -> None:
    check = one(program_of(tmp_path, FOUR_YEARS), "degree", degree=bachelor(years))
    assert check.status is expected


def test_a_minimum_length_names_the_shortfall(tmp_path: Path) -> None:
    check = one(program_of(tmp_path, FOUR_YEARS), "degree", degree=bachelor(3))
    assert check.detail == "A 3-year bachelor's degree from India is not accepted."
    assert check.shortfall == "a 3-year bachelor's degree is not accepted"


def test_an_unknown_length_is_noted_when_the_rule_is_for_every_country(tmp_path: Path) -> None:
    check = one(program_of(tmp_path, FOUR_YEARS), "degree", degree=bachelor(None))
    assert check.status is Status.met
    assert "add degree.years" in check.detail


def test_a_length_in_other_years(tmp_path: Path) -> None:
    program = program_of(tmp_path, FOUR_YEARS.replace("min_years = 4", "min_years = 3"))
    assert one(program, "degree", degree=bachelor(3)).status is Status.met
    short = one(program, "degree", degree=bachelor(2))
    assert short.status is Status.not_met
    assert "shorter than the 3 years the program asks for" in short.detail


THREE_YEAR_CASE_BY_CASE = """
[programs.degree]
quote = "A bachelor's degree."

[programs.degree.three_year]
source = "https://example.edu/intl"
quote = "Three-year degrees are evaluated individually."
case_by_case = true
"""


def test_a_short_degree_decided_case_by_case_is_review_quoted(tmp_path: Path) -> None:
    program = program_of(tmp_path, THREE_YEAR_CASE_BY_CASE)
    check = one(program, "degree", degree=bachelor(3))
    assert check.status is Status.review
    assert check.detail.startswith("A 3-year bachelor's degree from India is shorter than 4 years.")
    assert '("Three-year degrees are evaluated individually.")' in check.detail
    assert one(program, "degree", degree=bachelor(4)).status is Status.met


@pytest.mark.parametrize(
    ("bologna", "country", "expected"),
    [
        ("accepted", "Germany", Status.met),
        ("accepted", "United Kingdom", Status.met),
        ("accepted", "India", Status.not_met),
        ("case_by_case", "Italy", Status.review),
        ("case_by_case", "India", Status.not_met),
    ],
)
def test_three_year_bologna_degrees(
    tmp_path: Path, bologna: str, country: str, expected: Status
) -> None:
    program = program_of(
        tmp_path,
        FOUR_YEARS.replace("min_years = 4", "")
        + f'[programs.degree.three_year]\nbologna = "{bologna}"\n',
    )
    check = one(program, "degree", degree=bachelor(3, country))
    assert check.status is expected
    if country != "India":
        assert "a first-cycle Bologna degree (180 ECTS)" in check.detail


def test_min_years_and_three_year_together_is_a_rules_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as raised:
        program_of(tmp_path, FOUR_YEARS + "[programs.degree.three_year]\ncountries = ['India']\n")
    assert "put min_years in three_year" in str(raised.value) + " ".join(raised.value.details)


# --------------------------------------------------------------------------- materials: fees

FEE = "materials.application_fee"


def fee_program(tmp_path: Path, fee: str) -> LoadedProgram:
    return program_of(
        tmp_path,
        f'[programs.materials]\nquote = "The fee is $135 for U.S. citizens; $155 for others."\n'
        f"fee = {{ {fee} }}\n",
    )


def fee_check(program: LoadedProgram, paid: bool | None, waiver: bool | None, **who: Any) -> Check:
    materials = {"application_fee_paid": paid, "fee_waiver": waiver}
    return one(program, FEE, materials=materials, **who)


@pytest.fixture
def by_residency(tmp_path: Path) -> LoadedProgram:
    return fee_program(tmp_path, 'amount = 155, currency = "USD", domestic_amount = 135')


@pytest.mark.parametrize(
    ("who", "required"),
    [
        ({"international": True}, "USD 155"),
        ({"international": False}, "USD 135 (domestic applicants)"),
        ({"permanent_resident": True}, "USD 135 (domestic applicants)"),
        ({}, "USD 155 (USD 135 for domestic applicants)"),
    ],
)
def test_a_fee_by_residency_shows_the_applicants_amount(
    by_residency: LoadedProgram, who: dict[str, Any], required: str
) -> None:
    check = fee_check(by_residency, True, None, **who)
    assert (check.status, check.required) == (Status.met, required)


def test_a_fee_by_residency_is_still_waivable_by_default(by_residency: LoadedProgram) -> None:
    assert fee_check(by_residency, None, True, international=True).status is Status.waived
    (rule,) = [r for r in by_residency.requirements if r.check_id == FEE]
    assert rule.required == "USD 155 (USD 135 for domestic applicants)"


@pytest.fixture
def never_waived(tmp_path: Path) -> LoadedProgram:
    return fee_program(
        tmp_path,
        "amount = 155, waivable = false, waiver_source = { source = "
        '"https://example.edu/fees", quote = "We cannot offer waivers of the application fee." }',
    )


def test_a_fee_never_waived_ignores_a_recorded_waiver(never_waived: LoadedProgram) -> None:
    check = fee_check(never_waived, None, True)
    assert check.status is Status.missing
    assert check.actual == "fee waiver (not granted here)"
    assert check.detail == (
        "The fee waiver recorded is not one this program grants: this program grants no fee "
        'waivers ("We cannot offer waivers of the application fee."). Pay the fee.'
    )
    assert fee_check(never_waived, True, True).status is Status.met
    unpaid = fee_check(never_waived, False, None)
    assert unpaid.detail == "Not paid yet (this program grants no fee waivers)."


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ({"international": False}, Status.waived),
        ({"citizenship": "United States"}, Status.waived),
        ({"international": True}, Status.missing),
        ({}, Status.missing),
    ],
)
def test_a_fee_waivable_for_domestic_applicants_only(
    tmp_path: Path, who: dict[str, Any], expected: Status
) -> None:
    program = fee_program(tmp_path, 'amount = 125, waivable_for = "domestic"')
    check = fee_check(program, None, True, **who)
    assert check.status is expected
    if not who:
        assert "set international" in check.detail
    elif expected is Status.missing:
        assert "not one this program grants" in check.detail
        assert "domestic applicants only" in check.detail


@pytest.mark.parametrize(
    ("fee", "message"),
    [
        ('amount = 90, waivable = false, waivable_for = "domestic"', "drop waivable_for"),
        (
            'amount = 90, waiver_source = { source = "https://example.edu", quote = "x" }',
            "give waivable = false or waivable_for",
        ),
    ],
)
def test_inconsistent_fee_waiver_terms_are_rules_errors(
    tmp_path: Path, fee: str, message: str
) -> None:
    with pytest.raises(RulesError) as raised:
        fee_program(tmp_path, fee)
    assert message in str(raised.value) + " ".join(raised.value.details)
