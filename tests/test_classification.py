"""Real degree fields and course titles (tests/data/classification.toml), each read as a
careful admissions reader reads it: the field's decision for the built-in program, and the
subjects each course counts for."""

from __future__ import annotations

import io
import pickle
import re
import runpy
from typing import Any

import pytest
import tomllib

from admitcheck.evaluate import run_checks
from admitcheck.models.profile import Profile
from admitcheck.models.program import Catalog, LoadedProgram
from admitcheck.taxonomy import TYPO_MIN_LETTERS, WordList, fold
from admitcheck.vocabulary import Status
from tests.conftest import AS_OF_DATE, DATA, ROOT

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
    subjects = catalog.reference.subjects
    found = subjects.classify(entry["title"])
    counted = found.entries & COUNTED
    # `may_be`: a person judges it for these subjects (it is never evidence against them)
    may_be = {s for e in found.entries for s in subjects.entries[e].may_be}
    assert set(entry.get("may_be", [])) <= counted | may_be
    if "gap" in entry:
        assert set(entry["counts_for"]) <= counted  # over-counting only: never a wrong not_met
        return
    assert (sorted(counted), found.recognised) == (sorted(entry["counts_for"]), entry["recognised"])


# --------------------------------------------------------------------------- typing slips

# Words of the corpus that are read as another word on purpose: typing slips, and one
# foreign spelling of the same word. Any other corpus word read as another is a bug.
SLIPS = {
    "scinece": "science",
    "engineeing": "engineering",
    "enginnering": "engineering",
    "probablity": "probability",
    "generale": "general",  # French "générale": the same word
    "linguagem": "linguagen",  # Portuguese "linguagem": the same word
}


def _taxonomy_words() -> set[str]:
    """Every word of data/taxonomy/: of names, titles, modifiers, abbreviations and their
    expansions, ignored words (a stem or an ending, `statist*`, is part of a word, not one)."""
    found: set[str] = set()
    for name in ("fields.toml", "subjects.toml"):
        document = tomllib.loads((ROOT / "data" / "taxonomy" / name).read_text(encoding="utf-8"))
        texts: list[str] = list(document.get("ignore", []))
        for short, long in document.get("abbreviations", {}).items():
            texts += [short, *long]
        for item in document.get("areas", []) + document.get("subjects", []):
            texts += item.get("names", []) + item.get("whole", [])
        texts += [m["phrase"] for m in document.get("modifiers", [])]
        texts += [n for t in document.get("titles", []) for n in t.get("names", [])]
        for text in texts:
            for word in text.split():
                if "*" not in word:  # as written: classify normalises it as any text
                    found.update(w for w in re.split(r"[^a-z]+", fold(word)) if w)
    return found


def test_no_word_of_the_taxonomies_is_read_as_another(catalog: Catalog) -> None:
    reference = catalog.reference
    words = _taxonomy_words()
    assert len(words) > 1500
    for taxonomy in (reference.fields, reference.subjects):
        wrong = {w: taxonomy.classify(w).corrected for w in words if taxonomy.classify(w).corrected}
        assert wrong == {}, taxonomy.kind


def test_no_word_of_the_corpus_is_read_as_another_except_known_slips(catalog: Catalog) -> None:
    reference = catalog.reference
    texts = [(reference.subjects, c["title"]) for c in COURSES]
    texts += [(reference.fields, f["text"]) for f in FIELDS]
    corrected = {pair for taxonomy, text in texts for pair in taxonomy.classify(text).corrected}
    assert corrected == set(SLIPS.items())


@pytest.mark.parametrize(
    "word",
    [
        "Multivariable",
        "Discrete",
        "Analog",
        "Digital",
        "Signals",
        "Interval",
        "Comparative",
        "Neutral",
        "Integrate",
        "Discreet",
        "Statistician",
        "Electromagnetics",
        "Optimisation",
    ],
)
def test_a_real_word_is_never_read_as_a_slip(catalog: Catalog, word: str) -> None:
    for taxonomy in (catalog.reference.subjects, catalog.reference.fields):
        assert taxonomy.classify(word).corrected == ()
        assert taxonomy.classify(f"{word} Calculus").corrected == ()


