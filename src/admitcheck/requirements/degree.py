"""Degree: a level at or above the minimum, in an accepted area of study.

The field is read through the field taxonomy (`data/taxonomy/fields.toml`): an accepted
area (or a degree title that names one, such as B.Tech for engineering) is met; a related
area is for a person to judge; an area recognised as something else falls short; a field
the taxonomy cannot read is for a person to judge, never a shortfall. An institution may
add its rule on three-year bachelor's degrees.

Degree length (`three_year`, or `min_years` for short)
    A bachelor's must take at least `min_years` (default 4: "three-year degrees are not
    accepted"), from the `countries` listed or, with none, from any country. Shorter:
    `not_met`, with the rule's `exception` as a note; with `case_by_case` (`true`, a note,
    or a table citing its own page) `review`, quoted. `bologna = "accepted"` takes a
    three-year bachelor's from a country of the European Higher Education Area (a
    first-cycle Bologna degree of 180 ECTS; the group is data, `data/countries.toml`) as
    enough; `bologna = "case_by_case"` sends it to a person, quoted. Length not given: from
    a listed country, a degree in one of `four_year_areas` (four years there) is `met`, any
    other `review` asking for `degree.years` (a title is no proof of length); for a rule
    on every country, the check is unchanged, with a note asking for `degree.years`.
    `min_years = 4` on the degree rule is `three_year = { min_years = 4 }` on its quote.

Preferred fields (`preferred_areas`)
    Areas the program prefers but does not require: a note only, never a status. A field
    in them says so; a field recognised as something else is noted as not preferred ("not
    required"); an unrecognised one is noted for a person.

A bar on holders of an equivalent degree (`bar`)
    `bar = { min_level = "master", areas = [...], related_areas = [...], quote = ... }`:
    an applicant whose degree is at `min_level` or above in one of `areas` (or the bar's
    own `fields`) may not apply: `not_met`, quoting the bar (`review` with `case_by_case`,
    where the page asks for a judgment such as "equivalent to our master's"). Only the
    profile's facts decide it: a degree below that level is untouched; at that level, a
    field in `related_areas` or one the taxonomy cannot read is `review`, no field at all
    is `missing`, a field recognised as something else is untouched; a degree at that level
    still in progress is `review`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from pydantic import Field

from admitcheck.models.base import Cited, Input
from admitcheck.models.profile import DEGREE_RANK, DegreeLevel, Profile
from admitcheck.models.report import Check
from admitcheck.reference import Reference
from admitcheck.requirements.base import (
    CaseByCase,
    CaseByCaseField,
    Context,
    Kind,
    Loc,
    Requirement,
    Rule,
    case_by_case_words,
)
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
    """How long a bachelor's must take: at least `min_years` (default 4, so three-year
    degrees are not accepted), for degrees from these countries (any country, when none
    are listed). See the module's docstring."""

    min_years: int = Field(default=4, ge=2, le=6, description="The shortest length accepted.")
    countries: list[str] = Field(default_factory=list)
    # Areas whose bachelor's degrees take four years in those countries: when the length
    # is not given, such a degree is taken as four years; any other one needs its length.
    four_year_areas: list[str] = Field(default_factory=list)
    exception: str | None = Field(
        default=None, description="What the source says may still happen (shown as a note)."
    )
    case_by_case: CaseByCaseField = Field(
        default=None, description="A shorter degree is decided case by case: review, quoted."
    )
    bologna: Literal["accepted", "case_by_case"] | None = Field(
        default=None,
        description="A three-year (180 ECTS) bachelor's from a Bologna (EHEA) country: "
        "accepted, or decided case by case.",
    )


class DegreeBar(Cited):
    """Holders of a degree at `min_level` or above in these areas may not apply."""

    min_level: DegreeLevel = "master"
    areas: list[str] = Field(default_factory=list, description="Field-taxonomy areas barred.")
    fields: list[str] = Field(default_factory=list, description="The program's own words.")
    related_areas: list[str] = Field(
        default_factory=list, description="Areas a person must judge ('closely related')."
    )
    case_by_case: CaseByCaseField = Field(
        default=None, description="Whether such a degree bars is judged: review, quoted."
    )


class DegreeRule(Rule):
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
    min_years: int | None = Field(
        default=None, ge=2, le=6, description="Short for three_year = { min_years = N }."
    )
    preferred_areas: list[str] = Field(
        default_factory=list, description="Areas the program prefers (a note, never a status)."
    )
    bar: DegreeBar | None = Field(
        default=None, description="Holders of an equivalent degree may not apply."
    )

    def length(self) -> ThreeYearRule | None:
        """The length rule: `three_year`, or `min_years` on the degree rule's own quote."""
        if self.three_year is not None or self.min_years is None:
            return self.three_year
        return ThreeYearRule(min_years=self.min_years)


class DegreeInstitutionRule(Input):
    three_year: ThreeYearRule | None = None


