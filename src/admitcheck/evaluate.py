"""Profile + program -> report. Pure: no I/O, no printing, no clock (the date is an input)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

from admitcheck.catalog import LoadedProgram
from admitcheck.models import ApplicantRef, Check, Profile, Report
from admitcheck.rules.common import Context
from admitcheck.rules.coursework import check_all_coursework
from admitcheck.rules.degree import check_degree
from admitcheck.rules.english import check_english
from admitcheck.rules.gpa import check_gpa
from admitcheck.rules.gre_gmat import check_tests
from admitcheck.rules.materials import check_document, check_fee, check_letters
from admitcheck.vocabulary import Category, Status, Verdict

_SETTLED = frozenset({Status.met, Status.waived, Status.not_applicable})


def run_checks(profile: Profile, program: LoadedProgram, as_of: date) -> list[Check]:
    """One check per requirement of the program, in the order the rules list them."""
    rules = program.rules
    ctx = Context(as_of, program.validity_years, program.band_guidance)
    checks: list[Check] = []
    if rules.degree is not None:
        checks.append(check_degree(profile.degree, rules.degree))
    if rules.gpa is not None:
        checks.append(check_gpa(profile.gpa, rules.gpa))
    if rules.english is not None:
        checks.append(check_english(profile, rules.english, ctx))
    if rules.tests is not None:
        checks.append(check_tests(profile.tests, rules.tests, ctx))
    if rules.coursework:
        checks.extend(check_all_coursework(profile.courses, rules.coursework))
    materials = rules.materials
    if materials is not None:
        checks.extend(check_document(profile.materials, doc) for doc in materials.documents)
        if materials.letters is not None:
            checks.append(check_letters(profile.materials, materials.letters))
        if materials.fee is not None:
            checks.append(check_fee(profile.materials, materials.fee))
    return checks


_SEVERITY = {Status.review: 1, Status.missing: 2, Status.not_met: 3}
_VERDICT_OF = (Verdict.eligible, Verdict.review, Verdict.incomplete, Verdict.ineligible)


def decide(checks: Iterable[Check], *, require_complete: bool = False) -> Verdict:
    """The verdict over the eligibility checks (and the materials, if required complete).

    The worst status wins: not_met > missing > review > anything settled.
    """
    severity = _SEVERITY.get
    worst = max(
        (
            severity(c.status, 0)
            for c in checks
            if require_complete or c.category is not Category.materials
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
) -> Report:
    checks = run_checks(profile, program, as_of)
    materials = [c for c in checks if c.category is Category.materials]
    return Report(
        applicant=ApplicantRef(profile.id, profile.name, source),
        program=program.ref,
        evaluated_on=_iso(as_of),
        verdict=decide(checks, require_complete=require_complete),
        application_complete=all(c.status in _SETTLED for c in materials),
        missing_materials=[c.title for c in materials if c.status is Status.missing],
        checks=checks,
    )


@functools.lru_cache(maxsize=16)
def _iso(day: date) -> str:
    return day.isoformat()


def blocking(report: Report) -> list[Check]:
    """The checks that keep the verdict from `eligible`, most serious first."""
    found = [
        c for c in report.checks if c.status in _SEVERITY and c.category is not Category.materials
    ]
    return sorted(found, key=lambda c: -_SEVERITY[c.status])


_VERDICT_ORDER = {
    Verdict.eligible: 0,
    Verdict.review: 1,
    Verdict.incomplete: 2,
    Verdict.ineligible: 3,
}


def rank(reports: Iterable[Report]) -> list[Report]:
    """Best match first: by verdict, then by how many checks block it, then by id."""
    return sorted(
        reports,
        key=lambda r: (_VERDICT_ORDER[r.verdict], len(blocking(r)), r.program.id),
    )
