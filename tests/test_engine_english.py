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


# --------------------------------------------------------------- TOEFL 1-6 section bands

BAND_DAY = "2026-03-01"


def banded(**sections: float) -> dict[str, Any]:
    """A 2026 TOEFL score: overall band 4.5 and the given section bands."""
    return {
        "toefl": {"band": 4.5, **{f"{k}_band": v for k, v in sections.items()}, "date": BAND_DAY}
    }


GATECH_MINIMUMS = {"reading": 4.0, "listening": 4.0, "writing": 4.0, "speaking": 3.5}


def test_section_bands_at_their_minimums_are_met(fixtures: Catalog) -> None:
    assert english(fixtures, "engine-english-bands", tests=banded(**GATECH_MINIMUMS)).status is (
        Status.met
    )


@pytest.mark.parametrize(
    ("section", "band"), [("speaking", 3.0), ("reading", 3.5), ("writing", 3.5)]
)
def test_a_section_band_half_a_band_below_is_not_met(
    fixtures: Catalog, section: str, band: float
) -> None:
    check = english(
        fixtures, "engine-english-bands", tests=banded(**(GATECH_MINIMUMS | {section: band}))
    )
    assert check.status is Status.not_met
    assert f"{section} band {band}" in (check.shortfall or "")


def test_an_overall_band_without_section_bands_asks_for_them(fixtures: Catalog) -> None:
    check = english(fixtures, "engine-english-bands", tests=banded())
    assert check.status is Status.missing
    assert "1-6 section bands" in check.detail


@pytest.mark.parametrize(
    ("reading", "expected"),
    [(18, Status.met), (17, Status.not_met)],
    ids=["lowest-score-of-band-4", "one-below"],
)
def test_0_30_sections_meet_band_minimums_through_ets_section_comparison(
    fixtures: Catalog, reading: int, expected: Status
) -> None:
    # ETS: band 4 reading is 18-21; speaking band 3.5 is 18-19, and 24 lies in band 4.5.
    sections = {"reading": reading, "listening": 24, "speaking": 24, "writing": 24}
    score = {"total": sum(sections.values()), **sections, "date": "2025-06-01"}
    check = english(fixtures, "engine-english-bands", tests={"toefl": score})
    assert check.status is expected
    if expected is Status.met:
        assert "reading 18 is in band 4.0 (18-21)" in check.detail
    else:
        assert "reading 17 (needs band 4.0: 18-21" in (check.shortfall or "")


@pytest.mark.parametrize(
    ("band", "expected", "words"),
    [
        (4.5, Status.met, ""),  # reading band 4.5 is 22-23: at or above 19 throughout
        (4.0, Status.review, "reading band 4.0 (18-21), whose range straddles the minimum 19"),
        (3.5, Status.not_met, "reading band 3.5 (12-17) (needs 19)"),
    ],
)
def test_section_bands_meet_0_30_minimums_through_ets_section_comparison(
    fixtures: Catalog, band: float, expected: Status, words: str
) -> None:
    sections = {"reading": band, "listening": 5.0, "speaking": 5.0, "writing": 5.0}
    tests = banded(**sections)
    tests["toefl"]["band"] = 5.0
    check = english(fixtures, "engine-english-sections", tests=tests)
    assert check.status is expected
    assert words in check.detail + (check.shortfall or "")


def test_a_section_score_in_two_overlapping_bands_goes_to_a_person(fixtures: Catalog) -> None:
    # ETS's writing ranges overlap: 5-6 lies in band 1.5 (3-6) and band 2 (5-9).
    sections = {"reading": 11, "listening": 12, "speaking": 17, "writing": 5}
    score = {"total": 45, **sections, "date": "2025-06-01"}
    check = english(fixtures, "engine-english-band-floor", tests={"toefl": score})
    assert check.status is Status.review
    assert "writing 5, which lies in band 2.0 (5-9) and band 1.5 (3-6)" in check.detail
    clear = score | {"writing": 9, "total": 49}
    assert english(fixtures, "engine-english-band-floor", tests={"toefl": clear}).status is (
        Status.met
    )


def screen_problems(toefl: dict[str, Any]) -> list[str]:
    from admitcheck.catalog import build_reference
    from admitcheck.inputs.profiles import Screen, validate_json

    result = validate_json(
        json.dumps({"tests": {"toefl": toefl}}), Screen(date(2026, 11, 24), build_reference())
    )
    return [] if isinstance(result, Profile) else [str(p) for p in result]


