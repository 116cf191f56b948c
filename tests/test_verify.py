"""`programs verify`, its pure core: every quote on its saved page, every number in its quote."""

from __future__ import annotations

import pytest

from admitcheck.verify import citations, page_file, states, verify


@pytest.mark.parametrize(
    ("quote", "number"),
    [
        ("a minimum TOEFL score of 90/120", 90),
        ("IELTS 6.5 or higher", 6.5),
        ("a GPA of 3.0 on a 4.0 scale", 3),
        ("a GPA of 3 on a 4 point scale", 3.0),
        ("Contact three (3) individuals", 3),
        ("contact three individuals", 3),
        ("The application fee is $155.00.", 155),
        ("an overall band of 7 on the academic test", 7.0),
    ],
)
def test_a_quote_states_a_number_in_the_forms_pages_write_it(quote: str, number: float) -> None:
    assert states(quote, number)


@pytest.mark.parametrize(
    ("quote", "number"),
    [
        ("a minimum TOEFL score of 900", 90),  # inside a larger number
        ("IELTS 6.5", 6),  # 6 is not 6.5
        ("a fee of 1155 dollars", 155),
        ("version 3.05 of the page", 3),
    ],
)
def test_a_number_inside_another_is_not_stated(quote: str, number: float) -> None:
    assert not states(quote, number)


def test_page_file_names_are_the_url_made_safe() -> None:
    assert page_file("https://grad.ucla.edu/admissions/english-requirements/") == (
        "grad.ucla.edu_admissions_english-requirements.txt"
    )
    assert page_file("http://a.edu/x?y=1&z=2") == "a.edu_x_y_1_z_2.txt"


def test_verify_reports_a_changed_page_a_missing_page_and_an_invented_number() -> None:
    document = {
        "programs": [
            {
                "id": "p",
                "source": "https://a.edu/p",
                "gpa": {"minimum": 3.2, "quote": "a GPA of 3.0 is required", "read": "x"},
                "english": {"source": "https://b.edu/e", "quote": "TOEFL 90", "tests": []},
            }
        ]
    }
    found = verify(
        list(citations(document)), {page_file("https://a.edu/p"): "A GPA of 3.0  IS required."}
    )
    messages = sorted(f"{f.path}: {f.message}" for f in found)
    assert messages == [
        "programs[0].english: no saved page b.edu_e.txt",
        "programs[0].gpa: 3.2 is not in its quote (a typo or an invention)",
    ]


def test_a_test_with_its_own_quote_is_checked_against_it_not_the_rules() -> None:
    english = {
        "source": "https://a.edu/e",
        "quote": "TOEFL iBT 90",
        "tests": [
            {"test": "toefl", "minimum": 90},
            {"test": "ielts", "minimum": 7, "quote": "IELTS: 7.0 overall"},
        ],
    }
    found = list(citations({"english": english}))
    assert [(c.path, c.numbers) for c in found] == [
        ("english", (90.0,)),
        ("english.tests[1]", (7.0,)),
    ]
    page = {page_file("https://a.edu/e"): "Scores: TOEFL iBT 90. IELTS: 7.0 overall."}
    assert verify(found, page) == []
