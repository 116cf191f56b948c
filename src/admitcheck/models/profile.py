"""The applicant profile: every field optional, unknown fields an error, ranges enforced."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from admitcheck.models.base import Input, Key, Text, no_entries
from admitcheck.models.scores import Tests

DegreeLevel = Literal["none", "diploma", "associate", "bachelor", "master", "doctorate"]
DEGREE_LEVELS: tuple[str, ...] = ("none", "diploma", "associate", "bachelor", "master", "doctorate")
DEGREE_RANK: dict[str, int] = {level: rank for rank, level in enumerate(DEGREE_LEVELS)}

_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


def _id_as_text(value: Any) -> Any:
    # Exports often carry numeric ids; they are identifiers, not numbers.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _blank(value: Any) -> bool:
    """An object whose every member is null (or an empty list): a part of `init`'s
    template left unfilled, read as absent."""
    if not isinstance(value, dict):
        return False
    # A loop, not all() over a generator: 5x faster, and this runs on every score of a record.
    for member in value.values():  # noqa: SIM110
        if member is not None and member != []:
            return False
    return True


def _number_as_gpa(value: Any) -> Any:
    # A bare number is a GPA on the 4.0 scale (spec: "gpa may also be a bare number").
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"value": value}
    if isinstance(value, dict) and None in value.values():  # the template's unfilled parts
        return {k: v for k, v in value.items() if v is not None}
    if isinstance(value, (str, bool)):
        what = "text" if isinstance(value, str) else "true or false"
        raise ValueError(
            f'a GPA is a number (on the 4.0 scale) or {{"value": ..., "scale": ...}}, not {what}'
        )
    return value


def _unfilled_absent(value: Any) -> Any:
    """An object of the template with nothing filled in is absent."""
    return None if value and _blank(value) else value


def _filled(score: Any) -> Any:
    """A score without what the template left unfilled: None for an unfilled score, a list
    of other tests without its unfilled items; the same object when nothing is unfilled."""
    if isinstance(score, list):
        if any(item and _blank(item) for item in score):
            return [item for item in score if not (item and _blank(item))]
        return score
    return None if score and _blank(score) else score


def _unfilled_scores_absent(value: Any) -> Any:
    """A score (or list of other tests) of the template with nothing filled in is absent."""
    if not isinstance(value, dict):
        return value
    for score in value.values():
        if _filled(score) is not score:  # copied only then: most records fill what they give
            return {name: _filled(score) for name, score in value.items()}
    return value


def _courses_as_objects(value: Any) -> Any:
    """A course may be its title alone; an object of the template with nothing filled in
    is absent. (One call for the list, not one per course: this runs on every record.)"""
    if isinstance(value, list):
        return [
            {"title": item} if isinstance(item, str) else item
            for item in value
            if not (isinstance(item, dict) and item and _blank(item))
        ]
    return value


class Degree(Input):
    level: DegreeLevel | None = None
    field: Text | None = None
    institution: Text | None = None
    country: Text | None = None
    status: Literal["completed", "in_progress"] | None = None
    graduation: Annotated[str, Field(pattern=_YEAR_MONTH.pattern)] | None = None
    years: int | None = Field(
        default=None, ge=1, le=10, description="Length of the degree in years."
    )
    taught_in_english: bool | None = None


class Gpa(Input):
    value: float = Field(ge=0)
    scale: float = Field(default=4.0, gt=0, le=100)
    # The best end of the scale, when it is not the top: German grades run from 1.0 (best)
    # to 5.0 (worst), so {"value": 1.7, "scale": 5, "best": 1}.
    best: float | None = Field(default=None, ge=0, le=100)
    # The GPA over the last two years of study, on the same scale, for programs that use it.
    last_two_years: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _value_within_scale(self) -> Gpa:
        low = min(self.best, self.scale) if self.best is not None else 0.0
        for name, value in (("GPA", self.value), ("last-two-years GPA", self.last_two_years)):
            if value is None:
                continue
            if value > self.scale:
                raise ValueError(
                    f"{name} {value:g} is above its scale {self.scale:g}; give the scale "
                    "the GPA is on (for example a 10-point CGPA needs scale 10)"
                )
            if value < low:
                raise ValueError(f"{name} {value:g} is below the best grade {low:g} of its scale")
        return self

    @property
    def inverted(self) -> bool:
        return self.best is not None and self.best < self.scale


class Course(Input):
    title: Annotated[str, Field(min_length=1, max_length=500)]
    subject: Key | None = None
    credits: float | None = Field(default=None, ge=0, le=100)
    grade: Annotated[str, Field(max_length=20)] | None = None


class Materials(Input):
    statement_of_purpose: bool | None = None
    resume: bool | None = None
    transcripts: bool | None = None
    recommendation_letters: int | None = Field(default=None, ge=0, le=50)
    application_fee_paid: bool | None = None
    fee_waiver: bool | None = None
    # Documents a custom program asks for beyond the usual ones, by the rules' key.
    other: dict[Annotated[str, Field(max_length=64)], bool] = Field(default_factory=no_entries)


class Profile(Input):
    id: Annotated[str, BeforeValidator(_id_as_text), Field(max_length=200)] | None = None
    name: Text | None = None
    international: bool | None = None
    citizenship: Text | None = None
    permanent_resident: bool | None = None
    degree: Degree | None = None
    gpa: Annotated[
        Annotated[Gpa, BeforeValidator(_number_as_gpa, json_schema_input_type=float | Gpa)] | None,
        BeforeValidator(_unfilled_absent),
    ] = None
    tests: Annotated[Tests, BeforeValidator(_unfilled_scores_absent)] | None = None
    courses: (
        Annotated[
            list[Course],
            BeforeValidator(_courses_as_objects, json_schema_input_type=list[str | Course]),
        ]
        | None
    ) = Field(default=None, max_length=500)
    courses_complete: bool | None = Field(
        default=None,
        description="The course list is the whole transcript: a subject no listed course "
        "covers is then not met (otherwise it is missing: the list may be partial).",
    )
    materials: Materials | None = None