@pytest.mark.parametrize(
    ("toefl", "words"),
    [
        ({"band": 4.5, "reading_band": 4.25}, "multiple of 0.5"),
        ({"band": 4.5, "speaking_band": 6.5}, "must be at most 6"),
        (
            {"total": 90, "reading_band": 4.0, "date": "2025-06-01"},
            "has no 1-6 bands ('reading_band')",
        ),
        (
            {"band": 4.5, "reading": 25, "reading_band": 3.0, "date": BAND_DAY},
            "TOEFL reading 25 is outside reading band 3.0's comparable scores 6-11",
        ),
    ],
)
def test_section_bands_follow_the_rules_of_the_band(toefl: dict[str, Any], words: str) -> None:
    assert any(words in p for p in screen_problems(toefl)), screen_problems(toefl)


def test_a_section_and_its_band_from_one_report_are_valid() -> None:
    assert (
        screen_problems({"band": 4.5, "reading": 20, "reading_band": 4.0, "date": BAND_DAY}) == []
    )


def test_section_bands_come_from_csv_columns(cli: Any, tmp_path: Any) -> None:
    header = "id,international,toefl_band,toefl_reading_band,toefl_listening_band,"
    header += "toefl_speaking_band,toefl_writing_band,toefl_date"
    rows = ["B1,true,4.5,4,4,3.5,4,2026-03-01", "B2,true,4.5,4,4,3,4,2026-03-01"]
    path = tmp_path / "bands.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    run = cli(
        "batch",
        str(path),
        "--rules",
        str(ENGINE_RULES),
        "-p",
        "engine-english-bands",
        "--as-of",
        "2026-12-01",
        "--format",
        "jsonl",
        "--exit-zero",
    )
    assert run.exit_code == 0, run.stderr
    english_of = {
        r["applicant"]["id"]: next(c["status"] for c in r["checks"] if c["id"] == "english")
        for r in run.jsonl()
    }
    assert english_of == {"B1": "met", "B2": "not_met"}


# --------------------------------------------------------------- two levels of one minimum


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ({"toefl": {"total": 100, "date": "2025-06-01"}}, Status.met),
        ({"toefl": {"total": 99, "date": "2025-06-01"}}, Status.review),
        ({"toefl": {"total": 80, "date": "2025-06-01"}}, Status.review),
        ({"toefl": {"total": 79, "date": "2025-06-01"}}, Status.not_met),
        ({"toefl": {"band": 5.0, "date": BAND_DAY}}, Status.met),
        ({"toefl": {"band": 4.5, "date": BAND_DAY}}, Status.review),
        ({"toefl": {"band": 4.0, "date": BAND_DAY}}, Status.review),
        ({"toefl": {"band": 3.5, "date": BAND_DAY}}, Status.not_met),
        ({"ielts": {"overall": 7.0}}, Status.met),
        ({"ielts": {"overall": 6.5}}, Status.review),
        ({"ielts": {"overall": 6.0}}, Status.review),
        ({"ielts": {"overall": 5.5}}, Status.not_met),
    ],
)
def test_two_levels_met_above_review_between_not_met_below(
    fixtures: Catalog, score: dict[str, Any], expected: Status
) -> None:
    assert english(fixtures, "engine-english-levels", tests=score).status is expected


def test_between_the_levels_names_the_condition(fixtures: Catalog) -> None:
    check = english(
        fixtures, "engine-english-levels", tests={"toefl": {"total": 85, "date": "2025-06-01"}}
    )
    assert check.detail.startswith(
        "TOEFL iBT 85 is 15 below 100, the minimum for full admission, but at or above 80 / "
        "band 4.0, the minimum for conditional admission with English courses: a person must "
        "judge."
    )


def test_below_both_levels_names_both_shortfalls(fixtures: Catalog) -> None:
    check = english(fixtures, "engine-english-levels", tests={"ielts": {"overall": 5.5}})
    assert check.shortfall == (
        "IELTS 5.5 is 1.5 below 7.0; IELTS 5.5 is 0.5 below 6.0, the minimum for conditional "
        "admission with English courses"
    )


