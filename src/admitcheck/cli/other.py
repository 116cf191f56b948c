"""`admitcheck schema`, `init` and `test`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from admitcheck.cli import options
from admitcheck.cli.app import app, handle_errors, stderr
from admitcheck.vocabulary import ExitCode


@app.command()
@handle_errors
def schema(
    document: Annotated[
        str, typer.Argument(metavar="DOCUMENT", help="profile, programs or report.")
    ],
) -> None:
    """Print the JSON Schema of a profile, a rules file or a report."""
    from admitcheck.schemas import schema_json

    sys.stdout.buffer.write(schema_json(document) + b"\n")


@app.command()
@handle_errors
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the profile.")] = Path(
        "profile.json"
    ),
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Ask for each fact.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a profile to fill in (or, with --interactive, ask for it)."""
    from admitcheck.errors import UsageError
    from admitcheck.profile_template import ask_profile, blank_profile, write_profile

    if path.exists() and not force:
        raise UsageError(f"{path}: exists; use --force to overwrite it")
    if interactive:
        if not sys.stdin.isatty() and "ADMITCHECK_FORCE_PROMPTS" not in os.environ:
            raise UsageError("--interactive needs a terminal on standard input")
        document = ask_profile(stderr())
    else:
        document = blank_profile()
    write_profile(path, document)
    stderr().print(f"wrote {path}: fill it in, then run `admitcheck check {path}`")


@app.command("test")
@handle_errors
def test_cases(
    cases: Annotated[
        list[Path], typer.Argument(metavar="CASES...", help="Case files (TOML or JSON).")
    ],
    rules: options.RulesOpt = None,
    no_builtin: options.NoBuiltinOpt = False,
) -> None:
    """Run a rules author's cases: expected verdict and statuses, like a test runner."""
    from admitcheck.cases import run_case_files

    catalog = options.catalog(rules, no_builtin)
    results = run_case_files(cases, catalog)
    passed = sum(1 for r in results if r.passed)
    failed = len(results) - passed
    for result in results:
        mark = "PASS" if result.passed else "FAIL"
        typer.echo(f"{mark} {result.name}")
        for difference in result.differences:
            typer.echo(f"     {difference}")
    typer.echo(f"{passed} passed, {failed} failed")
    raise typer.Exit(int(ExitCode.INELIGIBLE) if failed else 0)
