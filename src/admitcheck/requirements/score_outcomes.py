"""What one test score is worth on the evaluation date, shared by the test kinds.

A score counts (and meets the minimum, or falls short of it, or leaves it unclear, or
lacks a section the rule needs), or it does not count: expired before the evaluation
date, dated after it, or a test the program does not accept. The kinds combine outcomes:
any score that meets decides; only counted scores can make a check `not_met`, so an old
score is never worse than none.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache

from pydantic import BaseModel

from admitcheck.models.base import MonthDate
from admitcheck.models.scores import TESTS
from admitcheck.requirements.base import Context
from admitcheck.vocabulary import Status


class Outcome(Enum):
    meets = "meets"
    short = "short"
    unclear = "unclear"  # a person must judge (a band with no equivalence, a recommendation)
    lacking = "lacking"  # a part the rule needs (a section score) is not given
    expired = "expired"
    later = "later"  # dated after the evaluation date
    not_accepted = "not_accepted"


COUNTED = frozenset({Outcome.meets, Outcome.short, Outcome.unclear, Outcome.lacking})


@dataclass(slots=True)
class ScoreOutcome:
    test: str
    outcome: Outcome
    actual: str  # e.g. "TOEFL iBT 98 (2025-03-01)"
    note: str = ""  # one sentence, empty when nothing needs saying
    shortfall: str | None = None


def add_years(day: date, years: int) -> date:
    try:
        return date(day.year + years, day.month, day.day)
    except ValueError:  # 29 February in a year that has none
        return date(day.year + years, day.month, 28)


def describe_score(test: str, score: str, test_date: date | None) -> str:
    text = f"{TESTS[test].title} {score}"
    return f"{text} ({test_date.isoformat()})" if test_date else text


def dated(
    test: str, score: str, test_date: date | None, ctx: Context
) -> tuple[str, ScoreOutcome | None, str]:
    """(actual text, an outcome that keeps the score from counting or None, a note)."""
    actual = describe_score(test, score, test_date)
    title = TESTS[test].title
    if test_date is None:
        return actual, None, f"{title} has no test date, so its validity was not checked."
    if test_date > ctx.as_of:
        return (
            actual,
            ScoreOutcome(
                test,
                Outcome.later,
                actual,
                f"{title} of {test_date.isoformat()} is dated after the evaluation date "
                f"{ctx.as_of.isoformat()}, so it is not counted.",
            ),
            "",
        )
    years = ctx.validity_years.get(test)
    month = (
        f"{title} is dated {test_date.isoformat()} only: its validity is counted from "
        f"{date(test_date.year, test_date.month, 1).isoformat()}, the earliest it could be."
        if isinstance(test_date, MonthDate) and years
        else ""
    )
    if years and ctx.as_of > (until := add_years(test_date, years)):
        return (
            actual,
            ScoreOutcome(
                test,
                Outcome.expired,
                actual,
                f"{title} of {test_date.isoformat()} expired after {until.isoformat()} "
                f"({years}-year validity).{' ' + month if month else ''}",
            ),
            "",
        )
    return actual, None, month


@lru_cache(maxsize=1 << 14)  # a batch sees a few thousand distinct test days
def date_class(test_date: date | None, as_of: date) -> int | str | None:
    """A test date as `dated` judges it on `as_of`, for any validity window of whole years:
    None (no date), "later" (after `as_of`), else the most whole years y for which
    `as_of > add_years(test_date, y)` (-1 on `as_of` itself). A score expires under a
    window of `years` exactly when `years` <= that number, so dates of one class have the
    same outcome everywhere (only the words naming the date differ)."""
    if test_date is None:
        return None
    if test_date > as_of:
        return "later"
    age = as_of.year - test_date.year
    while age >= 0 and not as_of > add_years(test_date, age):
        age -= 1
    while as_of > add_years(test_date, age + 1):
        age += 1
    return age


def undated(score: BaseModel | None, as_of: date) -> Hashable:
    """A score's fields with its date reduced to its `date_class`: the screening key of a
    score (`Kind.screen_key`)."""
    if score is None:
        return None
    fields = score.__dict__
    return (
        type(score).__name__,
        tuple(value for name, value in fields.items() if name != "date"),
        date_class(fields.get("date"), as_of),
    )


def notes_of(outcomes: list[ScoreOutcome], *kinds: Outcome) -> str:
    return " ".join(dict.fromkeys(o.note for o in outcomes if o.note and o.outcome in kinds))


def settled(outcomes: list[ScoreOutcome]) -> tuple[Status, str | None, str] | None:
    """(met, ...) if any counted score meets, (review, ...) or (missing, ...) if one is
    undecided, else None. The middle item is the scores shown as `actual`, the last the
    detail."""
    actual = "; ".join(o.actual for o in outcomes) or None
    meeting = [o for o in outcomes if o.outcome is Outcome.meets]
    if meeting:
        return Status.met, actual, notes_of(meeting[:1], Outcome.meets)
    if any(o.outcome is Outcome.unclear for o in outcomes):
        return Status.review, actual, notes_of(outcomes, Outcome.unclear)
    if any(o.outcome is Outcome.lacking for o in outcomes):
        return Status.missing, actual, notes_of(outcomes, Outcome.lacking)
    return None


def two_levels(
    full: tuple[Outcome, str] | None,
    lower: tuple[Outcome, str] | None,
    lower_shown: str,
    condition: str,
) -> tuple[Outcome, str] | None:
    """One minimum at two levels (full, and limited or conditional admission), for any
    numeric score: `full` and `lower` are the score against each level (None: meets,
    else (outcome, words)). At or above the full level it is the full level's outcome;
    between the two `unclear`, naming the condition, for a person to weigh; below the
    lower level `short`, naming both."""
    if full is None or full[0] is not Outcome.short:
        return full
    if lower is not None and lower[0] is Outcome.short:
        return Outcome.short, f"{full[1]}; {lower[1]}, the minimum for {condition}"
    how = f" ({lower[1]})" if lower is not None and lower[1] else ""
    return Outcome.unclear, (
        f"{full[1]}, the minimum for full admission, but at or above {lower_shown}, the "
        f"minimum for {condition}{how}: a person must judge."
    )
