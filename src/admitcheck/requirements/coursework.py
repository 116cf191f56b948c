"""Prerequisite coursework: one check per subject, by declared subject or title words.

The rules of all subjects are judged together, so each course title is read once per
record whatever the number of subjects.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from pydantic import Field

from admitcheck.models.base import Cited, Key
from admitcheck.models.profile import Profile
from admitcheck.models.report import Check
from admitcheck.requirements.base import Context, Kind, Loc, Requirement
from admitcheck.requirements.matching import Phrases
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import num, plural


class CourseworkRule(Cited):
    subject: Key
    title: str | None = None
    keywords: list[str] = Field(default_factory=list)
    min_courses: int = Field(default=1, ge=1)
    min_credits: float | None = Field(default=None, gt=0)


def subject_title(rule: CourseworkRule) -> str:
    return rule.title or rule.subject.replace("_", " ")


# One course as the check reads it: (title, declared subject, credits).
CourseFacts = tuple[str, str | None, float | None]


class CourseworkKind(Kind[list[CourseworkRule]]):
    key = "coursework"
    category = Category.coursework
    rule_model = CourseworkRule
    many = True
    title = "Coursework"

    def _requirement(self, rule: CourseworkRule, index: int) -> Requirement:
        subject = subject_title(rule)
        required = f"at least {plural(rule.min_courses, 'course')} in {subject}"
        if rule.min_credits is not None:
            required += f" ({num(rule.min_credits)} credits)"
        return Requirement(
            f"coursework.{rule.subject}",
            f"Coursework: {subject}",
            required,
            ("coursework", index),
            rule,
        )

    def requirements(self, rule: list[CourseworkRule]) -> list[Requirement]:
        return [self._requirement(r, j) for j, r in enumerate(rule)]

    def facts(self, profile: Profile) -> Hashable:
        return tuple((c.title, c.subject, c.credits) for c in profile.courses or ())

    def check(self, facts: Any, rule: list[CourseworkRule], ctx: Context) -> Sequence[Check]:
        courses: tuple[CourseFacts, ...] = facts
        return [
            self._judge(
                [c for c in courses if c[1] == r.subject or _names(r, c[0])],
                len(courses),
                r,
                j,
            )
            for j, r in enumerate(rule)
        ]

    def _judge(
        self, matched: list[CourseFacts], listed: int, rule: CourseworkRule, index: int
    ) -> Check:
        requirement = self._requirement(rule, index)
        subject = subject_title(rule)

        def result(
            status: Status, actual: str | None, detail: str, short: str | None = None
        ) -> Check:
            return Check(
                requirement.check_id,
                Category.coursework,
                requirement.title,
                status,
                requirement.required,
                actual,
                detail,
                short,
            )

        if not listed:
            return result(
                Status.missing,
                None,
                "No courses listed: add courses (titles, or objects with title and subject).",
            )
        if not matched:
            return result(
                Status.not_met,
                None,
                f"None of the {listed} listed courses is recognised as {subject}. If one "
                f'is, declare it: {{"title": "...", "subject": "{rule.subject}"}}.',
                f"no {subject} course",
            )
        actual = "; ".join(c[0] for c in matched[:3]) + (
            f" (+{len(matched) - 3} more)" if len(matched) > 3 else ""
        )
        if len(matched) < rule.min_courses:
            missing = rule.min_courses - len(matched)
            return result(
                Status.not_met,
                actual,
                f"{plural(len(matched), subject + ' course')} found, {rule.min_courses} required.",
                f"{missing} more {subject} course{'s' * (missing > 1)}",
            )
        if rule.min_credits is not None:
            if any(c[2] is None for c in matched):
                return result(
                    Status.missing,
                    actual,
                    f"The program requires {num(rule.min_credits)} credits in {subject}; "
                    "give credits for each course.",
                )
            total = sum(c[2] or 0.0 for c in matched)
            if total < rule.min_credits:
                gap = rule.min_credits - total
                return result(
                    Status.not_met,
                    actual,
                    f"{num(total)} credits in {subject}, {num(rule.min_credits)} required.",
                    f"{num(gap)} credits below {num(rule.min_credits)}",
                )
        return result(Status.met, actual, "")

    def problems(self, rule: list[CourseworkRule]) -> list[tuple[Loc, str]]:
        found: list[tuple[Loc, str]] = []
        seen: set[str] = set()
        for j, course_rule in enumerate(rule):
            if course_rule.subject in seen:
                found.append(((j, "subject"), f"subject '{course_rule.subject}' is listed twice"))
            seen.add(course_rule.subject)
        return found


def _names(rule: CourseworkRule, title: str) -> bool:
    return Phrases.of(tuple(rule.keywords)).first_in(title) is not None


KIND = CourseworkKind()
