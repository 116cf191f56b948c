"""Graduate admission tests: any one valid GRE or GMAT, with optional minimums."""

from __future__ import annotations

from admitcheck.models import Check, Gmat, Gre, Tests, TestsRule
from admitcheck.rules.common import TEST_TITLES, Context, join_words, num, per_rule
from admitcheck.rules.scores import Outcome, ScoreOutcome, dated, settled
from admitcheck.vocabulary import Category, Status

TITLE = "GRE / GMAT"


@per_rule
def required_text(rule: TestsRule) -> str:
    parts = []
    for test in rule.any_of:
        text = TEST_TITLES[test]
        minimums = rule.gre if test == "gre" else rule.gmat
        if minimums is not None:
            given = {k: v for k, v in minimums.model_dump().items() if v is not None}
            if given:
                text += " (" + ", ".join(f"{k} {num(v)}" for k, v in given.items()) + ")"
        parts.append(text)
    return join_words(parts) + " (no minimum stated)" * (rule.gre is None and rule.gmat is None)


def _gre(score: Gre, rule: TestsRule, ctx: Context) -> ScoreOutcome:
    total = score.total
    if total is None and score.verbal is not None and score.quant is not None:
        total = score.verbal + score.quant
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
    actual, expired, note = dated("gre", shown, score.date, ctx)
    if expired is not None:
        return expired
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
                Outcome.unclear,
                actual,
                f"GRE {', '.join(unknown)} not given, and the program states "
                f"a minimum for it. {note}".strip(),
            )
    return ScoreOutcome("gre", Outcome.meets, actual, note)


def _gmat(score: Gmat, rule: TestsRule, ctx: Context) -> ScoreOutcome:
    edition = f" ({score.edition})" if score.edition else ""
    actual, expired, note = dated("gmat", f"{score.total}{edition}", score.date, ctx)
    if expired is not None:
        return expired
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


def check_tests(tests: Tests | None, rule: TestsRule, ctx: Context) -> Check:
    required = required_text(rule)

    def result(status: Status, actual: str | None, detail: str, short: str | None = None) -> Check:
        return Check("tests", Category.tests, TITLE, status, required, actual, detail, short)

    outcomes: list[ScoreOutcome] = []
    if tests is not None:
        for name in rule.any_of:
            if name == "gre" and tests.gre is not None:
                outcomes.append(_gre(tests.gre, rule, ctx))
            elif name == "gmat" and tests.gmat is not None:
                outcomes.append(_gmat(tests.gmat, rule, ctx))
    decided = settled(outcomes)
    if decided is not None:
        return result(*decided)
    actual = "; ".join(o.actual for o in outcomes) or None
    if outcomes:
        shortfall = "; ".join(o.shortfall for o in outcomes if o.shortfall) or None
        notes = " ".join(o.note for o in outcomes if o.outcome is Outcome.expired)
        return result(
            Status.not_met,
            actual,
            f"No valid score satisfies the requirement: {shortfall}. {notes}".strip(),
            shortfall,
        )
    return result(
        Status.missing, None, f"No {join_words([TEST_TITLES[t] for t in rule.any_of])} score given."
    )
