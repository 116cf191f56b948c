"""The imperative side of `batch`: inputs, the output file, progress and the summary."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from admitcheck import batch
from admitcheck.catalog import LoadedProgram
from admitcheck.errors import UsageError
from admitcheck.loading import ColumnMap, expand_inputs, iter_records, load_column_map
from admitcheck.render.text import VERDICT_STYLES
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


def _summary(verdicts: Counter[str], blocking: Counter[str], records: int) -> Table:
    table = Table(title=f"{records:,} record(s)", title_justify="left", show_edge=False)
    table.add_column("verdict")
    table.add_column("count", justify="right")
    for verdict, count in verdicts.most_common():
        table.add_row(Text(verdict, style=VERDICT_STYLES.get(verdict, "")), f"{count:,}")
    if blocking:
        table.add_row("", "")
        table.add_row(Text("most common blocking checks", style="bold"), "")
        for check_id, count in blocking.most_common(5):
            table.add_row(check_id, f"{count:,}")
    return table


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
    show_progress = err.is_terminal
    verdicts: Counter[str] = Counter()
    blocking: Counter[str] = Counter()
    state = {"records": 0, "outputs": 0, "code": ExitCode.OK}
    table_console = Console(file=sys.stdout, highlight=False) if output is None else None

    progress = None
    task = None
    if show_progress:
        from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn

        progress = Progress(
            SpinnerColumn(),
            "{task.description}",
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        task = progress.add_task("checking", total=None)

    try:
        with atomic_output(output) as sink, progress or contextlib.nullcontext():
            sink.write(batch.header(settings))

            def on_chunk(result: batch.ChunkResult) -> None:
                if fmt is BatchFormat.json:
                    sink.write(batch.json_chunk_text(result, first=state["outputs"] == 0))
                elif fmt is BatchFormat.table:
                    sink.write(_table_text(result.table, table_console, state["outputs"] == 0))
                else:
                    sink.write(result.text)
                state["records"] = int(state["records"]) + result.records
                state["outputs"] = int(state["outputs"]) + result.outputs
                state["code"] = most_serious(ExitCode(state["code"]), result.exit_code)
                verdicts.update(result.verdicts)
                blocking.update(result.blocking)
                if progress is not None and task is not None:
                    progress.update(task, completed=state["records"])

            batch.run(
                iter_records(files, column_map), settings, jobs or batch.default_jobs(), on_chunk
            )
            sink.write(batch.footer(settings, wrote_any=state["outputs"] > 0))
    except KeyboardInterrupt:
        where = f"; {output} was left unchanged" if output else ""
        raise UsageInterrupted(f"interrupted after {state['records']:,} record(s){where}") from None
    if show_progress:
        err.print(_summary(verdicts, blocking, int(state["records"])))
    if state["records"] == 0:
        err.print(Text("admitcheck: no records found in the input", style="yellow"))
    return ExitCode(state["code"])


class UsageInterrupted(UsageError):
    exit_code = ExitCode.INTERRUPTED


def _table_text(rows: list[tuple[str, ...]], console: Console | None, first: bool) -> bytes:
    terminal = console is not None and console.is_terminal
    capture = Console(
        width=console.width if console is not None else 120,
        highlight=False,
        force_terminal=terminal,
        no_color=not terminal,
    )
    table = Table(show_header=first, show_edge=False, box=None, pad_edge=False)
    for name in ("source", "id", "name", "program", "verdict", "blocking or error"):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(
            *[Text(cell) for cell in row[:4]],
            Text(row[4], style=VERDICT_STYLES.get(row[4], "")),
            Text(row[5]),
        )
    with capture.capture() as captured:
        capture.print(table)
    return captured.get().encode()
