"""`admitcheck match`: one applicant against every program, grouped by verdict."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from admitcheck.cli import options
from admitcheck.cli.app import app, emit, handle_errors
from admitcheck.cli.check import FormatOpt, read_profile
from admitcheck.vocabulary import CheckFormat

if TYPE_CHECKING:
    from admitcheck.models.program import LoadedProgram
    from admitcheck.requirements.deadlines import Deadline


@app.command()
@handle_errors
@options.with_profile_flags
def match(
    profile: Annotated[
        str | None,
        typer.Argument(
            metavar="PROFILE", help="A JSON profile, or - for standard input.", show_default=False
        ),
    ] = None,
    rules: options.RulesOpt = None,
    no_builtin: options.NoBuiltinOpt = False,
    fmt: FormatOpt = CheckFormat.table,
    output: options.OutputOpt = None,
    as_of: options.AsOfOpt = None,
    cycle: options.CycleOpt = None,
    institution: Annotated[
        str | None,
        typer.Option("--institution", metavar="ID|NAME", help="Only this institution's programs."),
    ] = None,
    open_on: Annotated[
        str | None,
        typer.Option(
            "--open-on",
            metavar="YYYY-MM-DD",
            help="Only programs with a deadline on or after this date (and those that state "
            "none, marked so).",
        ),
    ] = None,
    *,
    flags: dict[str, Any],
) -> None:
    """Check one applicant against every program: eligible first, each with what blocks it.

    Exit code: that of the best match.
    """
    from admitcheck.api import check as run_check
    from admitcheck.errors import UsageError
    from admitcheck.evaluate import rank
    from admitcheck.inputs.profiles import Screen
    from admitcheck.render import matches
    from admitcheck.vocabulary import VERDICT_EXIT

    evaluation_date = options.as_of(as_of)
    catalog = options.catalog(rules, no_builtin)
    programs = list(catalog.all(options.cycle(cycle)))
    notes = []
    if institution is not None:
        wanted = institution.casefold()
        programs = [
            p
            for p in programs
            if wanted in {(p.institution_id or "").casefold(), (p.ref.institution or "").casefold()}
            or wanted in (p.ref.institution or "").casefold()
        ]
        if not programs:
            raise UsageError(f"--institution: no program of '{institution}' in the catalogue")
    if open_on is not None:
        day = options.date_option("--open-on", open_on)
        undated = [p for p in programs if not _deadlines(p)]
        programs = [
            p
            for p in programs
            if not _deadlines(p) or any(d.next_on_or_after(day) for d in _deadlines(p))
        ]
        if undated:
            notes.append(
                f"{len(undated)} program(s) state no deadline and are shown: "
                + ", ".join(p.ref.id for p in undated)
            )
        if not programs:
            raise UsageError(f"--open-on: every program's deadlines are before {day.isoformat()}")
    validated, source = read_profile(profile, flags, Screen(date.today(), catalog.reference))
    reports = rank(run_check(validated, p, as_of=evaluation_date, source=source) for p in programs)
    emit(
        fmt,
        as_json=lambda: matches.matches_json(reports),
        as_markdown=lambda: matches.matches_markdown(reports, notes),
        as_table=lambda: matches.matches_table(reports, notes),
        output=output,
    )
    raise typer.Exit(int(VERDICT_EXIT[reports[0].verdict.value]))


def _deadlines(program: LoadedProgram) -> list[Deadline]:
    found: list[Deadline] = getattr(program.rules, "deadlines", None) or []
    return found
