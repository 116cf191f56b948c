"""What a batch run found, counted as it goes: verdicts, statuses per check, blocking
checks, errors and repeated applicant ids. `--summary FILE` writes it as JSON."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import orjson

from admitcheck.vocabulary import ExitCode, most_serious

if TYPE_CHECKING:
    from admitcheck.batch.pipeline import ChunkResult

# Repeated ids are counted in full but named only up to this many (in the summary, and
# one warning line each).
NAMED_REPEATS = 20


@dataclass
class Repeat:
    id: str
    first: str  # where the id was first seen, "file:line"
    again: str  # where it was seen again


@dataclass
class BlockingCount:
    check: str
    count: int


@dataclass
class Summary:
    """The JSON of `batch --summary FILE` (`admitcheck schema summary`)."""

    records: int
    outputs: int
    errors: int
    programs: list[str]
    evaluated_on: str
    verdicts: dict[str, int]
    # Of the eligible, those eligible only on what the pages state (some areas unknown).
    eligible_on_pages: int
    checks: dict[str, dict[str, int]]  # check id -> status -> count
    blocking: list[BlockingCount]  # the most common blocking checks, most first
    repeated_ids: int  # records whose applicant id an earlier record already had
    repeats: list[Repeat]  # the first NAMED_REPEATS of them
    checks_left_out: list[str] = field(default_factory=list)


@dataclass
class Tally:
    """How far a run got and what it found, chunk by chunk."""

    records: int = 0
    outputs: int = 0  # output records written
    code: ExitCode = ExitCode.OK
    verdicts: Counter[str] = field(default_factory=Counter)
    on_pages: int = 0
    blocking: Counter[str] = field(default_factory=Counter)
    statuses: Counter[tuple[str, str]] = field(default_factory=Counter)
    repeated: int = 0
    repeats: list[Repeat] = field(default_factory=list)
    # A digest per applicant id seen, not the id: memory for the check stays small.
    _seen: dict[int, str] = field(default_factory=dict)

    def add(self, result: ChunkResult) -> list[Repeat]:
        """Count one chunk; the repeated ids it holds that are to be named."""
        self.records += result.records
        self.code = most_serious(self.code, result.exit_code)
        self.verdicts.update(result.verdicts)
        self.on_pages += result.on_pages
        self.blocking.update(result.blocking)
        self.statuses.update(result.statuses)
        named = []
        seen = self._seen
        for applicant_id, where in result.ids:
            key = hash(applicant_id)
            first = seen.get(key)
            if first is None:
                seen[key] = where
                continue
            self.repeated += 1
            if len(self.repeats) < NAMED_REPEATS:
                repeat = Repeat(applicant_id, first, where)
                self.repeats.append(repeat)
                named.append(repeat)
        return named

    def summary(
        self,
        programs: list[str],
        evaluated_on: str,
        check_order: tuple[str, ...],
        left_out: list[str],
    ) -> Summary:
        checks: dict[str, dict[str, int]] = {}
        for check_id in check_order:
            counts = {s: n for (i, s), n in sorted(self.statuses.items()) if i == check_id}
            if counts:
                checks[check_id] = counts
        return Summary(
            records=self.records,
            outputs=self.outputs,
            errors=self.verdicts.get("error", 0),
            programs=programs,
            evaluated_on=evaluated_on,
            verdicts=dict(self.verdicts.most_common()),
            eligible_on_pages=self.on_pages,
            checks=checks,
            blocking=[BlockingCount(c, n) for c, n in self.blocking.most_common(10)],
            repeated_ids=self.repeated,
            repeats=list(self.repeats),
            checks_left_out=left_out,
        )


def summary_json(summary: Summary) -> bytes:
    return orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n"
