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
