"""English proficiency: any one valid accepted score, for the applicants it applies to.

Scores past their validity window, dated after the evaluation date, or of a test the
program does not accept do not count, and never make the check worse than having no score
(`missing`). A TOEFL band alone is judged through ETS's concordance of bands to 0-120
totals. A waiver written in the rules (usually the institution's: a bachelor's degree
from an English-speaking country) makes the check `waived`; countries are matched as
countries ("UK", "England" and "United Kingdom" are one).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from pydantic import Field

from admitcheck.models.base import Cited, Input, Threshold
from admitcheck.models.profile import DegreeLevel, Profile
from admitcheck.models.report import Check
from admitcheck.models.scores import (
    ENGLISH_TESTS,
    SECTIONS,
    TESTS,
    EnglishTestName,
    OtherTest,
    Toefl,
)
from admitcheck.reference import Reference
from admitcheck.requirements.base import Context, Kind, Loc, Requirement
from admitcheck.requirements.score_outcomes import (
    COUNTED,
    Outcome,
    ScoreOutcome,
    dated,
    describe_score,
    notes_of,
    settled,
)
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import join_words, num

SectionName = Literal["reading", "listening", "speaking", "writing"]


class EnglishTestRule(Cited):
    """One accepted test and its minimums; it may quote its own source where the page
    states that test's figures apart from the others (else the rule's quote covers it)."""

    test: EnglishTestName
    minimum: float | None = Field(default=None, ge=0)
    band_minimum: float | None = Field(default=None, ge=1, le=6, multiple_of=0.5)
    sections: dict[SectionName, float] = Field(
        default_factory=dict, description="A minimum per section (reading, listening, ...)."
    )
    section_minimum: float | None = Field(
        default=None, ge=0, description="The same minimum for every section."
    )
    threshold: Threshold | None = Field(
        default=None, description="What the source means by these numbers (default: the rule's)."
    )

    def section_minimums(self) -> dict[str, float]:
        return self._section_minimums

    @cached_property
    def shown_minimum(self) -> str:
        """'TOEFL iBT 90 (each section 20)'."""
        return _minimum_text(self)

    @cached_property
    def _section_minimums(self) -> dict[str, float]:  # read for every score of every record
        every: dict[str, float] = {}
        if self.section_minimum is not None:
            every = dict.fromkeys(SECTIONS, self.section_minimum)
        for section, minimum in self.sections.items():
            every[section] = minimum
        return every


class EnglishWaiver(Cited):
    """Who need not give a score: a degree from one of `degree_countries` (matched as
    countries), of one of `degree_levels` if given, taught in English; or citizens of one
    of `citizenship`."""

    degree_countries: list[str] = Field(default_factory=list)
    degree_levels: list[DegreeLevel] = Field(default_factory=list)
    citizenship: list[str] = Field(default_factory=list)
    conditions: str | None = Field(
        default=None, description="What else the source requires (shown with the waiver)."
    )


class EnglishRule(Cited):
    applies_to: Literal["international", "everyone"] = "international"
    threshold: Threshold = "minimum"
    tests: list[EnglishTestRule] = Field(min_length=1)
    waivers: list[EnglishWaiver] = Field(default_factory=list)


class EnglishInstitutionRule(Input):
    waivers: list[EnglishWaiver] = Field(default_factory=list)


def minimum_text(test: EnglishTestRule) -> str:
    return test.shown_minimum


def _minimum_text(test: EnglishTestRule) -> str:
    spec = TESTS[test.test]
    parts = []
    if test.minimum is not None:
        parts.append(spec.shown(test.minimum))
    if test.band_minimum is not None:
        parts.append(f"band {num(test.band_minimum)}")
    text = f"{spec.title} {' / '.join(parts)}".rstrip()
    sections = test.section_minimums()
    if sections:
        values = set(sections.values())
        if len(values) == 1 and len(sections) == len(SECTIONS):
            text += f" (each section {spec.shown(values.pop())})"
        else:
            text += " (" + ", ".join(f"{k} {spec.shown(v)}" for k, v in sections.items()) + ")"
    return text


@dataclass(frozen=True)
class _Prepared:
    required: str
    tests: dict[str, EnglishTestRule]


@dataclass(frozen=True)
class _Facts:
    international: bool | None
    citizenship: str | None
    permanent_resident: bool | None
    degree_country: str | None
    degree_level: str | None
    taught_in_english: bool | None
    scores: tuple[tuple[str, Any], ...]  # (test name, score model), in ENGLISH_TESTS order
    others: tuple[OtherTest, ...]


def _threshold(test: EnglishTestRule, rule: EnglishRule) -> Threshold:
    return test.threshold or rule.threshold


def _judge(
    name: str, score: Any, test: EnglishTestRule, rule: EnglishRule, ctx: Context
) -> ScoreOutcome:
    spec = TESTS[name]
    if isinstance(score, Toefl):
        shown = " / ".join(
            p
            for p in (
                str(score.total) if score.total is not None else "",
                f"band {num(score.band)}" if score.band is not None else "",
            )
            if p
        )
    else:
        shown = spec.shown(score.overall)
    actual, stale, note = dated(name, shown, score.date, ctx)
    if stale is not None:
        return stale
    outcome = _main_score(name, score, test, ctx)
    if outcome is None:
        outcome = _sections(name, score, test)
    if outcome is None:
        return ScoreOutcome(name, Outcome.meets, actual, note)
    kind, words = outcome
    if kind is Outcome.short:
        threshold = _threshold(test, rule)
        if threshold == "placement":
            return ScoreOutcome(
                name,
                Outcome.meets,
                actual,
                f"{words}: below the program's placement threshold, which does not decide "
                f"admission (it decides a placement exam). {note}".strip(),
            )
        if threshold == "recommended":
            return ScoreOutcome(
                name,
                Outcome.unclear,
                actual,
                f"{words}: below the program's recommended score, which is not a minimum: a "
                f"person must judge. {note}".strip(),
            )
        return ScoreOutcome(name, Outcome.short, actual, note, words)
    if kind is Outcome.meets:
        return ScoreOutcome(name, Outcome.meets, actual, f"{words} {note}".strip())
    if kind is Outcome.lacking and _threshold(test, rule) == "placement":
        # Missing sections matter only to a placement exam, never to admission.
        return ScoreOutcome(
            name,
            Outcome.meets,
            actual,
            f"{words} The program's thresholds decide a placement exam, not admission. {note}",
        )
    return ScoreOutcome(name, kind, actual, f"{words} {note}".strip())


def _main_score(
    name: str, score: Any, test: EnglishTestRule, ctx: Context
) -> tuple[Outcome, str] | None:
    """The main score against the minimum: None when it meets, else (outcome, words)."""
    spec = TESTS[name]
    if not isinstance(score, Toefl):
        if test.minimum is None or score.overall >= test.minimum:
            return None
        gap = spec.shown(test.minimum - score.overall)
        return Outcome.short, (
            f"{spec.title} {spec.shown(score.overall)} is {gap} below {spec.shown(test.minimum)}"
        )
    title = spec.title
    bands = ctx.reference.toefl_bands
    if score.total is not None and test.minimum is not None:
        if score.total >= test.minimum:
            return None
        return Outcome.short, (
            f"{title} {score.total} is {int(test.minimum - score.total)} below {int(test.minimum)}"
        )
    if score.band is not None and test.band_minimum is not None:
        if score.band >= test.band_minimum:
            return None
        return Outcome.short, (
            f"{title} band {num(score.band)} is below band {num(test.band_minimum)}"
        )
    if score.band is not None and test.minimum is not None:
        equal = bands.band_of(test.minimum)
        if equal is None:
            return Outcome.unclear, (
                f"{title} gives only band {num(score.band)}, and no band corresponds to the "
                f"program's {int(test.minimum)}: a person must judge."
            )
        equivalence = (
            f"ETS's concordance puts a total of {int(test.minimum)} in band "
            f"{num(equal.band)} ({equal.low}-{equal.high})"
        )
        if score.band >= equal.band:
            return Outcome.meets, f"{equivalence}; band {num(score.band)} is at or above it."
        return Outcome.short, (
            f"{title} band {num(score.band)} is below band {num(equal.band)} ({equivalence})"
        )
    if score.total is not None and test.band_minimum is not None:
        found = bands.band_of(score.total)
        if found is None:
            return Outcome.unclear, f"{title} {score.total} has no band: a person must judge."
        if found.band >= test.band_minimum:
            return Outcome.meets, (
                f"ETS's concordance puts a total of {score.total} in band {num(found.band)}."
            )
        return Outcome.short, (
            f"{title} {score.total} is in band {num(found.band)} by ETS's concordance, below "
            f"band {num(test.band_minimum)}"
        )
    return None


def _sections(name: str, score: Any, test: EnglishTestRule) -> tuple[Outcome, str] | None:
    minimums = test.section_minimums()
    if not minimums:
        return None
    spec = TESTS[name]
    low = []
    absent = []
    for section, minimum in minimums.items():
        value = getattr(score, section, None)
        if value is None:
            absent.append(section)
        elif value < minimum:
            low.append(f"{section} {spec.shown(value)} (needs {spec.shown(minimum)})")
    if low:
        return Outcome.short, f"{spec.title} sections below their minimums: {', '.join(low)}"
    if absent:
        return Outcome.lacking, (
            f"{spec.title} meets the overall minimum, but the program sets section minimums and "
            f"{join_words(absent, 'and')} {'is' if len(absent) == 1 else 'are'} not given."
        )
    return None


class EnglishKind(Kind[EnglishRule]):
    key = "english"
    category = Category.english
    applicant_facts = True
    rule_model = EnglishRule
    institution_model = EnglishInstitutionRule
    memoise = False  # scores carry dates: facts rarely repeat
    title = "English proficiency"

    def required(self, rule: EnglishRule) -> str:
        who = " (international applicants)" if rule.applies_to == "international" else ""
        kind = {"placement": " (placement, not admission)", "recommended": " (recommended)"}
        return (
            join_words([minimum_text(t) for t in rule.tests]) + kind.get(rule.threshold, "") + who
        )

    def inherit(self, rule: EnglishRule, institution: Any) -> EnglishRule:
        waivers = [*rule.waivers, *institution.waivers]
        return rule.model_copy(update={"waivers": waivers}) if institution.waivers else rule

    def prepare(self, rule: EnglishRule) -> _Prepared:
        return _Prepared(self.required(rule), {t.test: t for t in rule.tests})

    def requirements(
        self, rule: EnglishRule, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        notes = tuple(_waiver_text(w) for w in rule.waivers)
        return [Requirement("english", self.title, self.required(rule), at, rule, notes)]

    def facts(self, profile: Profile, rule: EnglishRule) -> Hashable:
        tests = profile.tests
        degree = profile.degree
        scores: tuple[tuple[str, Any], ...] = ()
        others: tuple[OtherTest, ...] = ()
        if tests is not None:
            scores = tuple(
                (name, score)
                for name in ENGLISH_TESTS
                if (score := getattr(tests, name)) is not None
            )
            others = tuple(tests.other)
        return _Facts(
            profile.international,
            profile.citizenship,
            profile.permanent_resident,
            degree.country if degree else None,
            degree.level if degree else None,
            degree.taught_in_english if degree else None,
            scores,
            others,
        )

    def check(self, facts: Any, rule: EnglishRule, ctx: Context) -> Sequence[Check]:
        f: _Facts = facts
        prepared: _Prepared = self.prepared(rule)
        required = prepared.required

        def result(
            status: Status, actual: str | None, detail: str, short: str | None = None
        ) -> list[Check]:
            return [
                Check(
                    "english", Category.english, self.title, status, required, actual, detail, short
                )
            ]

        international, why_domestic = _residency(f, ctx)
        if rule.applies_to == "international" and international is False:
            detail = "Domestic applicant: no English test is required."
            return result(Status.not_applicable, None, f"{detail} {why_domestic}".strip())
        waiver, near_miss = _waiver(f, rule, ctx)
        if waiver is not None:
            return result(Status.waived, None, waiver)

        outcomes: list[ScoreOutcome] = []
        for name, score in f.scores:
            test = prepared.tests.get(name)
            if test is None:
                shown = describe_score(name, _score_text(name, score), score.date)
                outcomes.append(
                    ScoreOutcome(
                        name,
                        Outcome.not_accepted,
                        shown,
                        f"{TESTS[name].title} is not accepted by this program.",
                    )
                )
            else:
                outcomes.append(_judge(name, score, test, rule, ctx))
        for other in f.others:
            shown = f"{other.test} {other.score or ''}".strip()
            outcomes.append(
                ScoreOutcome(
                    "other",
                    Outcome.not_accepted,
                    shown,
                    f"{other.test} is not accepted by this program.",
                )
            )
        decided = settled(outcomes)
        if decided is not None:
            return result(*decided)
        actual = "; ".join(o.actual for o in outcomes) or None
        counted = [o for o in outcomes if o.outcome in COUNTED]
        given = {o.test for o in counted}
        others = [minimum_text(t) for t in rule.tests if t.test not in given]
        alternatives = f" Alternatives: {join_words(others)}." if others else ""
        aside = notes_of(outcomes, Outcome.expired, Outcome.later, Outcome.not_accepted)
        aside = f" {aside}" if aside else ""
        shortfall = "; ".join(o.shortfall for o in counted if o.shortfall) or None
        if counted and international is None and rule.applies_to == "international":
            return result(
                Status.missing,
                actual,
                "The profile does not say whether the applicant is international: set "
                f"international (true or false). Scores given fall short: {shortfall}.{aside}",
                shortfall,
            )
        if counted:
            return result(
                Status.not_met,
                actual,
                f"No score meets the minimum: {shortfall}.{aside}{alternatives}",
                shortfall,
            )
        ask = "No valid English test score" if outcomes else "No English test score given"
        return result(
            Status.missing,
            actual,
            f"{ask}: add one of {join_words([minimum_text(t) for t in rule.tests])}.{aside}"
            f"{near_miss}",
        )

    def explain(self, facts: Any, rule: EnglishRule, ctx: Context) -> dict[str, list[str]]:
        f: _Facts = facts
        lines = []
        countries = ctx.reference.countries
        for label, text in (("citizenship", f.citizenship), ("degree country", f.degree_country)):
            if text:
                code = countries.code(text)
                lines.append(
                    f"{label} '{text}' -> {countries.name(code)} ({code})"
                    if code
                    else f"{label} '{text}': not a country admitcheck recognises"
                )
        _, why = _residency(f, ctx)
        if why:
            lines.append(why)
        return {"english": lines} if lines else {}

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        rule: EnglishRule = value
        found: list[tuple[Loc, str]] = []
        seen: set[str] = set()
        for j, test in enumerate(rule.tests):
            where: Loc = ("tests", j)
            spec = TESTS[test.test]
            if test.test in seen:
                found.append(((*where, "test"), f"test '{test.test}' is listed twice"))
            seen.add(test.test)
            if test.minimum is not None:
                if not spec.low <= test.minimum <= spec.high:
                    found.append(
                        (
                            (*where, "minimum"),
                            f"{test.test} minimum {test.minimum:g} is outside the test's "
                            f"scale {spec.low:g}-{spec.high:g}",
                        )
                    )
                elif (test.minimum / spec.step) % 1:
                    found.append(
                        (
                            (*where, "minimum"),
                            f"{test.test} minimum {test.minimum:g} is not on the test's "
                            f"steps of {spec.step:g}",
                        )
                    )
            if test.test != "toefl" and test.band_minimum is not None:
                found.append(((*where, "band_minimum"), "band_minimum applies to toefl only"))
            sections = test.section_minimums()
            if sections and not spec.section_high:
                found.append((where, f"{test.test} has no section scores in a profile"))
            for section, minimum in sections.items():
                if spec.section_high and not 0 <= minimum <= spec.section_high:
                    found.append(
                        (
                            (*where, "sections", section),
                            f"{section} minimum {minimum:g} is outside {test.test}'s section "
                            f"scale 0-{spec.section_high:g}",
                        )
                    )
            if test.minimum is None and test.band_minimum is None and not sections:
                found.append((where, "give a minimum (or, for toefl, a band_minimum)"))
        return found


def _score_text(name: str, score: Any) -> str:
    if isinstance(score, Toefl):
        return str(score.total) if score.total is not None else f"band {num(score.band or 0)}"
    return TESTS[name].shown(score.overall)


def _residency(f: _Facts, ctx: Context) -> tuple[bool | None, str]:
    """Whether the applicant is international, and why when it is inferred."""
    if f.international is not None or ctx.home_country is None:
        return f.international, ""
    countries = ctx.reference.countries
    if f.citizenship and countries.code(f.citizenship) == ctx.home_country:
        return False, (
            f"Taken as domestic: citizenship {f.citizenship} (international was not given)."
        )
    if f.permanent_resident:
        return False, "Taken as domestic: a permanent resident (international was not given)."
    return None, ""


def _waiver_text(waiver: EnglishWaiver) -> str:
    parts = []
    if waiver.degree_countries:
        levels = (
            join_words(
                [f"{lv}'s" if lv in ("bachelor", "master") else lv for lv in waiver.degree_levels]
            )
            or "a"
        )
        degree = f"{levels} degree" if waiver.degree_levels else "a degree"
        parts.append(f"{degree} from {join_words(waiver.degree_countries)}")
    if waiver.citizenship:
        parts.append(f"citizens of {join_words(waiver.citizenship)}")
    text = "waived for " + join_words(parts)
    return text + (f" ({waiver.conditions})" if waiver.conditions else "")


def _waiver(f: _Facts, rule: EnglishRule, ctx: Context) -> tuple[str | None, str]:
    """(the waiver's note if one applies, a hint when one nearly does)."""
    countries = ctx.reference.countries
    citizen = countries.code(f.citizenship)
    place = countries.code(f.degree_country)
    hint = ""
    for waiver in rule.waivers:
        if citizen and citizen in {countries.code(c) for c in waiver.citizenship}:
            return f"Waived for citizens of {countries.name(citizen)}.", ""
        if not place or place not in {countries.code(c) for c in waiver.degree_countries}:
            continue
        where = countries.name(place)
        if f.taught_in_english is False:
            hint = f" A degree from {where} waives it only when taught in English."
            continue
        if waiver.degree_levels and f.degree_level not in waiver.degree_levels:
            levels = join_words(list(waiver.degree_levels))
            hint = (
                f" A {levels} degree from {where} would waive it; a {f.degree_level or 'degree'} "
                "alone does not, unless the bachelor's was completed there too."
            )
            continue
        conditions = f" ({waiver.conditions})" if waiver.conditions else ""
        return f"Waived: a degree from {where}{conditions}.", ""
    return None, hint


KIND = EnglishKind()
