"""`admitcheck schema`, `init` and `test`."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from admitcheck.cli import options
from admitcheck.cli.app import app, handle_errors
from admitcheck.vocabulary import ExitCode


@app.command()
@handle_errors
def schema(
    document: Annotated[
        str,
        typer.Argument(
            metavar="DOCUMENT",
            help="profile, programs, report, report-compact (batch --format jsonl-compact) "
            "or summary (batch --summary).",
        ),
    ],
) -> None:
    """Print the JSON Schema of a profile, a rules file, a report or a batch summary."""
    from admitcheck.output import open_output, plan, write_all
    from admitcheck.schemas import schema_json

    data = schema_json(document) + b"\n"
    with open_output(plan(None)) as sink:
        write_all(sink, data)


def _ask(question: str) -> str:
    """One answer line. Bytes that are not UTF-8 come back as surrogates (the question is
    asked again); a terminal that went away is the end of input (the answers are kept)."""
    _say(question, end="")
    try:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            line = sys.stdin.readline()
        else:
            line = stream.readline().decode("utf-8", "surrogateescape")
    except (OSError, ValueError):  # EIO after a hangup; a closed stdin
        raise EOFError from None
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def _say(text: str, end: str = "\n") -> None:
    """A question or a message on stderr; a terminal that went away loses it, nothing else."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text + end)
        sys.stderr.flush()


class _StopSignals:
    """Ctrl-C, SIGTERM and SIGHUP (a closed terminal) during the questions. A signal that
    arrives while an answer is awaited stops the questions at once (KeyboardInterrupt,
    which `ask_profile` turns into `Stopped` with the answers given); one that arrives
    anywhere else is only noted, and stops them at the next question: so the answers are
    written whatever arrives when (a hangup comes with an end of input, and twice)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.received: list[int] = []
        self.waiting = False
        self._previous: dict[int, Any] = {}

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        first = not self.received
        self.received.append(signum)
        if first and self.waiting:
            raise KeyboardInterrupt

    def ask(self, question: str) -> str:
        if self.received:
            raise KeyboardInterrupt  # noted while an answer was being checked
        self.waiting = True
        try:
            return _ask(question)
        finally:
            self.waiting = False

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            self._previous = {s: signal.signal(s, self._stop) for s in self.SIGNALS}
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


@app.command()
@handle_errors
def init(
    path: Annotated[
        str,
        typer.Argument(metavar="PATH", help="Where to write the profile; - for standard output."),
    ] = "profile.json",
    interactive: Annotated[
        bool, typer.Option("--interactive", "-i", help="Ask for each fact, checking each answer.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a profile to fill in (or, with --interactive, ask for it)."""
    from datetime import date

    from admitcheck.errors import UsageError
    from admitcheck.inputs.profiles import Screen
    from admitcheck.output import plan, write_file
    from admitcheck.profile_template import Stopped, ask_profile, blank_profile, profile_bytes

    target = plan(path)  # refuse a folder or a missing folder before asking anything
    if target.is_file and target.path is not None and target.path.exists() and not force:
        raise UsageError(f"{path}: exists; use --force to overwrite it")
    shown = "standard output" if target.kind == "stdout" else path
    if interactive:
        if not sys.stdin.isatty() and "ADMITCHECK_FORCE_PROMPTS" not in os.environ:
            raise UsageError("--interactive needs a terminal on standard input")
        catalog = options.catalog(None, False)
        early: Stopped | None = None
        with _StopSignals() as stops:
            try:
                document = ask_profile(stops.ask, _say, Screen(date.today(), catalog.reference))
            except Stopped as stop:
                early, document = stop, stop.document
                _say("")  # end the question's line: the message gets a line of its own
            write_file(path, profile_bytes(document), replace=True)
        message = f"the answers given so far are in {shown}"
        if stops.received:
            # Said here, not through an exception: after a hangup stderr may be gone, and
            # the exit code must still tell how the run ended.
            signum = signal.Signals(stops.received[0])
            what = "interrupted" if signum is signal.SIGINT else f"stopped by {signum.name}"
            _say(f"admitcheck: {what}; {message}")
            raise typer.Exit(128 + signum)
        if early is not None:
            _say(f"admitcheck: stopped early; {message}")
            return
    else:
        write_file(path, profile_bytes(blank_profile()), replace=True)
    if target.kind != "stdout":
        _say(f"wrote {path}: fill it in, then run `admitcheck check {path}`")


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
