"""Compact reports for many applicants at once: statuses and shortfalls, not words.

`evaluate` words every check for one applicant (what was read, why). A compact report
(`--format jsonl-compact`) keeps each check's status and shortfall only, and those depend
on far fewer distinct facts: a TOEFL 95 taken 14 months ago and one taken 20 months ago
meet a two-year window alike; two course lists with the same count of mathematics
courses are judged alike. So the screener keys each part of each program (a kind's rule)
by the applicant's *screen key* for that kind (`Kind.screen_key`: equal keys, equal ids,
statuses and shortfalls), read once per applicant for every program that shares it
(`Kind.screen_scope`) and interned to a small number; each part keeps its compact answer
per number. An applicant checked against 35 programs is then its keys plus a few hundred
dictionary lookups, and the report is bytes already encoded, joined.

An answer is never guessed: an unseen key is answered by the plain engine's own part
evaluation (`evaluate.part_checks`) on the applicant's full facts, and reused only for
equal keys. `tests/test_screening.py` holds the two engines to the same bytes on generated
profiles (dates on every validity boundary), the shipped examples, the classification
cases and the real export, for every program.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from admitcheck.evaluate import AREA_ORDER, SEVERITY, part_checks, undecided
from admitcheck.models.program import LoadedProgram
from admitcheck.models.report import ApplicantRef, Check
from admitcheck.requirements.base import Context, Kind, forms
from admitcheck.vocabulary import ELIGIBILITY, Category, Status, Verdict

_SETTLED = frozenset({Status.met, Status.waived, Status.not_applicable})
_VERDICTS = (Verdict.eligible, Verdict.review, Verdict.incomplete, Verdict.ineligible)
# Distinct keys kept per kind, and answers per part, before the screener forgets them
# (keys: all of them, with every answer): memory stays flat whatever the input. Parts
# share equal answers, so an entry costs a dictionary slot.
KEY_LIMIT = 1 << 14


@dataclass(frozen=True, slots=True)
class Answer:
    """One part's checks in a compact report, encoded once."""

    statuses: bytes  # ',"gpa":"met"' (each check with a leading comma), or b""
    shortfalls: bytes  # ',"gpa":"0.20 below 3.0"', or b""
    # One bit per severity the part's checks weigh in the verdict (bit 0: settled .. bit
    # 3: not_met), bit 4 for a document not given: a program ORs its parts' flags.
    flags: int
    tally: tuple[tuple[str, str, int], ...]  # (check id, status, blocking severity or 0)


_UNSETTLED = 1 << 4


@dataclass(frozen=True, slots=True)
class Screened:
    """One applicant against one program: the compact report's line and what a batch
    counts of it."""

    line: bytes
    verdict: str  # a Verdict's value
    on_pages: bool  # eligible on what the pages state only (unchecked areas)
    answers: tuple[Answer, ...]

    @property
    def tally(self) -> list[tuple[str, str, int]]:
        """(check id, status, blocking severity or 0) of every check, in report order."""
        return [t for answer in self.answers for t in answer.tally]


class _Part:
    __slots__ = ("answers", "condition", "kind", "memo", "rule", "slot")

    def __init__(self, kind: Kind[Any] | None, rule: Any, slot: int, condition: bool):
        self.kind = kind  # None: a stated area's check, the same for every applicant
        self.rule = rule
        self.slot = slot  # the applicant key it reads (`_Slots`)
        self.condition = condition  # keyed by the condition's facts as well (`when`)
        self.memo: dict[Hashable, Answer] = {}
        self.answers: dict[Answer, Answer] = {}  # each distinct answer once


class _Program:
    """A loaded program compiled for screening on one date."""

    def __init__(self, program: LoadedProgram, as_of: date, slots: _Slots, complete: bool):
        self.program = program
        self.ctx = program.context(as_of)
        self.require_complete = complete
        parts = [
            _Part(kind, rule, slots.slot(kind, rule, self.ctx), forms(rule)[0] is not None)
            for kind, rule in program.parts
        ]
        # The plain engine sorts by area when stated checks join the program's own; the
        # screener places them once, here (a part's checks are all of its kind's area).
        order: list[_Part] = list(parts)
        if program.stated:
            ranked = [
                (AREA_ORDER[k.category], 0, i, p) for i, p in enumerate(parts) if (k := p.kind)
            ]
            for i, check in enumerate(program.stated):
                if _chosen(check, program):
                    stated = _Part(None, None, slots.constant, False)
                    stated.memo[0] = _answer_of([undecided(check, program)], complete)
                    ranked.append((AREA_ORDER[check.category], 1, i, stated))
            order = [item for *_, item in sorted(ranked, key=lambda r: r[:3])]
        self.parts = parts
        # What the loop reads per part: its answers, its key's slot, whether the key
        # is paired with the condition's.
        self.plan = [(p.memo, p.slot, p.condition, p) for p in order]
        if complete and not program.materials_known:
            self.floor = 1 << 1  # the document list is not known: a person must judge
        else:
            self.floor = 1
        ref = program.ref
        self.head = (
            b',"program":'
            + orjson.dumps({"id": ref.id, "rules_hash": ref.rules_hash})
            + b',"evaluated_on":'
            + orjson.dumps(as_of.isoformat())
            + b',"verdict":'
        )
        known = program.materials_known
        self.complete_of = (
            (b',"application_complete":true', b',"application_complete":false')
            if known
            else (b',"application_complete":null',) * 2
        )
        self.tail = (
            b',"checks_left_out":'
            + orjson.dumps(list(program.left_out))
            + b',"unchecked_areas":'
            + orjson.dumps(list(program.unchecked))
            + b"}\n"
        )
        self.unchecked = bool(program.unchecked)

    def answer(self, part: _Part, key: Hashable, profile: Any) -> Answer:
        kind, rule = part.kind, part.rule
        assert kind is not None  # a stated check's answer is there from the start
        checks = part_checks(kind, rule, kind.part_facts(profile, rule), self.program, self.ctx)
        program = self.program
        for check in checks:
            if check.category is not kind.category:  # the order above would be wrong
                raise ValueError(
                    f"{kind.key} check {check.id!r} is of area {check.category.value}: "
                    "the screener places a part's checks in its kind's area"
                )
        chosen = [undecided(c, program) for c in checks if _chosen(c, program)]
        found = _answer_of(chosen, self.require_complete)
        found = part.answers.setdefault(found, found)
        memo = part.memo
        if len(memo) >= KEY_LIMIT:
            memo.clear()
            part.answers.clear()
        memo[key] = found
        return found


