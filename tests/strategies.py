"""Hypothesis strategies shared by the property tests: any JSON, and valid profiles."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
PROFILE_KEYS = ["id", "name", "international", "degree", "gpa", "tests", "courses", "materials"]
PROFILE_LIKE = st.dictionaries(st.sampled_from(PROFILE_KEYS), JSON_VALUES, max_size=6)

TEST_DATES = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 11, 24)).map(str)

DEGREE_FIELDS = [
    "Electrical Engineering",
    "B.Tech ECE",
    "Physics",
    "History",
    "Data Science",
    "Comp Sci",
    "Underwater Basket Weaving",
]
COURSE_TITLES = [
    "Calculus",
    "Statistics",
    "Programming",
    "Physics",
    "Art",
    "Engineering Maths II",
    "CS 101",
    "Statistical Mechanics",
    "Special Topics",
]


def scores() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "toefl": st.fixed_dictionaries(
                {"total": st.integers(0, 120)}, optional={"date": TEST_DATES}
            ),
            "ielts": st.fixed_dictionaries(
                {"overall": st.integers(0, 18).map(lambda x: x / 2)}, optional={"date": TEST_DATES}
            ),
            "pte": st.fixed_dictionaries(
                {"overall": st.integers(10, 90)}, optional={"date": TEST_DATES}
            ),
            "gre": st.fixed_dictionaries(
                {"verbal": st.integers(130, 170), "quant": st.integers(130, 170)},
                optional={"date": TEST_DATES},
            ),
            "gmat": st.fixed_dictionaries(
                {"total": st.integers(20, 80).map(lambda x: x * 10)}, optional={"date": TEST_DATES}
            ),
        },
    )


def valid_profiles() -> st.SearchStrategy[dict[str, Any]]:
    """Profiles that validate (test dates up to 2026-11-24), as JSON documents."""
    return st.fixed_dictionaries(
        {},
        optional={
            "id": st.text(max_size=10),
            "name": st.text(max_size=30),
            "international": st.booleans(),
            "citizenship": st.sampled_from(["India", "United States", "UK", "Nigeria"]),
            "degree": st.fixed_dictionaries(
                {},
                optional={
                    "level": st.sampled_from(
                        ["none", "diploma", "associate", "bachelor", "master", "doctorate"]
                    ),
                    "field": st.sampled_from(DEGREE_FIELDS),
                    "status": st.sampled_from(["completed", "in_progress"]),
                    "country": st.sampled_from(["India", "United States", "England", "Germany"]),
                },
            ),
            "gpa": st.one_of(
                st.floats(0, 4).map(lambda x: round(x, 2)),
                st.fixed_dictionaries(
                    {"value": st.floats(0, 10).map(lambda x: round(x, 2)), "scale": st.just(10)}
                ),
            ),
            "tests": scores(),
            "courses": st.lists(
                st.one_of(
                    st.sampled_from(COURSE_TITLES),
                    st.fixed_dictionaries(
                        {"title": st.sampled_from(COURSE_TITLES)},
                        optional={
                            "subject": st.sampled_from(["mathematics", "physics"]),
                            "grade": st.sampled_from(["A", "F", "W", "B+", "IP"]),
                        },
                    ),
                ),
                max_size=6,
            ),
            "materials": st.fixed_dictionaries(
                {},
                optional={
                    "statement_of_purpose": st.booleans(),
                    "resume": st.booleans(),
                    "transcripts": st.booleans(),
                    "recommendation_letters": st.integers(0, 6),
                    "application_fee_paid": st.booleans(),
                    "fee_waiver": st.booleans(),
                },
            ),
        },
    )
