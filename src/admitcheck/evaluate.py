"""Profile + program -> report. Pure: no I/O, no printing, no clock (the date is an input).

Every kind's check is a pure function of the facts it reads, its rule and the evaluation
date, and batches repeat the same facts (a GPA of 3.5, "Electrical Engineering", the same
scores) many times. So checks are memoised here, in one place: per loaded program and
kind, keyed by the kind's frozen facts and the date. Checks are frozen, so sharing one
between applicants is safe.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Iterable, Sequence
from datetime import date
from typing import Any

from admitcheck.models.profile import Profile
from admitcheck.models.program import AREAS, LoadedProgram
from admitcheck.models.report import ApplicantRef, Check, Explanation, Report
from admitcheck.vocabulary import ELIGIBILITY, Category, Status, Verdict

_SETTLED = frozenset({Status.met, Status.waived, Status.not_applicable})
_UNREAD: Any = object()
MEMO_LIMIT = 4096  # answers kept per program and kind; hostile input cannot grow it

Memo = dict[Hashable, Sequence[Check]]
_memos: weakref.WeakKeyDictionary[LoadedProgram, list[Memo]] = weakref.WeakKeyDictionary()


def _memos_of(program: LoadedProgram) -> list[Memo]:
    found = _memos.get(program)
    if found is None:
        found = _memos[program] = [{} for _ in program.parts]
    return found


# The last applicant evaluated and the facts of its kinds that read the applicant alone
# (`Kind.applicant_facts`): checked against every program of a catalogue, an applicant's
# facts are read once, not once per program. One entry, replaced whole, so that threads
# evaluating different applicants never see each other's facts.
_last_applicant: tuple[Profile | None, dict[Any, Hashable]] = (None, {})


def _applicant_facts(profile: Profile) -> dict[Any, Hashable]:
    global _last_applicant
    found = _last_applicant
    if found[0] is not profile:
        found = _last_applicant = (profile, {})
    return found[1]


def run_checks(
    profile: Profile, program: LoadedProgram, as_of: date, *, memo: bool = True
) -> list[Check]:
    """One check per requirement of the program, in the order the rules list them.

    With `memo` (the default), checks are memoised and an applicant's facts shared
    between programs; without, each is computed afresh (the plain engine)."""
    ctx = program.context(as_of)
    checks: list[Check] = []
    memos = _memos_of(program) if memo else None
    shared = _applicant_facts(profile) if memo else None
    for index, (kind, rule) in enumerate(program.parts):
        if shared is not None and kind.applicant_facts:
            inner = shared.get(kind, _UNREAD)
            if inner is _UNREAD:
                inner = shared[kind] = kind.facts(profile, rule)
            facts = kind.conditioned(profile, rule, inner)
        else:
            facts = kind.part_facts(profile, rule)
        if memos is None or not kind.memoise:
            checks.extend(part_checks(kind, rule, facts, program, ctx))
            continue
        cache = memos[index]
        key = (facts, as_of)
        found = cache.get(key)
        if found is None:
            if len(cache) >= MEMO_LIMIT:
                cache.clear()
            found = cache[key] = part_checks(kind, rule, facts, program, ctx)
        checks.extend(found)
    if program.stated:  # the review checks of `stated` areas, each in its area's place
        checks = sorted([*checks, *program.stated], key=lambda c: AREA_ORDER[c.category])
    selected = program.selected
    if selected is not None:  # --checks: a kind's other checks are left out too
        checks = [c for c in checks if c.id in selected]
    if program.no_rules_for is not None:
        checks = [undecided(c, program) for c in checks]
    return checks


def part_checks(
    kind: Any, rule: Any, facts: Hashable, program: LoadedProgram, ctx: Any
) -> tuple[Check, ...]:
    """The checks of one part of a program (a kind's rule) from its `part_facts`."""
    return _with_dispute(kind.part_check(facts, rule, ctx), kind, facts, rule, program, ctx)


def undecided(check: Check, program: LoadedProgram) -> Check:
    """A check for a cycle older than every version of the rules: never a silent answer."""
    if program.no_rules_for is None or check.category is Category.deadline:
        return check
    asked, oldest = program.no_rules_for
    return _as_review(
        check,
        f"No rules are transcribed for {asked}: the oldest held are for {oldest} (shown as "
        f"required). Check the program's rules for {asked}.",
    )


def _as_review(check: Check, detail: str) -> Check:
    """The same check, for a person to judge, with a new detail."""
    return Check(
        check.id,
        check.category,
        check.title,
        Status.review,
        check.required,
        check.actual,
        detail,
    )


AREA_ORDER = {Category(area): i for i, area in enumerate(AREAS)}
_SHORT = (Status.not_met, Status.missing)


def _with_dispute(
    checks: Sequence[Check],
    kind: Any,
    facts: Hashable,
    rule: Any,
    program: LoadedProgram,
    ctx: Any,
) -> tuple[Check, ...]:
    """Where another page reads the rule otherwise (neither known to be newer), a check
    that falls short only under the stricter reading is `review`, naming both pages."""
    if not program.lenient or not any(c.status in _SHORT for c in checks):
        return tuple(checks)
    lenient = program.lenient_rule(rule)
    if lenient is None:
        return tuple(checks)
    other = {c.id: c for c in kind.part_check(facts, lenient, ctx)}
    disputed = rule.disputed
    found = []
    for check in checks:
        alternative = other.get(check.id)
        if check.status in _SHORT and alternative is not None and alternative.status not in _SHORT:
            check = _as_review(
                check,
                f'{check.detail} The pages disagree: {rule.source} says "{rule.quote}", '
                f'but {disputed.source} says "{disputed.quote}", and neither is known to be '
                f"newer; read the other way, this check is {alternative.status.value}. Ask the "
                "program which applies.",
            )
        found.append(check)
    return tuple(found)


def explain(profile: Profile, program: LoadedProgram, as_of: date) -> dict[str, Explanation]:
    """For `--explain`, every check's rule and how the facts were read."""
    ctx = program.context(as_of)
    evidence: dict[str, list[str]] = {}
    for kind, rule in program.parts:
        for check_id, lines in kind.explain(kind.facts(profile, rule), rule, ctx).items():
            evidence.setdefault(check_id, []).extend(lines)
    return {
        check_id: Explanation(where, tuple(evidence.get(check_id, ())))
        for check_id, where in program.explanations.items()
    }


SEVERITY = {Status.review: 1, Status.missing: 2, Status.not_met: 3}
_VERDICT_OF = (Verdict.eligible, Verdict.review, Verdict.incomplete, Verdict.ineligible)


def decide(checks: Iterable[Check], *, require_complete: bool = False) -> Verdict:
    """The verdict over the eligibility checks (and the materials, if required complete).

    The worst status wins: not_met > missing > review > anything settled.
    """
    severity = SEVERITY.get
    worst = max(
        (
            severity(c.status, 0)
            for c in checks
            if c.category in ELIGIBILITY or (require_complete and c.category is Category.materials)
        ),
        default=0,
    )
    return _VERDICT_OF[worst]


def evaluate(
    profile: Profile,
    program: LoadedProgram,
    as_of: date,
    *,
    source: str | None = None,
    require_complete: bool = False,
    memo: bool = True,
) -> Report:
    checks = run_checks(profile, program, as_of, memo=memo)
    # One pass for the verdict and the materials: this runs for every record of a batch.
    severity = SEVERITY.get
    worst = 0
    complete = True
    missing: list[str] = []
    for check in checks:
        status = check.status
        category = check.category
        if category is Category.materials:
            if status not in _SETTLED:
                complete = False
                if status is Status.missing:
                    missing.append(check.id)
            if not require_complete:
                continue
        elif category is Category.deadline:
            continue
        level = severity(status, 0)
        if level > worst:
            worst = level
    known = program.materials_known
    if require_complete and not known and worst < 1:
        worst = 1  # the document list is not known: a person must judge completeness
    return Report(
        applicant=ApplicantRef(profile.id, profile.name, source),
        program=program.ref,
        evaluated_on=as_of.isoformat(),
        verdict=_VERDICT_OF[worst],
        application_complete=complete if known else None,
        missing_materials=missing,
        checks=checks,
        notes=list(program.notes(as_of)),
        checks_left_out=list(program.left_out),
        coverage=program.coverage,  # type: ignore[arg-type]
        unchecked_areas=list(program.unchecked),
    )


def blocking(report: Report) -> list[Check]:
    """The checks that keep the verdict from `eligible`, most serious first."""
    found = [c for c in report.checks if c.status in SEVERITY and c.category in ELIGIBILITY]
    return sorted(found, key=lambda c: -SEVERITY[c.status])


_VERDICT_ORDER = {
    Verdict.eligible: 0,
    Verdict.review: 1,
    Verdict.incomplete: 2,
    Verdict.ineligible: 3,
}


def rank(reports: Iterable[Report]) -> list[Report]:
    """Best match first: by verdict, then by coverage (fewer areas no page speaks of), then
    by how many checks block it, then by id."""
    return sorted(
        reports,
        key=lambda r: (
            _VERDICT_ORDER[r.verdict],
            len(r.unchecked_areas),
            len(blocking(r)),
            r.program.id,
        ),
    )
