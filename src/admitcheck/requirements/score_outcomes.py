"""What one test score is worth on the evaluation date: counted, short, expired or unclear.

Shared by the English and GRE/GMAT kinds, which then combine the outcomes of each score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from admitcheck.models.scores import TESTS
from admitcheck.requirements.base import Context
from admitcheck.vocabulary import Status


class Outcome(Enum):
    meets = "meets"
    short = "short"
    expired = "expired"
    unclear = "unclear"
    missing = "missing"  # a part the rule needs (a section score) is not given


@dataclass(frozen=True)
class ScoreOutcome:
    test: str
    outcome: Outcome
    actual: str  # e.g. "TOEFL iBT 98 (2025-03-01)"
    note: str  # one sentence, empty when nothing needs saying
    shortfall: str | None = None


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def valid_until(test_date: date, test: str, ctx: Context) -> date | None:
    """The last day a score counts, or None when the test has no validity window."""
    years = ctx.validity_years.get(test)
    return add_years(test_date, years) if years else None


def describe_score(test: str, score: str, test_date: date | None) -> str:
    text = f"{TESTS[test].title} {score}"
    return f"{text} ({test_date.isoformat()})" if test_date else text


def dated(
    test: str, score: str, test_date: date | None, ctx: Context
) -> tuple[str, ScoreOutcome | None, str]:
    """(actual text, an `expired` outcome or None, a note on validity)."""
    actual = describe_score(test, score, test_date)
    title = TESTS[test].title
    if test_date is None:
        return actual, None, f"{title} has no test date, so its validity was not checked."
    until = valid_until(test_date, test, ctx)
    if until is not None and ctx.as_of > until:
        years = ctx.validity_years[test]
        return (
            actual,
            ScoreOutcome(
                test,
                Outcome.expired,
                actual,
                f"{title} score of {test_date.isoformat()} expired after "
                f"{until.isoformat()} ({years}-year validity).",
                f"{title} expired after {until.isoformat()}",
            ),
            "",
        )
    return actual, None, ""


def combine_notes(outcomes: list[ScoreOutcome]) -> str:
    return " ".join(dict.fromkeys(o.note for o in outcomes if o.note))


def settled(outcomes: list[ScoreOutcome]) -> tuple[Status, str | None, str] | None:
    """(met, ...) if any score counts, (review/missing, ...) if one is undecided, else None.

    The middle item is the scores shown as `actual`, the last the detail.
    """
    actual = "; ".join(o.actual for o in outcomes) or None
    meeting = [o for o in outcomes if o.outcome is Outcome.meets]
    if meeting:
        return Status.met, actual, combine_notes(meeting[:1])
    unclear = [o for o in outcomes if o.outcome is Outcome.unclear]
    if unclear:
        return Status.review, actual, combine_notes(unclear)
    lacking = [o for o in outcomes if o.outcome is Outcome.missing]
    if lacking:
        return Status.missing, actual, combine_notes(lacking)
    return None
