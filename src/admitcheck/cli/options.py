"""Options shared by several commands, declared once; and the profile flags, generated
from the flat field table so that `check` and `match` take the same ones."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer

from admitcheck.vocabulary import Category

if TYPE_CHECKING:
    from admitcheck.models.flat import FlatField
    from admitcheck.models.program import Catalog, LoadedProgram

ProgramOpt = Annotated[
    str | None,
    typer.Option(
        "--program",
        "-p",
        metavar="ID",
        help="Program id (optional while the catalogue holds one program).",
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write here instead of standard output: a file is replaced only when complete "
        "(keeping its permissions); a device or pipe is written through; - is standard "
        "output.",
        show_default=False,
    ),
]
RulesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        metavar="FILE",
        help="A rules file (TOML) to add to the built-in catalogue; repeatable. "
        "A program with a built-in id replaces it.",
    ),
]
NoBuiltinOpt = Annotated[
    bool,
    typer.Option("--no-builtin", help="Use only the --rules files, not the built-in catalogue."),
]
CycleOpt = Annotated[
    str | None,
    typer.Option(
        "--cycle",
        metavar="CYCLE",
        help="Admission cycle, e.g. fall-2027 or 'Spring 2027' (default: the newest the "
        "rules hold).",
    ),
]


def cycle(value: str | None) -> Any:
    """The parsed --cycle (a `cycles.Cycle`), or None."""
    from admitcheck.cycles import requested

    return requested(value, "--cycle")


AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="Evaluation date, the date of submission (default: today). Scores expire against it.",
    ),
]
RequireCompleteOpt = Annotated[
    bool,
    typer.Option("--require-complete", help="Count missing application materials in the verdict."),
]

ChecksOpt = Annotated[
    str | None,
    typer.Option(
        "--checks",
        metavar="IDS",
        help="Evaluate only these checks, comma-separated: check ids (gpa, "
        "coursework.mathematics) or categories (degree, gpa, english, tests, coursework, "
        "materials). The verdict is over them; reports list the checks left out.",
        show_default=False,
    ),
]


def only_checks(programs: list[LoadedProgram], checks: str | None) -> list[LoadedProgram]:
    """The programs with only the --checks named; a name no program has is a usage error."""
    from admitcheck.errors import UsageError

    if checks is None:
        return programs
    selectors = [s.strip() for s in checks.split(",") if s.strip()]
    if not selectors:
        raise UsageError("--checks: name at least one check id or category")
    for selector in selectors:
        if not any(p.selected_by(selector) for p in programs):
            ids = list(dict.fromkeys(i for p in programs for i in p.check_ids))
            categories = [
                c.value for c in Category if any(p.selected_by(c.value) for p in programs)
            ]
            known = ", ".join(dict.fromkeys(categories + ids))
            single = len(programs) == 1
            if selector in {c.value for c in Category}:
                who = (
                    f"{programs[0].ref.id} has no {selector} check (its rules state no "
                    f"{selector} requirement); its checks are"
                    if single
                    else f"none of the chosen programs has a {selector} check; their checks are"
                )
                raise UsageError(f"--checks: {who}: {known}")
            which = programs[0].ref.id if single else "the chosen programs"
            raise UsageError(
                f"--checks: '{selector}' names no check of {which}; expected one of: {known}"
            )
    return [p.only(selectors) for p in programs]


def catalog(rules: list[Path] | None, no_builtin: bool) -> Catalog:
    from admitcheck.catalog import load_catalog
    from admitcheck.errors import UsageError

    if no_builtin and not rules:
        raise UsageError("--no-builtin needs at least one --rules FILE")
    loaded = load_catalog(rules or [], builtin=not no_builtin)
    if loaded.warnings:
        from rich.text import Text

        from admitcheck.cli.app import stderr

        for warning in loaded.warnings:
            stderr().print(Text(warning))
    return loaded


def date_option(flag: str, value: str) -> date:
    from admitcheck.errors import UsageError

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag}: expected a date as YYYY-MM-DD, got {value!r}") from None


def as_of(value: str | None) -> date:
    return date.today() if value is None else date_option("--as-of", value)


_TYPES: dict[str, Any] = {
    "text": str,
    "int": int,
    "float": float,
    "bool": bool,
    "date": str,
    "list": list[str],
}

F = TypeVar("F", bound=Callable[..., Any])


# What each profile flag's value is, for --help ("--toefl SCORE", not "--toefl <int>").
_METAVARS = {
    "id": "ID",
    "name": "NAME",
    "citizenship": "COUNTRY",
    "degree_level": "LEVEL",
    "degree_field": "FIELD",
    "degree_institution": "NAME",
    "degree_country": "COUNTRY",
    "degree_status": "STATUS",
    "gpa": "NUMBER",
    "gpa_scale": "NUMBER",
    "toefl_band": "BAND",
    "ielts": "BAND",
    "courses": "TITLE[=SUBJECT]",
    "recommendation_letters": "N",
    "degree_years": "YEARS",
    "gpa_best": "NUMBER",
    "gpa_last_two_years": "NUMBER",
    "graduation": "YYYY-MM",
    "gmat_edition": "EDITION",
    **{f"ielts_{s}": "BAND" for s in ("reading", "listening", "speaking", "writing")},
    **{f"{t}_date": "DATE" for t in ("toefl", "ielts", "pte", "duolingo", "gre", "gmat")},
}


def _flag_parameter(field: FlatField) -> inspect.Parameter:
    decl = field.flag_decl
    assert decl is not None
    metavar = None if field.kind == "bool" else _METAVARS.get(field.name, "SCORE")
    option = typer.Option(decl, help=field.help, show_default=False, metavar=metavar)
    value_type: Any = _TYPES[field.kind]
    annotation: Any = Annotated[value_type | None, option]
    return inspect.Parameter(
        field.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
    )


@functools.cache
def flagged() -> tuple[FlatField, ...]:
    """The flat fields that have a flag (imported when a command runs or is built)."""
    from admitcheck.models.flat import FLAT_FIELDS

    return tuple(f for f in FLAT_FIELDS if f.flag_decl)


def with_profile_flags(command: F) -> F:
    """Add one option per flagged flat field; the command gets them as `flags`
    (flat field name -> value, None when not given)."""
    return cast("F", _WithProfileFlags(command))


class _WithProfileFlags:
    """A command with the profile flags: its signature (what Typer reads) is made the
    first time it is asked for, so that `admitcheck --help`, which lists the command,
    does not make ~60 options it does not show."""

    def __init__(self, command: Callable[..., Any]) -> None:
        self._command = command
        functools.update_wrapper(self, command)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        flags = {f.name: kwargs.pop(f.name, None) for f in flagged()}
        return self._command(*args, flags=flags, **kwargs)

    @functools.cached_property
    def __signature__(self) -> inspect.Signature:
        signature = inspect.signature(self._command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "flags"]
        return signature.replace(parameters=[*own, *(_flag_parameter(f) for f in flagged())])