def test_the_required_text_shows_both_levels(fixtures: Catalog) -> None:
    check = english(fixtures, "engine-english-levels", tests={})
    assert (
        "TOEFL iBT 100 / band 5.0 (from 80 / band 4.0: conditional admission with English "
        "courses)" in check.required
    )


@pytest.mark.parametrize(
    ("level", "words"),
    [
        ({"conditional_minimum": 100}, "conditional_minimum 100 must be below the minimum 90"),
        ({"conditional_band_minimum": 4}, "needs the full level's band minimum beside it"),
        ({"conditional_note": "c"}, "conditional_note describes a lower level"),
        ({"conditional_minimum": 85.5}, "not on the test's steps of 1"),
    ],
)
def test_a_lower_level_must_lower_a_stated_figure(
    cli: Any, tmp_path: Any, level: dict[str, Any], words: str
) -> None:
    inline = ", ".join(f"{k} = {json.dumps(v)}" for k, v in level.items())
    path = tmp_path / "rules.toml"
    path.write_text(
        "[[programs]]\nid = 'x'\nname = 'X'\nsource = 'https://x.example'\nas_of = 2026-11-25\n"
        f"[programs.english]\ntests = [{{ test = 'toefl', minimum = 90, {inline} }}]\n",
        encoding="utf-8",
    )
    run = cli("programs", "validate", str(path))
    assert run.exit_code == 2
    assert words in run.stderr + run.stdout


# --------------------------------------------------------------- scope by the degree's country

US_CITIZEN = {"international": False, "citizenship": "United States"}


def degree_from(country: str | None) -> dict[str, Any]:
    degree: dict[str, Any] = {"level": "bachelor", "field": "Electrical Engineering"}
    if country is not None:
        degree["country"] = country
    return degree


def test_a_citizen_with_a_foreign_degree_needs_a_score(fixtures: Catalog) -> None:
    check = english(
        fixtures, "engine-english-degree-scope", **US_CITIZEN, degree=degree_from("India")
    )
    assert check.status is Status.missing
    assert "The degree is from India, outside United States or Canada" in check.detail
    scored = english(
        fixtures,
        "engine-english-degree-scope",
        **US_CITIZEN,
        degree=degree_from("India"),
        tests={"toefl": {"total": 87, "date": "2025-06-01"}},
    )
    assert scored.status is Status.met
    short = english(
        fixtures,
        "engine-english-degree-scope",
        **US_CITIZEN,
        degree=degree_from("India"),
        tests={"toefl": {"total": 86, "date": "2025-06-01"}},
    )
    assert short.status is Status.not_met


@pytest.mark.parametrize("country", ["United States", "USA", "Canada"])
def test_a_citizen_with_a_degree_from_a_listed_country_needs_none(
    fixtures: Catalog, country: str
) -> None:
    check = english(
        fixtures, "engine-english-degree-scope", **US_CITIZEN, degree=degree_from(country)
    )
    assert check.status is Status.not_applicable


def test_international_applicants_stay_in_scope_whatever_the_degree(fixtures: Catalog) -> None:
    germany = english(fixtures, "engine-english-degree-scope", degree=degree_from("Germany"))
    assert germany.status is Status.missing
    # A Canadian bachelor's is waived by the institution's waiver, not put out of scope.
    canada = english(fixtures, "engine-english-degree-scope", degree=degree_from("Canada"))
    assert canada.status is Status.waived


def test_a_domestic_applicant_with_no_degree_country_is_asked_for_it(fixtures: Catalog) -> None:
    check = english(fixtures, "engine-english-degree-scope", **US_CITIZEN, degree=degree_from(None))
    # Never silently not_applicable: the degree's country decides.
    assert check.status is Status.missing
    assert "give degree.country" in check.detail
    inferred = english(
        fixtures, "engine-english-degree-scope", international=None, citizenship="USA"
    )
    assert inferred.status is Status.missing
    assert "give degree.country" in inferred.detail


def test_an_unrecognised_degree_country_is_asked_to_be_written_as_a_country(
    fixtures: Catalog,
) -> None:
    check = english(
        fixtures, "engine-english-degree-scope", **US_CITIZEN, degree=degree_from("Atlantis")
    )
    assert check.status is Status.missing
    assert "'Atlantis' is not a country admitcheck recognises" in check.detail


