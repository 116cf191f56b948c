"""The one grammar of dates and admission cycles (SPEC v3, "Coverage").

A page's own date (`page_date`), and later `--cycle`, are written in one of these forms;
each has a start date, and pages and cycles are ordered by it:

| form | example | counts from |
|---|---|---|
| a date | `2025-09-12` | that day |
| a month | `2025-09` | its first day |
| a year | `2025` | 1 January |
| a term | `Fall 2026`, `Autumn 2026` | 1 August |
|  | `Spring 2027` | 1 January |
|  | `Summer 2027` | 1 May |
|  | `Winter 2026` (the German Wintersemester) | 1 October |
| an academic year | `2024-25`, `2024/25`, `2024-2025` | 1 August of its first year |
| no date | `undated` | (never stale, listed apart) |

Terms may also be written in lower case with a hyphen (`fall-2027`), as on a command
line. Pure: no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

UNDATED = "undated"

_TERM_START = {"fall": 8, "autumn": 8, "spring": 1, "summer": 5, "winter": 10}
_TERM = re.compile(r"^(fall|autumn|spring|summer|winter)[\s_-]+(\d{4})$", re.IGNORECASE)
_YEARS = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")

FORMS = (
    "a date (2025-09-12), a month (2025-09), a year (2025), a term (Fall 2026, Spring 2027, "
    "Summer 2027, Winter 2026), an academic year (2024-25) or 'undated'"
)


@dataclass(frozen=True, order=True)
class Cycle:
    """A parsed page date or cycle: its start (what orders and ages it) and its label."""

    start: date
    label: str

    def __str__(self) -> str:
        return self.label


def parse_cycle(text: str) -> Cycle | None:
    """The start and label of a date or cycle; None for `undated`. Raises ValueError with
    the accepted forms for anything else."""
    value = text.strip()
    if value.lower() == UNDATED:
        return None
    try:
        found = _parse(value)
    except ValueError:  # a month 13, a 30 February
        found = None
    if found is None:
        raise ValueError(f"expected {FORMS}, got {text!r}")
    return found


def _parse(value: str) -> Cycle | None:
    if m := _DATE.match(value):
        return Cycle(date(int(m[1]), int(m[2]), int(m[3])), value)
    if (m := _MONTH.match(value)) and 1 <= int(m[2]) <= 12:
        return Cycle(date(int(m[1]), int(m[2]), 1), value)
    if m := _YEAR.match(value):
        return Cycle(date(int(m[1]), 1, 1), value)
    if m := _TERM.match(value):
        term, year = m[1].lower(), int(m[2])
        return Cycle(date(year, _TERM_START[term], 1), f"{term.capitalize()} {year}")
    if m := _YEARS.match(value):
        first, second = int(m[1]), m[2]
        following = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if following != first + 1:
            return None
        return Cycle(date(first, 8, 1), f"{first}-{str(following)[-2:]}")
    return None


def requested(text: str | None, option: str) -> Cycle | None:
    """A cycle a user asks for (`--cycle`, `cycle=`), or None; a usage error naming the
    option for anything outside the grammar, and for `undated`."""
    from admitcheck.errors import UsageError

    if text is None:
        return None
    try:
        found = parse_cycle(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if found is None:
        raise UsageError(f"{option}: name a cycle such as fall-2027, not 'undated'")
    return found


def check_page_date(text: str) -> str:
    """A pydantic after-validator: the text if it is in the grammar (ValueError if not)."""
    parse_cycle(text)
    return text.strip()
