"""Prerequisite coursework: one check per subject.

A course counts for a subject when its declared `subject` is that subject, or its title is
classified to it by the subject taxonomy (`data/taxonomy/subjects.toml`) or names one of
the rule's own keywords; not when its grade says it was failed or not completed (a grade
the notation table does not know counts, and is shown). No course for the subject (or too
few, or too few credits): if some titles cannot be read, a person must judge (`review`);
if every title was read as something else, the subject is `missing` ("no statistics course
listed: add it if taken"), since a list typed by an applicant or a counsellor is rarely the
whole transcript, and `not_met` only when the profile declares the list complete
(`courses_complete`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from pydantic import Field

from admitcheck.models.base import Key
from admitcheck.models.profile import Profile
from admitcheck.models.report import Check
from admitcheck.reference import Reference
from admitcheck.requirements.base import Context, Kind, Loc, Requirement, Rule
from admitcheck.requirements.matching import Phrases
from admitcheck.taxonomy import read_as
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import join_words, num, plural

_MEMO_LIMIT = 4096  # answers kept per subject; hostile input cannot grow it
_NOT_COUNTED = frozenset({"failing", "not_completed"})  # grade kinds of courses not counted


class CourseworkRule(Rule):
    subject: Key = Field(description="A subject of the subject taxonomy (mathematics, ...).")
    title: str | None = None
    keywords: list[str] = Field(
        default_factory=list, description="The program's own words for the subject."
    )
    min_courses: int = Field(default=1, ge=1)
    min_credits: float | None = Field(default=None, gt=0)


def subject_title(rule: CourseworkRule) -> str:
    return rule.title or rule.subject.replace("_", " ")


# What the check reads of a course: title, declared subject, grade, credits.
CourseFacts = tuple[str, str | None, str | None, float | None]


class CourseList(NamedTuple):
    """What the checks read of a profile: its courses, and whether they are all of them."""

    courses: tuple[CourseFacts, ...]
    complete: bool  # courses_complete: the list is the whole transcript


@dataclass(frozen=True, slots=True)
class _Reading:
    """A record's courses read once for every subject the program asks for."""

    courses: tuple[CourseFacts, ...]
    by_subject: dict[str, list[int]]  # subject -> indices of the courses that are it
    unrecognised: tuple[int, ...]  # courses no subject recognises and none is declared
    maybe: dict[str, list[int]]  # subject -> indices of courses that may be it (`may_be`)
    grade_kinds: tuple[str, ...]  # per course: passing, failing, in_progress, ...


@dataclass(frozen=True, slots=True)
class _Prepared:
    requirement: Requirement
    keywords: Phrases
    memo: dict[SubjectFacts, tuple[Check]]


class Counted(NamedTuple):
    title: str
    credits: float | None
    note: str | None  # "in progress", "grade 'X' is not a known notation"


class SubjectFacts(NamedTuple):
    """What one subject's check reads of the courses: the memo key of its check."""

    counted: tuple[Counted, ...]
    not_counted: tuple[tuple[str, str], ...]  # (title, grade) of failed or dropped courses
    unrecognised: tuple[str, ...]  # titles no taxonomy entry (or keyword) recognises
    listed: int
    complete: bool = False  # the list is declared the whole transcript
    possible: tuple[str, ...] = ()  # titles that may be the subject, for a person to judge


