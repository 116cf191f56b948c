"""English proficiency: any one valid qualifying score, for the applicants it applies to."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

from pydantic import Field

from admitcheck.models.base import Cited, Input
from admitcheck.models.profile import Profile
from admitcheck.models.report import Check
from admitcheck.models.scores import TESTS, EnglishTestName, Ielts, Pte, Toefl
from admitcheck.requirements.base import Context, Kind, Loc, Requirement
from admitcheck.requirements.score_outcomes import Outcome, ScoreOutcome, dated, settled
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import join_words, num

ENGLISH_TESTS: tuple[str, ...] = ("toefl", "ielts", "pte")


class EnglishTestRule(Input):
    test: EnglishTestName
    minimum: float | None = Field(default=None, ge=0)
    band_minimum: float | None = Field(default=None, ge=1, le=6, multiple_of=0.5)
    section_minimum: int | None = Field(default=None, ge=0, le=30)


class EnglishWaiver(Input):
    quote: str | None = None
    degree_country: list[str] = Field(default_factory=list)
    citizenship: list[str] = Field(default_factory=list)


class EnglishRule(Cited):
    applies_to: Literal["international", "everyone"] = "international"
    tests: list[EnglishTestRule] = Field(min_length=1)
    waivers: list[EnglishWaiver] = Field(default_factory=list)


def minimum_text(test: EnglishTestRule) -> str:
    spec = TESTS[test.test]
    parts = []
    if test.minimum is not None:
        parts.append(spec.shown(test.minimum))
    if test.band_minimum is not None:
        parts.append(f"band {num(test.band_minimum)}")
    text = f"{spec.title} {' / '.join(parts)}"
    if test.section_minimum is not None:
        text += f" (each section {test.section_minimum})"
    return text


def _guidance(ctx: Context) -> str:
    if not ctx.band_guidance:
        return ""
    pairs = ", ".join(f"{p.total} ~ band {num(p.band)}" for p in ctx.band_guidance)
    return f" Publisher's guidance: {pairs}."


def _toefl(score: Toefl, test: EnglishTestRule, ctx: Context) -> ScoreOutcome:
    shown = " / ".join(
        part
        for part in (
            str(score.total) if score.total is not None else "",
            f"band {num(score.band)}" if score.band is not None else "",
        )
        if part
    )
    actual, expired, note = dated("toefl", shown, score.date, ctx)
    if expired is not None:
        return expired
    title = TESTS["toefl"].title
    if score.total is not None and test.minimum is not None:
        value, minimum, unit = float(score.total), test.minimum, ""
    elif score.band is not None and test.band_minimum is not None:
        value, minimum, unit = score.band, test.band_minimum, "band "
    elif score.band is not None and test.minimum is not None:
        return ScoreOutcome(
            "toefl",
            Outcome.unclear,
            actual,
            f"{title} gives only band {num(score.band)} and the program states a 0-120 "
            f"minimum ({int(test.minimum)}) with no band minimum: add the comparable 0-120 "
            f"total from the score report.{_guidance(ctx)} {note}".strip(),
        )
    else:
        return ScoreOutcome(
            "toefl",
            Outcome.unclear,
            actual,
            f"{title}: the program states only a band minimum; add the band from the score "
            f"report. {note}".strip(),
        )
    if value < minimum:
        gap = minimum - value
        show = num if unit else (lambda x: str(int(x)))
        return ScoreOutcome(
            "toefl",
            Outcome.short,
            actual,
            note,
            f"{title} {unit}{show(value)} is {show(gap)} below {unit}{show(minimum)}",
        )
    if test.section_minimum is not None:
        sections = {
            "reading": score.reading,
            "listening": score.listening,
            "speaking": score.speaking,
            "writing": score.writing,
        }
        given = {k: v for k, v in sections.items() if v is not None}
        low = [f"{k} {v}" for k, v in given.items() if v < test.section_minimum]
        if low:
            return ScoreOutcome(
                "toefl",
                Outcome.short,
                actual,
                note,
                f"{title} sections below {test.section_minimum}: {', '.join(low)}",
            )
        if len(given) < len(sections):
            absent = [k for k in sections if k not in given]
            return ScoreOutcome(
                "toefl",
                Outcome.missing,
                actual,
                f"{title} total meets the minimum but the program requires "
                f"{test.section_minimum} in each section and {', '.join(absent)} "
                f"{'is' if len(absent) == 1 else 'are'} not given. {note}".strip(),
            )
    return ScoreOutcome("toefl", Outcome.meets, actual, note)


def _overall(name: str, score: Ielts | Pte, test: EnglishTestRule, ctx: Context) -> ScoreOutcome:
    spec = TESTS[name]
    actual, expired, note = dated(name, spec.shown(score.overall), score.date, ctx)
    if expired is not None:
        return expired
    minimum = test.minimum if test.minimum is not None else 0.0
    if score.overall < minimum:
        gap = minimum - score.overall
        return ScoreOutcome(
            name,
            Outcome.short,
            actual,
            note,
            f"{spec.title} {spec.shown(score.overall)} is {spec.shown(gap)} below "
            f"{spec.shown(minimum)}",
        )
    return ScoreOutcome(name, Outcome.meets, actual, note)


class EnglishKind(Kind[EnglishRule]):
    key = "english"
    category = Category.english
    rule_model = EnglishRule
    memoise = False  # scores carry dates: facts rarely repeat
    title = "English proficiency"

    def required(self, rule: EnglishRule) -> str:
        who = " (international applicants)" if rule.applies_to == "international" else ""
        return join_words([minimum_text(t) for t in rule.tests]) + who

    def prepare(self, rule: EnglishRule) -> str:
        return self.required(rule)

    def requirements(self, rule: EnglishRule, at: Loc) -> list[Requirement]:
        notes = tuple(
            "waived for "
            + join_words(
                [f"citizens of {join_words(w.citizenship)}"] * bool(w.citizenship)
                + [f"a degree from {join_words(w.degree_country)}"] * bool(w.degree_country)
            )
            for w in rule.waivers
        )
        return [Requirement("english", self.title, self.required(rule), at, rule, notes)]

    def facts(self, profile: Profile, rule: EnglishRule) -> Hashable:
        tests = profile.tests
        scores = (None, None, None) if tests is None else (tests.toefl, tests.ielts, tests.pte)
        country = profile.degree.country if profile.degree is not None else None
        return (profile.international, profile.citizenship, country, *scores)

    def check(self, facts: Any, rule: EnglishRule, ctx: Context) -> Sequence[Check]:
        international, citizenship, country, *scores = facts
        by_test = dict(zip(ENGLISH_TESTS, scores, strict=True))
        required: str = self.prepared(rule)

        def result(
            status: Status, actual: str | None, detail: str, short: str | None = None
        ) -> list[Check]:
            return [
                Check(
                    "english", Category.english, self.title, status, required, actual, detail, short
                )
            ]

        if rule.applies_to == "international" and international is False:
            return result(
                Status.not_applicable, None, "Domestic applicant: no English test is required."
            )
        waived = _waiver(citizenship, country, rule)
        if waived is not None:
            return result(Status.waived, None, waived)

        outcomes: list[ScoreOutcome] = []
        for test in rule.tests:
            score = by_test.get(test.test)
            if isinstance(score, Toefl):
                outcomes.append(_toefl(score, test, ctx))
            elif isinstance(score, (Ielts, Pte)):
                outcomes.append(_overall(test.test, score, test, ctx))
        decided = settled(outcomes)
        if decided is not None:
            return result(*decided)
        actual = "; ".join(o.actual for o in outcomes) or None
        given = {o.test for o in outcomes}
        others = [minimum_text(t) for t in rule.tests if t.test not in given]
        alternatives = f" Alternatives: {join_words(others)}." if others else ""
        shortfall = "; ".join(o.shortfall for o in outcomes if o.shortfall) or None
        if international is None and rule.applies_to == "international":
            said = f" Scores given fall short: {shortfall}." if shortfall else ""
            return result(
                Status.missing,
                actual,
                "The profile does not say whether the applicant is international: "
                f"set international (true or false).{said}",
                shortfall,
            )
        if outcomes:
            expired = [o.note for o in outcomes if o.outcome is Outcome.expired]
            detail = f"No score meets the minimum: {shortfall}."
            if expired:
                detail += " " + " ".join(expired)
            return result(Status.not_met, actual, detail + alternatives, shortfall)
        return result(Status.missing, None, f"No English test score given: add one of {required}.")

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
            if test.test != "toefl" and (
                test.band_minimum is not None or test.section_minimum is not None
            ):
                found.append((where, "band_minimum and section_minimum apply to toefl only"))
            if test.minimum is None and test.band_minimum is None:
                found.append((where, "give a minimum (or, for toefl, a band_minimum)"))
        return found


def _waiver(citizenship: str | None, country: str | None, rule: EnglishRule) -> str | None:
    citizen = (citizenship or "").strip().casefold()
    place = (country or "").strip().casefold()
    for waiver in rule.waivers:
        if citizen and citizen in {c.casefold() for c in waiver.citizenship}:
            return f"Waived for citizens of {citizenship}."
        if place and place in {c.casefold() for c in waiver.degree_country}:
            return f"Waived for a degree from {country}."
    return None


KIND = EnglishKind()