def test_multivariable_calculus_is_mathematics_not_statistics(catalog: Catalog) -> None:
    found = catalog.reference.subjects.classify("Calculus III (Multivariable)")
    assert found.entries == {"mathematics"}
    assert found.leftover == ("multivariable",)


@pytest.mark.parametrize(
    ("typed", "read", "subject"),
    [
        ("Computer Scinece", "science", "computer_science"),
        ("Diffrential Equations", "differential", "mathematics"),
        ("Probablity Theory", "probability", "statistics"),
        ("Multivariat Analysis", "multivariate", "statistics"),
    ],
)
def test_a_slip_that_is_no_word_is_still_read_as_the_word_it_misses(
    catalog: Catalog, typed: str, read: str, subject: str
) -> None:
    found = catalog.reference.subjects.classify(typed)
    assert [known for _, known in found.corrected] == [read]
    assert subject in found.entries


def test_as_typed_reads_no_slip(catalog: Catalog) -> None:
    subjects = catalog.reference.subjects
    assert subjects.classify("Multivariat Calculus").entries == {"mathematics", "statistics"}
    as_typed = subjects.classify("Multivariat Calculus", correct=False)
    assert (as_typed.entries, as_typed.corrected) == ({"mathematics"}, ())


def test_the_word_list_is_normalised_sorted_and_long_enough() -> None:
    text = (ROOT / "data" / "taxonomy" / "words.txt").read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    assert all(line.startswith("# ") for line in header.splitlines())
    words = body.split()
    assert words == sorted(set(words))
    assert len(words) > 50_000
    assert all(w == fold(w) and w.isalpha() for w in words)
    assert min(len(w) for w in words) == TYPO_MIN_LETTERS
    assert {"multivariable", "interval", "comparative", "discrete"} <= set(words)
    assert not {"scinece", "diffrential", "probablity", "enginnering"} & set(words)


def test_a_word_list_answers_by_search_then_by_set_and_pickles_as_its_text() -> None:
    words = WordList("alpha\nbravo\ncharlie\n", extra=["delta"])
    for _ in range(WordList._SEARCHES + 3):  # past the searches, a set answers
        assert "bravo" in words and "delta" in words
        assert "brav" not in words and "" not in words and "alpha\nbravo" not in words
    again = pickle.loads(pickle.dumps(words))
    assert "charlie" in again and "delta" in again and "echo" not in again


def test_the_shipped_word_list_pickles_as_one_text(catalog: Catalog) -> None:
    # The catalogue cache and batch workers load it: one string, not 80,000 of them.
    words = catalog.reference.subjects.words
    assert catalog.reference.fields.words is words  # one list for both taxonomies
    data = pickle.dumps(catalog.reference)
    again = pickle.loads(data)
    assert again.fields.words is again.subjects.words
    assert pickle.dumps(words).count(b"multivariable") == 1
    assert "multivariable" in again.subjects.words and "scinece" not in again.subjects.words


def test_the_held_out_report_runs_over_its_whole_file(capsys: pytest.CaptureFixture[str]) -> None:
    # Only that it runs and counts everything: its figures are reported, never tuned to.
    heldout = runpy.run_path(str(ROOT / "bench" / "heldout.py"))
    assert heldout["main"]([]) == 0
    out = capsys.readouterr().out
    corpus = tomllib.loads((DATA / "heldout.toml").read_text(encoding="utf-8"))
    assert f"/{4 * len(corpus['courses'])} right" in out
    assert f"/{len(corpus['fields'])} right" in out


def test_the_word_list_passes_the_catalogue_caches_unpickler(catalog: Catalog) -> None:
    # The cache unpickles only the core's classes: the word list must be one of them, by
    # value, never a function named in the entry.
    from admitcheck.cache import _CoreUnpickler

    data = pickle.dumps(catalog.reference, protocol=pickle.HIGHEST_PROTOCOL)
    again = _CoreUnpickler(io.BytesIO(data)).load()
    assert "multivariable" in again.subjects.words
