"""The command line: parse options, call the core, pick a renderer, map errors to exit codes.

Heavy modules (pydantic, the rules, the renderers) are imported inside the commands so
that `--help`, `--version` and shell completion stay fast.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from admitcheck import __version__
from admitcheck.vocabulary import BatchFormat, CheckFormat, ExitCode

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from admitcheck.catalog import Catalog
    from admitcheck.models import Report

app = typer.Typer(
    name="admitcheck",
    help="Does this applicant meet this program's requirements, and what is missing?",
    epilog="Exit codes: 0 eligible or success, 1 ineligible, 2 usage or rules error, "
    "3 invalid applicant data, 4 undecided (incomplete or review), 70 internal error, "
    "130 interrupted.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
programs_app = typer.Typer(help="List, show and validate programs.", no_args_is_help=True)
app.add_typer(programs_app, name="programs")

F = TypeVar("F", bound=Callable[..., Any])


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _stdout() -> Console:
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False)


def fail(message: str, code: ExitCode, details: list[str] | None = None) -> typer.Exit:
    from rich.text import Text

    from admitcheck.render.text import printable

    err = _stderr()
    err.print(Text(f"admitcheck: {printable(message)}"))
    for line in details or []:
        err.print(Text(f"  {printable(line)}"))
    return typer.Exit(int(code))


def handle_errors(command: F) -> F:
    """Turn the user's mistakes into one clear message and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from admitcheck.errors import AdmitcheckError

        try:
            return command(*args, **kwargs)
        except AdmitcheckError as exc:
            raise fail(exc.message, exc.exit_code, exc.details) from None
        except KeyboardInterrupt:
            raise fail("interrupted", ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`| head`): not an error of ours, and nothing to say.
            sys.stderr = Path(os.devnull).open("w")  # noqa: SIM115
            raise typer.Exit(int(ExitCode.OK)) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug of ours: one line, and the traceback on request
            if os.environ.get("ADMITCHECK_DEBUG"):
                raise
            raise fail(
                f"internal error ({type(exc).__name__}: {exc}); this is a bug, please "
                "report it (ADMITCHECK_DEBUG=1 shows the traceback)",
                ExitCode.INTERNAL,
            ) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"admitcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Check applicant profiles against admissions requirements.

    Exit codes: 0 eligible/success, 1 ineligible, 2 usage or rules error,
    3 invalid applicant data, 4 undecided (incomplete or review).
    """


# --------------------------------------------------------------------------- shared options

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
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="Evaluation date (default: today). Test scores expire against it.",
    ),
]


def _catalog(rules: list[Path] | None, no_builtin: bool) -> Catalog:
    from admitcheck.catalog import load_catalog
    from admitcheck.errors import UsageError

    if no_builtin and not rules:
        raise UsageError("--no-builtin needs at least one --rules FILE")
    return load_catalog(rules or [], builtin=not no_builtin)


def _as_of(value: str | None) -> date:
    from admitcheck.errors import UsageError

    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of: expected a date as YYYY-MM-DD, got {value!r}") from None


# --------------------------------------------------------------------------- check


def _flag_overrides(**flags: Any) -> dict[str, Any]:
    """Profile flags -> a nested profile fragment holding only the flags given."""
    nested: dict[str, Any] = {}

    def put(path: tuple[str, ...], value: Any) -> None:
        if value is None:
            return
        target = nested
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value

    put(("id",), flags["id"])
    put(("name",), flags["name"])
    put(("international",), flags["international"])
    put(("degree", "level"), flags["degree_level"])
    put(("degree", "field"), flags["degree_field"])
    put(("degree", "status"), flags["degree_status"])
    if flags["gpa"] is not None:
        put(("gpa",), {"value": flags["gpa"], "scale": flags["gpa_scale"] or 4.0})
    elif flags["gpa_scale"] is not None:
        put(("gpa", "scale"), flags["gpa_scale"])
    put(("tests", "toefl", "total"), flags["toefl"])
    put(("tests", "toefl", "band"), flags["toefl_band"])
    put(("tests", "ielts", "overall"), flags["ielts"])
    put(("tests", "pte", "overall"), flags["pte"])
    put(("tests", "gre", "verbal"), flags["gre_verbal"])
    put(("tests", "gre", "quant"), flags["gre_quant"])
    put(("tests", "gre", "writing"), flags["gre_writing"])
    put(("tests", "gmat", "total"), flags["gmat"])
    if flags["course"]:
        put(("courses",), list(flags["course"]))
    put(("materials", "statement_of_purpose"), flags["sop"])
    put(("materials", "resume"), flags["resume"])
    put(("materials", "transcripts"), flags["transcripts"])
    put(("materials", "recommendation_letters"), flags["letters"])
    put(("materials", "application_fee_paid"), flags["fee_paid"])
    put(("materials", "fee_waiver"), flags["fee_waiver"])
    return nested


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `override` into a copy of `base`.

    A test score given by flags replaces the file's, and so does `--gpa`; `--gpa-scale`
    alone re-scales the file's GPA.
    """
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if key == "gpa" and "value" not in value and isinstance(current, (int, float)):
            current = {"value": current}
        replaces = key in ("toefl", "ielts", "pte", "gre", "gmat") or (
            key == "gpa" and "value" in value
        )
        if isinstance(value, dict) and isinstance(current, dict) and not replaces:
            merged[key] = merge(current, value)
        else:
            merged[key] = value
    return merged