def test_a_short_score_with_the_scope_unknown_is_missing_not_not_met(fixtures: Catalog) -> None:
    check = english(
        fixtures,
        "engine-english-degree-scope",
        **US_CITIZEN,
        tests={"toefl": {"total": 70, "date": "2025-06-01"}},
    )
    assert check.status is Status.missing
    assert "Scores given fall short" in check.detail


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ({"international": True, "degree": degree_from("United States")}, Status.not_applicable),
        ({"international": True, "degree": degree_from("Germany")}, Status.missing),
        ({"international": False, "degree": degree_from("Germany")}, Status.missing),
        ({"international": True}, Status.missing),
    ],
)
def test_by_the_degree_alone_citizenship_does_not_matter(
    fixtures: Catalog, profile: dict[str, Any], expected: Status
) -> None:
    assert english(fixtures, "engine-english-degree-only", **profile).status is expected


def test_the_required_text_names_who(fixtures: Catalog) -> None:
    check = english(fixtures, "engine-english-degree-scope", degree=degree_from("India"))
    assert check.required == (
        "TOEFL iBT 87 (international applicants, and anyone whose degree is from outside "
        "United States or Canada)"
    )


# --------------------------------------------------------------- waivers: levels, windows, exclusions


def uk_degree(**changes: Any) -> dict[str, Any]:
    degree = {
        "level": "master",
        "field": "Electrical Engineering",
        "country": "UK",
        "institution": "University of Leeds",
        "graduation": "2022-06",
    }
    return degree | changes


@pytest.mark.parametrize(
    ("graduation", "expected"),
    [
        ("2021-12", Status.waived),
        ("2021-11-24", Status.waived),
        ("2021-11-23", Status.missing),
        ("2021-11", Status.missing),
    ],
    ids=["month-within", "on-the-last-day", "a-day-too-old", "a-month-reads-as-its-first-day"],
)
def test_a_degree_waives_within_its_time_window(
    fixtures: Catalog, graduation: str, expected: Status
) -> None:
    # Five years of 2026-11-24 reach back to 2021-11-24; a month reads as its first day.
    check = english(fixtures, "engine-english-waivers", degree=uk_degree(graduation=graduation))
    assert check.status is expected
    if expected is Status.missing:
        assert "only when completed within 5 years of 2026-11-24" in check.detail


def test_a_degree_of_unknown_date_is_asked_for_it(fixtures: Catalog) -> None:
    degree = uk_degree()
    del degree["graduation"]
    check = english(fixtures, "engine-english-waivers", degree=degree)
    assert check.status is Status.missing
    assert "give degree.graduation" in check.detail


@pytest.mark.parametrize(
    ("level", "words"),
    [("doctorate", "a doctorate alone does not"), (None, "give degree.level")],
)
def test_a_degree_level_the_waiver_does_not_name_does_not_waive(
    fixtures: Catalog, level: str | None, words: str
) -> None:
    check = english(fixtures, "engine-english-waivers", degree=uk_degree(level=level))
    assert check.status is Status.missing
    assert words in check.detail


def test_an_institution_the_page_asks_proof_from_is_not_waived(fixtures: Catalog) -> None:
    degree = uk_degree(institution="Example Overseas College, London")
    check = english(fixtures, "engine-english-waivers", degree=degree)
    assert check.status is Status.missing
    assert "not from Example Overseas College" in check.detail
    scored = english(
        fixtures,
        "engine-english-waivers",
        degree=degree,
        tests={"toefl": {"total": 95, "date": "2025-06-01"}},
    )
    assert scored.status is Status.met


def test_a_region_the_page_excludes_is_not_waived(fixtures: Catalog) -> None:
    degree = {"level": "bachelor", "country": "Canada", "institution": "Université Laval, Québec"}
    check = english(fixtures, "engine-english-waivers", degree=degree)
    assert check.status is Status.missing
    assert "but not one from Québec" in check.detail


def test_a_degree_maybe_from_the_excluded_region_goes_to_a_person(fixtures: Catalog) -> None:
    degree = {"level": "bachelor", "country": "Canada", "institution": "McGill University"}
    check = english(fixtures, "engine-english-waivers", degree=degree)
    assert check.status is Status.review
    assert "except one from Québec" in check.detail
    short = english(
        fixtures,
        "engine-english-waivers",
        degree=degree,
        tests={"toefl": {"total": 80, "date": "2025-06-01"}},
    )
    # A waiver may apply: a short score is for a person to weigh, never not_met.
    assert short.status is Status.review
    assert short.shortfall == "TOEFL iBT 80 is 10 below 90"
    met = english(
        fixtures,
        "engine-english-waivers",
        degree=degree,
        tests={"toefl": {"total": 90, "date": "2025-06-01"}},
    )
    assert met.status is Status.met


