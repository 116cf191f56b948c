"""`admitcheck programs list | show | validate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from admitcheck.cli import options
from admitcheck.cli.app import emit, handle_errors, programs_app, stderr
from admitcheck.vocabulary import CheckFormat, ExitCode

FormatOpt = Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")]


@programs_app.command("list")
@handle_errors
def programs_list(
    rules: options.RulesOpt = None,
    no_builtin: options.NoBuiltinOpt = False,
    fmt: FormatOpt = CheckFormat.table,
) -> None:
    """List the programs in the catalogue."""
    from admitcheck.render import programs as render_programs

    loaded = list(options.catalog(rules, no_builtin).all())
    emit(
        fmt,
        as_json=lambda: render_programs.list_json(loaded),
        as_markdown=lambda: render_programs.list_markdown(loaded),
        as_table=lambda: render_programs.list_table(loaded),
    )


@programs_app.command("show")
@handle_errors
def programs_show(
    program_id: Annotated[str, typer.Argument(metavar="ID", help="A program id.")],
    rules: options.RulesOpt = None,
    no_builtin: options.NoBuiltinOpt = False,
    fmt: FormatOpt = CheckFormat.table,
) -> None:
    """Show every requirement of one program, with its source."""
    from admitcheck.render import programs as render_programs

    loaded = options.catalog(rules, no_builtin).get(program_id)
    emit(
        fmt,
        as_json=lambda: render_programs.show_json(loaded),
        as_markdown=lambda: render_programs.show_markdown(loaded),
        as_table=lambda: render_programs.show_table(loaded),
    )


@programs_app.command("validate")
@handle_errors
def programs_validate(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Rules files.")],
) -> None:
    """Report every problem in rules files, with its line and key path (exit 2 on any)."""
    from rich.text import Text

    from admitcheck.catalog import check_rules_file

    failed = False
    for path in files:
        catalog, _, problems = check_rules_file(path)
        if problems:
            failed = True
            for problem in problems:
                stderr().print(Text(str(problem)))
        elif catalog is not None:
            count = len(getattr(catalog, "programs", []))
            typer.echo(f"{path}: OK ({count} program{'s' * (count != 1)})")
    if failed:
        raise typer.Exit(int(ExitCode.USAGE))
