"""Coverage: what a program's pages require, area by area, and what admitcheck checks.

Each program declares, for each of the seven areas (`AREAS`), one value (SPEC v3):

- `checked`: the rules encode the requirement (its checks, as always);
- `stated`: a page states a requirement the rules cannot check: one `review` check whose
  id is the area's name, quoting the page and saying what to check by hand;
- `none`: a page says there is no such requirement: no check, listed as not required;
- `unknown`: no page found says either way: no check, listed in `unchecked_areas`, and
  `eligible` is then said as "eligible on what the pages state".

A rules file that declares nothing keeps its meaning: an area with rules is `checked`,
one without is `none` (its rules are the whole requirement). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel

from admitcheck.cycles import Cycle, parse_cycle
from admitcheck.models.base import Cited
from admitcheck.models.program import AREAS, CoverageEntry, ProgramBase, rule_of
from admitcheck.models.report import Check, CoverageOf
from admitcheck.requirements.base import Kind, Loc, Requirement
from admitcheck.requirements.score_outcomes import add_years
from admitcheck.vocabulary import Category, Status

AREA_TITLES: Mapping[str, str] = {
    "degree": "Degree",
    "gpa": "Minimum GPA",
    "english": "English proficiency",
    "tests": "Admission tests",
    "coursework": "Prerequisite coursework",
    "materials": "Application materials",
    "deadline": "Application deadline",
}
STALE_YEARS = 2  # a page dated more than this before the evaluation date gets a caveat


def area_of(kind: Kind[Any]) -> str:
    """The coverage area of a requirement kind: its category."""
    return kind.category.value


def _has_rules(program: Any, kinds: Sequence[Kind[Any]], area: str) -> bool:
    return any(bool(rule_of(program, k)) for k in kinds if area_of(k) == area)


def declared(program: Any) -> dict[str, CoverageEntry]:
    found: dict[str, CoverageEntry] = dict(program.coverage or {})
    return found


def problems(program: Any, kinds: Sequence[Kind[Any]]) -> list[tuple[Loc, str]]:
    """A declaration that contradicts the rules: `checked` with no rule, or a rule under an
    area declared `stated`, `none` or `unknown`."""
    found: list[tuple[Loc, str]] = []
    for area, entry in declared(program).items():
        has = _has_rules(program, kinds, area)
        if entry.value == "checked" and not has:
            found.append(
                (
                    ("coverage", area),
                    f"'{area}' is declared checked but the program has no rule for it: add "
                    "the rule, or declare it stated, none or unknown",
                )
            )
        elif entry.value != "checked" and has:
            keys = [k.key for k in kinds if area_of(k) == area and rule_of(program, k)]
            found.append(
                (
                    (keys[0],),
                    f"a rule under the '{area}' area, which coverage declares "
                    f"'{entry.value}': declare it checked, or remove the rule",
                )
            )
    return found


def strict_problems(raw: Any) -> list[tuple[Loc, str]]:
    """What the built-in catalogue is held to (`programs validate --strict`): every program
    declares all seven areas, and every source records its `page_date`."""
    found: list[tuple[Loc, str]] = []
    if not isinstance(raw, dict):
        return found
    for index, program in enumerate(raw.get("programs", []) or []):
        if not isinstance(program, dict):
            continue
        coverage = program.get("coverage")
        missing = [a for a in AREAS if not isinstance(coverage, dict) or a not in coverage]
        if missing:
            found.append(
                (
                    ("programs", index, "coverage"),
                    f"--strict: every area's coverage must be declared; missing: "
                    f"{', '.join(missing)}",
                )
            )
    for loc, table in _tables(raw, ()):
        if "source" in table and "page_date" not in table:
            found.append(
                (
                    (*loc, "source"),
                    "--strict: a source without page_date (the date or cycle the page "
                    "itself shows, or 'undated')",
                )
            )
    return found


def _tables(node: Any, at: Loc) -> Iterator[tuple[Loc, dict[str, Any]]]:
    if isinstance(node, dict):
        yield at, node
        for key, value in node.items():
            yield from _tables(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _tables(value, (*at, index))


def _first_cited(program: Any, kinds: Sequence[Kind[Any]], area: str) -> Cited | None:
    for kind in kinds:
        if area_of(kind) != area:
            continue
        for rule, _ in kind.rules(rule_of(program, kind)):
            first = rule[0] if isinstance(rule, tuple) and rule else rule
            if isinstance(first, Cited) and first.source:
                return first
    return None


def resolve(
    program: ProgramBase, kinds: Sequence[Kind[Any]]
) -> tuple[dict[str, CoverageOf], tuple[Check, ...], tuple[Requirement, ...]]:
    """Every area's coverage (declared, or by the default for files that declare none), the
    `review` checks of the `stated` areas and their requirements (for `programs show`,
    `--checks` and `--explain`)."""
    given = declared(program)
    coverage: dict[str, CoverageOf] = {}
    stated: list[Check] = []
    requirements: list[Requirement] = []
    for area in AREAS:
        entry = given.get(area)
        if entry is None:
            has = _has_rules(program, kinds, area)
            # a default, with nothing to cite: a file that declares no coverage
            entry = CoverageEntry.model_construct(value="checked" if has else "none")
        source, quote = entry.source, entry.quote
        if entry.value == "checked" and not (source and quote):
            cited = _first_cited(program, kinds, area)
            if cited is not None:
                source, quote = source or cited.source, quote or cited.quote
        coverage[area] = CoverageOf(entry.value, source, quote)
        if entry.value == "stated":
            stated.append(stated_check(area, entry))
            requirements.append(
                Requirement(
                    area,
                    AREA_TITLES[area],
                    "stated by the program's pages; checked by hand",
                    ("coverage", area),
                    _as_cited(entry),
                )
            )
    return coverage, tuple(stated), tuple(requirements)


def _as_cited(entry: CoverageEntry) -> Cited:
    return Cited(source=entry.source, quote=entry.quote, read=entry.read, page_date=entry.page_date)


def stated_check(area: str, entry: CoverageEntry) -> Check:
    """The `review` check of a `stated` area: the page's words, and what to check by hand."""
    by_hand = entry.by_hand or "check the applicant against the page by hand."
    return Check(
        area,
        Category(area),
        AREA_TITLES[area],
        Status.review,
        "stated by the program's pages; checked by hand",
        None,
        f'The program\'s page states: "{entry.quote}" ({entry.source}). admitcheck does not '
        f"check this: {by_hand}",
    )


