"""The imperative side of `batch`: inputs, the output, signals, progress and the summary."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from types import FrameType
from typing import IO

from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn
from rich.text import Text

from admitcheck.batch import pipeline
from admitcheck.batch.summary import Tally, summary_json
from admitcheck.batch.writers import writer_for
from admitcheck.catalog import check_ids
from admitcheck.errors import Interrupted, UsageError, WorkersFailed
from admitcheck.inputs.flat import ColumnMap, load_column_map
from admitcheck.inputs.profiles import Screen
from admitcheck.inputs.records import Limits, expand_inputs, iter_work
from admitcheck.models.program import LoadedProgram
from admitcheck.output import Target, open_output, plan, write_all, write_file
from admitcheck.render import rows
from admitcheck.vocabulary import BatchFormat, ExitCode

# The format an output file's name asks for, when --format is not given.
SUFFIX_FORMATS = {
    ".jsonl": BatchFormat.jsonl,
    ".ndjson": BatchFormat.jsonl,
    ".json": BatchFormat.json,
    ".csv": BatchFormat.csv,
    ".md": BatchFormat.markdown,
    ".markdown": BatchFormat.markdown,
    ".txt": BatchFormat.table,
}


def output_format(fmt: BatchFormat | None, output: str | None) -> BatchFormat:
    """--format, or the one the output file's extension names; a mismatch is refused."""
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    named = SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        return named or BatchFormat.jsonl
    lines = (BatchFormat.json, BatchFormat.jsonl_compact)  # a .jsonl file may hold these
    csv_like = named is BatchFormat.csv and fmt is BatchFormat.wide  # a wide sheet is CSV
    if (
        named is not None
        and named is not fmt
        and not (named is BatchFormat.jsonl and fmt in lines)
        and not csv_like
    ):
        raise UsageError(
            f"--format {fmt.value} does not match the output file {output} ({named.value}); "
            "change one of them"
        )
    return fmt


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, stopping the run like Ctrl-C does."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


_EXIT_OF_SIGNAL = {
    signal.SIGINT: ExitCode.INTERRUPTED,
    signal.SIGTERM: ExitCode.TERMINATED,
    signal.SIGHUP: ExitCode.HANGUP,
}


class _Stopper:
    """Ctrl-C, SIGTERM and SIGHUP stop the run the same way: `Stopped` is raised in the
    main thread, the workers are ended, no partial file is left.

    While a chunk is being written the stop waits until the chunk is written whole, so
    that a reader gets whole records and the count said is exact; a second signal then
    stops at once (a reader that stopped reading must not hold the run forever)."""

    def __init__(self) -> None:
        self.writing = False
        self.pending: int | None = None

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.writing and self.pending is None:
            self.pending = signum
            return
        raise Stopped(signum)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        previous = {s: signal.signal(s, self.handle) for s in signals}
        try:
            yield
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def write_whole(self, sink: IO[bytes], data: bytes) -> None:
        """Write a chunk; a stop signal meanwhile waits for `stop_if_asked`."""
        self.writing = True
        try:
            write_all(sink, data)
        finally:
            self.writing = False

    def stop_if_asked(self) -> None:
        if self.pending is not None:
            raise Stopped(self.pending)


def _quiet_stdout() -> None:
    """After an interruption, standard output may be a pipe its reader closed: point it at
    /dev/null so that flushing it at exit cannot print a traceback."""
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _how_far(outputs: int, target: Target) -> str:
    """'after 1,500 output record(s) were written; out.csv was left unchanged'."""
    where = ""
    if target.is_file and target.path is not None:
        left = "left unchanged" if target.path.exists() else "not written"
        where = f"; {target.shown} was {left}"
    return f"after {outputs:,} output record(s) were written{where}"