@app.command()
@handle_errors
def check(
    profile: Annotated[
        str | None,
        typer.Argument(metavar="[PROFILE|-]", help="A JSON profile file, or - for standard input."),
    ] = None,
    program: Annotated[
        str | None,
        typer.Option(
            "--program", "-p", help="Program id (optional while the catalogue holds one program)."
        ),
    ] = None,
    rules: RulesOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CheckFormat.table
    ),
    as_of: AsOfOpt = None,
    require_complete: Annotated[
        bool,
        typer.Option(
            "--require-complete", help="Count missing application materials in the verdict."
        ),
    ] = False,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Show the rule each check applied and where it is written."),
    ] = False,
    id: Annotated[str | None, typer.Option("--id", help="Applicant id.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Applicant name.")] = None,
    international: Annotated[
        bool | None,
        typer.Option("--international/--domestic", help="Whether English tests apply."),
    ] = None,
    degree_level: Annotated[
        str | None,
        typer.Option(
            "--degree-level", help="none, diploma, associate, bachelor, master, doctorate."
        ),
    ] = None,
    degree_field: Annotated[str | None, typer.Option("--degree-field")] = None,
    degree_status: Annotated[
        str | None, typer.Option("--degree-status", help="completed or in_progress.")
    ] = None,
    gpa: Annotated[
        float | None, typer.Option("--gpa", help="GPA value (replaces the file's GPA).")
    ] = None,
    gpa_scale: Annotated[
        float | None, typer.Option("--gpa-scale", help="Scale of --gpa (default 4.0).")
    ] = None,
    toefl: Annotated[int | None, typer.Option("--toefl", help="TOEFL iBT total 0-120.")] = None,
    toefl_band: Annotated[
        float | None, typer.Option("--toefl-band", help="TOEFL iBT band 1-6.")
    ] = None,
    ielts: Annotated[float | None, typer.Option("--ielts", help="IELTS overall.")] = None,
    pte: Annotated[int | None, typer.Option("--pte", help="PTE Academic overall.")] = None,
    gre_verbal: Annotated[int | None, typer.Option("--gre-verbal")] = None,
    gre_quant: Annotated[int | None, typer.Option("--gre-quant")] = None,
    gre_writing: Annotated[float | None, typer.Option("--gre-writing")] = None,
    gmat: Annotated[int | None, typer.Option("--gmat", help="GMAT total.")] = None,
    course: Annotated[
        list[str] | None,
        typer.Option("--course", help="A course title; repeatable (replaces the file's)."),
    ] = None,
    sop: Annotated[bool | None, typer.Option("--sop/--no-sop")] = None,
    resume: Annotated[bool | None, typer.Option("--resume/--no-resume")] = None,
    transcripts: Annotated[bool | None, typer.Option("--transcripts/--no-transcripts")] = None,
    letters: Annotated[
        int | None, typer.Option("--letters", help="Recommendation letters provided.")
    ] = None,
    fee_paid: Annotated[bool | None, typer.Option("--fee-paid/--fee-unpaid")] = None,
    fee_waiver: Annotated[bool | None, typer.Option("--fee-waiver")] = None,
) -> None:
    """Check one applicant against one program and print the checklist."""
    from admitcheck.errors import UsageError
    from admitcheck.evaluate import evaluate
    from admitcheck.loading import read_profile_document, validate_document

    overrides = _flag_overrides(
        id=id,
        name=name,
        international=international,
        degree_level=degree_level,
        degree_field=degree_field,
        degree_status=degree_status,
        gpa=gpa,
        gpa_scale=gpa_scale,
        toefl=toefl,
        toefl_band=toefl_band,
        ielts=ielts,
        pte=pte,
        gre_verbal=gre_verbal,
        gre_quant=gre_quant,
        gre_writing=gre_writing,
        gmat=gmat,
        course=course,
        sop=sop,
        resume=resume,
        transcripts=transcripts,
        letters=letters,
        fee_paid=fee_paid,
        fee_waiver=fee_waiver,
    )
    if profile is None and not overrides:
        raise UsageError(
            "give a profile file, - for standard input, or profile flags "
            "(see `admitcheck check --help`)"
        )
    evaluation_date = _as_of(as_of)
    chosen = _catalog(rules, no_builtin).select(program)
    document: dict[str, Any] = {}
    name_shown = "flags"
    if profile is not None:
        document, name_shown = read_profile_document(profile)
    validated = validate_document(merge(document, overrides), name_shown, evaluation_date)
    source = None if profile is None else name_shown
    report = evaluate(
        validated, chosen, evaluation_date, source=source, require_complete=require_complete
    )
    explanations = chosen.explanations if explain else None
    _print_report(report, fmt, explanations)
    from admitcheck.vocabulary import VERDICT_EXIT

    raise typer.Exit(int(VERDICT_EXIT[report.verdict.value]))


