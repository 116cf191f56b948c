"""JSON Schema of each document, generated from the models."""

from __future__ import annotations

import orjson
from pydantic import TypeAdapter

from admitcheck.errors import UsageError

DOCUMENTS = ("profile", "programs", "report", "report-compact", "summary")


def schema(document: str) -> dict[str, object]:
    if document == "profile":
        from admitcheck.models.profile import Profile

        return described(Profile.model_json_schema())
    if document == "programs":
        from admitcheck.models.program import catalog_model

        return catalog_model().model_json_schema()
    if document == "report":
        from admitcheck.models.report import ErrorRecord, Report

        return TypeAdapter(Report | ErrorRecord).json_schema(mode="serialization")
    if document == "report-compact":
        from admitcheck.models.report import CompactReport, ErrorRecord

        return TypeAdapter(CompactReport | ErrorRecord).json_schema(mode="serialization")
    if document == "summary":
        from admitcheck.batch.summary import Summary

        return TypeAdapter(Summary).json_schema(mode="serialization")
    raise UsageError(f"unknown document '{document}'; expected one of: {', '.join(DOCUMENTS)}")


def schema_json(document: str) -> bytes:
    found = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema(document),
        "title": f"admitcheck {document}",
    }
    return orjson.dumps(found, option=orjson.OPT_INDENT_2)


# What each profile field means, where the model does not say: JSON has no comments, so
# `init`'s template leaves meanings to `admitcheck schema profile`. The flat fields' help
# (the flags and CSV columns) says most of it; these say the rest.
_MORE: dict[tuple[str, str], str] = {
    ("Profile", "degree"): "The highest degree, completed or in progress.",
    ("Profile", "gpa"): "The GPA: a bare number (on 4.0) or an object with its scale.",
    ("Profile", "tests"): "Test scores, one object per test; leave out a test not taken.",
    ("Profile", "courses"): "Courses taken: titles, or objects with title and subject.",
    ("Profile", "materials"): "Application documents ready, letters, the fee.",
    ("Degree", "field"): 'Field of the degree as the transcript names it ("B.Tech ECE").',
    ("Gpa", "value"): "The GPA as on the transcript.",
    ("Course", "title"): 'The course title as on the transcript ("Engineering Maths II").',
    ("Course", "subject"): "Its subject (mathematics, statistics, computer_science, ...), "
    "when the title does not say it.",
    ("Course", "credits"): "Credits or units, on the transcript's own scale.",
    ("Course", "grade"): "The grade as written (A, 8, Pass, W, ...); failing grades do not count.",
    ("Cambridge", "overall"): "Cambridge English Scale score, 80-230.",
    ("Cambridge", "exam"): 'The qualification, e.g. "C1 Advanced".',
    ("Cambridge", "date"): "Test date, YYYY-MM-DD (or YYYY-MM).",
    ("OtherTest", "test"): "The test's name.",
    ("OtherTest", "score"): "Its score, as reported.",
    ("OtherTest", "date"): "Test date, YYYY-MM-DD (or YYYY-MM).",
    ("Tests", "other"): "Any other test: reported, never counted by a program that does not "
    "name it.",
    ("Materials", "other"): "Documents a custom program asks for, by its rules' key: true when "
    "provided.",
    ("Toefl", "writing"): "TOEFL iBT writing section, 0-30.",
    ("Gre", "writing"): "GRE analytical writing, 0-6 in steps of 0.5.",
}
_TESTS_OF = {
    "toefl": "Toefl",
    "ielts": "Ielts",
    "pte": "Pte",
    "duolingo": "Duolingo",
    "cambridge": "Cambridge",
    "gre": "Gre",
    "gmat": "Gmat",
    "other": "OtherTest",
}
_TEST_TITLES = {
    "toefl": "TOEFL iBT scores: the 0-120 total and/or the 1-6 band, sections, date.",
    "ielts": "IELTS scores: the overall band, sections, date.",
    "pte": "PTE Academic scores: overall, sections, date.",
    "duolingo": "Duolingo English Test: overall, date.",
    "cambridge": "A Cambridge English qualification.",
    "gre": "GRE General Test: verbal and quant (or their total), writing, date.",
    "gmat": "GMAT: total, edition, date.",
}


def _descriptions() -> dict[tuple[str, str], str]:
    from admitcheck.models.flat import FLAT_FIELDS

    found: dict[tuple[str, str], str] = {}
    for field in FLAT_FIELDS:
        path = field.path
        if len(path) == 1:
            model, name = "Profile", path[0]
        elif path[0] == "tests":
            model, name = _TESTS_OF[path[1]], path[2]
        else:
            model, name = path[0].capitalize(), path[1]
        text = field.help
        if name == "date":
            text = text.replace(" (or YYYY-MM)", "").rstrip(".")
            text += ", YYYY-MM-DD (or YYYY-MM where only the month is known)."
        found.setdefault((model, name), text)
    found.update({("Tests", t): text for t, text in _TEST_TITLES.items()})
    found.update(_MORE)
    return found


def described(found: dict[str, object]) -> dict[str, object]:
    """The profile schema with a description on every property that has none."""
    texts = _descriptions()
    models: dict[str, object] = {"Profile": found}
    defs = found.get("$defs")
    if isinstance(defs, dict):
        models.update(defs)
    for model, body in models.items():
        properties = body.get("properties") if isinstance(body, dict) else None
        if not isinstance(properties, dict):
            continue
        for name, prop in properties.items():
            text = texts.get((model, name))
            if text and isinstance(prop, dict) and "description" not in prop:
                prop["description"] = text
    return found
