"""Profiles: a JSON document or a flat row -> a validated `Profile`, or its problems.

Problems come back as values (`FieldProblem`s naming the field path); `validate_document`
turns them into one `ProfileError` for the single-profile commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError

from admitcheck.errors import ProfileError
from admitcheck.inputs import json_text
from admitcheck.inputs.decoding import decode, read_bytes
from admitcheck.inputs.flat import to_document
from admitcheck.models.flat import BY_PATH
from admitcheck.models.profile import Profile
from admitcheck.models.scores import TESTS
from admitcheck.problems import FieldProblem, describe


def date_problems(profile: Profile, as_of: date) -> list[FieldProblem]:
    """Test dates after the evaluation date cannot be real scores."""
    found: list[FieldProblem] = []
    tests = profile.tests
    if tests is None:
        return found
    for name in TESTS:
        score = getattr(tests, name)
        if score is not None and score.date is not None and score.date > as_of:
            found.append(
                FieldProblem(
                    ("tests", name, "date"),
                    f"test date {score.date.isoformat()} is in the future "
                    f"(evaluation date {as_of.isoformat()})",
                )
            )
    return found


def validate_json(data: bytes | str, as_of: date) -> Profile | list[FieldProblem]:
    """Validate one JSON document; problems come back as values."""
    try:
        profile = Profile.model_validate_json(data)
    except ValidationError as exc:
        return describe(exc, Profile)
    return date_problems(profile, as_of) or profile


def validate_flat(row: dict[str, str], as_of: date) -> Profile | list[FieldProblem]:
    """Validate a flat row (values are text, read leniently); problems name the column."""
    try:
        profile = Profile.model_validate(to_document(row), strict=False)
    except ValidationError as exc:
        return [
            FieldProblem((BY_PATH[p.loc].name,), p.message) if p.loc in BY_PATH else p  # type: ignore[index]
            for p in describe(exc, Profile)
        ]
    return date_problems(profile, as_of) or profile


def validate_document(document: dict[str, Any], name: str, as_of: date) -> Profile:
    """Validate a parsed profile, raising one ProfileError that lists every problem."""
    result = validate_json(json_text.to_json(document), as_of)
    if isinstance(result, Profile):
        return result
    if len(result) == 1:
        raise ProfileError(f"{name}: {result[0]}")
    raise ProfileError(
        f"{name}: invalid profile ({len(result)} problem{'s' * (len(result) != 1)})",
        details=[str(p) for p in result],
    )


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