def emit(
    fmt: CheckFormat,
    *,
    as_json: Callable[[], bytes],
    as_markdown: Callable[[], str],
    as_table: Callable[[], RenderableType],
) -> None:
    """Write one document to stdout in the chosen format; only that renderer runs."""
    from admitcheck.vocabulary import assert_never

    if fmt is CheckFormat.json:
        sys.stdout.buffer.write(as_json() + b"\n")
        sys.stdout.flush()
    elif fmt is CheckFormat.markdown:
        sys.stdout.write(as_markdown())
    elif fmt is CheckFormat.table:
        _stdout().print(as_table())
    else:
        assert_never(fmt)


def _print_report(report: Report, fmt: CheckFormat, explanations: dict[str, str] | None) -> None:
    from admitcheck.render.json import report_json
    from admitcheck.render.markdown import render_markdown
    from admitcheck.render.table import render_table

    emit(
        fmt,
        as_json=lambda: report_json(report, indent=True, explain=explanations),
        as_markdown=lambda: render_markdown(report, explanations),
        as_table=lambda: render_table(report, explanations),
    )


# --------------------------------------------------------------------------- batch


@app.command()
@handle_errors
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="JSON, JSONL/NDJSON or CSV files, folders, or - for standard input.",
        ),
    ],
    program: Annotated[str | None, typer.Option("--program", "-p", help="Program id.")] = None,
    all_programs: Annotated[
        bool, typer.Option("--all-programs", help="Check every program in the catalogue.")
    ] = False,
    rules: RulesOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: Annotated[BatchFormat, typer.Option("--format", "-f", help="Output format.")] = (
        BatchFormat.jsonl
    ),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here (atomically) instead of stdout."),
    ] = None,
    columns: Annotated[
        Path | None,
        typer.Option(
            "--columns", metavar="MAP.toml", help="Map a CSV export's headers to profile columns."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores)."),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 whenever the run itself completed.")
    ] = False,
    as_of: AsOfOpt = None,
    require_complete: Annotated[
        bool,
        typer.Option(
            "--require-complete", help="Count missing application materials in the verdict."
        ),
    ] = False,
) -> None:
    """Check many applicants: one output record per input record, in input order."""
    from admitcheck.batch_shell import run_batch_command
    from admitcheck.errors import UsageError

    if all_programs and program:
        raise UsageError("give --program or --all-programs, not both")
    catalog = _catalog(rules, no_builtin)
    chosen = list(catalog.programs.values()) if all_programs else [catalog.select(program)]
    code = run_batch_command(
        inputs,
        chosen,
        fmt=fmt,
        output=output,
        columns=columns,
        jobs=jobs,
        as_of=_as_of(as_of),
        require_complete=require_complete,
        err=_stderr(),
    )
    raise typer.Exit(0 if exit_zero else int(code))


