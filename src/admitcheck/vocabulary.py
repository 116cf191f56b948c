"""The words of the contract: statuses, categories, verdicts, output formats, exit codes.

Kept free of heavy imports: the CLI's option types come from here, and `--help` must not
import pydantic.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum, IntEnum
from typing import NoReturn


class Status(str, Enum):
    met = "met"
    not_met = "not_met"
    missing = "missing"
    review = "review"
    waived = "waived"
    not_applicable = "not_applicable"


# How far a status is from settled: the worst one decides (not_met > missing > review).
STATUS_SEVERITY: dict[Status, int] = {
    Status.met: 0,
    Status.waived: 0,
    Status.not_applicable: 0,
    Status.review: 1,
    Status.missing: 2,
    Status.not_met: 3,
}


def worst(statuses: Iterable[Status]) -> Status:
    """The most serious of some statuses (met when there are none)."""
    return max(statuses, key=STATUS_SEVERITY.__getitem__, default=Status.met)


class Category(str, Enum):
    degree = "degree"
    gpa = "gpa"
    english = "english"
    tests = "tests"
    coursework = "coursework"
    materials = "materials"
    deadline = "deadline"


# The verdict is decided over the eligibility categories (evaluate.decide); materials count
# only with --require-complete; deadlines are shown beside the checklist and never count.
ELIGIBILITY = frozenset(Category) - {Category.materials, Category.deadline}


class Verdict(str, Enum):
    eligible = "eligible"
    ineligible = "ineligible"
    incomplete = "incomplete"
    review = "review"


class ExitCode(IntEnum):
    OK = 0
    INELIGIBLE = 1
    USAGE = 2
    INVALID_INPUT = 3
    UNDECIDED = 4
    INTERNAL = 70  # EX_SOFTWARE: a bug in admitcheck, never a verdict
    WORKERS = 71  # EX_OSERR: the worker processes stopped in the middle of a run
    IO_ERROR = 74  # EX_IOERR: the output cannot be written
    HANGUP = 129  # 128 + SIGHUP
    INTERRUPTED = 130  # 128 + SIGINT
    PIPE_CLOSED = 141  # 128 + SIGPIPE: the reader of standard output went away
    TERMINATED = 143  # 128 + SIGTERM


VERDICT_EXIT: dict[str, ExitCode] = {
    "eligible": ExitCode.OK,
    "ineligible": ExitCode.INELIGIBLE,
    "incomplete": ExitCode.UNDECIDED,
    "review": ExitCode.UNDECIDED,
    "error": ExitCode.INVALID_INPUT,
}

# Batch: the most serious outcome wins, in the order 3 > 1 > 4 > 0.
EXIT_SEVERITY: dict[ExitCode, int] = {
    ExitCode.OK: 0,
    ExitCode.UNDECIDED: 1,
    ExitCode.INELIGIBLE: 2,
    ExitCode.INVALID_INPUT: 3,
}


def most_serious(a: ExitCode, b: ExitCode) -> ExitCode:
    return a if EXIT_SEVERITY[a] >= EXIT_SEVERITY[b] else b


class CheckFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"  # one self-contained file: the table as the terminal shows it


class BatchFormat(str, Enum):
    jsonl = "jsonl"
    jsonl_compact = "jsonl-compact"
    json = "json"
    csv = "csv"
    table = "table"
    markdown = "markdown"
    wide = "wide"  # CSV: one row per applicant, one column per program


def assert_never(value: NoReturn) -> NoReturn:
    """Exhaustiveness over an enum: mypy flags a branch left out; at run time, a bug."""
    raise AssertionError(f"unhandled value: {value!r}")
