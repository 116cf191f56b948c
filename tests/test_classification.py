"""Real degree fields and course titles (tests/data/classification.toml), each read as a
careful admissions reader reads it: the field's decision for the built-in program, and the
subjects each course counts for."""

from __future__ import annotations

from typing import Any

import pytest
import tomllib

from admitcheck.evaluate import run_checks
from admitcheck.models.profile import Profile
from admitcheck.models.program import Catalog, LoadedProgram
from admitcheck.vocabulary import Status
from tests.conftest import AS_OF_DATE, DATA

CORPUS = tomllib.loads((DATA / "classification.toml").read_text(encoding="utf-8"))
FIELDS: list[dict[str, Any]] = CORPUS["fields"]
COURSES: list[dict[str, Any]] = CORPUS["courses"]
COUNTED = {"mathematics", "statistics", "computer_science", "physics"}
# The built-in program's related areas (data/programs.toml): a person judges them.
RELATED = {
    "computing",
    "data_science",
    "mathematics",
    "statistics",
    "physics",
    "chemistry",
    "biology",
    "earth_science",
    "engineering_technology",
}


def expected_status(entry: dict[str, Any]) -> Status:
    areas = {entry["area"], *entry.get("also", [])}
    if "engineering" in areas:
        return Status.met
    if entry["area"] == "unrecognised" or areas & RELATED:
        return Status.review
    return Status.not_met


def test_the_corpus_is_as_large_as_promised() -> None:
    assert len({f["text"] for f in FIELDS}) >= 150
    assert len({c["title"] for c in COURSES}) >= 300


@pytest.fixture(scope="module")
def usc(catalog: Catalog) -> LoadedProgram:
    return catalog.get("usc-msece-mlds")


@pytest.mark.parametrize("entry", FIELDS, ids=[f["text"] for f in FIELDS])
def test_a_degree_field_is_decided_as_a_reader_would(
    usc: LoadedProgram, entry: dict[str, Any]
) -> None:
    profile = Profile.model_validate({"degree": {"level": "bachelor", "field": entry["text"]}})
    degree = next(c for c in run_checks(profile, usc, AS_OF_DATE) if c.id == "degree")
    expected = expected_status(entry)
    if "gap" in entry:
        assert degree.status is not Status.not_met or expected is Status.not_met
        return
    assert degree.status is expected, degree.detail
    found = {e.split(".")[0] for e in usc.reference.fields.classify(entry["text"]).entries}
    if entry["area"] not in ("unrecognised", "engineering") and found:
        assert found & {entry["area"], *entry.get("also", [])}, found


@pytest.mark.parametrize("entry", COURSES, ids=[c["title"] for c in COURSES])
def test_a_course_title_counts_for_the_subjects_a_reader_would_count(
    catalog: Catalog, entry: dict[str, Any]
) -> None:
    found = catalog.reference.subjects.classify(entry["title"])
    counted = found.entries & COUNTED
    if "gap" in entry:
        assert set(entry["counts_for"]) <= counted  # over-counting only: never a wrong not_met
        return
    assert (sorted(counted), found.recognised) == (sorted(entry["counts_for"]), entry["recognised"])
