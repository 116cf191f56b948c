"""Who a rules change affects: each profile evaluated under two versions of the rules (two
rules files, or two cycles of one program), and every applicant whose verdict or any
check's status differs, with the rule that changed (`programs diff --profiles`).

Pure: reports in, changes out; the shell reads the profiles and evaluates them.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import orjson

from admitcheck.models.report import ApplicantRef, Check, RecordError, Report


@dataclass(frozen=True)
class CheckChange:
    id: str
    before: str | None  # None: the check is not in that version
    after: str | None
    required_before: str | None
    required_after: str | None


@dataclass(frozen=True)
class Change:
    applicant: ApplicantRef
    program: str
    verdict_before: str
    verdict_after: str
    checks: tuple[CheckChange, ...]

    @property
    def transition(self) -> str:
        return f"{self.verdict_before} -> {self.verdict_after}"


@dataclass
class Impact:
    """Every change found, a count per verdict transition, and what could not be read."""

    before: str  # what the two versions are called (file names, or cycles)
    after: str
    profiles: int = 0
    evaluations: int = 0
    changes: list[Change] = field(default_factory=list)
    transitions: Counter[str] = field(default_factory=Counter)
    errors: list[RecordError] = field(default_factory=list)

    def add(self, before: Report, after: Report) -> Change | None:
        self.evaluations += 1
        change = compare(before, after)
        if change is not None:
            self.changes.append(change)
            self.transitions[change.transition] += 1
        return change


def compare(before: Report, after: Report) -> Change | None:
    """What differs between one applicant's reports under two versions of a program."""
    old = {c.id: c for c in before.checks}
    new = {c.id: c for c in after.checks}
    changed = []
    for check_id in [*old, *(i for i in new if i not in old)]:
        a: Check | None = old.get(check_id)
        b: Check | None = new.get(check_id)
        status_a = a.status.value if a else None
        status_b = b.status.value if b else None
        if status_a != status_b:
            changed.append(
                CheckChange(
                    check_id,
                    status_a,
                    status_b,
                    a.required if a else None,
                    b.required if b else None,
                )
            )
    if not changed and before.verdict is after.verdict:
        return None
    return Change(
        before.applicant,
        before.program.id,
        before.verdict.value,
        after.verdict.value,
        tuple(changed),
    )


# --------------------------------------------------------------------------- rendering


def _who(applicant: ApplicantRef) -> str:
    return applicant.id or applicant.name or applicant.source or "?"


def _rule(change: CheckChange) -> str:
    if change.required_before == change.required_after:
        return change.required_after or ""
    return f"{change.required_before or '(none)'} -> {change.required_after or '(none)'}"


def impact_text(impact: Impact) -> str:
    lines = [f"{impact.before} -> {impact.after}: {impact.profiles} profile(s) evaluated"]
    for change in impact.changes:
        lines.append(
            f"{_who(change.applicant)} ({change.program}): {change.verdict_before} -> "
            f"{change.verdict_after}"
        )
        for check in change.checks:
            lines.append(
                f"  {check.id}: {check.before or '(none)'} -> {check.after or '(none)'} "
                f"[rule: {_rule(check)}]"
            )
    for error in impact.errors:
        where = f"{error.source}:{error.line}" if error.line else error.source
        lines.append(f"unreadable: {where}: {error.message}")
    lines.append(_totals(impact))
    return "\n".join(lines) + "\n"


def _totals(impact: Impact) -> str:
    counts = ", ".join(f"{t}: {n}" for t, n in sorted(impact.transitions.items()))
    return (
        f"{len(impact.changes)} changed of {impact.evaluations} evaluation(s); "
        f"{len(impact.errors)} unreadable" + (f"; {counts}" if counts else "")
    )


def impact_json(impact: Impact) -> bytes:
    document = {
        "before": impact.before,
        "after": impact.after,
        "profiles": impact.profiles,
        "evaluations": impact.evaluations,
        "changed": len(impact.changes),
        "transitions": dict(sorted(impact.transitions.items())),
        "changes": [
            {
                "applicant": change.applicant,
                "program": change.program,
                "verdict_before": change.verdict_before,
                "verdict_after": change.verdict_after,
                "checks": list(change.checks),
            }
            for change in impact.changes
        ],
        "errors": impact.errors,
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


CSV_COLUMNS = (
    "id",
    "name",
    "source",
    "program",
    "verdict_before",
    "verdict_after",
    "check",
    "status_before",
    "status_after",
    "rule_before",
    "rule_after",
    "error",
)


def impact_csv(impact: Impact) -> str:
    """One row per changed check (a verdict change with no check change gets one row), and
    one per unreadable record."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for change in impact.changes:
        who = change.applicant
        head = [who.id or "", who.name or "", who.source or "", change.program]
        verdicts = [change.verdict_before, change.verdict_after]
        rows: Sequence[CheckChange | None] = change.checks or [None]
        for check in rows:
            cells = (
                [
                    check.id,
                    check.before or "",
                    check.after or "",
                    check.required_before or "",
                    check.required_after or "",
                ]
                if check
                else ["", "", "", "", ""]
            )
            writer.writerow([*head, *verdicts, *cells, ""])
    for error in impact.errors:
        where = f"{error.source}:{error.line}" if error.line else error.source
        writer.writerow(["", "", where, "", "", "", "", "", "", "", "", error.message])
    return buffer.getvalue()
