"""Degree: level at or above the minimum, field in the accepted or related fields."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from admitcheck.models import DEGREE_RANK, Check, Degree, DegreeRule
from admitcheck.rules.common import (
    BoundedMemo,
    first_match,
    join_words,
    memo_by_facts,
    normalize,
    per_rule,
    phrases,
)
from admitcheck.vocabulary import Category, Status

LEVEL_TITLES: dict[str, str] = {
    "none": "no degree",
    "diploma": "diploma",
    "associate": "associate degree",
    "bachelor": "bachelor's degree",
    "master": "master's degree",
    "doctorate": "doctorate",
}

TITLE = "Degree"


def required_text(rule: DegreeRule) -> str:
    text = f"{LEVEL_TITLES[rule.min_level]} or higher"
    if rule.fields:
        text += f" in {join_words(rule.fields)}"
        if rule.related_fields:
            text += " or a related field"
    return text


@dataclass
class _Prepared:
    required: str
    accepted: tuple[str, ...]
    related: tuple[str, ...]
    # field text -> ("accepted" | "related", matched phrase), or None for neither
    fields: BoundedMemo[tuple[str, str] | None] = field(default_factory=BoundedMemo)


@per_rule
def _prepare(rule: DegreeRule) -> _Prepared:
    return _Prepared(required_text(rule), phrases(rule.fields), phrases(rule.related_fields))


def classify_field(field_text: str, rule: DegreeRule) -> tuple[str, str] | None:
    """Whether a degree field is an accepted field, a related one (and which), or neither."""
    prepared = _prepare(rule)
    if field_text in prepared.fields:
        return prepared.fields[field_text]
    words = normalize(field_text)
    accepted = first_match(words, prepared.accepted)
    related = None if accepted else first_match(words, prepared.related)
    found = ("accepted", accepted) if accepted else ("related", related) if related else None
    return prepared.fields.remember(field_text, found)


def _degree_facts(degree: Degree | None) -> Hashable:
    return None if degree is None else (degree.level, degree.field, degree.status)


@memo_by_facts(_degree_facts)
def check_degree(degree: Degree | None, rule: DegreeRule) -> Check:
    required = _prepare(rule).required

    def result(status: Status, actual: str | None, detail: str, short: str | None = None) -> Check:
        return Check("degree", Category.degree, TITLE, status, required, actual, detail, short)

    if degree is None or degree.level is None:
        return result(
            Status.missing,
            None,
            "No degree level given: add degree.level (bachelor, master, doctorate, ...).",
        )
    level_text = LEVEL_TITLES[degree.level]
    in_progress = degree.status == "in_progress"
    actual = level_text + (f", {degree.field}" if degree.field else "")
    if in_progress:
        actual += " (in progress)"
    if DEGREE_RANK[degree.level] < DEGREE_RANK[rule.min_level]:
        return result(
            Status.not_met,
            actual,
            f"A {level_text} is below the required {LEVEL_TITLES[rule.min_level]}.",
            f"needs a {LEVEL_TITLES[rule.min_level]} or higher",
        )
    if in_progress and not rule.allow_in_progress:
        return result(
            Status.not_met,
            actual,
            "This program requires the degree to be completed before applying.",
        )
    conditional = " Admission would be conditional on completing the degree." if in_progress else ""
    if not rule.fields:
        return result(Status.met, actual, conditional.strip())
    if not degree.field:
        return result(
            Status.missing, actual, "No degree field given: add degree.field." + conditional
        )
    found = classify_field(degree.field, rule)
    if found is not None and found[0] == "accepted":
        return result(Status.met, actual, conditional.strip())
    if found is not None:
        related = found[1]
        return result(
            Status.review,
            actual,
            f"'{degree.field}' looks related ({related}); the program accepts "
            "'a related field' without listing them, so a person must judge." + conditional,
        )
    return result(
        Status.not_met,
        actual,
        f"'{degree.field}' is neither in {join_words(rule.fields)} nor a listed related field.",
        f"field must be {join_words(rule.fields)} or related",
    )
