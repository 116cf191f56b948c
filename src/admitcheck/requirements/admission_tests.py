"""Graduate admission tests: any one valid GRE or GMAT, with a policy and optional minimums.

A required test with no valid score is `missing` (an expired score is never worse than
none); an optional or not-required one is `not_applicable` when absent and reported when
given.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, ClassVar

from pydantic import Field

from admitcheck.models.base import Input, Policy, Threshold
from admitcheck.models.profile import Profile
from admitcheck.models.report import Check
from admitcheck.models.scores import TESTS, AdmissionTestName, Gmat, Gre
from admitcheck.reference import Reference
from admitcheck.requirements.base import Context, Kind, Loc, Requirement, Rule
from admitcheck.requirements.score_outcomes import (
    COUNTED,
    Outcome,
    ScoreOutcome,
    date_class,
    dated,
    notes_of,
    settled,
)
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import join_words, num


class GreMinimums(Input):
    total: int | None = Field(default=None, ge=260, le=340)
    verbal: int | None = Field(default=None, ge=130, le=170)
    quant: int | None = Field(default=None, ge=130, le=170)
    writing: float | None = Field(default=None, ge=0, le=6)


class GmatMinimums(Input):
    total: int | None = Field(default=None, ge=200, le=805)


class TestsRule(Rule):
    any_of: list[AdmissionTestName] = Field(min_length=1)
    policy: Policy = "required"
    threshold: Threshold = "minimum"
    gre: GreMinimums | None = None
    gmat: GmatMinimums | None = None


def _gre(score: Gre, rule: TestsRule, ctx: Context) -> ScoreOutcome:
    total = score.combined
    shown = ", ".join(
        f"{k} {num(v) if k == 'writing' else v}"
        for k, v in (
            ("verbal", score.verbal),
            ("quant", score.quant),
            ("writing", score.writing),
            ("total", total),
        )
        if v is not None
    )
    actual, stale, note = dated("gre", shown, score.date, ctx)
    if stale is not None:
        return stale
    minimums = rule.gre
    if minimums is not None:
        short = []
        unknown = []
        for part, value in (
            ("total", total),
            ("verbal", score.verbal),
            ("quant", score.quant),
            ("writing", score.writing),
        ):
            minimum = getattr(minimums, part)
            if minimum is None:
                continue
            if value is None:
                unknown.append(part)
            elif value < minimum:
                short.append(
                    f"GRE {part} {num(value)} is {num(minimum - value)} below {num(minimum)}"
                )
        if short:
            return ScoreOutcome("gre", Outcome.short, actual, note, "; ".join(short))
        if unknown:
            return ScoreOutcome(
                "gre",
                Outcome.lacking,
                actual,
                f"GRE {', '.join(unknown)} not given, and the program states "
                f"a minimum for it. {note}".strip(),
            )
    return ScoreOutcome("gre", Outcome.meets, actual, note)


def _gmat(score: Gmat, rule: TestsRule, ctx: Context) -> ScoreOutcome:
    edition = f" ({score.edition})" if score.edition else ""
    actual, stale, note = dated("gmat", f"{score.total}{edition}", score.date, ctx)
    if stale is not None:
        return stale
    minimum = rule.gmat.total if rule.gmat is not None else None
    if minimum is not None and score.total < minimum:
        return ScoreOutcome(
            "gmat",
            Outcome.short,
            actual,
            note,
            f"GMAT {score.total} is {minimum - score.total} below {minimum}",
        )
    return ScoreOutcome("gmat", Outcome.meets, actual, note)


class AdmissionTestsKind(Kind[TestsRule]):
    key = "tests"
    vocabulary: ClassVar[Mapping[str, str]] = {"any_of": "admission_test"}
    category = Category.tests
    applicant_facts = True
    rule_model = TestsRule
    memoise = False  # scores carry dates: facts rarely repeat
    title = "GRE / GMAT"

    def required(self, rule: TestsRule) -> str:
        parts = []
        for test in rule.any_of:
            text = TESTS[test].title
            minimums = rule.gre if test == "gre" else rule.gmat
            if minimums is not None:
                given = {k: v for k, v in minimums.model_dump().items() if v is not None}
                if given:
                    text += " (" + ", ".join(f"{k} {num(v)}" for k, v in given.items()) + ")"
            parts.append(text)
        text = join_words(parts)
        if rule.policy != "required":
            return f"{text}: {rule.policy.replace('_', ' ')}"
        unstated = rule.gre is None and rule.gmat is None
        return text + " (no minimum stated)" * unstated

    def prepare(self, rule: TestsRule) -> str:
        return self.required(rule)

    def requirements(
        self, rule: TestsRule, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        return [Requirement("tests", self.title, self.required(rule), at, rule)]

    def facts(self, profile: Profile, rule: TestsRule) -> Hashable:
        tests = profile.tests
        return (None, None) if tests is None else (tests.gre, tests.gmat)

    def screen_scope(self, rule: TestsRule) -> Hashable:
        gre = rule.gre
        gmat = rule.gmat
        return (
            tuple(rule.any_of),
            (gre.total, gre.verbal, gre.quant, gre.writing) if gre is not None else None,
            gmat.total if gmat is not None else None,
        )

    def screen_key(self, profile: Profile, rule: TestsRule, ctx: Context) -> Hashable:
        """Per test the rule accepts: whether it is given, how its date stands on the
        evaluation date, and each part with a minimum: absent, met, or its value when
        below (the shortfall names it). Other values only word the check."""
        tests = profile.tests
        if tests is None:
            return None
        key: list[Hashable] = []
        for name in rule.any_of:
            score = tests.gre if name == "gre" else tests.gmat if name == "gmat" else None
            if score is None:
                key.append(None)
                continue
            parts: list[Hashable] = [date_class(score.date, ctx.as_of)]
            if isinstance(score, Gre) and rule.gre is not None:
                minimums = rule.gre
                for part, value in (
                    ("total", score.combined),
                    ("verbal", score.verbal),
                    ("quant", score.quant),
                    ("writing", score.writing),
                ):
                    minimum = getattr(minimums, part)
                    if minimum is not None:
                        parts.append(value if value is None or value < minimum else "met")
            elif isinstance(score, Gmat) and rule.gmat is not None:
                minimum = rule.gmat.total
                if minimum is not None:
                    parts.append(score.total if score.total < minimum else "met")
            key.append(tuple(parts))
        return tuple(key)

    def check(self, facts: Any, rule: TestsRule, ctx: Context) -> Sequence[Check]:
        gre, gmat = facts
        required: str = self.prepared(rule)

        def result(
            status: Status, actual: str | None, detail: str, short: str | None = None
        ) -> list[Check]:
            return [
                Check("tests", Category.tests, self.title, status, required, actual, detail, short)
            ]

        outcomes: list[ScoreOutcome] = []
        for name in rule.any_of:
            if name == "gre" and gre is not None:
                outcomes.append(_gre(gre, rule, ctx))
            elif name == "gmat" and gmat is not None:
                outcomes.append(_gmat(gmat, rule, ctx))
        decided = settled(outcomes)
        if decided is not None:
            return result(*decided)
        actual = "; ".join(o.actual for o in outcomes) or None
        aside = notes_of(outcomes, Outcome.expired, Outcome.later)
        counted = [o for o in outcomes if o.outcome in COUNTED]
        required_test = rule.policy == "required"
        if counted:
            shortfall = "; ".join(o.shortfall for o in counted if o.shortfall) or None
            if required_test and rule.threshold == "minimum":
                return result(
                    Status.not_met,
                    actual,
                    f"No valid score satisfies the requirement: {shortfall}. {aside}".strip(),
                    shortfall,
                )
            return result(
                Status.review,
                actual,
                f"Below the program's figures ({shortfall}), which it does not state as a "
                f"minimum: a person must judge. {aside}".strip(),
            )
        names = join_words([TESTS[t].title for t in rule.any_of])
        if not required_test:
            return result(
                Status.not_applicable,
                actual,
                f"The program lists {names} as {rule.policy.replace('_', ' ')}. {aside}".strip(),
            )
        ask = f"No valid {names} score" if outcomes else f"No {names} score given"
        return result(Status.missing, actual, f"{ask}. {aside}".strip())

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        rule: TestsRule = value
        if len(set(rule.any_of)) != len(rule.any_of):
            return [(("any_of",), "a test is listed twice")]
        return []


KIND = AdmissionTestsKind()