def run_batch_command(
    inputs: Sequence[str],
    programs: Sequence[LoadedProgram],
    *,
    fmt: BatchFormat | None,
    output: str | None,
    columns: Path | None,
    jobs: int | None,
    as_of: date,
    require_complete: bool,
    err: Console,
    csv_detail: bool = False,
    summary: str | None = None,
    courses_complete: bool = False,
    delimiter: str | None = None,
    limits: Limits | None = None,
) -> ExitCode:
    if list(inputs).count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    files = expand_inputs(inputs)
    chosen_format = output_format(fmt, output)
    if csv_detail and chosen_format is not BatchFormat.csv:
        raise UsageError(f"--csv-detail is for CSV output, not {chosen_format.value}")
    target = plan(output, files)
    summary_target = plan(summary, files) if summary is not None else None
    if summary_target is not None and summary_target.kind == "stdout":
        raise UsageError("--summary needs a file name (standard output holds the records)")
    if (
        summary_target is not None
        and target.path is not None
        and summary_target.path is not None
        and summary_target.path.resolve() == target.path.resolve()
    ):
        raise UsageError("--summary and --output name the same file")
    column_map = load_column_map(columns) if columns else ColumnMap.identity()
    column_map = column_map.with_delimiter(delimiter)
    order = check_ids(programs)
    writer = writer_for(
        chosen_format, order, csv_detail=csv_detail, programs=tuple(p.ref.id for p in programs)
    )
    screen = Screen(date.today(), programs[0].reference)
    settings = pipeline.BatchSettings(
        list(programs),
        as_of,
        writer,
        screen,
        require_complete,
        tallies=summary is not None or err.is_terminal,
        courses_complete=courses_complete,
    )
    tally = Tally()
    stopper = _Stopper()
    stdout_console = Console(file=sys.stdout) if target.kind == "stdout" else None
    progress: Progress | None = None
    if err.is_terminal:  # progress and summary are for people watching, never for pipes
        progress = Progress(
            SpinnerColumn(),
            "{task.description}",
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
    task = progress.add_task("checking", total=None) if progress is not None else None

    try:
        with (
            stopper.installed(),
            open_output(target) as sink,
            progress or contextlib.nullcontext(),
        ):
            sink.write(writer.header())

            def on_chunk(result: pipeline.ChunkResult) -> None:
                first = tally.outputs == 0
                for piece, count in writer.pieces(result.payload, first, stdout_console):
                    stopper.write_whole(sink, piece)
                    tally.outputs += count
                    stopper.stop_if_asked()
                for repeat in tally.add(result):
                    err.print(
                        Text(
                            f"admitcheck: warning: applicant id {repeat.id!r} repeats "
                            f"({repeat.first}, again at {repeat.again})",
                            style="yellow",
                        ),
                        soft_wrap=True,
                    )
                if progress is not None and task is not None:
                    progress.update(task, completed=tally.records)

            def warn(message: str) -> None:
                err.print(Text(f"admitcheck: warning: {message}", style="yellow"), soft_wrap=True)

            pipeline.run(
                iter_work(files, column_map, limits=limits),
                settings,
                jobs or pipeline.default_jobs(),
                on_chunk,
                warn,
            )
            sink.write(writer.footer(wrote_any=tally.outputs > 0))
    except WorkersFailed as exc:
        raise WorkersFailed(f"{exc.message}; {_how_far(tally.outputs, target)}") from None
    except KeyboardInterrupt as exc:
        signum = exc.signum if isinstance(exc, Stopped) else signal.SIGINT
        if target.kind == "stdout":
            _quiet_stdout()
        what = (
            "interrupted"
            if signum == signal.SIGINT
            else f"stopped by {signal.Signals(signum).name}"
        )
        raise Interrupted(
            f"{what} {_how_far(tally.outputs, target)}",
            code=_EXIT_OF_SIGNAL.get(signal.Signals(signum), ExitCode.INTERRUPTED),
        ) from None
    left_out = list(dict.fromkeys(i for p in programs for i in p.left_out))
    if tally.repeated > len(tally.repeats):
        err.print(
            Text(
                f"admitcheck: warning: {tally.repeated:,} records repeat an earlier applicant "
                f"id; the first {len(tally.repeats)} are named above"
                + (f" and in {summary}" if summary else ""),
                style="yellow",
            ),
            soft_wrap=True,
        )
    if summary_target is not None:
        found = tally.summary([p.ref.id for p in programs], as_of.isoformat(), order, left_out)
        if summary_target.shown.lower().endswith((".html", ".htm")):
            from admitcheck.render.html import document

            data = document(rows.summary_document(found), "admitcheck batch summary")
        else:
            data = summary_json(found)
        write_file(summary_target.shown, data, replace=True)
    if progress is not None:
        err.print(rows.summary_table(tally.verdicts, tally.blocking, tally.records, tally.on_pages))
        if len(programs) > 1:
            ids = [p.ref.id for p in programs]
            err.print(rows.programs_table([tally.program_summary(i) for i in ids]))
        if left_out:
            err.print(Text(f"checks left out (--checks): {', '.join(left_out)}", style="dim"))
    if tally.records == 0:
        err.print(Text("admitcheck: no records found in the input", style="yellow"))
    return tally.code
