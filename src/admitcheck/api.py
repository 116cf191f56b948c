"""The Python API: what the command line does, as functions.

    import admitcheck
    report = admitcheck.check({"gpa": 3.4, "international": False}, as_of="2026-11-25")
    print(report.verdict, report.to_dict()["checks"][0])

`check` takes a profile (a `Profile`, or a mapping as in a JSON profile), `check_many`
streams an iterable of them and never stops at a bad one, `load_catalog` reads the
built-in programs and any rules files. Invalid input raises `ProfileError` (or returns an
`ErrorRecord` in `check_many`), exactly as the CLI reports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from admitcheck.catalog import load_catalog
from admitcheck.cycles import Cycle, parse_cycle
from admitcheck.errors import AdmitcheckError, UsageError
from admitcheck.evaluate import evaluate
from admitcheck.inputs.json_text import to_json
from admitcheck.inputs.profiles import Screen, summarise, validate_document, validate_json
from admitcheck.models.profile import Profile
from admitcheck.models.program import Catalog, LoadedProgram
from admitcheck.models.report import ApplicantRef, ErrorRecord, RecordError, Report

__all__ = ["check", "check_many", "load_catalog"]

_default_catalog: Catalog | None = None


def _catalog(catalog: Catalog | None) -> Catalog:
    global _default_catalog
    if catalog is not None:
        return catalog
    if _default_catalog is None:
        _default_catalog = load_catalog()
    return _default_catalog


def _cycle(cycle: str | None) -> Cycle | None:
    if cycle is None:
        return None
    try:
        found = parse_cycle(cycle)
    except ValueError as exc:
        raise UsageError(f"cycle: {exc}") from None
    if found is None:
        raise UsageError("cycle: name a cycle such as fall-2027, not 'undated'")
    return found


def _program(
    program: str | LoadedProgram | None,
    catalog: Catalog | None,
    checks: Iterable[str] | None = None,
    cycle: str | None = None,
) -> LoadedProgram:
    chosen = (
        program
        if isinstance(program, LoadedProgram)
        else _catalog(catalog).select(program, _cycle(cycle))
    )
    if checks is None:
        return chosen
    selectors = list(checks)
    unknown = [s for s in selectors if not chosen.selected_by(s)]
    if unknown or not selectors:
        raise UsageError(
            f"checks: {', '.join(map(repr, unknown)) or 'none given'}; expected check ids or "
            f"categories of {chosen.ref.id}: {', '.join(chosen.check_ids)}"
        )
    return chosen.only(selectors)


def _date(as_of: date | str | None) -> date:
    if as_of is None:
        return date.today()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        raise AdmitcheckError(f"as_of: expected a date like 2026-06-14, got {as_of!r}") from None


def check(
    profile: Profile | Mapping[str, Any],
    program: str | LoadedProgram | None = None,
    *,
    as_of: date | str | None = None,
    catalog: Catalog | None = None,
    source: str | None = None,
    require_complete: bool = False,
    checks: Iterable[str] | None = None,
    cycle: str | None = None,
) -> Report:
    """One applicant against one program (by id, or the only one in the catalogue).

    `checks`: evaluate only these check ids or categories (as `--checks`); `cycle`: the
    admission cycle ("fall-2027"; default the newest the rules hold)."""
    day = _date(as_of)
    chosen = _program(program, catalog, checks, cycle)
    if not isinstance(profile, Profile):
        screen = Screen(date.today(), chosen.reference)
        profile = validate_document(dict(profile), source or "profile", screen)
    return evaluate(profile, chosen, day, source=source, require_complete=require_complete)


def check_many(
    profiles: Iterable[Profile | Mapping[str, Any]],
    program: str | LoadedProgram | None = None,
    *,
    as_of: date | str | None = None,
    catalog: Catalog | None = None,
    source: str = "input",
    require_complete: bool = False,
    checks: Iterable[str] | None = None,
    cycle: str | None = None,
) -> Iterator[Report | ErrorRecord]:
    """Each profile in turn, lazily: a report, or an error record for one that is invalid."""
    day = _date(as_of)
    chosen = _program(program, catalog, checks, cycle)
    screen = Screen(date.today(), chosen.reference)
    for index, item in enumerate(profiles):
        where = f"{source}[{index}]"
        if isinstance(item, Profile):
            profile: Profile | list[Any] = item
        else:
            profile = validate_json(to_json(dict(item)), screen)
        if isinstance(profile, Profile):
            yield evaluate(profile, chosen, day, source=where, require_complete=require_complete)
        else:
            error = RecordError(source, None, index, summarise(profile))
            yield ErrorRecord(ApplicantRef(None, None, where), "error", error)


def load_rules(paths: Iterable[str | Path], *, builtin: bool = True) -> Catalog:
    """The catalogue with the given rules files (strings or paths) added."""
    return load_catalog([Path(p) for p in paths], builtin=builtin)
