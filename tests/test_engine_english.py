"""The English kind's rule forms, one at a time: facts + rule -> status and wording.

Rules come from the fixture programs at the end of tests/data/engine-program.toml, so a
catalogue update never changes these tests.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from admitcheck.catalog import load_catalog
from admitcheck.evaluate import run_checks
from admitcheck.models.profile import Profile
from admitcheck.models.program import Catalog
from admitcheck.models.report import Check
from admitcheck.vocabulary import Status
from tests.conftest import AS_OF_DATE, ENGINE_RULES


@pytest.fixture(scope="module")
def fixtures() -> Catalog:
    return load_catalog([ENGINE_RULES], builtin=False)


def english(fixtures: Catalog, program: str, as_of: date = AS_OF_DATE, **profile: Any) -> Check:
    """The english check of a fixture program for an international applicant (unless
    `profile` says otherwise)."""
    document = {"international": True, **profile}
    checks = run_checks(
        Profile.model_validate_json(json.dumps(document)), fixtures.get(program), as_of
    )
    return next(c for c in checks if c.id == "english")


# --------------------------------------------------------------- section minimums, no sections


@pytest.mark.parametrize(
    "score",
    [
        {"toefl": {"total": 110, "date": "2025-06-01"}},
        {"toefl": {"band": 5.5, "date": "2026-03-01"}},
        {"ielts": {"overall": 8.5, "date": "2025-06-01"}},
        {"pte": {"overall": 80, "date": "2025-06-01"}},
    ],
    ids=["toefl-total", "toefl-band", "ielts", "pte"],
)
def test_a_score_without_its_sections_cannot_meet_section_minimums(
    fixtures: Catalog, score: dict[str, Any]
) -> None:
    check = english(fixtures, "engine-english-sections", tests=score)
    assert check.status is Status.missing
    assert "section minimums" in check.detail and "add them from the score report" in check.detail


def test_a_band_alone_names_its_equivalence_and_asks_for_the_sections(fixtures: Catalog) -> None:
    check = english(
        fixtures, "engine-english-sections", tests={"toefl": {"band": 5.5, "date": "2026-03-01"}}
    )
    assert "band 4.5 (86-94)" in check.detail
    assert "reading, listening, speaking and writing are not given" in check.detail


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        ({"reading": 19, "listening": 24, "speaking": 24, "writing": 23}, Status.met),
        ({"reading": 18, "listening": 25, "speaking": 24, "writing": 23}, Status.not_met),
        ({"reading": 19, "listening": 24, "speaking": 24}, Status.missing),
    ],
    ids=["at-the-minimum", "one-below", "writing-absent"],
)
def test_toefl_sections_at_and_beside_their_minimum(
    fixtures: Catalog, sections: dict[str, int], expected: Status
) -> None:
    score = {"total": 90, **sections, "date": "2025-06-01"}
    check = english(fixtures, "engine-english-sections", tests={"toefl": score})
    assert check.status is expected


def test_ielts_bands_and_pte_parts_meet_their_minimums(fixtures: Catalog) -> None:
    ielts = {"overall": 7.0, "reading": 6.5, "listening": 6.5, "speaking": 6.5, "writing": 5.5}
    assert english(fixtures, "engine-english-sections", tests={"ielts": ielts}).status is Status.met
    low = ielts | {"writing": 5.0}
    assert english(fixtures, "engine-english-sections", tests={"ielts": low}).status is (
        Status.not_met
    )
    pte = {"overall": 65, "reading": 58, "listening": 58, "speaking": 58, "writing": 58}
    assert english(fixtures, "engine-english-sections", tests={"pte": pte}).status is Status.met
    partial = {"overall": 65, "reading": 58}
    check = english(fixtures, "engine-english-sections", tests={"pte": partial})
    assert check.status is Status.missing
    assert "listening, speaking and writing are not given" in check.detail


def test_recommended_sections_not_given_go_to_a_person(fixtures: Catalog) -> None:
    check = english(
        fixtures, "engine-english-recommended", tests={"toefl": {"total": 95, "date": "2025-06-01"}}
    )
    assert check.status is Status.review
    assert "recommended scores, not minimums" in check.detail
    band = english(
        fixtures, "engine-english-recommended", tests={"toefl": {"band": 5.0, "date": "2026-03-01"}}
    )
    assert band.status is Status.review


# --------------------------------------------------------------- accepted, no minimum published


@pytest.mark.parametrize(
    "score",
    [{"ielts": {"overall": 8.0, "date": "2025-06-01"}}, {"duolingo": {"overall": 90}}],
    ids=["ielts", "duolingo"],
)
def test_a_test_accepted_without_a_minimum_is_reviewed_never_missing(
    fixtures: Catalog, score: dict[str, Any]
) -> None:
    check = english(fixtures, "engine-english-open", tests=score)
    assert check.status is Status.review
    assert "accepted; no minimum published" in check.detail


def test_the_page_saying_there_is_no_minimum_is_quoted_as_such(fixtures: Catalog) -> None:
    check = english(fixtures, "engine-english-open", tests={"duolingo": {"overall": 90}})
    assert "states that there is none" in check.detail
    ielts = english(fixtures, "engine-english-open", tests={"ielts": {"overall": 5.0}})
    assert "publishes none" in ielts.detail


def test_a_minimum_met_elsewhere_still_decides(fixtures: Catalog) -> None:
    tests = {"toefl": {"total": 100, "date": "2025-06-01"}, "ielts": {"overall": 6.0}}
    assert english(fixtures, "engine-english-open", tests=tests).status is Status.met
    short = {"toefl": {"total": 99, "date": "2025-06-01"}, "ielts": {"overall": 6.0}}
    # The TOEFL falls short, but the IELTS has no minimum to fall short of: a person judges.
    assert english(fixtures, "engine-english-open", tests=short).status is Status.review


def test_an_expired_score_of_an_open_test_does_not_count(fixtures: Catalog) -> None:
    check = english(
        fixtures, "engine-english-open", tests={"ielts": {"overall": 8.0, "date": "2020-01-01"}}
    )
    assert check.status is Status.missing


def test_the_required_text_and_the_request_name_the_open_tests(fixtures: Catalog) -> None:
    check = english(fixtures, "engine-english-open", tests={})
    assert check.status is Status.missing
    assert "IELTS (accepted; no minimum published)" in check.required
    assert "IELTS (accepted; no minimum published)" in check.detail