def _chosen(check: Check, program: LoadedProgram) -> bool:
    return program.selected is None or check.id in program.selected


def _answer_of(checks: Sequence[Check], require_complete: bool) -> Answer:
    flags = 1
    tally = []
    for check in checks:
        category = check.category
        level = SEVERITY.get(check.status, 0)
        if category is Category.materials:
            if check.status not in _SETTLED:
                flags |= _UNSETTLED
            if require_complete:
                flags |= 1 << level
        elif category is not Category.deadline:
            flags |= 1 << level
        tally.append((check.id, check.status.value, level if category in ELIGIBILITY else 0))
    statuses = b"".join(b"," + orjson.dumps({c.id: c.status})[1:-1] for c in checks)
    shortfalls = b"".join(
        b"," + orjson.dumps({c.id: c.shortfall})[1:-1] for c in checks if c.shortfall
    )
    return Answer(statuses, shortfalls, flags, tuple(tally))


class _Slots:
    """The applicant keys the compiled programs read: one per kind and scope, plus the
    condition facts of rules with a `when`."""

    def __init__(self) -> None:
        self.index: dict[tuple[Kind[Any], Hashable, int], int] = {}
        # (kind, a rule of the scope, the context of its program: the reference data, and
        # the numbers given to the keys it reads)
        self.readers: list[tuple[Kind[Any], Any, Context, dict[Hashable, int]]] = []
        self.constant = -1  # the key of what every applicant shares (stated checks)

    def slot(self, kind: Kind[Any], rule: Any, ctx: Context) -> int:
        # Programs of one catalogue share its reference data; others get keys of their own.
        scope = (kind, kind.screen_scope(rule), id(ctx.reference))
        found = self.index.get(scope)
        if found is None:
            found = self.index[scope] = len(self.readers)
            self.readers.append((kind, rule, ctx, {}))
        return found


class Screener:
    """Compact reports of applicants against a fixed list of programs on one date."""

    def __init__(
        self, programs: Sequence[LoadedProgram], as_of: date, *, require_complete: bool = False
    ) -> None:
        if not programs:
            raise ValueError("a screener needs at least one program")
        self.as_of = as_of
        self.slots = _Slots()
        self.programs = [_Program(p, as_of, self.slots, require_complete) for p in programs]
        self.conditions: dict[Hashable, int] = {}
        self._full = False  # some numbering reached KEY_LIMIT: forget before the next applicant

    def _keys(self, profile: Any) -> tuple[list[int], int]:
        ids = []
        # An applicant adds at most one key per kind: forget before its first is read,
        # never between two (numbers given before and after would mix).
        if self._full:
            self._forget()
        last = KEY_LIMIT - 1
        for kind, rule, ctx, interned in self.slots.readers:
            key = kind.screen_key(profile, rule, ctx)
            number = interned.get(key)
            if number is None:
                number = interned[key] = len(interned)
                if number >= last:
                    self._full = True
            ids.append(number)
        degree = profile.degree
        condition = (
            profile.international,
            profile.citizenship,
            profile.permanent_resident,
            degree.field if degree is not None else None,
        )
        number = self.conditions.get(condition)
        if number is None:
            number = self.conditions[condition] = len(self.conditions)
            if number >= last:
                self._full = True
        return ids, number

    def _forget(self) -> None:
        """Past the limit: every key's number is given again, so no answer may stay."""
        self._full = False
        for *_, interned in self.slots.readers:
            interned.clear()
        self.conditions.clear()
        for program in self.programs:
            for part in program.parts:
                part.memo.clear()

    def screen(self, profile: Any, source: str | None) -> list[Screened]:
        """The applicant against every program, in the programs' order."""
        ids, condition = self._keys(profile)
        ids.append(0)  # slot -1: the constant key
        applicant = b'{"applicant":' + orjson.dumps(ApplicantRef(profile.id, profile.name, source))
        found = []
        for program in self.programs:
            answers = []
            flags = program.floor
            for memo, slot, conditioned, part in program.plan:
                key = (condition, ids[slot]) if conditioned else ids[slot]
                answer = memo.get(key)
                if answer is None:
                    answer = program.answer(part, key, profile)
                answers.append(answer)
                flags |= answer.flags
            worst = (flags & 0b1111).bit_length() - 1
            line = b"".join(
                (
                    applicant,
                    program.head,
                    _VERDICT_JSON[worst],
                    program.complete_of[flags >> 4],
                    b',"checks":{',
                    b"".join([a.statuses for a in answers])[1:],
                    b'},"shortfalls":{',
                    b"".join([a.shortfalls for a in answers])[1:],
                    b"}",
                    program.tail,
                )
            )
            found.append(
                Screened(
                    line, _VERDICTS[worst].value, worst == 0 and program.unchecked, tuple(answers)
                )
            )
        return found


_VERDICT_JSON = tuple(orjson.dumps(v) for v in _VERDICTS)
_VERDICT_VALUES = tuple(v.value for v in _VERDICTS)
