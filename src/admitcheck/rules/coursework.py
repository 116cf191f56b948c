"""Prerequisite coursework: one check per subject, by declared subject or title keywords."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from admitcheck.models import Check, Course, CourseworkRule
from admitcheck.rules.common import first_match, normalize, num, phrases
from admitcheck.vocabulary import Category, Status


@dataclass(frozen=True, slots=True)
class ListedCourse:
    """A course with its title normalised once per profile, not once per subject."""

    title: str
    words: str
    subject: str | None
    credits: float | None


def list_courses(courses: Sequence[Course] | None) -> list[ListedCourse] | None:
    if courses is None:
        return None
    return [ListedCourse(c.title, normalize(c.title), c.subject, c.credits) for c in courses]


def subject_title(rule: CourseworkRule) -> str:
    return rule.title or rule.subject.replace("_", " ")


def check_coursework(courses: Sequence[ListedCourse] | None, rule: CourseworkRule) -> Check:
    subject = subject_title(rule)
    required = f"at least {rule.min_courses} course{'s' * (rule.min_courses > 1)} in {subject}"
    if rule.min_credits is not None:
        required += f" ({num(rule.min_credits)} credits)"

    def result(status: Status, actual: str | None, detail: str, short: str | None = None) -> Check:
        return Check(
            f"coursework.{rule.subject}",
            Category.coursework,
            f"Coursework: {subject}",
            status,
            required,
            actual,
            detail,
            short,
        )

    if not courses:
        return result(
            Status.missing,
            None,
            "No courses listed: add courses (titles, or objects with title and subject).",
        )
    keywords = phrases(rule.keywords)
    matched = [
        c
        for c in courses
        if c.subject == rule.subject or first_match(c.words, keywords) is not None
    ]
    if not matched:
        return result(
            Status.not_met,
            None,
            f"None of the {len(courses)} listed courses is recognised as {subject}. If one "
            f'is, declare it: {{"title": "...", "subject": "{rule.subject}"}}.',
            f"no {subject} course",
        )
    actual = "; ".join(c.title for c in matched[:3]) + (
        f" (+{len(matched) - 3} more)" if len(matched) > 3 else ""
    )
    if len(matched) < rule.min_courses:
        missing = rule.min_courses - len(matched)
        return result(
            Status.not_met,
            actual,
            f"{len(matched)} {subject} course(s) found, {rule.min_courses} required.",
            f"{missing} more {subject} course{'s' * (missing > 1)}",
        )
    if rule.min_credits is not None:
        if any(c.credits is None for c in matched):
            return result(
                Status.missing,
                actual,
                f"The program requires {num(rule.min_credits)} credits in {subject}; "
                "give credits for each course.",
            )
        credits = sum(c.credits or 0.0 for c in matched)
        if credits < rule.min_credits:
            gap = rule.min_credits - credits
            return result(
                Status.not_met,
                actual,
                f"{num(credits)} credits in {subject}, {num(rule.min_credits)} required.",
                f"{num(gap)} credits below {num(rule.min_credits)}",
            )
    return result(Status.met, actual, "")
