"""The imperative side of `batch`: inputs, the output file, progress and the summary."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from rich.console import Console, RenderableType
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn
from rich.text import Text

from admitcheck import batch
from admitcheck.catalog import LoadedProgram
from admitcheck.errors import Interrupted, UsageError
from admitcheck.loading import ColumnMap, expand_inputs, iter_records, load_column_map
from admitcheck.render import rows
from admitcheck.vocabulary import BatchFormat, ExitCode, most_serious


@contextlib.contextmanager
def atomic_output(path: Path | None) -> Iterator[IO[bytes]]:
    """Standard output, or a temporary file beside `path` renamed over it on success.

    A failed or interrupted run leaves the old file (or none), never half a file.
    """
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    directory = path.resolve().parent
    if not directory.is_dir():
        raise UsageError(f"{path}: folder {directory} does not exist")
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below on every path
        dir=directory, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    try:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        Path(handle.name).replace(path)
    except BaseException:
        handle.close()
        with contextlib.suppress(OSError):
            Path(handle.name).unlink()
        raise


def check_ids(programs: Sequence[LoadedProgram]) -> tuple[str, ...]:
    """The union of the programs' check ids, in first-seen order (CSV status columns)."""
    seen: dict[str, None] = {}
    for program in programs:
        seen.update(dict.fromkeys(program.explanations))
    return tuple(seen)


@dataclass
class Tally:
    """How far a run got and what it found, chunk by chunk."""

    records: int = 0
    outputs: int = 0
    code: ExitCode = ExitCode.OK
    verdicts: Counter[str] = field(default_factory=Counter)
    blocking: Counter[str] = field(default_factory=Counter)

    def add(self, result: batch.ChunkResult) -> None:
        self.records += result.records
        self.outputs += result.outputs
        self.code = most_serious(self.code, result.exit_code)
        self.verdicts.update(result.verdicts)
        self.blocking.update(result.blocking)


def _captured(renderable: RenderableType, like: Console | None) -> bytes:
    """Render for the output stream: coloured only when it is a terminal."""
    terminal = like is not None and like.is_terminal
    console = Console(
        width=like.width if like is not None else 120,
        highlight=False,
        force_terminal=terminal,
        no_color=not terminal,
    )
    with console.capture() as captured:
        console.print(renderable)
    return captured.get().encode()


def run_batch_command(
    inputs: Sequence[str],
    programs: Sequence[LoadedProgram],
    *,
    fmt: BatchFormat,
    output: Path | None,
    columns: Path | None,
    jobs: int | None,
    as_of: date,
    require_complete: bool,
    err: Console,
) -> ExitCode:
    if list(inputs).count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    files = expand_inputs(inputs)
    column_map = load_column_map(columns) if columns else ColumnMap.identity()
    settings = batch.BatchSettings(
        programs=list(programs),
        as_of=as_of,
        fmt=fmt,
        require_complete=require_complete,
        check_ids=check_ids(programs),
    )
    tally = Tally()
    stdout_console = Console(file=sys.stdout) if output is None else None
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
        with atomic_output(output) as sink, progress or contextlib.nullcontext():
            sink.write(batch.header(settings))

            def on_chunk(result: batch.ChunkResult) -> None:
                if fmt is BatchFormat.json:
                    sink.write(batch.json_chunk_text(result, first=tally.outputs == 0))
                elif fmt is BatchFormat.table:
                    table = rows.rows_table(result.table, header=tally.outputs == 0)
                    sink.write(_captured(table, stdout_console))
                else:
                    sink.write(result.text)
                tally.add(result)
                if progress is not None and task is not None:
                    progress.update(task, completed=tally.records)

            batch.run(
                iter_records(files, column_map), settings, jobs or batch.default_jobs(), on_chunk
            )
            sink.write(batch.footer(settings, wrote_any=tally.outputs > 0))
    except KeyboardInterrupt:
        where = f"; {output} was left unchanged" if output else ""
        raise Interrupted(f"interrupted after {tally.records:,} record(s){where}") from None
    if progress is not None:
        err.print(rows.summary_table(tally.verdicts, tally.blocking, tally.records))
    if tally.records == 0:
        err.print(Text("admitcheck: no records found in the input", style="yellow"))
    return tally.code