def unchecked(coverage: Mapping[str, CoverageOf]) -> tuple[str, ...]:
    """The areas no page found speaks of, in area order."""
    return tuple(area for area in AREAS if coverage[area].value == "unknown")


# --------------------------------------------------------------------------- page dates


def pages(
    program: ProgramBase, parts: Sequence[tuple[Kind[Any], Any]], windows: Sequence[Any] = ()
) -> tuple[Page, ...]:
    """The dated pages the program's requirements rest on (rules, nested rules, stated and
    none areas, and the validity windows that decide when a score expires), one entry per
    (source, page date), oldest first."""
    found: dict[tuple[str, str], Page] = {}
    for window in windows:
        _add(found, window.source, window.page_date)
    for _, rule in parts:
        for cited in cited_in(rule):
            _add(found, cited.source, cited.page_date)
    for entry in declared(program).values():
        if entry.value in ("stated", "none"):
            _add(found, entry.source, entry.page_date)
    return tuple(sorted(found.values()))


Page = tuple[Cycle, str]  # the page's own date or cycle, and its source


def _add(found: dict[tuple[str, str], Page], source: str | None, page_date: str | None) -> None:
    if not page_date:
        return
    cycle = parse_cycle(page_date)
    if cycle is not None:
        found.setdefault((source or "", cycle.label), (cycle, source or ""))


def cited_in(node: Any) -> Iterator[Cited]:
    if isinstance(node, tuple | list):
        for item in node:
            yield from cited_in(item)
    elif isinstance(node, BaseModel):
        if isinstance(node, Cited):
            yield node
        for name in type(node).model_fields:
            value = getattr(node, name)
            if isinstance(value, BaseModel | list | tuple | dict):
                yield from cited_in(list(value.values()) if isinstance(value, dict) else value)


def stale_notes(dated: Sequence[Page], as_of: date) -> list[str]:
    """A caveat for every page dated more than two years before the evaluation date."""
    notes = []
    for cycle, source in dated:
        if add_years(cycle.start, STALE_YEARS) < as_of:
            notes.append(
                f"Some requirements rest on a page for {cycle.label}, more than "
                f"{STALE_YEARS} years before the evaluation date: check the live page "
                f"({source})."
            )
    return notes