def test_the_waivers_are_described_with_their_conditions(fixtures: Catalog) -> None:
    from admitcheck.requirements.english import KIND

    rule = fixtures.get("engine-english-waivers").rules.english  # type: ignore[attr-defined]
    notes = KIND.requirements(rule, ("english",))[0].notes
    assert notes == (
        "waived for bachelor's or master's degree from United Kingdom or Ireland, completed "
        "within 5 years (not Example Overseas College)",
        "waived for a degree from Canada except Québec",
    )


def test_a_waiver_qualifier_needs_degree_countries(cli: Any, tmp_path: Any) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        "[[programs]]\nid = 'x'\nname = 'X'\nsource = 'https://x.example'\nas_of = 2026-11-25\n"
        "[programs.english]\ntests = [{ test = 'toefl', minimum = 90 }]\n"
        "[[programs.english.waivers]]\nwithin_years = 5\ncitizenship = ['Canada']\n",
        encoding="utf-8",
    )
    run = cli("programs", "validate", str(path))
    assert run.exit_code == 2
    assert "within_years qualify a degree waiver: give degree_countries" in run.stderr


def rules_file(tmp_path: Any, tests: str) -> str:
    path = tmp_path / "rules.toml"
    path.write_text(
        "[[programs]]\nid = 'x'\nname = 'X'\nsource = 'https://x.example'\nas_of = 2026-11-25\n"
        f"[programs.english]\ntests = [{tests}]\n",
        encoding="utf-8",
    )
    return str(path)


@pytest.mark.parametrize(
    ("tests", "words"),
    [
        ("{ test = 'ielts', minimum = 7.0, band = { minimum = 4 } }", "band applies to toefl only"),
        (
            "{ test = 'toefl', band_minimum = 4.5, band = { minimum = 4.5 } }",
            "give the overall band once: band.minimum",
        ),
        ("{ test = 'toefl', minimum = 90, band = {} }", "give band.minimum or section band"),
        ("{ test = 'toefl', band = { minimum = 4.25 } }", "multiple of 0.5"),
    ],
)
def test_band_figures_are_checked_when_the_rules_load(
    cli: Any, tmp_path: Any, tests: str, words: str
) -> None:
    run = cli("programs", "validate", rules_file(tmp_path, tests))
    assert run.exit_code == 2
    assert words in run.stderr


def test_band_figures_cited_apart_are_verified_against_their_own_quote() -> None:
    from admitcheck.verify import citations

    document = {
        "programs": [
            {
                "english": {
                    "source": "https://a.example",
                    "quote": "TOEFL 90, 19 in each section",
                    "tests": [
                        {
                            "test": "toefl",
                            "minimum": 90,
                            "section_minimum": 19,
                            "band": {
                                "minimum": 4.5,
                                "sections": {"speaking": 3.5},
                                "source": "https://b.example",
                                "quote": "4.5 Overall, 3.5 Speaking",
                            },
                        }
                    ],
                }
            }
        ]
    }
    found = {c.source: c.numbers for c in citations(document)}
    assert found == {"https://a.example": (90.0, 19.0), "https://b.example": (4.5, 3.5)}


def test_the_english_rule_has_the_forms_every_rule_has(cli: Any, tmp_path: Any) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        "[[programs]]\nid = 'x'\nname = 'X'\nsource = 'https://x.example'\nas_of = 2026-11-25\n"
        "[programs.english]\nquote = 'TOEFL 90; lower scores are considered case by case.'\n"
        "case_by_case = true\ntests = [{ test = 'toefl', minimum = 90 }]\n",
        encoding="utf-8",
    )
    run = cli(
        "check",
        "--rules",
        str(path),
        "--no-builtin",
        "--international",
        "--toefl",
        "85",
        "--as-of",
        "2026-11-24",
        "-f",
        "json",
    )
    check = next(c for c in run.json()["checks"] if c["id"] == "english")
    assert check["status"] == "review"
    assert "case by case" in check["detail"]
