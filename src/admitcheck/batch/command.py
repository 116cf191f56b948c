"""The imperative side of `batch`: inputs, the output, progress and the summary."""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn
from rich.text import Text

from admitcheck.batch import pipeline
from admitcheck.batch.writers import writer_for
from admitcheck.catalog import check_ids
from admitcheck.errors import Interrupted, UsageError
from admitcheck.inputs.flat import ColumnMap, load_column_map
from admitcheck.inputs.profiles import Screen
from admitcheck.inputs.records import expand_inputs, iter_records
from admitcheck.models.program import LoadedProgram
from admitcheck.output import open_output
from admitcheck.render import rows
from admitcheck.vocabulary import BatchFormat, ExitCode, most_serious


@dataclass
class Tally:
    """How far a run got and what it found, chunk by chunk."""

    records: int = 0
    outputs: int = 0
    code: ExitCode = ExitCode.OK
    verdicts: Counter[str] = field(default_factory=Counter)
    blocking: Counter[str] = field(default_factory=Counter)

    def add(self, result: pipeline.ChunkResult) -> None:
        self.records += result.records
        self.outputs += result.outputs
        self.code = most_serious(self.code, result.exit_code)
        self.verdicts.update(result.verdicts)
        self.blocking.update(result.blocking)


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
    writer = writer_for(fmt, check_ids(programs))
    screen = Screen(date.today(), programs[0].reference)
    settings = pipeline.BatchSettings(list(programs), as_of, writer, screen, require_complete)
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
        with open_output(output) as sink, progress or contextlib.nullcontext():
            sink.write(writer.header())

            def on_chunk(result: pipeline.ChunkResult) -> None:
                sink.write(writer.write(result.payload, tally.outputs == 0, stdout_console))
                tally.add(result)
                if progress is not None and task is not None:
                    progress.update(task, completed=tally.records)

            pipeline.run(
                iter_records(files, column_map),
                settings,
                jobs or pipeline.default_jobs(),
                on_chunk,
            )
            sink.write(writer.footer(wrote_any=tally.outputs > 0))
    except KeyboardInterrupt:
        where = f"; {output} was left unchanged" if output else ""
        raise Interrupted(f"interrupted after {tally.records:,} record(s){where}") from None
    if progress is not None:
        err.print(rows.summary_table(tally.verdicts, tally.blocking, tally.records))
    if tally.records == 0:
        err.print(Text("admitcheck: no records found in the input", style="yellow"))
    return tally.code
