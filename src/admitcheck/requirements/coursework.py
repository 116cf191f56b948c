"""Prerequisite coursework: one check per subject, by declared subject or title words."""

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


# One course as a subject's check reads it: (title, credits).
CourseFacts = tuple[str, float | None]


class CourseworkKind(Kind[CourseworkRule]):
    key = "coursework"
    category = Category.coursework
    rule_model = CourseworkRule
    many = True
    title = "Coursework"

    def requirements(self, rule: CourseworkRule, at: Loc) -> list[Requirement]:
        subject = subject_title(rule)
        required = f"at least {plural(rule.min_courses, 'course')} in {subject}"
        if rule.min_credits is not None:
            required += f" ({num(rule.min_credits)} credits)"
        return [
            Requirement(f"coursework.{rule.subject}", f"Coursework: {subject}", required, at, rule)
        ]

    def prepare(self, rule: CourseworkRule) -> tuple[Requirement, Phrases]:
        return self.requirements(rule, (self.key,))[0], Phrases.of(tuple(rule.keywords))

    def facts(self, profile: Profile, rule: CourseworkRule) -> Hashable:
        """The courses that count for this subject (title, credits), and how many are listed."""
        courses = profile.courses or ()
        phrases: Phrases = self.prepared(rule)[1]
        subject = rule.subject
        matched = tuple(
            (c.title, c.credits)
            for c in courses
            if c.subject == subject or phrases.first_in(c.title) is not None
        )
        return matched, len(courses)

    def check(self, facts: Any, rule: CourseworkRule, ctx: Context) -> Sequence[Check]:
        matched, listed = facts
        return [_judge(matched, listed, rule, self.prepared(rule)[0])]

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        found: list[tuple[Loc, str]] = []
        seen: set[str] = set()
        for j, course_rule in enumerate(value):
            if course_rule.subject in seen:
                found.append(((j, "subject"), f"subject '{course_rule.subject}' is listed twice"))
            seen.add(course_rule.subject)
        return found


def _judge(
    matched: tuple[CourseFacts, ...], listed: int, rule: CourseworkRule, requirement: Requirement
) -> Check:
    subject = subject_title(rule)

    def result(status: Status, actual: str | None, detail: str, short: str | None = None) -> Check:
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
        if any(c[1] is None for c in matched):
            return result(
                Status.missing,
                actual,
                f"The program requires {num(rule.min_credits)} credits in {subject}; "
                "give credits for each course.",
            )
        total = sum(c[1] or 0.0 for c in matched)
        if total < rule.min_credits:
            gap = rule.min_credits - total
            return result(
                Status.not_met,
                actual,
                f"{num(total)} credits in {subject}, {num(rule.min_credits)} required.",
                f"{num(gap)} credits below {num(rule.min_credits)}",
            )
    return result(Status.met, actual, "")


KIND = CourseworkKind()