class CourseworkKind(Kind[CourseworkRule]):
    key = "coursework"
    vocabulary: ClassVar[Mapping[str, str]] = {"subject": "subject"}
    category = Category.coursework
    applicant_facts = True
    rule_model = CourseworkRule
    many = True
    title = "Coursework"

    def requirements(
        self, rule: CourseworkRule, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        subject = subject_title(rule)
        required = f"at least {plural(rule.min_courses, 'course')} in {subject}"
        if rule.min_credits is not None:
            required += f" ({num(rule.min_credits)} credits)"
        return [
            Requirement(f"coursework.{rule.subject}", f"Coursework: {subject}", required, at, rule)
        ]

    def prepare(self, rule: CourseworkRule) -> _Prepared:
        requirement = self.requirements(rule, (self.key,))[0]
        return _Prepared(requirement, Phrases.of(tuple(rule.keywords)), {})

    # Whole lists of courses rarely repeat, so evaluate's memo would only cost. Instead
    # each record's courses are read once for all its subjects (`_reading`), and each
    # subject's check is memoised on the few courses it reads (`check`).
    memoise = False

    def facts(self, profile: Profile, rule: CourseworkRule) -> Hashable:
        courses = profile.courses
        complete = bool(profile.courses_complete)
        if not courses:
            return CourseList((), complete)
        last = self._last_facts
        if last[0] is courses and last[1].complete is complete:  # the record's next subject
            return last[1]
        found = CourseList(
            tuple((c.title, c.subject, c.grade, c.credits) for c in courses), complete
        )
        self._last_facts = (courses, found)
        return found

    _last_facts: tuple[object, CourseList] = (None, CourseList((), False))
    # (profile, reference data, its facts, their reading) of the last screen key read
    _last_key_reading: tuple[object, object, CourseList, _Reading] | None = None
    _last_reading: tuple[object, object, _Reading | None] = (None, None, None)
    # (reference data, (title, declared subject, grade) -> `_course`): real lists repeat
    # the same titles thousands of times.
    _course_memo: tuple[object, dict[tuple[str, str | None, str | None], _CourseReading]] = (
        None,
        {},
    )

    def _reading(self, courses: tuple[CourseFacts, ...], ctx: Context) -> _Reading:
        """The record's courses read once for all its subjects."""
        subjects = ctx.reference.subjects
        last = self._last_reading
        if last[0] is courses and last[1] is subjects and last[2] is not None:
            return last[2]
        by_subject: dict[str, list[int]] = {}
        unrecognised: list[int] = []
        maybe: dict[str, list[int]] = {}
        kinds: list[str] = []
        memo = self._course_memo
        if memo[0] is not ctx.reference:
            memo = self._course_memo = (ctx.reference, {})
        for index, (title, declared, grade, _) in enumerate(courses):
            key = (title, declared, grade)
            course = memo[1].get(key)
            if course is None:
                if len(memo[1]) >= _MEMO_LIMIT:
                    memo[1].clear()
                course = memo[1][key] = _course(title, declared, grade, ctx.reference)
            within, may_be, unread, grade_kind = course
            for subject in within:
                by_subject.setdefault(subject, []).append(index)
            for subject in may_be:
                maybe.setdefault(subject, []).append(index)
            if unread:
                unrecognised.append(index)
            kinds.append(grade_kind)
        reading = _Reading(courses, by_subject, tuple(unrecognised), maybe, tuple(kinds))
        self._last_reading = (courses, subjects, reading)
        return reading

    def _subject(
        self, courses: tuple[CourseFacts, ...], rule: CourseworkRule, ctx: Context
    ) -> tuple[_Reading, Sequence[int], Sequence[int], list[int]]:
        """(the reading, the courses of the rule's subject, those no subject recognises,
        those that may be it), as indices into `courses`."""
        keywords = self.prepared(rule).keywords
        reading = self._reading(courses, ctx)
        indices: Sequence[int] = reading.by_subject.get(rule.subject, ())
        unrecognised: Sequence[int] = reading.unrecognised
        if keywords:
            named = {i for i, c in enumerate(courses) if keywords.first_in(c[0]) is not None}
            if named:
                indices = sorted(set(indices) | named)
                unrecognised = tuple(i for i in unrecognised if i not in named)
        maybe = reading.maybe.get(rule.subject)
        possible = [i for i in maybe if i not in set(indices)] if maybe else []
        return reading, indices, unrecognised, possible

    def _read(self, facts: CourseList, rule: CourseworkRule, ctx: Context) -> SubjectFacts:
        courses = facts.courses
        reading, indices, unrecognised, possible = self._subject(courses, rule, ctx)
        counted: list[Counted] = []
        not_counted: list[tuple[str, str]] = []
        for index in indices:
            title, _, grade, credits = courses[index]
            kind = reading.grade_kinds[index]
            if kind in _NOT_COUNTED:
                not_counted.append((title, grade or ""))
                continue
            note = None
            if kind == "in_progress":
                note = "in progress"
            elif kind == "unknown":
                note = f"grade '{grade}' is not a notation admitcheck knows"
            counted.append(Counted(title, credits, note))
        return SubjectFacts(
            tuple(counted),
            tuple(not_counted),
            tuple(courses[i][0] for i in unrecognised),
            len(courses),
            facts.complete,
            tuple(courses[i][0] for i in possible),
        )

    def check(self, facts: Any, rule: CourseworkRule, ctx: Context) -> Sequence[Check]:
        prepared: _Prepared = self.prepared(rule)
        read = self._read(facts, rule, ctx)
        found = prepared.memo.get(read)
        if found is None:
            if len(prepared.memo) >= _MEMO_LIMIT:
                prepared.memo.clear()
            found = prepared.memo[read] = (_judge(read, rule, prepared.requirement),)
        return found

    def screen_scope(self, rule: CourseworkRule) -> Hashable:
        return (rule.subject, tuple(rule.keywords))

    def screen_key(self, profile: Profile, rule: CourseworkRule, ctx: Context) -> Hashable:
        """What `_judge` decides on: whether any course is listed, the credits of each
        course counted (in order), whether some may be the subject, and whether the list is
        complete. The titles only word the check."""
        if not profile.courses:
            return (False, (), False, False, bool(profile.courses_complete))
        last = self._last_key_reading  # the record's previous subject: its reading again
        if last is not None and last[0] is profile and last[1] is ctx.reference:
            facts, reading = last[2], last[3]
        else:
            facts = self.facts(profile, rule)  # type: ignore[assignment]
            reading = self._reading(facts.courses, ctx)
            self._last_key_reading = (profile, ctx.reference, facts, reading)
        courses = facts.courses
        if rule.keywords:
            reading, indices, unrecognised, possible = self._subject(courses, rule, ctx)
            has_unrecognised, has_possible = bool(unrecognised), bool(possible)
        else:  # `_subject` without keywords, inlined: this runs per subject per record
            indices = reading.by_subject.get(rule.subject, ())
            maybe = reading.maybe.get(rule.subject)
            has_unrecognised = bool(reading.unrecognised)
            has_possible = maybe is not None and any(i not in indices for i in maybe)
        kinds = reading.grade_kinds
        return (
            True,
            tuple(courses[i][3] for i in indices if kinds[i] not in _NOT_COUNTED),
            has_unrecognised,
            has_possible,
            facts.complete,
        )

    def explain(self, facts: Any, rule: CourseworkRule, ctx: Context) -> dict[str, list[str]]:
        subjects = ctx.reference.subjects
        lines = []
        others = 0
        for title, declared, _, _ in facts.courses:
            found = subjects.classify(title, correct=declared is None)
            may_be = {
                s
                for e in found.entries
                if e in subjects.entries
                for s in subjects.entries[e].may_be
            }
            if declared == rule.subject:
                lines.append(f"'{title}': declared {rule.subject}")
            elif rule.subject in found.entries | may_be or not found.recognised:
                lines.append(read_as(title, subjects, correct=declared is None))
            else:
                others += 1
        if others:
            lines.append(f"{plural(others, 'other course')} read as other subjects")
        return {f"coursework.{rule.subject}": lines}

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        found: list[tuple[Loc, str]] = []
        seen: set[str] = set()
        for j, course_rule in enumerate(value):
            if course_rule.subject in seen:
                found.append(((j, "subject"), f"subject '{course_rule.subject}' is listed twice"))
            seen.add(course_rule.subject)
        return found


# How one course reads: the subjects it is (with the entries it is within, and the
# subject declared), those it may be, whether nothing recognises it, its grade's kind.
_CourseReading = tuple[tuple[str, ...], tuple[str, ...], bool, str]


def _course(
    title: str, declared: str | None, grade: str | None, reference: Reference
) -> _CourseReading:
    subjects = reference.subjects
    # A declared subject is the applicant's word: the title adds what it says as typed,
    # never what a guessed typing slip would make of it.
    found = subjects.classify(title, correct=declared is None)
    within = {a for e in found.entries for a in subjects.ancestors(e)}
    may_be = [
        subject
        for entry in found.entries
        if (known := subjects.entries.get(entry)) is not None
        for subject in known.may_be
    ]
    return (
        tuple(within | ({declared} if declared else set())),
        tuple(may_be),
        declared is None and not found.recognised,
        reference.grades.kind(grade),
    )


def _quoted(titles: Sequence[str], most: int = 3) -> str:
    shown = join_words([f"'{t}'" for t in titles[:most]], "and")
    return shown + (f" and {len(titles) - most} more" if len(titles) > most else "")


def _judge(facts: SubjectFacts, rule: CourseworkRule, requirement: Requirement) -> Check:
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

    if not facts.listed:
        return result(
            Status.missing,
            None,
            "No courses listed: add courses (titles, or objects with title and subject).",
        )
    matched = facts.counted
    dropped = ""
    if facts.not_counted:
        dropped = (
            " Not counted: "
            + "; ".join(f"'{title}' (grade {grade})" for title, grade in facts.not_counted)
            + "."
        )
    actual = "; ".join(c.title for c in matched[:3]) + (
        f" (+{len(matched) - 3} more)" if len(matched) > 3 else ""
    )
    enough = len(matched) >= rule.min_courses
    if enough and rule.min_credits is not None:
        if any(c.credits is None for c in matched):
            return result(
                Status.missing,
                actual,
                f"The program requires {num(rule.min_credits)} credits in {subject}; "
                "give credits for each course.",
            )
        total = sum(c.credits or 0.0 for c in matched)
        if total < rule.min_credits:
            gap = rule.min_credits - total
            if facts.unrecognised or facts.possible:
                return result(
                    Status.review,
                    actual,
                    f"{num(total)} credits in {subject}, {num(rule.min_credits)} required; "
                    f"{_doubts(facts, subject)}.{_declare(rule)}",
                )
            found = f"{num(total)} credits in {subject} listed, {num(rule.min_credits)} required"
            if not facts.complete:
                return result(
                    Status.missing,
                    actual,
                    f"{found}: add the other {subject} courses if taken.{dropped}{_PARTIAL}",
                )
            return result(
                Status.not_met,
                actual,
                f"{found}.{dropped}{_COMPLETE}",
                f"{num(gap)} credits below {num(rule.min_credits)}",
            )
    if enough:
        notes = [f"'{c.title}': {c.note}." for c in matched if c.note]
        if any(c.note == "in progress" for c in matched):
            notes.append("A course in progress counts if it is completed.")
        return result(
            Status.met, actual, " ".join(notes) + dropped.rstrip() if notes else dropped.strip()
        )
    if facts.unrecognised or facts.possible:
        have = f"{plural(len(matched), subject + ' course')} found; " if matched else ""
        return result(
            Status.review,
            actual or None,
            f"{have}{_doubts(facts, subject)}, so a person must judge.{_declare(rule)}{dropped}",
        )
    if matched:
        missing = rule.min_courses - len(matched)
        found = f"{plural(len(matched), subject + ' course')} listed, {rule.min_courses} required"
        if not facts.complete:
            return result(
                Status.missing,
                actual,
                f"{found}: add the other {subject} courses if taken.{dropped}{_PARTIAL}",
            )
        return result(
            Status.not_met,
            actual,
            f"{found}.{dropped}{_COMPLETE}",
            f"{missing} more {subject} course{'s' * (missing > 1)}",
        )
    if not facts.complete:
        others = (
            ""
            if dropped
            else f" (the {plural(facts.listed, 'course')} listed read as other subjects)"
        )
        return result(
            Status.missing,
            None,
            f"No {subject} course listed: add it if taken{others}.{dropped}{_declare(rule)}"
            f"{_PARTIAL}",
        )
    return result(
        Status.not_met,
        None,
        f"None of the {facts.listed} listed courses is recognised as {subject}.{dropped}"
        f"{_declare(rule)}{_COMPLETE}",
        f"no {subject} course",
    )


# A list typed by an applicant or a counsellor is rarely the whole transcript (SPEC v3).
_PARTIAL = (
    " A course list is taken as partial; if it is the whole transcript, say so "
    "(courses_complete: true, or --courses-complete) and a missing subject is not met."
)
_COMPLETE = " The course list is declared complete (courses_complete)."


def _doubts(facts: SubjectFacts, subject: str) -> str:
    """'X' is not recognised; 'Antenna Theory' may be physics (applied electromagnetics)."""
    parts = []
    if facts.unrecognised:
        verb = "is" if len(facts.unrecognised) == 1 else "are"
        parts.append(f"{_quoted(facts.unrecognised)} {verb} not recognised")
    if facts.possible:
        parts.append(f"{_quoted(facts.possible)} may count as {subject}")
    return "; ".join(parts)


def _declare(rule: CourseworkRule) -> str:
    return (
        f' If one is {subject_title(rule)}, declare it: {{"title": "...", "subject": '
        f'"{rule.subject}"}} in the profile, or --course "TITLE={rule.subject}".'
    )


KIND = CourseworkKind()