@dataclass(frozen=True)
class _Prepared:
    accepted_words: Phrases
    related_words: Phrases
    bar_words: Phrases
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
    return _read(
        text,
        rule.areas,
        rule.related_areas,
        prepared.accepted_words,
        prepared.related_words,
        fields,
    )


def _read(
    text: str,
    areas: list[str],
    related_areas: list[str],
    accepted_words: Phrases,
    related_words: Phrases,
    fields: Taxonomy,
) -> _Reading:
    found = fields.classify(text)
    entries = found.entries
    own = accepted_words.first_in(text)
    if own is not None:
        return _Reading("accepted", f"'{own}' is a field the program names")
    accepted = [m for m in found.matches if any(fields.within(m.entry, a) for a in areas)]
    if accepted:
        return _Reading("accepted", _because(accepted[0], fields))
    own_related = related_words.first_in(text)
    related = [m for m in found.matches if any(fields.within(m.entry, a) for a in related_areas)]
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


def _areas_text(areas: list[str], fields: Taxonomy | None, words: Sequence[str] = ()) -> str:
    named = [fields.label(a).lower() if fields else a.replace("_", " ") for a in areas]
    return join_words([*named, *words])


def _preferred(text: str | None, areas: list[str], fields: Taxonomy) -> str:
    """The note on a preferred field: never a status."""
    wanted = _areas_text(areas, fields)
    if not text or not text.strip():
        return f"The program prefers a degree in {wanted} (preferred, not required)."
    found = fields.classify(text)
    hit = next((m for m in found.matches if any(fields.within(m.entry, a) for a in areas)), None)
    if hit is not None:
        return f"{_because(hit, fields)}, a field the program prefers."
    if found.entries and not found.leftover:
        return (
            f"'{text}' is not in a field the program prefers ({wanted}); preferred, not required."
        )
    return (
        f"The program prefers a degree in {wanted} (not required); whether '{text}' is one a "
        "person may judge."
    )


