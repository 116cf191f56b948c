"""`admitcheck programs list | show | validate`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from admitcheck.cli import options
from admitcheck.cli.app import emit, handle_errors, programs_app, stderr
from admitcheck.vocabulary import CheckFormat, ExitCode

FormatOpt = Annotated[
    CheckFormat,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table (default), json, markdown or html (one self-contained file).",
    ),
]


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
        for problem in problems:
            stderr().print(Text(str(problem)))
        if any(not p.warning for p in problems):
            failed = True
        elif catalog is not None:
            count = len(getattr(catalog, "programs", []))
            typer.echo(f"{path}: OK ({count} program{'s' * (count != 1)})")
    if failed:
        raise typer.Exit(int(ExitCode.USAGE))


def _months(value: str) -> int:
    from admitcheck.errors import UsageError

    text = value.strip().lower()
    for suffix, factor in (("m", 1), ("y", 12)):
        if text.endswith(suffix) and text[:-1].isdigit():
            return int(text[:-1]) * factor
    if text.isdigit():
        return int(text)
    raise UsageError(f"--older-than: expected months like 12m or years like 1y, got {value!r}")


@programs_app.command("stale")
@handle_errors
def programs_stale(
    older_than: Annotated[
        str,
        typer.Option("--older-than", metavar="12m", help="Age of the read date: 12m, 18m, 1y."),
    ] = "12m",
    rules: options.RulesOpt = None,
    no_builtin: options.NoBuiltinOpt = False,
    as_of: options.AsOfOpt = None,
) -> None:
    """List the programs whose pages were read longer ago than --older-than (exit 1 if any)."""
    from admitcheck.freshness import stale

    months = _months(older_than)
    today = options.as_of(as_of)
    found = stale(options.catalog(rules, no_builtin).all(), today, months)
    for program, age in found:
        typer.echo(
            f"{program.ref.id}: read {program.ref.as_of} ({age} months ago); re-read "
            f"{program.ref.source}"
        )
    if not found:
        typer.echo(f"no program was read more than {months} months before {today.isoformat()}")
    raise typer.Exit(int(ExitCode.INELIGIBLE) if found else 0)


@programs_app.command("diff")
@handle_errors
def programs_diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The earlier rules file.")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The later rules file.")],
) -> None:
    """What changed between two rules files, requirement by requirement."""
    from admitcheck.catalog import read_rules_document
    from admitcheck.diff import diff

    lines = diff(read_rules_document(old), read_rules_document(new))
    for line in lines:
        typer.echo(line)
    if not lines:
        typer.echo("no differences")


@programs_app.command("verify")
@handle_errors
def programs_verify(
    pages: Annotated[
        Path,
        typer.Option(
            "--pages",
            metavar="DIR",
            help="Saved copies of the source pages, one file per URL (see docs/rules.md).",
        ),
    ],
    files: Annotated[
        list[Path] | None,
        typer.Argument(metavar="FILE...", help="Rules files (default: the built-in ones)."),
    ] = None,
) -> None:
    """Check every quote against its saved page, and every number against its quote."""
    from admitcheck.catalog import builtin_files, read_rules_document
    from admitcheck.inputs.pages import read_pages
    from admitcheck.verify import citations, verify

    chosen = files or builtin_files()
    saved = read_pages(pages)
    failed = 0
    checked = 0
    for path in chosen:
        found = list(citations(read_rules_document(path)))
        checked += len(found)
        for finding in verify(found, saved):
            failed += 1
            stderr().print(f"{path}: {finding} [{finding.source}]", markup=False, highlight=False)
    typer.echo(f"{checked} quotes checked, {failed} problem{'s' * (failed != 1)}")
    raise typer.Exit(int(ExitCode.INELIGIBLE) if failed else 0)
