"""The report: what a check of one applicant against one program says.

Plain dataclasses, not pydantic models: they are built for every record on the hot path
of `batch`, and orjson serialises them natively. A `Check` is frozen because checks are
memoised and shared between applicants with the same facts. Their JSON Schema still
comes from pydantic (`schemas.py`).
"""

from __future__ import annotations

import re
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

    # The numbers of the words above, for programs (DataFrames, spreadsheets): read from
    # `actual` and `shortfall`, which stay as they are. Not in the JSON report, and not
    # cached: orjson writes whatever an instance holds.

    @property
    def converted(self) -> Converted | None:
        """The GPA on the program's scale where the GPA check converted one (always an
        approximation: scales do not convert exactly)."""
        if self.id != "gpa" or not self.actual:
            return None
        found = _CONVERTED.search(self.actual)
        if found is None:
            return None
        return Converted(float(found[1]), float(found[2]), True)

    @property
    def shortfalls(self) -> tuple[Shortfall, ...]:
        """Each shortfall as numbers: the test (or "gpa", "letters", a subject), the
        part (a section, "total", "band"), the score, the minimum and the gap."""
        return _shortfalls(self) if self.shortfall else ()


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

    def __reduce__(self) -> tuple[Any, ...]:
        # Unpickled through __init__: for the thousands in the cached catalogue, several
        # times faster than the __setstate__ slotted dataclasses get.
        return (type(self), (self.value, self.source, self.quote))


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

    def to_row(self) -> dict[str, Any]:
        """One flat row for a DataFrame: who, the program, the verdict, each check's
        status, and the numbers: `gpa.converted` (with `gpa.approximate`) and each
        shortfall by its check and test (`english.shortfall.toefl` = 4.0)."""
        row: dict[str, Any] = {
            "id": self.applicant.id,
            "name": self.applicant.name,
            "source": self.applicant.source,
            "program": self.program.id,
            "verdict": self.verdict.value,
            "application_complete": self.application_complete,
            "error": None,
        }
        for check in self.checks:
            row[check.id] = check.status.value
        for check in self.checks:
            converted = check.converted
            if converted is not None:
                row["gpa.converted"] = converted.value
                row["gpa.converted_scale"] = converted.scale
                row["gpa.approximate"] = converted.approximate
            for short in check.shortfalls:
                key = f"{check.id}.shortfall"
                if check.category in (Category.english, Category.tests):
                    key += f".{short.test}"
                if short.part not in ("total", "courses", "letters"):
                    key += f".{short.part}"
                row[key] = short.by
        return row


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
    # The program the record was to be checked against: with several programs, one error
    # record stands for the record per program, so counts stay applicants x programs.
    program: CompactProgram | None = None

    def to_dict(self) -> dict[str, Any]:
        """The error record as JSON-ready data (as batch writes it)."""
        found: dict[str, Any] = orjson.loads(orjson.dumps(self))
        return found

    def to_row(self) -> dict[str, Any]:
        """One flat row for a DataFrame, as `Report.to_row` with the error's message."""
        return {
            "id": self.applicant.id,
            "name": self.applicant.name,
            "source": self.applicant.source,
            "program": self.program.id if self.program is not None else None,
            "verdict": "error",
            "application_complete": None,
            "error": self.error.message,
        }


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True, slots=True)
class Converted:
    """A GPA on another scale: `value` / `scale`, `approximate` when proportional."""

    value: float
    scale: float
    approximate: bool


@dataclass(frozen=True, slots=True)
class Shortfall:
    """One shortfall in numbers: `score` is `by` short of `minimum` (for an inverted GPA
    scale, `by` worse than it). `score` is None where the words give only the gap."""

    test: str  # "toefl", "gre", ..., "gpa", "letters", or a subject ("statistics")
    part: str  # "total", "band", a section ("reading", "quant"), or "courses"
    score: float | None
    minimum: float | None
    by: float


_CONVERTED = re.compile(r"\(~([0-9.]+) / ([0-9.]+)\)")
_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"
_BELOW = re.compile(rf"^(.+?) {_NUMBER} is {_NUMBER} below {_NUMBER}$")
_GPA = re.compile(rf"^{_NUMBER} (below|worse than) {_NUMBER}$")
_BAND = re.compile(rf"^(.+?) band {_NUMBER} is below band {_NUMBER}")
_IN_BAND = re.compile(rf"^(.+?) {_NUMBER} is in band {_NUMBER} .*below band {_NUMBER}$")
_SECTION = re.compile(rf"([a-z_]+) {_NUMBER} \(needs {_NUMBER}\)")
_SECTIONS = re.compile(r"^(.+?) sections below their minimums: (.+)$")
_MORE = re.compile(rf"^{_NUMBER} more (.+?)(?: courses?| letters?)?$")


def _test_of(title: str) -> tuple[str, str]:
    """'TOEFL iBT' -> ('toefl', 'total'); 'GRE quant' -> ('gre', 'quant')."""
    from admitcheck.models.scores import TESTS

    for name, spec in sorted(TESTS.items(), key=lambda item: -len(item[1].title)):
        if title == spec.title:
            return name, "total"
        if title.startswith(spec.title + " "):
            return name, title[len(spec.title) + 1 :]
    return title.lower(), "total"


def _shortfalls(check: Check) -> tuple[Shortfall, ...]:
    found: list[Shortfall] = []
    for piece in (check.shortfall or "").split("; "):
        piece = piece.strip().rstrip(".")
        if match := _BELOW.match(piece):
            test, part = _test_of(match[1])
            score, by, minimum = float(match[2]), float(match[3]), float(match[4])
            found.append(Shortfall(test, part, score, minimum, by))
        elif match := _SECTIONS.match(piece):
            test, _ = _test_of(match[1])
            for section, score, minimum in _SECTION.findall(match[2]):
                low, high = float(score), float(minimum)
                found.append(Shortfall(test, section, low, high, round(high - low, 6)))
        elif match := _BAND.match(piece):
            test, _ = _test_of(match[1])
            low, high = float(match[2]), float(match[3])
            found.append(Shortfall(test, "band", low, high, round(high - low, 6)))
        elif match := _IN_BAND.match(piece):
            test, _ = _test_of(match[1])
            low, high = float(match[3]), float(match[4])
            found.append(Shortfall(test, "band", low, high, round(high - low, 6)))
        elif check.id == "gpa" and (match := _GPA.match(piece)):
            by, minimum = float(match[1]), float(match[3])
            worse = match[2] == "worse than"
            score = round(minimum + by if worse else minimum - by, 6)
            found.append(Shortfall("gpa", "total", score, minimum, by))
        elif match := _MORE.match(piece):
            what = "letters" if "letter" in piece else check.id.rpartition(".")[2]
            part = "letters" if what == "letters" else "courses"
            found.append(Shortfall(what, part, None, None, float(match[1])))
    return tuple(found)
