"""English proficiency: any one valid qualifying score, for the applicants it applies to."""

from __future__ import annotations

from admitcheck.models import (
    Check,
    EnglishRule,
    EnglishTestRule,
    Ielts,
    Profile,
    Pte,
    Toefl,
)
from admitcheck.rules.common import TEST_TITLES, Context, join_words, num, per_rule
from admitcheck.rules.scores import Outcome, ScoreOutcome, dated, settled
from admitcheck.vocabulary import Category, Status

TITLE = "English proficiency"


def _minimum_text(test: EnglishTestRule) -> str:
    parts = []
    if test.minimum is not None:
        parts.append(num(test.minimum) if test.test != "toefl" else str(int(test.minimum)))
    if test.band_minimum is not None:
        parts.append(f"band {num(test.band_minimum)}")
    text = f"{TEST_TITLES[test.test]} {' / '.join(parts)}"
    if test.section_minimum is not None:
        text += f" (each section {test.section_minimum})"
    return text


@per_rule
def required_text(rule: EnglishRule) -> str:
    who = " (international applicants)" if rule.applies_to == "international" else ""
    return join_words([_minimum_text(t) for t in rule.tests]) + who


def _guidance(ctx: Context) -> str:
    if ctx.band_guidance is None or not ctx.band_guidance.comparable:
        return ""
    pairs = ", ".join(f"{p.total} ~ band {num(p.band)}" for p in ctx.band_guidance.comparable)
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
    title = TEST_TITLES["toefl"]
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
                Outcome.unclear,
                actual,
                f"{title} total meets the minimum but the program requires "
                f"{test.section_minimum} in each section and {', '.join(absent)} "
                f"{'is' if len(absent) == 1 else 'are'} not given. {note}".strip(),
            )
    return ScoreOutcome("toefl", Outcome.meets, actual, note)


def _overall(name: str, score: Ielts | Pte, test: EnglishTestRule, ctx: Context) -> ScoreOutcome:
    actual, expired, note = dated(
        name, num(score.overall) if name == "ielts" else str(score.overall), score.date, ctx
    )
    if expired is not None:
        return expired
    minimum = test.minimum if test.minimum is not None else 0.0
    if score.overall < minimum:
        gap = minimum - score.overall
        fmt = num if name == "ielts" else (lambda x: str(int(x)))
        return ScoreOutcome(
            name,
            Outcome.short,
            actual,
            note,
            f"{TEST_TITLES[name]} {fmt(score.overall)} is {fmt(gap)} below {fmt(minimum)}",
        )
    return ScoreOutcome(name, Outcome.meets, actual, note)


def _waiver(profile: Profile, rule: EnglishRule) -> str | None:
    citizenship = (profile.citizenship or "").strip().casefold()
    country = ((profile.degree.country if profile.degree else None) or "").strip().casefold()
    for waiver in rule.waivers:
        if citizenship and citizenship in {c.casefold() for c in waiver.citizenship}:
            return f"Waived for citizens of {profile.citizenship}."
        if country and country in {c.casefold() for c in waiver.degree_country}:
            return f"Waived for a degree from {profile.degree.country if profile.degree else ''}."
    return None


def check_english(profile: Profile, rule: EnglishRule, ctx: Context) -> Check:
    required = required_text(rule)

    def result(status: Status, actual: str | None, detail: str, short: str | None = None) -> Check:
        return Check("english", Category.english, TITLE, status, required, actual, detail, short)

    international = profile.international
    if rule.applies_to == "international" and international is False:
        return result(
            Status.not_applicable, None, "Domestic applicant: no English test is required."
        )
    waived = _waiver(profile, rule)
    if waived is not None:
        return result(Status.waived, None, waived)

    tests = profile.tests
    outcomes: list[ScoreOutcome] = []
    for test in rule.tests:
        score = getattr(tests, test.test) if tests is not None else None
        if score is None:
            continue
        if isinstance(score, Toefl):
            outcomes.append(_toefl(score, test, ctx))
        elif isinstance(score, (Ielts, Pte)):
            outcomes.append(_overall(test.test, score, test, ctx))
    decided = settled(outcomes)
    if decided is not None:
        return result(*decided)
    actual = "; ".join(o.actual for o in outcomes) or None
    given = {o.test for o in outcomes}
    others = [_minimum_text(t) for t in rule.tests if t.test not in given]
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
    return result(
        Status.missing, None, f"No English test score given: add one of {required_text(rule)}."
    )
