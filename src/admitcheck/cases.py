"""`admitcheck test`: a rules author's cases, run like a test runner.

A case file (TOML or JSON) holds `[[cases]]`, each with a `name`, a `profile`, an
optional `program`, `as_of` and `cycle` (an admission cycle, as `--cycle`), and what
is expected: `verdict` and/or `statuses`
(check id -> status).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from admitcheck.cycles import requested
from admitcheck.errors import AdmitcheckError, UsageError
from admitcheck.evaluate import evaluate
from admitcheck.inputs.cases import load_cases
from admitcheck.inputs.profiles import Screen, validate_json
from admitcheck.models.profile import Profile
from admitcheck.models.program import Catalog
from admitcheck.vocabulary import Status, Verdict

_CASE_KEYS = {
    "name",
    "profile",
    "program",
    "as_of",
    "cycle",
    "verdict",
    "statuses",
    "require_complete",
}


@dataclass(frozen=True, slots=True)
class CaseResult:
    name: str
    passed: bool
    differences: list[str] = field(default_factory=list)


def _as_of(value: Any, where: str) -> date:
    if value is None:
        return date.today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{where}: as_of: expected YYYY-MM-DD, got {value!r}") from None


def run_case(case: dict[str, Any], catalog: Catalog, where: str) -> CaseResult:
    name = str(case.get("name") or where)
    unknown = set(case) - _CASE_KEYS
    if unknown:
        return CaseResult(name, False, [f"unknown key(s): {', '.join(sorted(unknown))}"])
    try:
        cycle = case.get("cycle")
        program = catalog.select(
            case.get("program"), requested(None if cycle is None else str(cycle), "cycle")
        )
        as_of = _as_of(case.get("as_of"), where)
    except AdmitcheckError as exc:
        return CaseResult(name, False, [exc.message])
    screen = Screen(max(as_of, date.today()), catalog.reference)
    profile = validate_json(orjson.dumps(case.get("profile", {})), screen)
    if not isinstance(profile, Profile):
        return CaseResult(name, False, [f"invalid profile: {p}" for p in profile])
    report = evaluate(
        profile, program, as_of, require_complete=bool(case.get("require_complete", False))
    )
    differences = []
    expected_verdict = case.get("verdict")
    if expected_verdict is not None:
        if expected_verdict not in Verdict.__members__:
            differences.append(f"verdict: '{expected_verdict}' is not a verdict")
        elif report.verdict.value != expected_verdict:
            differences.append(f"verdict: expected {expected_verdict}, got {report.verdict.value}")
    statuses = {c.id: c.status.value for c in report.checks}
    for check_id, expected in (case.get("statuses") or {}).items():
        if expected not in Status.__members__:
            differences.append(f"{check_id}: '{expected}' is not a status")
        elif check_id not in statuses:
            differences.append(f"{check_id}: no such check in {program.ref.id}")
        elif statuses[check_id] != expected:
            differences.append(f"{check_id}: expected {expected}, got {statuses[check_id]}")
    if expected_verdict is None and not case.get("statuses"):
        differences.append("the case expects nothing: give verdict and/or statuses")
    return CaseResult(name, not differences, differences)


def run_case_files(paths: list[Path], catalog: Catalog) -> list[CaseResult]:
    results = []
    for path in paths:
        for index, case in enumerate(load_cases(path)):
            results.append(run_case(case, catalog, f"{path}:cases[{index}]"))
    return results
