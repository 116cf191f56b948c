"""Application deadlines: shown beside the checklist, never part of the verdict.

`[[programs.deadlines]]` lists a program's deadlines, each a `term` ("Fall 2027"), a
`kind` ("final", "priority", "international") and either

- `date = 2026-12-15`: one deadline, which passes; or
- `month_day = "12-15"`: a deadline that recurs every year, as pages that name no year
  state them ("Fall 1st priority deadline: January 15"): the next occurrence on or after
  the evaluation date.

All of a program's deadlines make one check, `deadline`, in its own category: `met` with
the next deadline on or after the evaluation date; `review` when every listed date has
passed (the pages for the next cycle must be read). It never changes the verdict.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import date
from typing import Annotated, Any

from pydantic import Field, model_validator

from admitcheck.models.base import Cited
from admitcheck.models.profile import Profile
from admitcheck.models.report import Check
from admitcheck.reference import Reference
from admitcheck.requirements.base import Context, Kind, Loc, Requirement
from admitcheck.vocabulary import Category, Status

Day = date  # a field named `date` must not shadow its own type


MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


class Deadline(Cited):
    """A deadline: a `date`, or a `month_day` ("12-15") that recurs every year (the next
    occurrence on or after the evaluation date is shown)."""

    term: Annotated[str, Field(min_length=1, max_length=60)]
    date: Day | None = None
    month_day: MonthDay | None = Field(
        default=None, description="A deadline every year on this month and day (MM-DD)."
    )
    kind: str | None = Field(default=None, description="e.g. 'final', 'priority', 'international'")

    @model_validator(mode="after")
    def _one_date(self) -> Deadline:
        if (self.date is None) == (self.month_day is None):
            raise ValueError("give either date (YYYY-MM-DD) or month_day (MM-DD), not both")
        if self.month_day is not None:
            month, day = (int(x) for x in self.month_day.split("-"))
            Day(2000, month, day)  # a 31 April is refused (2000: 29 February exists)
        return self

    def next_on_or_after(self, day: Day) -> Day | None:
        """When this deadline falls next, on or after `day` (None: a date already past)."""
        if self.date is not None:
            return self.date if self.date >= day else None
        assert self.month_day is not None
        month, dom = (int(x) for x in self.month_day.split("-"))
        for year in (day.year, day.year + 1, day.year + 2):
            try:
                found = Day(year, month, dom)
            except ValueError:  # 29 February in a common year
                continue
            if found >= day:
                return found
        return None


CHECK_ID = "deadline"
TITLE = "Application deadline"

Deadlines = tuple[Deadline, ...]


def _label(deadline: Deadline, on: date | None = None) -> str:
    when = on.isoformat() if on is not None else (deadline.date or deadline.month_day)
    kind = f", {deadline.kind}" if deadline.kind else ""
    every = " (every year)" if deadline.month_day and on is None else ""
    return f"{deadline.term}{kind}: {when}{every}"


class DeadlinesKind(Kind[Deadlines]):
    key = "deadlines"
    category = Category.deadline
    rule_model = Deadline
    title = TITLE

    def annotation(self) -> Any:
        return list[Deadline]

    def rules(self, value: Any) -> list[tuple[Deadlines, Loc]]:
        # All of a program's deadlines are one rule: they make one check.
        if not value:
            return []
        return [(tuple(value), (self.key,))]

    def requirements(
        self, rule: Deadlines, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        first = rule[0]
        cited = first if first.source else None
        return [
            Requirement(
                CHECK_ID,
                TITLE,
                "; ".join(_label(d) for d in rule),
                (*at, 0),
                cited,
            )
        ]

    # All of a program's deadlines are one tuple, not one rule model: none of the forms every
    # rule has (case_by_case, preferred, when) applies to them.
    def part_facts(self, profile: Profile, rule: Deadlines) -> Hashable:
        return self.facts(profile, rule)

    def part_check(self, facts: Any, rule: Deadlines, ctx: Context) -> Sequence[Check]:
        return self.check(facts, rule, ctx)

    def part_requirements(
        self, rule: Deadlines, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        return self.requirements(rule, at, reference)

    def facts(self, profile: Profile, rule: Deadlines) -> Hashable:
        return None  # the answer depends on the evaluation date alone

    def screen_scope(self, rule: Deadlines) -> Hashable:
        return None

    def check(self, facts: Any, rule: Deadlines, ctx: Context) -> Sequence[Check]:
        required = "; ".join(_label(d) for d in rule)
        upcoming = sorted(
            (on, i) for i, d in enumerate(rule) if (on := d.next_on_or_after(ctx.as_of))
        )
        if upcoming:
            on, index = upcoming[0]
            return [
                Check(
                    CHECK_ID,
                    Category.deadline,
                    TITLE,
                    Status.met,
                    required,
                    on.isoformat(),
                    f"Next deadline: {_label(rule[index], on)}.",
                )
            ]
        last = max(d.date for d in rule if d.date is not None)
        return [
            Check(
                CHECK_ID,
                Category.deadline,
                TITLE,
                Status.review,
                required,
                None,
                f"Every deadline listed has passed (the last on {last.isoformat()}): read the "
                "program's page for the next cycle's dates.",
            )
        ]


KIND = DeadlinesKind()
