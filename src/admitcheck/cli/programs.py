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
    typer.Option("--format", "-f", metavar="FORMAT", help="table (default), json or markdown."),
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
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Hold the files to the built-in catalogue's standard: every program "
            "declares the coverage of all seven areas, every source has its page_date.",
        ),
    ] = False,
) -> None:
    """Report every problem in rules files (and the files they include), with its line and
    key path (exit 2 on any)."""
    from rich.text import Text

    from admitcheck.catalog import check_rules_files

    failed = False
    for given in files:
        for path, catalog, _, problems in check_rules_files(given, strict=strict):
            if problems:
                failed = True
                for problem in problems:
                    stderr().print(Text(str(problem)))
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
        typer.Option(
            "--older-than",
            metavar="24m",
            help="Age of a page, from the date or cycle it shows (page_date): 24m, 18m, 2y.",
        ),
    ] = "24m",
    rules: options.RulesOpt = None,
    no_builtin: options.NoBuiltinOpt = False,
    as_of: options.AsOfOpt = None,
) -> None:
    """List the pages dated longer ago than --older-than (exit 1 if any), then the undated
    pages and the areas no page speaks of (listed, never a failure)."""
    from admitcheck.freshness import stale, undated, unknown_areas

    months = _months(older_than)
    today = options.as_of(as_of)
    programs = options.catalog(rules, no_builtin).all()
    found = stale(programs, today, months)
    for page in found:
        typer.echo(
            f"{page.program.ref.id}: a page for {page.page.label} ({page.months} months "
            f"before {today.isoformat()}): {page.source}"
        )
    if not found:
        typer.echo(f"no page is dated more than {months} months before {today.isoformat()}")
    for program, sources in undated(programs):
        typer.echo(f"{program.ref.id}: undated: {', '.join(sources)}")
    for program, areas in unknown_areas(programs):
        typer.echo(f"{program.ref.id}: not stated by its pages: {', '.join(areas)}")
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
