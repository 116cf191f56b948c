"""Prerequisite coursework: one check per subject, by declared subject or title keywords."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from admitcheck.models import Check, Course, CourseworkRule
from admitcheck.rules.common import (
    BoundedMemo,
    first_match,
    normalize,
    num,
    per_rule,
    phrases,
)
from admitcheck.vocabulary import Category, Status


def subject_title(rule: CourseworkRule) -> str:
    return rule.title or rule.subject.replace("_", " ")


@dataclass
class _Prepared:
    subject: str
    check_id: str
    title: str
    required: str
    keywords: tuple[str, ...]
    # course title -> whether its words match this subject's keywords
    titles: BoundedMemo[bool] = field(default_factory=BoundedMemo)


@per_rule
def _prepare(rule: CourseworkRule) -> _Prepared:
    subject = subject_title(rule)
    required = f"at least {rule.min_courses} course{'s' * (rule.min_courses > 1)} in {subject}"
    if rule.min_credits is not None:
        required += f" ({num(rule.min_credits)} credits)"
    return _Prepared(
        subject,
        f"coursework.{rule.subject}",
        f"Coursework: {subject}",
        required,
        phrases(rule.keywords),
    )


def _title_matches(title: str, prepared: _Prepared) -> bool:
    found = prepared.titles.get(title)
    if found is None:
        found = prepared.titles.remember(
            title, first_match(normalize(title), prepared.keywords) is not None
        )
    return found


def check_coursework(courses: Sequence[Course] | None, rule: CourseworkRule) -> Check:
    prepared = _prepare(rule)
    subject = prepared.subject

    def result(status: Status, actual: str | None, detail: str, short: str | None = None) -> Check:
        return Check(
            prepared.check_id,
            Category.coursework,
            prepared.title,
            status,
            prepared.required,
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
    declared = rule.subject
    matched = [c for c in courses if c.subject == declared or _title_matches(c.title, prepared)]
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
