"""The profile model: ranges, steps and shapes of the spec are enforced as input errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from admitcheck.models.profile import Profile
from admitcheck.problems import describe


def problems(document: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Profile.model_validate_json(json.dumps(document))
    return [str(p) for p in describe(caught.value, Profile)]


def test_every_field_is_optional() -> None:
    assert Profile.model_validate_json("{}") == Profile()


def test_the_spec_example_profile_is_valid() -> None:
    Profile.model_validate_json(
        (__import__("pathlib").Path("examples/priya-review.json")).read_bytes()
    )


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            {"tests": {"toefl": {"total": 121}}},
            "tests.toefl.total: must be at most 120, got 121",
        ),
        (
            {"tests": {"toefl": {"band": 4.25}}},
            "tests.toefl.band: must be a multiple of 0.5, got 4.25",
        ),
        (
            {"tests": {"toefl": {"reading": 25}}},
            "tests.toefl: a TOEFL score needs its 0-120 'total' or its 1-6 'band'",
        ),
        (
            {"tests": {"toefl": {"band": 4.5, "date": "2025-06-01"}}},
            "tests.toefl: a TOEFL test of 2025-06-01 has no 1-6 band: the band is reported for tests from 2026-01-21; give its 'total'",
        ),
        (
            {"tests": {"ielts": {"overall": 6.3}}},
            "tests.ielts.overall: must be a multiple of 0.5, got 6.3",
        ),
        (
            {"tests": {"ielts": {"overall": 9.5}}},
            "tests.ielts.overall: must be at most 9, got 9.5",
        ),
        (
            {"tests": {"pte": {"overall": 9}}},
            "tests.pte.overall: must be at least 10, got 9",
        ),
        (
            {"tests": {"gre": {"verbal": 171, "quant": 160}}},
            "tests.gre.verbal: must be at most 170, got 171",
        ),
        (
            {"tests": {"gre": {"verbal": 150, "writing": 4.2}}},
            "tests.gre.writing: must be a multiple of 0.5, got 4.2",
        ),
        (
            {"tests": {"gre": {"total": 259}}},
            "tests.gre.total: must be at least 260, got 259",
        ),
        (
            {"tests": {"gre": {"verbal": 150, "quant": 160, "total": 300}}},
            "tests.gre: GRE total 300 does not equal verbal 150 + quant 160 = 310",
        ),
        (
            {"tests": {"gmat": {"total": 805, "edition": "classic"}}},
            "tests.gmat: GMAT total 805 is not a valid classic score (200-800)",
        ),
        (
            {"tests": {"gmat": {"total": 200, "edition": "focus"}}},
            "tests.gmat: GMAT total 200 is not a valid focus score (205-805)",
        ),
        (
            {"tests": {"gmat": {"total": 643}}},
            "tests.gmat: GMAT total 643 is not a valid classic score (200-800)",
        ),
        (
            {"gpa": 4.5},
            "gpa: GPA 4.5 is above its scale 4; give the scale the GPA is on (for example a 10-point CGPA needs scale 10)",
        ),
        ({"gpa": -1}, "gpa.value: must be at least 0, got -1"),
        (
            {"gpa": {"value": 11, "scale": 10}},
            "gpa: GPA 11 is above its scale 10; give the scale the GPA is on (for example a 10-point CGPA needs scale 10)",
        ),
        (
            {"degree": {"level": "phd"}},
            "degree.level: expected one of: none, diploma, associate, bachelor, master, doctorate; got 'phd'",
        ),
        (
            {"gpa": "3.5"},
            'gpa: a GPA is a number (on the 4.0 scale) or {"value": ..., "scale": ...}, not text',
        ),
        ({"gpa": {"value": "3.5"}}, "gpa.value: expected a number, got '3.5'"),
        ({"international": "yes"}, "international: expected true or false, got 'yes'"),
        (
            {"materials": {"recommendation_letters": True}},
            "materials.recommendation_letters: expected a whole number, got true",
        ),
        (
            {"tests": {"toefl": {"total": 100, "date": "2025-13-01"}}},
            "tests.toefl.date: expected a date like 2025-06-14, got '2025-13-01'",
        ),
        ({"nmae": "x"}, "nmae: unknown field 'nmae'; did you mean 'name'?"),
        (
            {"zzz": 1},
            "zzz: unknown field 'zzz'; known fields: id, name, international, citizenship, permanent_resident, degree, gpa, tests, courses, courses_complete, materials",
        ),
        (
            {"tests": {"tofel": {"total": 100}}},
            "tests.tofel: unknown field 'tofel'; did you mean 'toefl'?",
        ),
        (
            {"courses": [{"title": "Calculus", "subjct": "mathematics"}]},
            "courses[0].subjct: unknown field 'subjct'; did you mean 'subject'?",
        ),
    ],
)
def test_input_errors_name_the_field_and_what_was_expected(
    document: dict[str, Any], expected: str
) -> None:
    assert expected in problems(document)


def test_gpa_as_a_bare_number_is_on_a_four_point_scale() -> None:
    profile = Profile.model_validate_json('{"gpa": 3.2}')
    assert profile.gpa is not None and (profile.gpa.value, profile.gpa.scale) == (3.2, 4.0)


def test_courses_may_be_plain_strings() -> None:
    profile = Profile.model_validate_json('{"courses": ["Calculus", {"title": "Physics I"}]}')
    assert [c.title for c in profile.courses or []] == ["Calculus", "Physics I"]


def test_gmat_edition_is_inferred_from_the_last_digit() -> None:
    Profile.model_validate_json('{"tests": {"gmat": {"total": 805}}}')
    Profile.model_validate_json('{"tests": {"gmat": {"total": 200}}}')


def test_nan_and_infinity_are_not_numbers() -> None:
    with pytest.raises(ValidationError):
        Profile.model_validate_json('{"gpa": NaN}')
    with pytest.raises(ValidationError):
        Profile.model_validate_json('{"gpa": Infinity}')


def test_numeric_ids_are_kept_as_text() -> None:
    assert Profile.model_validate_json('{"id": 1024}').id == "1024"


def test_unfilled_template_scores_are_absent_and_filled_ones_kept() -> None:
    template = (
        b'{"tests": {"toefl": {"total": null, "date": null}, "ielts": {"overall": 7.0},'
        b' "other": [{"test": null, "score": null}, {"test": "Aptis", "score": "C1"}]}}'
    )
    tests = Profile.model_validate_json(template).tests
    assert tests is not None
    assert tests.toefl is None
    assert tests.ielts is not None and tests.ielts.overall == 7.0
    assert [other.test for other in tests.other] == ["Aptis"]