# --------------------------------------------------------------------------- match


@app.command()
@handle_errors
def match(
    profile: Annotated[str, typer.Argument(metavar="PROFILE|-", help="A JSON profile.")],
    rules: RulesOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CheckFormat.table
    ),
    as_of: AsOfOpt = None,
) -> None:
    """Check one applicant against every program, best match first.

    Exit code: that of the best match.
    """
    from admitcheck.evaluate import evaluate, rank
    from admitcheck.loading import read_profile_document, validate_document
    from admitcheck.vocabulary import VERDICT_EXIT

    evaluation_date = _as_of(as_of)
    catalog = _catalog(rules, no_builtin)
    document, name_shown = read_profile_document(profile)
    validated = validate_document(document, name_shown, evaluation_date)
    reports = rank(
        evaluate(validated, p, evaluation_date, source=name_shown)
        for p in catalog.programs.values()
    )
    from admitcheck.render import matches

    emit(
        fmt,
        as_json=lambda: matches.matches_json(reports),
        as_markdown=lambda: matches.matches_markdown(reports),
        as_table=lambda: matches.matches_table(reports),
    )
    raise typer.Exit(int(VERDICT_EXIT[reports[0].verdict.value]))


# --------------------------------------------------------------------------- programs


@programs_app.command("list")
@handle_errors
def programs_list(
    rules: RulesOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.table,
) -> None:
    """List the programs in the catalogue."""
    from admitcheck.render import programs as render_programs

    loaded = list(_catalog(rules, no_builtin).programs.values())
    emit(
        fmt,
        as_json=lambda: render_programs.list_json(loaded),
        as_markdown=lambda: render_programs.list_markdown(loaded),
        as_table=lambda: render_programs.list_table(loaded),
    )


@programs_app.command("show")
@handle_errors
def programs_show(
    program_id: Annotated[str, typer.Argument(metavar="ID")],
    rules: RulesOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.table,
) -> None:
    """Show every requirement of one program, with its source."""
    from admitcheck.render import programs as render_programs

    loaded = _catalog(rules, no_builtin).get(program_id)
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
                _stderr().print(Text(str(problem)))
        elif catalog is not None:
            count = len(catalog.programs)
            typer.echo(f"{path}: OK ({count} program{'s' * (count != 1)})")
    if failed:
        raise typer.Exit(int(ExitCode.USAGE))


# --------------------------------------------------------------------------- schema, init, test


@app.command()
@handle_errors
def schema(
    document: Annotated[str, typer.Argument(metavar="profile|programs|report")],
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
        document = ask_profile(_stderr())
    else:
        document = blank_profile()
    write_profile(path, document)
    _stderr().print(f"wrote {path}: fill it in, then run `admitcheck check {path}`")


@app.command("test")
@handle_errors
def test_cases(
    cases: Annotated[
        list[Path], typer.Argument(metavar="CASES...", help="Case files (TOML or JSON).")
    ],
    rules: RulesOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Run a rules author's cases: expected verdict and statuses, like a test runner."""
    from admitcheck.cases import run_case_files

    catalog = _catalog(rules, no_builtin)
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


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # Ctrl-C before a command started: still no traceback
        sys.stderr.write("admitcheck: interrupted\n")
        raise SystemExit(int(ExitCode.INTERRUPTED)) from None
