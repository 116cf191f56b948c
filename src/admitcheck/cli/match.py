"""`admitcheck match`: one applicant against every program, best first."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from admitcheck.cli import options
from admitcheck.cli.app import app, emit, handle_errors
from admitcheck.cli.check import FormatOpt, read_profile
from admitcheck.vocabulary import CheckFormat


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
    as_of: options.AsOfOpt = None,
    *,
    flags: dict[str, Any],
) -> None:
    """Check one applicant against every program, best match first.

    Exit code: that of the best match.
    """
    from admitcheck.api import check as run_check
    from admitcheck.evaluate import rank
    from admitcheck.inputs.profiles import Screen
    from admitcheck.render import matches
    from admitcheck.vocabulary import VERDICT_EXIT

    evaluation_date = options.as_of(as_of)
    catalog = options.catalog(rules, no_builtin)
    validated, source = read_profile(profile, flags, Screen(date.today(), catalog.reference))
    reports = rank(
        run_check(validated, p, as_of=evaluation_date, source=source) for p in catalog.all()
    )
    emit(
        fmt,
        as_json=lambda: matches.matches_json(reports),
        as_markdown=lambda: matches.matches_markdown(reports),
        as_table=lambda: matches.matches_table(reports),
    )
    raise typer.Exit(int(VERDICT_EXIT[reports[0].verdict.value]))
