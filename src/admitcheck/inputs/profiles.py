"""Profiles: a JSON document or a flat row -> a validated `Profile`, or its problems.

Problems come back as values (`FieldProblem`s naming the field path); `validate_document`
turns them into one `ProfileError` for the single-profile commands.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from pydantic import ValidationError
from pydantic_core import SchemaValidator

from admitcheck.cache import cache_dir, cached
from admitcheck.errors import ProfileError
from admitcheck.inputs import json_text
from admitcheck.inputs.decoding import decode, read_bytes, shown
from admitcheck.inputs.flat import to_document
from admitcheck.models.flat import BY_PATH, FLAT_FIELDS
from admitcheck.models.profile import Profile
from admitcheck.models.scores import SECTIONS, TESTS, Toefl
from admitcheck.problems import FieldProblem, describe
from admitcheck.reference import Reference
from admitcheck.wording import num


@dataclass(frozen=True)
class Screen:
    """What a profile is checked against beyond its schema: today's date (a test cannot
    be taken in the future) and the reference data (declared course subjects, the TOEFL
    band concordance). Without reference data only the dates are checked."""

    today: date
    reference: Reference | None = None


def profile_problems(profile: Profile, screen: Screen) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    tests = profile.tests
    if tests is not None:
        for name in TESTS:
            score = getattr(tests, name)
            if score is not None and score.date is not None and score.date > screen.today:
                found.append(
                    FieldProblem(
                        ("tests", name, "date"),
                        f"test date {score.date.isoformat()} is in the future "
                        f"(today is {screen.today.isoformat()})",
                    )
                )
    reference = screen.reference
    if reference is None:
        return found
    toefl = tests.toefl if tests is not None else None
    if toefl is not None and toefl.band is not None and toefl.total is not None:
        band = reference.toefl_bands.range_of(toefl.band)
        if band is not None and not band.low <= toefl.total <= band.high:
            found.append(
                FieldProblem(
                    ("tests", "toefl"),
                    f"TOEFL total {toefl.total} is outside band {num(toefl.band)}'s comparable "
                    f"totals {band.low}-{band.high} (ETS's concordance); give the scores of "
                    "one score report",
                )
            )
    if toefl is not None:
        found.extend(_toefl_section_problems(toefl, reference))
    subjects = reference.subjects.entries
    for index, course in enumerate(profile.courses or ()):
        if course.subject is not None and course.subject not in subjects:
            close = difflib.get_close_matches(course.subject, list(subjects), n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else "see `admitcheck schema profile`"
            found.append(
                FieldProblem(
                    ("courses", index, "subject"),
                    f"'{course.subject}' is not a subject admitcheck knows; {hint}",
                )
            )
    return found


def _toefl_section_problems(toefl: Toefl, reference: Reference) -> list[FieldProblem]:
    """A 0-30 section outside the range ETS compares with the section band given beside it."""
    found = []
    for section in SECTIONS:
        value, band = getattr(toefl, section), toefl.section_band(section)
        if value is None or band is None:
            continue
        covered = reference.toefl_bands.section_range(section, band)
        if covered is not None and not covered.low <= value <= covered.high:
            found.append(
                FieldProblem(
                    ("tests", "toefl"),
                    f"TOEFL {section} {value} is outside {section} band {num(band)}'s "
                    f"comparable scores {covered.low}-{covered.high} (ETS's section "
                    "comparison); give the scores of one score report",
                )
            )
    return found


# What the profile's core schema names beyond the core's classes: its validators, and the
# partial of pydantic's own length check it applies in Python. The cache's unpickler lets
# the profile's entry name these and nothing else (a test holds the list to what the
# schema pickles: a new validator fails that test instead of widening the list).
SCHEMA_NAMES = frozenset(
    {
        ("admitcheck.models.base", "_month_or_day"),
        ("admitcheck.models.base", "no_entries"),
        ("admitcheck.models.base", "no_items"),
        ("admitcheck.models.profile", "Gpa._value_within_scale"),
        ("admitcheck.models.profile", "_courses_as_objects"),
        ("admitcheck.models.profile", "_id_as_text"),
        ("admitcheck.models.profile", "_number_as_gpa"),
        ("admitcheck.models.profile", "_unfilled_absent"),
        ("admitcheck.models.profile", "_unfilled_scores_absent"),
        ("admitcheck.models.scores", "Gmat._total_fits_edition"),
        ("admitcheck.models.scores", "Gre._sections_agree_with_total"),
        ("admitcheck.models.scores", "Toefl._has_a_score"),
        ("functools", "partial"),
        ("pydantic._internal._validators", "max_length_validator"),
    }
)


def _without_metadata(schema: Any) -> Any:
    """A core schema without its nodes' JSON Schema metadata (`pydantic_js_*` entries,
    which validation never reads and which name pydantic's JSON Schema helpers); values
    (a field's default) are kept as they are."""
    if isinstance(schema, list):
        return [_without_metadata(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    node = isinstance(schema.get("type"), str)  # a schema node, not a map of field names
    found = {}
    for key, value in schema.items():
        if node and key == "metadata" and _json_schema_only(value):
            continue
        found[key] = value if node and key == "default" else _without_metadata(value)
    return found


def _json_schema_only(metadata: Any) -> bool:
    return isinstance(metadata, dict) and all(str(k).startswith("pydantic_js_") for k in metadata)


def _pydantic_validator() -> SchemaValidator:
    Profile.model_rebuild()  # defer_build: a stand-in until now
    # With pydantic plugins installed this is their wrapper, which validates alike.
    return cast("SchemaValidator", Profile.__pydantic_validator__)


def _profile_schema() -> tuple[Any, Any]:
    validator = _pydantic_validator()
    if type(validator) is not SchemaValidator:  # plugins: theirs, never cached
        raise TypeError("not pydantic-core's own validator")
    # How pydantic-core pickles a validator: (SchemaValidator, (schema, config, ...)).
    _, (schema, config, *_) = cast("tuple[Any, tuple[Any, ...]]", validator.__reduce__())
    return _without_metadata(schema), config


def _is_schema(found: object) -> bool:
    """The shape `_profile_schema` returns: a core schema and a config (or None)."""
    return (
        type(found) is tuple
        and len(found) == 2
        and type(found[0]) is dict
        and (found[1] is None or type(found[1]) is dict)
    )


@functools.cache
def profile_validator() -> SchemaValidator:
    """`Profile`'s validator. Pydantic builds it from the models on first use, 30-50 ms
    of every run's start-up; its core schema comes from the cache (`cache.py`) instead,
    and pydantic-core builds the same validator from it in about 1 ms. An entry of
    another shape is built again; whatever else goes wrong (a schema pydantic-core
    refuses, pydantic plugins) gives pydantic's own, as with the cache off."""
    if cache_dir() is None:  # `cached` would build the schema, then a second validator
        return _pydantic_validator()
    try:
        schema, config = cached("profile", (), _profile_schema, shape=_is_schema, also=SCHEMA_NAMES)
        return SchemaValidator(schema, config)
    except Exception:
        return _pydantic_validator()


def validate_json(data: bytes | str, screen: Screen) -> Profile | list[FieldProblem]:
    """Validate one JSON document; problems come back as values."""
    try:
        profile: Profile = profile_validator().validate_json(data)
    except ValidationError as exc:
        return describe(exc, Profile)
    return profile_problems(profile, screen) or profile


# A number as a spreadsheet writes it in a cell: digits, a point for decimals, an
# exponent (1E+20). Not Python's grammar: no 1_000, inf, nan, 0x10, or digits of other
# scripts, which float() and int() would take.
_SPREADSHEET_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NUMERIC = tuple(f for f in FLAT_FIELDS if f.kind in ("int", "float"))


def number_problems(document: dict[str, Any]) -> list[FieldProblem]:
    """Numbers of a flat row (still text) that a spreadsheet would not have written."""
    found = []
    for field in _NUMERIC:
        value: Any = document
        for key in field.path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and not _SPREADSHEET_NUMBER.fullmatch(value.strip()):
            found.append(
                FieldProblem(
                    (field.name,),
                    f"expected a number (digits, a point for decimals), got '{shown(value[:40])}'",
                )
            )
    return found


def validate_flat(row: dict[str, str], screen: Screen) -> Profile | list[FieldProblem]:
    """Validate a flat row (values are text, read leniently); problems name the column."""
    document = to_document(row)
    numbers = number_problems(document)
    if numbers:
        return numbers
    try:
        profile: Profile = profile_validator().validate_python(document, strict=False)
    except ValidationError as exc:
        return [
            FieldProblem((BY_PATH[p.loc].name,), p.message) if p.loc in BY_PATH else p  # type: ignore[index]
            for p in describe(exc, Profile)
        ]
    return profile_problems(profile, screen) or profile


def validate_document(document: dict[str, Any], name: str, screen: Screen) -> Profile:
    """Validate a parsed profile, raising one ProfileError that lists every problem."""
    result = validate_json(json_text.to_json(document), screen)
    if isinstance(result, Profile):
        return result
    if len(result) == 1:
        raise ProfileError(f"{name}: {result[0]}")
    details = [str(p) for p in result[:LISTED_PROBLEMS]]
    if len(result) > LISTED_PROBLEMS:
        details.append(f"and {len(result) - LISTED_PROBLEMS:,} more")
    raise ProfileError(
        f"{name}: invalid profile ({len(result):,} problem{'s' * (len(result) != 1)})",
        details=details,
    )


LISTED_PROBLEMS = 20  # problems of one profile listed on the terminal


def read_document(path: str) -> tuple[dict[str, Any], str]:
    """One profile object from a JSON file or stdin, not yet validated."""
    data, name = read_bytes(path)
    document = json_text.parse(decode(data, name), name)
    if isinstance(document, list):
        raise ProfileError(
            f"{name}: holds a JSON array of {len(document)} records; `check` takes one "
            "profile (use `admitcheck batch` for many)"
        )
    if not isinstance(document, dict):
        raise ProfileError(
            f"{name}: expected a JSON object (a profile), got {type(document).__name__}"
        )
    return document, name


def summarise(problems: Sequence[FieldProblem], limit: int = 5) -> str:
    """Problems on one line, for an error record."""
    message = "; ".join(str(p) for p in problems[:limit])
    if len(problems) > limit:
        message += f"; and {len(problems) - limit} more"
    return message
