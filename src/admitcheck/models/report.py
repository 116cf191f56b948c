"""The report: what a check of one applicant against one program says.

Plain dataclasses, not pydantic models: they are built for every record on the hot path
of `batch`, and orjson serialises them natively. A `Check` is frozen because checks are
memoised and shared between applicants with the same facts. Their JSON Schema still
comes from pydantic (`schemas.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

from admitcheck.vocabulary import Category, Status, Verdict


@dataclass(frozen=True)
class Check:
    id: str
    category: Category
    title: str
    status: Status
    required: str
    actual: str | None
    detail: str
    shortfall: str | None = None

    # Written out because a frozen dataclass's generated __init__ sets each field through
    # object.__setattr__, three times the cost of a plain one on the batch hot path.
    def __init__(
        self,
        id: str,
        category: Category,
        title: str,
        status: Status,
        required: str,
        actual: str | None,
        detail: str,
        shortfall: str | None = None,
    ) -> None:
        fields = self.__dict__
        fields["id"] = id
        fields["category"] = category
        fields["title"] = title
        fields["status"] = status
        fields["required"] = required
        fields["actual"] = actual
        fields["detail"] = detail
        fields["shortfall"] = shortfall


@dataclass(frozen=True)
class Explanation:
    """For `--explain`: where a check's rule is written (and its source's words), and how
    the applicant's facts were read (taxonomy matches, countries, equivalences)."""

    rule: str
    evidence: tuple[str, ...] = ()


@dataclass
class ApplicantRef:
    id: str | None
    name: str | None
    source: str | None


@dataclass
class ProgramRef:
    id: str
    name: str
    institution: str | None
    version: str | None
    as_of: str
    source: str
    rules_hash: str
    caveats: list[str] = field(default_factory=list)
    cycle: str | None = None  # the admission cycle of the rules used (None: any cycle)
    cycle_requested: str | None = None  # the cycle asked for, where it differs


@dataclass(frozen=True, slots=True)
class CoverageOf:
    """One area's coverage as a report shows it (SPEC v3): always these three keys."""

    value: str  # checked | stated | none | unknown
    source: str | None
    quote: str | None


@dataclass
class Report:
    applicant: ApplicantRef
    program: ProgramRef
    evaluated_on: str
    verdict: Verdict
    # None when the program's document list is not known (materials `unknown` or `stated`).
    application_complete: bool | None
    missing_materials: list[str]
    checks: list[Check]
    # What the reader of this report must know beyond the checks: requirements resting on
    # pages dated long before the evaluation date.
    notes: list[str] = field(default_factory=list)
    # Checks of the program not evaluated (--checks); the verdict is over `checks` only.
    checks_left_out: list[str] = field(default_factory=list)
    # Per area, what the pages say and whether it is checked; the areas no page speaks of.
    coverage: dict[str, CoverageOf] = field(default_factory=dict)
    unchecked_areas: list[str] = field(default_factory=list)

    @property
    def eligible_on_pages(self) -> bool:
        """Eligible, but only on what the pages state: some areas are unknown."""
        return self.verdict is Verdict.eligible and bool(self.unchecked_areas)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data (what `--format json` prints)."""
        found: dict[str, Any] = orjson.loads(orjson.dumps(self))
        return found


@dataclass
class CompactProgram:
    id: str
    rules_hash: str


@dataclass
class CompactReport:
    """A report for analysts (`--format jsonl-compact`): the verdict and, per check, its
    status; the shortfall of each check that has one. About a tenth of a full report."""

    applicant: ApplicantRef
    program: CompactProgram
    evaluated_on: str
    verdict: Verdict
    application_complete: bool | None
    checks: dict[str, Status]  # check id -> status, in the program's order
    shortfalls: dict[str, str]  # check id -> shortfall, for the checks that have one
    checks_left_out: list[str] = field(default_factory=list)
    unchecked_areas: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, report: Report) -> CompactReport:
        checks = report.checks
        return cls(
            report.applicant,
            CompactProgram(report.program.id, report.program.rules_hash),
            report.evaluated_on,
            report.verdict,
            report.application_complete,
            {c.id: c.status for c in checks},
            {c.id: c.shortfall for c in checks if c.shortfall},
            report.checks_left_out,
            report.unchecked_areas,
        )


@dataclass(frozen=True, slots=True)
class RecordError:
    """An input record that could not be read: where it is and what is wrong."""

    source: str
    line: int | None
    index: int | None
    message: str


@dataclass
class ErrorRecord:
    """Stands in a batch's output for an input record that could not be read."""

    applicant: ApplicantRef
    verdict: Literal["error"]
    error: RecordError

    def to_dict(self) -> dict[str, Any]:
        """The error record as JSON-ready data (as batch writes it)."""
        found: dict[str, Any] = orjson.loads(orjson.dumps(self))
        return found
