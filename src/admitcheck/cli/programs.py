"""`admitcheck programs list | show | validate`."""

from __future__ import annotations

import sys
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
    old: Annotated[
        Path | None, typer.Argument(metavar="OLD", help="The earlier rules file.")
    ] = None,
    new: Annotated[Path | None, typer.Argument(metavar="NEW", help="The later rules file.")] = None,
    profiles: Annotated[
        Path | None,
        typer.Option(
            "--profiles",
            metavar="FILE",
            help="Evaluate these profiles (JSON, JSONL, CSV) under both and list whose "
            "verdict or checks change.",
        ),
    ] = None,
    program: options.ProgramOpt = None,
    cycles: Annotated[
        list[str] | None,
        typer.Option(
            "--cycle",
            metavar="CYCLE",
            help="With --program: compare two cycles of it (give --cycle twice).",
        ),
    ] = None,
    rules: options.RulesOpt = None,
    no_builtin: options.NoBuiltinOpt = False,
    as_of: options.AsOfOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="table, json or csv.")
    ] = "table",
) -> None:
    """What changed between two rules files, requirement by requirement; with --profiles,
    whose verdict changes (also between two cycles of one program)."""
    from admitcheck.catalog import read_rules_document
    from admitcheck.diff import diff
    from admitcheck.errors import UsageError

    if fmt not in ("table", "json", "csv"):
        raise UsageError(f"--format: expected table, json or csv, got {fmt!r}")
    if cycles:
        if len(cycles) != 2 or program is None or old is not None:
            raise UsageError("compare two cycles with --program ID --cycle A --cycle B")
        if profiles is None:
            raise UsageError("--cycle: give --profiles FILE to see whose verdict changes")
    elif old is None or new is None:
        raise UsageError("give OLD and NEW rules files, or --program ID --cycle A --cycle B")
    if profiles is None:
        assert old is not None and new is not None
        lines = diff(read_rules_document(old), read_rules_document(new))
        for line in lines:
            typer.echo(line)
        if not lines:
            typer.echo("no differences")
        return
    _impact(old, new, profiles, program, cycles or [], rules, no_builtin, as_of, fmt)


def _impact(
    old: Path | None,
    new: Path | None,
    profiles: Path,
    program: str | None,
    cycles: list[str],
    rules: list[Path] | None,
    no_builtin: bool,
    as_of: str | None,
    fmt: str,
) -> None:
    from datetime import date

    from admitcheck.catalog import load_catalog
    from admitcheck.errors import UsageError
    from admitcheck.evaluate import evaluate
    from admitcheck.impact import Impact, impact_csv, impact_json, impact_text
    from admitcheck.inputs.flat import ColumnMap
    from admitcheck.inputs.profiles import Screen
    from admitcheck.inputs.records import iter_work, read_record, records_of
    from admitcheck.models.report import RecordError

    day = options.as_of(as_of)
    if cycles:
        catalog = options.catalog(rules, no_builtin)
        first, second = (options.cycle(c) for c in cycles)
        pairs = [(catalog.get(program or "", first), catalog.get(program or "", second))]
        impact = Impact(first.label, second.label)
    else:
        assert old is not None and new is not None
        before_catalog = load_catalog([old], builtin=False)
        after_catalog = load_catalog([new], builtin=False)
        shared = [i for i in before_catalog.programs if i in after_catalog.programs]
        if program is not None:
            shared = [i for i in shared if i == program]
        if not shared:
            raise UsageError(f"{old} and {new} share no program id to compare")
        pairs = [(before_catalog.get(i), after_catalog.get(i)) for i in shared]
        catalog = after_catalog
        impact = Impact(str(old), str(new))
    screen = Screen(date.today(), catalog.reference)
    for work in iter_work([str(profiles)], ColumnMap.identity()):
        for record in records_of(work):
            impact.profiles += 1
            found = read_record(record, screen)
            if isinstance(found, RecordError):
                impact.errors.append(found)
                continue
            for before, after in pairs:
                impact.add(
                    evaluate(found, before, day, source=record.where),
                    evaluate(found, after, day, source=record.where),
                )
    if fmt == "json":
        sys.stdout.buffer.write(impact_json(impact))
    elif fmt == "csv":
        typer.echo(impact_csv(impact), nl=False)
    else:
        typer.echo(impact_text(impact), nl=False)


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
