"""Degree: a level at or above the minimum, in an accepted area of study.

The field is read through the field taxonomy (`data/taxonomy/fields.toml`): an accepted
area (or a degree title that names one, such as B.Tech for engineering) is met; a related
area is for a person to judge; an area recognised as something else falls short; a field
the taxonomy cannot read is for a person to judge, never a shortfall. An institution may
add its rule on three-year bachelor's degrees.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import Field

from admitcheck.models.base import Cited, Input
from admitcheck.models.profile import DEGREE_RANK, DegreeLevel, Profile
from admitcheck.models.report import Check
from admitcheck.reference import Reference
from admitcheck.requirements.base import Context, Kind, Loc, Requirement
from admitcheck.requirements.matching import Phrases
from admitcheck.taxonomy import Classification, Taxonomy, read_as
from admitcheck.vocabulary import Category, Status, worst
from admitcheck.wording import article, join_words

LEVEL_TITLES: dict[str, str] = {
    "none": "no degree",
    "diploma": "diploma",
    "associate": "associate degree",
    "bachelor": "bachelor's degree",
    "master": "master's degree",
    "doctorate": "doctorate",
}


class ThreeYearRule(Cited):
    """Three-year bachelor's degrees from these countries (from any country, when none
    are listed) are not accepted."""

    countries: list[str] = Field(default_factory=list)
    # Areas whose bachelor's degrees take four years in those countries: when the length
    # is not given, such a degree is taken as four years; any other one needs its length.
    four_year_areas: list[str] = Field(default_factory=list)
    exception: str | None = Field(
        default=None, description="What the source says may still happen (shown as a note)."
    )


class DegreeRule(Cited):
    min_level: DegreeLevel = "bachelor"
    areas: list[str] = Field(
        default_factory=list, description="Field-taxonomy areas (and their sub-areas) that meet it."
    )
    related_areas: list[str] = Field(
        default_factory=list, description="Areas a person must judge ('or a related field')."
    )
    fields: list[str] = Field(
        default_factory=list, description="The program's own words that meet it."
    )
    related_fields: list[str] = Field(default_factory=list)
    allow_in_progress: bool = True
    three_year: ThreeYearRule | None = None


class DegreeInstitutionRule(Input):
    three_year: ThreeYearRule | None = None


@dataclass(frozen=True)
class _Prepared:
    accepted_words: Phrases
    related_words: Phrases
    # The required text names areas by their labels in the taxonomy in use.
    _labels: list[tuple[Taxonomy, str]] = field(default_factory=list)

    def labelled(self, fields: Taxonomy, text: Callable[[], str]) -> str:
        for known, found in self._labels:
            if known is fields:
                return found
        self._labels.append((fields, text()))
        return self._labels[-1][1]


@dataclass(frozen=True)
class _Reading:
    """How a degree field reads against a rule."""

    verdict: str  # "accepted", "related", "other", "unrecognised"
    why: str  # e.g. "'B.Tech' (a degree title) is engineering"


def _read_field(text: str, rule: DegreeRule, prepared: _Prepared, fields: Taxonomy) -> _Reading:
    found = fields.classify(text)
    entries = found.entries
    own = prepared.accepted_words.first_in(text)
    if own is not None:
        return _Reading("accepted", f"'{own}' is a field the program names")
    accepted = [m for m in found.matches if any(fields.within(m.entry, a) for a in rule.areas)]
    if accepted:
        return _Reading("accepted", _because(accepted[0], fields))
    own_related = prepared.related_words.first_in(text)
    related = [
        m for m in found.matches if any(fields.within(m.entry, a) for a in rule.related_areas)
    ]
    if related or own_related:
        why = _because(related[0], fields) if related else f"'{own_related}' is related"
        return _Reading("related", why)
    if entries and not found.leftover:
        labels = join_words(sorted({fields.label(e.split(".")[0]) for e in entries}), "and")
        return _Reading("other", f"'{text}' reads as {labels.lower()}")
    if entries:
        return _Reading(
            "unrecognised",
            f"'{text}' reads partly as {fields.label(min(entries)).lower()}, but "
            f"'{' '.join(found.leftover)}' is not recognised",
        )
    return _Reading("unrecognised", f"'{text}' is not a field the taxonomy recognises")


def _because(match: Any, fields: Taxonomy) -> str:
    how = " (a degree title)" if match.how == "title" else ""
    return f"'{match.words}'{how} is {fields.label(match.entry).lower()}"


class DegreeKind(Kind[DegreeRule]):
    key = "degree"
    category = Category.degree
    rule_model = DegreeRule
    institution_model = DegreeInstitutionRule
    vocabulary: ClassVar[Mapping[str, str]] = {
        "areas": "field_area",
        "related_areas": "field_area",
        "four_year_areas": "field_area",
        "countries": "country",
    }
    title = "Degree"

    def required(self, rule: DegreeRule, fields: Taxonomy | None = None) -> str:
        text = f"{LEVEL_TITLES[rule.min_level]} or higher"
        named = [fields.label(a).lower() if fields else a.replace("_", " ") for a in rule.areas]
        named += rule.fields
        if named:
            text += f" in {join_words(named)}"
            if rule.related_areas or rule.related_fields:
                text += " or a related field"
        return text

    def inherit(self, rule: DegreeRule, institution: Any) -> DegreeRule:
        if rule.three_year is None and institution.three_year is not None:
            return rule.model_copy(update={"three_year": institution.three_year})
        return rule

    def prepare(self, rule: DegreeRule) -> _Prepared:
        return _Prepared(
            Phrases.of(tuple(rule.fields)),
            Phrases.of(tuple(rule.related_fields)),
        )

    def requirements(
        self, rule: DegreeRule, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        notes: tuple[str, ...] = ()
        if rule.three_year is not None:
            where = join_words(rule.three_year.countries, "and") or "any country"
            notes = (f"three-year bachelor's degrees from {where} are not accepted",)
        fields = reference.fields if reference is not None else None
        return [Requirement("degree", self.title, self.required(rule, fields), at, rule, notes)]

    def facts(self, profile: Profile, rule: DegreeRule) -> Hashable:
        d = profile.degree
        if d is None:
            return None
        return (d.level, d.field, d.status, d.country, d.years)

    def check(self, facts: Any, rule: DegreeRule, ctx: Context) -> Sequence[Check]:
        prepared: _Prepared = self.prepared(rule)
        fields = ctx.reference.fields
        required = prepared.labelled(fields, lambda: self.required(rule, fields))

        def result(
            status: Status, actual: str | None, detail: str, short: str | None = None
        ) -> list[Check]:
            return [
                Check(
                    "degree", Category.degree, self.title, status, required, actual, detail, short
                )
            ]

        level, field_text, state, country, years = facts or (None,) * 5
        notes: list[str] = []
        found = fields.classify(field_text) if field_text else None
        if level is None and found is not None and found.level is not None:
            level = found.level
            notes.append(f"Level read from the degree title in '{field_text}'.")
        if level is None:
            return result(
                Status.missing,
                field_text,
                "No degree level given: add degree.level (bachelor, master, doctorate, ...).",
            )
        level_text = LEVEL_TITLES[level]
        in_progress = state == "in_progress"
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
        if in_progress:
            notes.append("Admission would be conditional on completing the degree.")
        statuses = [Status.met]
        shortfall = None
        reading = None
        if rule.areas or rule.fields:
            if not field_text:
                statuses.append(Status.missing)
                notes.insert(0, "No degree field given: add degree.field.")
            else:
                reading = _read_field(field_text, rule, prepared, fields)
                if reading.verdict == "related":
                    statuses.append(Status.review)
                    notes.insert(
                        0,
                        f"{reading.why}: a related field, which the program accepts without "
                        "listing them, so a person must judge.",
                    )
                elif reading.verdict == "other":
                    statuses.append(Status.not_met)
                    wanted = join_words([fields.label(a).lower() for a in rule.areas] + rule.fields)
                    notes.insert(0, f"{reading.why}, not {wanted} or a related field.")
                    shortfall = f"field must be {wanted} or related"
                elif reading.verdict == "unrecognised":
                    statuses.append(Status.review)
                    notes.insert(
                        0,
                        f"{reading.why}: a person must judge it. If it is engineering or "
                        "another field, write its common English name in degree.field.",
                    )
        length = self._length(rule, level, country, years, found, ctx)
        if length is not None:
            statuses.append(length[0])
            notes.append(length[1])
            if length[0] is Status.not_met:
                shortfall = shortfall or "a three-year bachelor's degree is not accepted"
        return result(worst(statuses), actual, " ".join(notes), shortfall)

    def _length(
        self,
        rule: DegreeRule,
        level: str,
        country: str | None,
        years: int | None,
        found: Classification | None,
        ctx: Context,
    ) -> tuple[Status, str] | None:
        """The three-year rule, where it applies: (status, note) or None."""
        three = rule.three_year
        if three is None or level != "bachelor":
            return None
        countries = ctx.reference.countries
        code = countries.code(country)
        if three.countries:
            if code is None or code not in {countries.code(c) for c in three.countries}:
                return None
        elif years is None:
            return None  # a rule for every country asks nothing of a degree of unknown length
        where = countries.name(code) if code else (country or "any country")
        exception = f" {three.exception}" if three.exception else ""
        if years is not None and years <= 3:
            return (
                Status.not_met,
                f"A {years}-year bachelor's degree from {where} is not accepted.{exception}",
            )
        if years is not None:
            return None
        fields = ctx.reference.fields
        four_year = found is not None and any(
            fields.within(entry, area) for entry in found.entries for area in three.four_year_areas
        )
        if four_year:
            return (
                Status.met,
                f"Bachelor's degrees in this field from {where} take four years; "
                "three-year degrees from there are not accepted.",
            )
        return (
            Status.review,
            f"Three-year bachelor's degrees from {where} are not accepted and the degree's "
            "length is not given: add degree.years (the title alone does not prove it).",
        )

    def explain(self, facts: Any, rule: DegreeRule, ctx: Context) -> dict[str, list[str]]:
        if not facts or not facts[1]:
            return {}
        return {"degree": [read_as(facts[1], ctx.reference.fields)]}


KIND = DegreeKind()
