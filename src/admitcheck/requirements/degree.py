"""Degree: a level at or above the minimum, in an accepted or a related field."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from pydantic import Field

from admitcheck.models.base import Cited
from admitcheck.models.profile import DEGREE_RANK, DegreeLevel, Profile
from admitcheck.models.report import Check
from admitcheck.requirements.base import Context, Kind, Loc, Requirement
from admitcheck.requirements.matching import Phrases
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import article, join_words

LEVEL_TITLES: dict[str, str] = {
    "none": "no degree",
    "diploma": "diploma",
    "associate": "associate degree",
    "bachelor": "bachelor's degree",
    "master": "master's degree",
    "doctorate": "doctorate",
}


class DegreeRule(Cited):
    min_level: DegreeLevel = "bachelor"
    fields: list[str] = Field(default_factory=list)
    related_fields: list[str] = Field(default_factory=list)
    allow_in_progress: bool = True


class DegreeKind(Kind[DegreeRule]):
    key = "degree"
    category = Category.degree
    rule_model = DegreeRule
    title = "Degree"

    def required(self, rule: DegreeRule) -> str:
        text = f"{LEVEL_TITLES[rule.min_level]} or higher"
        if rule.fields:
            text += f" in {join_words(rule.fields)}"
            if rule.related_fields:
                text += " or a related field"
        return text

    def prepare(self, rule: DegreeRule) -> str:
        return self.required(rule)

    def requirements(self, rule: DegreeRule, at: Loc) -> list[Requirement]:
        return [Requirement("degree", self.title, self.required(rule), at, rule)]

    def facts(self, profile: Profile, rule: DegreeRule) -> Hashable:
        degree = profile.degree
        return None if degree is None else (degree.level, degree.field, degree.status)

    def check(self, facts: Any, rule: DegreeRule, ctx: Context) -> Sequence[Check]:
        required: str = self.prepared(rule)

        def result(
            status: Status, actual: str | None, detail: str, short: str | None = None
        ) -> list[Check]:
            return [
                Check(
                    "degree", Category.degree, self.title, status, required, actual, detail, short
                )
            ]

        if facts is None or facts[0] is None:
            return result(
                Status.missing,
                None,
                "No degree level given: add degree.level (bachelor, master, doctorate, ...).",
            )
        level, field_text, status = facts
        level_text = LEVEL_TITLES[level]
        in_progress = status == "in_progress"
        actual = level_text + (f", {field_text}" if field_text else "")
        if in_progress:
            actual += " (in progress)"
        if DEGREE_RANK[level] < DEGREE_RANK[rule.min_level]:
            needed = LEVEL_TITLES[rule.min_level]
            return result(
                Status.not_met,
                actual,
                f"{article(level_text).capitalize()} is below the required {needed}.",
                f"needs {article(needed)} or higher",
            )
        if in_progress and not rule.allow_in_progress:
            return result(
                Status.not_met,
                actual,
                "This program requires the degree to be completed before applying.",
            )
        conditional = (
            " Admission would be conditional on completing the degree." if in_progress else ""
        )
        if not rule.fields:
            return result(Status.met, actual, conditional.strip())
        if not field_text:
            return result(
                Status.missing, actual, "No degree field given: add degree.field." + conditional
            )
        accepted = Phrases.of(tuple(rule.fields)).first_in(field_text)
        if accepted is not None:
            return result(Status.met, actual, conditional.strip())
        related = Phrases.of(tuple(rule.related_fields)).first_in(field_text)
        if related is not None:
            return result(
                Status.review,
                actual,
                f"'{field_text}' looks related ({related}); the program accepts "
                "'a related field' without listing them, so a person must judge." + conditional,
            )
        return result(
            Status.not_met,
            actual,
            f"'{field_text}' is neither in {join_words(rule.fields)} nor a listed related field.",
            f"field must be {join_words(rule.fields)} or related",
        )


KIND = DegreeKind()
