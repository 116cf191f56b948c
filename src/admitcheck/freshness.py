"""How old a program's requirements are: read more than 12 months ago, they may have changed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from admitcheck.models.program import LoadedProgram
from admitcheck.requirements.score_outcomes import add_years

STALE_MONTHS = 12


def months_between(earlier: date, later: date) -> int:
    """Whole months from one date to a later one."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


def stale(
    programs: Iterable[LoadedProgram], today: date, months: int
) -> list[tuple[LoadedProgram, int]]:
    """Programs read longer than `months` before `today`, oldest first, with their age."""
    found = []
    for program in programs:
        age = months_between(program.rules.as_of, today)
        if age >= months and program.rules.as_of < today:
            found.append((program, age))
    return sorted(found, key=lambda item: item[0].rules.as_of)


def freshness_note(program: LoadedProgram, as_of: date) -> str | None:
    """A report's note when the program was read more than 12 months before the evaluation."""
    read = program.rules.as_of
    if as_of <= add_years(read, STALE_MONTHS // 12):
        return None
    return (
        f"Requirements read on {read.isoformat()}, more than {STALE_MONTHS} months before the "
        f"evaluation date: check the live page ({program.ref.source})."
    )
