"""Prerequisite coursework: one check per subject, by declared subject or title keywords.

`check_coursework` checks one subject; `check_all_coursework` checks every subject of a
program and reads each course title once for all of them (the batch path).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from admitcheck.models import Check, Course, CourseworkRule
from admitcheck.rules.common import (
    BoundedMemo,
    first_match,
    memo_by_facts,
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
    check_id: str
    title: str
    required: str


@per_rule
def _prepare(rule: CourseworkRule) -> _Prepared:
    subject = subject_title(rule)
    required = f"at least {rule.min_courses} course{'s' * (rule.min_courses > 1)} in {subject}"
    if rule.min_credits is not None:
        required += f" ({num(rule.min_credits)} credits)"
    return _Prepared(f"coursework.{rule.subject}", f"Coursework: {subject}", required)


@dataclass
class _SubjectIndex:
    keywords: tuple[tuple[str, tuple[str, ...]], ...]  # (subject, its match phrases)
    # course title -> the subjects its words name
    titles: BoundedMemo[tuple[str, ...]] = field(default_factory=BoundedMemo)

    def subjects_of(self, title: str) -> tuple[str, ...]:
        found = self.titles.get(title)
        if found is None:
            words = normalize(title)
            found = self.titles.remember(
                title,
                tuple(s for s, phrases_ in self.keywords if first_match(words, phrases_)),
            )
        return found


@per_rule
def _index(rules: Sequence[CourseworkRule]) -> _SubjectIndex:
    return _SubjectIndex(tuple((r.subject, phrases(r.keywords)) for r in rules))


def courses_by_subject(
    courses: Sequence[Course], rules: Sequence[CourseworkRule]
) -> dict[str, list[Course]]:
    """Each subject's courses: those declaring it and those whose titles name it."""
    index = _index(rules)
    found: dict[str, list[Course]] = {}
    for course in courses:
        subjects = index.subjects_of(course.title)
        for subject in subjects:
            found.setdefault(subject, []).append(course)
        if course.subject is not None and course.subject not in subjects:
            found.setdefault(course.subject, []).append(course)
    return found


# What a subject's check depends on: the matching courses' (title, credits), and how many
# courses are listed in all. Batches repeat these a lot, so checks are memoised on them.
CourseFacts = tuple[tuple[tuple[str, float | None], ...], int]


def _facts(matched: Sequence[Course], listed: int) -> CourseFacts:
    return tuple((c.title, c.credits) for c in matched), listed


def _key(facts: CourseFacts) -> Hashable:
    return facts


@memo_by_facts(_key)
def _judge(facts: CourseFacts, rule: CourseworkRule) -> Check:
    matched, listed = facts
    prepared = _prepare(rule)
    subject = subject_title(rule)

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
    actual = "; ".join(title for title, _ in matched[:3]) + (
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
        if any(credits is None for _, credits in matched):
            return result(
                Status.missing,
                actual,
                f"The program requires {num(rule.min_credits)} credits in {subject}; "
                "give credits for each course.",
            )
        total = sum(credits or 0.0 for _, credits in matched)
        if total < rule.min_credits:
            gap = rule.min_credits - total
            return result(
                Status.not_met,
                actual,
                f"{num(total)} credits in {subject}, {num(rule.min_credits)} required.",
                f"{num(gap)} credits below {num(rule.min_credits)}",
            )
    return result(Status.met, actual, "")


def check_all_coursework(
    courses: Sequence[Course] | None, rules: Sequence[CourseworkRule]
) -> list[Check]:
    """One check per subject rule, in the rules' order."""
    by_subject = courses_by_subject(courses or (), rules)
    listed = len(courses or ())
    return [_judge(_facts(by_subject.get(rule.subject, ()), listed), rule) for rule in rules]


def check_coursework(courses: Sequence[Course] | None, rule: CourseworkRule) -> Check:
    """One subject on its own (`check_all_coursework` is the same, for all at once)."""
    keywords = phrases(rule.keywords)
    matched = [
        c
        for c in courses or ()
        if c.subject == rule.subject or first_match(normalize(c.title), keywords)
    ]
    return _judge(_facts(matched, len(courses or ())), rule)
