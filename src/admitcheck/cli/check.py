"""`admitcheck check`: one applicant, one program, a checklist."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from admitcheck.cli import options
from admitcheck.cli.app import app, emit, handle_errors
from admitcheck.vocabulary import CheckFormat

if TYPE_CHECKING:
    from admitcheck.inputs.profiles import Screen
    from admitcheck.models.profile import Profile
    from admitcheck.models.program import Catalog

ProfileArg = Annotated[
    str | None,
    typer.Argument(
        metavar="PROFILE", help="A JSON profile file, or - for standard input.", show_default=False
    ),
]
FormatOpt = Annotated[
    CheckFormat,
    typer.Option("--format", "-f", metavar="FORMAT", help="table (default), json or markdown."),
]


def read_profile(
    path: str | None, flags: dict[str, Any], screen: Screen
) -> tuple[Profile, str | None]:
    """The profile from a file (or stdin) with the flags over it; (profile, source)."""
    from admitcheck.errors import UsageError
    from admitcheck.inputs.profiles import read_document, validate_document
    from admitcheck.models.flat import nest, override

    given = nest(flags)
    if path is None and not given:
        raise UsageError(
            "give a profile file, - for standard input, or profile flags "
            "(see `admitcheck check --help`)"
        )
    document: dict[str, Any] = {}
    name = "flags"
    if path is not None:
        document, name = read_document(path)
    profile = validate_document(override(document, given), name, screen)
    return profile, (None if path is None else name)


@app.command()
@handle_errors
@options.with_profile_flags
def check(
    profile: ProfileArg = None,
    program: options.ProgramOpt = None,
    rules: options.RulesOpt = None,
    no_builtin: options.NoBuiltinOpt = False,
    fmt: FormatOpt = CheckFormat.table,
    output: options.OutputOpt = None,
    as_of: options.AsOfOpt = None,
    cycle: options.CycleOpt = None,
    require_complete: options.RequireCompleteOpt = False,
    checks: options.ChecksOpt = None,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Show the rule each check applied and where it is written."),
    ] = False,
    *,
    flags: dict[str, Any],
) -> None:
    """Check one applicant against one program and print the checklist."""
    from admitcheck.api import check as run_check
    from admitcheck.evaluate import explain as explain_checks
    from admitcheck.inputs.profiles import Screen
    from admitcheck.vocabulary import VERDICT_EXIT

    evaluation_date = options.as_of(as_of)
    catalog: Catalog = options.catalog(rules, no_builtin)
    chosen = options.only_checks([catalog.select(program, options.cycle(cycle))], checks)[0]
    validated, source = read_profile(profile, flags, Screen(date.today(), catalog.reference))
    report = run_check(
        validated,
        chosen,
        as_of=evaluation_date,
        source=source,
        require_complete=require_complete,
    )
    explanations = explain_checks(validated, chosen, evaluation_date) if explain else None

    from admitcheck.render.json import report_json
    from admitcheck.render.markdown import render_markdown
    from admitcheck.render.table import render_table

    emit(
        fmt,
        as_json=lambda: report_json(report, indent=True, explain=explanations),
        as_markdown=lambda: render_markdown(report, explanations),
        as_table=lambda: render_table(report, explanations),
        output=output,
    )
    raise typer.Exit(int(VERDICT_EXIT[report.verdict.value]))
