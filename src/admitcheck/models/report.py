"""The report: what a check of one applicant against one program says.

Plain dataclasses, not pydantic models: they are built for every record on the hot path
of `batch`, and orjson serialises them natively. A `Check` is frozen because checks are
memoised and shared between applicants with the same facts. Their JSON Schema still
comes from pydantic (`schemas.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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


@dataclass
class Report:
    applicant: ApplicantRef
    program: ProgramRef
    evaluated_on: str
    verdict: Verdict
    application_complete: bool
    missing_materials: list[str]
    checks: list[Check]
    # What the reader of this report must know beyond the checks: requirements read long
    # before the evaluation date.
    notes: list[str] = field(default_factory=list)


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
