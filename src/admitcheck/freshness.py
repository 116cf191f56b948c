"""How old the pages behind a program's requirements are (`programs stale`).

Age is measured from each page's own date or cycle (`page_date`), never from the day it
was read: a page for Fall 2019 read last week is seven years old. Reports carry the same
facts as caveats (`coverage.stale_notes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from admitcheck.coverage import cited_in
from admitcheck.cycles import Cycle
from admitcheck.models.program import LoadedProgram

STALE_MONTHS = 24


def months_between(earlier: date, later: date) -> int:
    """Whole months from one date to a later one."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


@dataclass(frozen=True)
class StalePage:
    program: LoadedProgram
    page: Cycle
    source: str
    months: int


def stale(programs: Iterable[LoadedProgram], today: date, months: int) -> list[StalePage]:
    """Pages dated at least `months` before `today`, oldest first, with their age."""
    found = []
    for program in programs:
        for page, source in program.pages:
            age = months_between(page.start, today)
            if age >= months and page.start < today:
                found.append(StalePage(program, page, source, age))
    return sorted(found, key=lambda s: (s.page.start, s.program.ref.id))


def undated(programs: Iterable[LoadedProgram]) -> list[tuple[LoadedProgram, list[str]]]:
    """Per program, the sources of its requirements whose pages show no date."""
    found = []
    for program in programs:
        sources: dict[str, None] = {}
        for _, rule in program.parts:
            for cited in cited_in(rule):
                if cited.source and (cited.page_date or "undated") == "undated":
                    sources[cited.source] = None
        if sources:
            found.append((program, list(sources)))
    return found


def unknown_areas(programs: Iterable[LoadedProgram]) -> list[tuple[LoadedProgram, list[str]]]:
    """Per program, the areas no page found speaks of."""
    return [(p, list(p.unchecked)) for p in programs if p.unchecked]