class DegreeKind(Kind[DegreeRule]):
    key = "degree"
    category = Category.degree
    applicant_facts = True
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
        if rule.length() is None and institution.three_year is not None:
            return rule.model_copy(update={"three_year": institution.three_year})
        return rule

    def prepare(self, rule: DegreeRule) -> _Prepared:
        return _Prepared(
            Phrases.of(tuple(rule.fields)),
            Phrases.of(tuple(rule.related_fields)),
            Phrases.of(tuple(rule.bar.fields) if rule.bar is not None else ()),
        )

    def requirements(
        self, rule: DegreeRule, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        notes: list[str] = []
        fields = reference.fields if reference is not None else None
        length = rule.length()
        if length is not None:
            where = join_words(length.countries, "and") or "any country"
            if length.min_years == 4:
                text = f"three-year bachelor's degrees from {where} are not accepted"
            else:
                text = (
                    f"bachelor's degrees from {where} must take at least {length.min_years} years"
                )
            if length.case_by_case is not None:
                text += " (shorter ones are decided case by case)"
            if length.bologna is not None:
                text += "; three-year Bologna degrees are " + (
                    "accepted" if length.bologna == "accepted" else "decided case by case"
                )
            notes.append(text)
        if rule.preferred_areas:
            notes.append(f"preferred: {_areas_text(rule.preferred_areas, fields)}")
        if rule.bar is not None:
            bar = rule.bar
            notes.append(
                f"holders of {article(LEVEL_TITLES[bar.min_level])} or higher in "
                f"{_areas_text(bar.areas, fields, bar.fields)} may not apply"
                + (" (judged case by case)" if bar.case_by_case is not None else "")
            )
        return [
            Requirement("degree", self.title, self.required(rule, fields), at, rule, tuple(notes))
        ]

    def facts(self, profile: Profile, rule: DegreeRule) -> Hashable:
        d = profile.degree
        if d is None:
            return None
        # A field of only spaces or punctuation ("  ", "-", "N/A" is not) says nothing: it
        # is absent, as an empty cell is.
        field_text = d.field if d.field and any(c.isalnum() for c in d.field) else None
        return (d.level, field_text, d.status, d.country, d.years)

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
        if rule.preferred_areas:
            notes.append(_preferred(field_text, rule.preferred_areas, fields))
        bar = self._bar(rule, prepared, level, field_text, in_progress, fields)
        if bar is not None:
            statuses.append(bar[0])
            notes.append(bar[1])
            if bar[0] is Status.not_met:
                shortfall = shortfall or bar[2]
        length = self._length(rule, level, country, years, found, ctx)
        if length is not None:
            statuses.append(length[0])
            notes.append(length[1])
            if length[0] is Status.not_met:
                shortfall = shortfall or f"a {years}-year bachelor's degree is not accepted"
        return result(worst(statuses), actual, " ".join(notes), shortfall)

    @staticmethod
    def _bar(
        rule: DegreeRule,
        prepared: _Prepared,
        level: str,
        field_text: str | None,
        in_progress: bool,
        fields: Taxonomy,
    ) -> tuple[Status, str, str] | None:
        """The bar on holders of an equivalent degree: (status, note, shortfall) or None."""
        bar = rule.bar
        if bar is None or DEGREE_RANK[level] < DEGREE_RANK[bar.min_level]:
            return None
        held = LEVEL_TITLES[level]
        barred = _areas_text(bar.areas, fields, bar.fields)
        words = f' ("{bar.quote}")' if bar.quote else ""
        needed = article(LEVEL_TITLES[bar.min_level])
        who = f"The program does not admit holders of {needed} or higher in {barred}{words}"
        if not field_text or not field_text.strip():
            return (
                Status.missing,
                f"{who}, and the {held}'s field is not given: add degree.field.",
                "",
            )
        reading = _read(
            field_text, bar.areas, bar.related_areas, prepared.bar_words, Phrases.of(()), fields
        )
        if reading.verdict == "accepted":
            if in_progress:
                return (
                    Status.review,
                    f"{who}. {reading.why}, but the {held} is still in progress: a person must "
                    "judge.",
                    "",
                )
            if bar.case_by_case is not None:
                return (
                    Status.review,
                    f"{who}. {reading.why}. {case_by_case_words(bar.case_by_case, bar)}",
                    "",
                )
            return (
                Status.not_met,
                f"{who}. {reading.why}.",
                f"already holds {article(held)} in {barred}",
            )
        if reading.verdict == "related":
            return (
                Status.review,
                f"{who}. {reading.why}: whether it is close enough to bar a person must judge.",
                "",
            )
        if reading.verdict == "unrecognised":
            return (
                Status.review,
                f"{who}. {reading.why}: whether this {held} is one of them a person must judge.",
                "",
            )
        return None

    def _length(
        self,
        rule: DegreeRule,
        level: str,
        country: str | None,
        years: int | None,
        found: Classification | None,
        ctx: Context,
    ) -> tuple[Status, str] | None:
        """The degree-length rule, where it applies: (status, note) or None."""
        three = rule.length()
        if three is None or level != "bachelor":
            return None
        countries = ctx.reference.countries
        code = countries.code(country)
        if three.countries and (
            code is None or code not in {countries.code(c) for c in three.countries}
        ):
            return None
        need = three.min_years
        shown = countries.name(code) if code else country
        where = f" from {shown}" if shown else ""
        cited: Cited = three if three.quote else rule
        exception = f" {three.exception}" if three.exception else ""
        if years is not None and years >= need:
            return None
        if years is not None:
            if three.bologna is not None and years == 3 and countries.in_group(code, "bologna"):
                first_cycle = (
                    f"A 3-year bachelor's degree{where}, a first-cycle Bologna degree (180 ECTS)"
                )
                if three.bologna == "accepted":
                    return Status.met, f"{first_cycle}, is accepted."
                return (
                    Status.review,
                    f"{first_cycle}. {case_by_case_words(CaseByCase(), cited)}",
                )
            if need == 4:
                text = f"A {years}-year bachelor's degree{where} is not accepted."
            else:
                text = (
                    f"A {years}-year bachelor's degree{where} is shorter than the {need} years "
                    "the program asks for."
                )
            if three.case_by_case is not None:
                shorter = f"A {years}-year bachelor's degree{where} is shorter than {need} years."
                return Status.review, f"{shorter} {case_by_case_words(three.case_by_case, cited)}"
            return Status.not_met, text + exception
        if not three.countries:
            # A rule on every country asks nothing more of a degree of unknown length.
            return (
                Status.met,
                f"The program asks for a bachelor's of at least {need} years; the degree's "
                "length is not given (add degree.years to check it).",
            )
        fields = ctx.reference.fields
        four_year = found is not None and any(
            fields.within(entry, area) for entry in found.entries for area in three.four_year_areas
        )
        if four_year:
            return (
                Status.met,
                f"Bachelor's degrees in this field{where} take four years; "
                "three-year degrees from there are not accepted.",
            )
        if need == 4:
            rule_text = f"Three-year bachelor's degrees{where} are not accepted"
        else:
            rule_text = f"Bachelor's degrees{where} must take at least {need} years"
        return (
            Status.review,
            f"{rule_text} and the degree's length is not given: add degree.years (the title "
            "alone does not prove it).",
        )

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        rule: DegreeRule = value
        found: list[tuple[Loc, str]] = []
        if rule.min_years is not None and rule.three_year is not None:
            found.append(
                (("min_years",), "min_years and three_year both given: put min_years in three_year")
            )
        if rule.bar is not None and not (rule.bar.areas or rule.bar.fields):
            found.append((("bar",), "a bar names the areas (or fields) of the degrees it bars"))
        return found

    def explain(self, facts: Any, rule: DegreeRule, ctx: Context) -> dict[str, list[str]]:
        if not facts or not facts[1]:
            return {}
        return {"degree": [read_as(facts[1], ctx.reference.fields)]}


KIND = DegreeKind()
