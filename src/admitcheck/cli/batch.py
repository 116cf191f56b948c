"""`admitcheck batch`: many applicants, one output record per input record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from admitcheck.cli import options
from admitcheck.cli.app import app, handle_errors, stderr
from admitcheck.vocabulary import BatchFormat


@app.command()
@handle_errors
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="JSON, JSONL/NDJSON or CSV files, folders, or - for standard input.",
            show_default=False,
        ),
    ],
    program: options.ProgramOpt = None,
    all_programs: Annotated[
        bool, typer.Option("--all-programs", help="Check every program in the catalogue.")
    ] = False,
    rules: options.RulesOpt = None,
    no_builtin: options.NoBuiltinOpt = False,
    fmt: Annotated[
        BatchFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="jsonl (default), jsonl-compact (verdict, statuses and shortfalls only), "
            "json, csv, table or markdown; with --output, the file's extension names it.",
            show_default=False,
        ),
    ] = None,
    output: options.OutputOpt = None,
    columns: Annotated[
        Path | None,
        typer.Option(
            "--columns", metavar="MAP.toml", help="Map a CSV export's headers to profile columns."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, metavar="N", help="Worker processes (default: all cores)."
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 whenever the run itself completed.")
    ] = False,
    as_of: options.AsOfOpt = None,
    cycle: options.CycleOpt = None,
    require_complete: options.RequireCompleteOpt = False,
    courses_complete: Annotated[
        bool,
        typer.Option(
            "--courses-complete",
            help="Every record's course list is its whole transcript (an export of full "
            "transcripts): a subject no listed course covers is not met, not missing. A "
            "record's own courses_complete still decides for it.",
        ),
    ] = False,
    checks: options.ChecksOpt = None,
    csv_detail: Annotated[
        bool,
        typer.Option(
            "--csv-detail",
            help="CSV: beside each check's status, its actual value and shortfall columns "
            "(and gpa.converted, the GPA on the program's scale where one was computed).",
        ),
    ] = False,
    summary: Annotated[
        str | None,
        typer.Option(
            "--summary",
            metavar="FILE",
            help="Also write a JSON summary here: counts per verdict and per check status, "
            "the most common blocking checks, errors and repeated applicant ids.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check many applicants: one output record per input record, in input order."""
    from admitcheck.batch.command import run_batch_command
    from admitcheck.errors import UsageError

    if all_programs and program:
        raise UsageError("give --program or --all-programs, not both")
    catalog = options.catalog(rules, no_builtin)
    chosen = (
        list(catalog.all(options.cycle(cycle)))
        if all_programs
        else [catalog.select(program, options.cycle(cycle))]
    )
    code = run_batch_command(
        inputs,
        options.only_checks(chosen, checks),
        csv_detail=csv_detail,
        summary=summary,
        fmt=fmt,
        output=output,
        columns=columns,
        jobs=jobs,
        as_of=options.as_of(as_of),
        require_complete=require_complete,
        courses_complete=courses_complete,
        err=stderr(),
    )
    raise typer.Exit(0 if exit_zero else int(code))
