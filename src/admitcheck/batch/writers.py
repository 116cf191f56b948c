"""One writer per batch output format: a header, each chunk encoded in the worker and
written in order by the main process, a footer. Built from the format enum."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import orjson
from rich.console import Console

from admitcheck.models.report import ErrorRecord, Report
from admitcheck.render import rows
from admitcheck.vocabulary import BatchFormat, assert_never

Output = Report | ErrorRecord


@dataclass(frozen=True)
class Writer:
    """JSON Lines: one report per line."""

    check_ids: tuple[str, ...] = ()

    def header(self) -> bytes:
        return b""

    def encode(self, outputs: Sequence[Output]) -> Any:
        """In the worker: a chunk's outputs -> what `write` needs (bytes, or rows)."""
        return b"".join(orjson.dumps(o) + b"\n" for o in outputs)

    def write(self, payload: Any, first: bool, console: Console | None) -> bytes:
        """In the main process: one encoded chunk -> the bytes to write, in input order."""
        return cast(bytes, payload)

    def footer(self, wrote_any: bool) -> bytes:
        return b""


@dataclass(frozen=True)
class JsonArrayWriter(Writer):
    """One JSON array of reports, two-space indented items."""

    def header(self) -> bytes:
        return b"["

    def encode(self, outputs: Sequence[Output]) -> Any:
        return b",\n  ".join(orjson.dumps(o) for o in outputs)

    def write(self, payload: Any, first: bool, console: Console | None) -> bytes:
        if not payload:
            return b""
        return (b"\n  " if first else b",\n  ") + cast(bytes, payload)

    def footer(self, wrote_any: bool) -> bytes:
        return b"\n]\n" if wrote_any else b"]\n"


@dataclass(frozen=True)
class CsvWriter(Writer):
    def header(self) -> bytes:
        return rows.csv_header(self.check_ids).encode()

    def encode(self, outputs: Sequence[Output]) -> Any:
        return rows.csv_rows(outputs, self.check_ids).encode()


@dataclass(frozen=True)
class MarkdownWriter(Writer):
    def header(self) -> bytes:
        return rows.markdown_header().encode()

    def encode(self, outputs: Sequence[Output]) -> Any:
        return rows.markdown_rows(outputs).encode()


@dataclass(frozen=True)
class TableWriter(Writer):
    """A borderless Rich table, rendered chunk by chunk at the output's width."""

    def encode(self, outputs: Sequence[Output]) -> Any:
        return rows.table_rows(outputs)

    def write(self, payload: Any, first: bool, console: Console | None) -> bytes:
        table = rows.rows_table(payload, header=first)
        terminal = console is not None and console.is_terminal
        out = Console(
            width=console.width if console is not None else 120,
            highlight=False,
            force_terminal=terminal,
            no_color=not terminal,
        )
        with out.capture() as captured:
            out.print(table)
        return captured.get().encode()


def writer_for(fmt: BatchFormat, check_ids: tuple[str, ...]) -> Writer:
    if fmt is BatchFormat.jsonl:
        return Writer(check_ids)
    if fmt is BatchFormat.json:
        return JsonArrayWriter(check_ids)
    if fmt is BatchFormat.csv:
        return CsvWriter(check_ids)
    if fmt is BatchFormat.markdown:
        return MarkdownWriter(check_ids)
    if fmt is BatchFormat.table:
        return TableWriter(check_ids)
    assert_never(fmt)
