"""One writer per batch output format: a header, each chunk encoded in the worker and
written in order by the main process, a footer. Built from the format enum.

A chunk crosses back from the worker as one bytes object with the offsets where its
records end (`Lines`): one object to pass, not thousands. The main process writes it
whole, and counts its records once written, so an interrupted run can say exactly how
many records it delivered.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from rich.console import Console

from admitcheck.models.report import CompactReport, ErrorRecord, Report
from admitcheck.render import rows
from admitcheck.vocabulary import BatchFormat, assert_never

Output = Report | ErrorRecord
Piece = tuple[bytes, int]  # bytes to write, and how many records they complete


@dataclass(frozen=True, slots=True)
class Lines:
    """A chunk's records, encoded one after another: `ends[i]` is where record i ends."""

    data: bytes
    ends: array[int]

    @classmethod
    def of(cls, items: Sequence[bytes]) -> Lines:
        return cls(b"".join(items), array("Q", itertools.accumulate(map(len, items))))


@dataclass(frozen=True)
class Writer:
    """JSON Lines: one report per line."""

    check_ids: tuple[str, ...] = ()
    # Whether a chunk's output is compact report lines, which the screener writes itself
    # (`pipeline.screen_chunk`) without building reports.
    screens = False

    def header(self) -> bytes:
        return b""

    def encode(self, outputs: Sequence[Output]) -> Any:
        """In the worker: a chunk's outputs -> what `pieces` needs."""
        return Lines.of([orjson.dumps(o) + b"\n" for o in outputs])

    def pieces(self, payload: Any, first: bool, console: Console | None) -> list[Piece]:
        """In the main process: one encoded chunk -> what to write, in input order."""
        lines: Lines = payload
        return [(lines.data, len(lines.ends))]

    def footer(self, wrote_any: bool) -> bytes:
        return b""


@dataclass(frozen=True)
class CompactWriter(Writer):
    """JSON Lines of compact reports: verdict, statuses and shortfalls."""

    screens = True

    def encode(self, outputs: Sequence[Output]) -> Any:
        return Lines.of(
            [
                orjson.dumps(CompactReport.of(o) if isinstance(o, Report) else o) + b"\n"
                for o in outputs
            ]
        )


@dataclass(frozen=True)
class JsonArrayWriter(Writer):
    """One JSON array of reports, two-space indented items."""

    def header(self) -> bytes:
        return b"["

    def encode(self, outputs: Sequence[Output]) -> Any:
        return [orjson.dumps(o) for o in outputs]

    def pieces(self, payload: Any, first: bool, console: Console | None) -> list[Piece]:
        items = [
            (b"\n  " if first and index == 0 else b",\n  ") + item
            for index, item in enumerate(payload)
        ]
        return [(b"".join(items), len(items))]

    def footer(self, wrote_any: bool) -> bytes:
        return b"\n]\n" if wrote_any else b"]\n"


@dataclass(frozen=True)
class CsvWriter(Writer):
    detail: bool = False  # actual value and shortfall beside each status

    def header(self) -> bytes:
        return rows.csv_header(self.check_ids, detail=self.detail).encode()

    def encode(self, outputs: Sequence[Output]) -> Any:
        return Lines.of(
            [rows.csv_rows([o], self.check_ids, detail=self.detail).encode() for o in outputs]
        )


@dataclass(frozen=True)
class MarkdownWriter(Writer):
    def header(self) -> bytes:
        return rows.markdown_header().encode()

    def encode(self, outputs: Sequence[Output]) -> Any:
        return Lines.of([rows.markdown_rows([o]).encode() for o in outputs])


@dataclass(frozen=True)
class TableWriter(Writer):
    """A borderless Rich table, rendered chunk by chunk at the output's width."""

    def encode(self, outputs: Sequence[Output]) -> Any:
        return rows.table_rows(outputs)

    def pieces(self, payload: Any, first: bool, console: Console | None) -> list[Piece]:
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
        return [(captured.get().encode(), len(payload))]


@dataclass(frozen=True)
class WideWriter(Writer):
    """CSV, one row per applicant and one column per program (its verdict), with the
    checks that block each program: the sheet a counsellor sends. A record's outputs
    arrive together, one per program, in the run's program order."""

    programs: tuple[str, ...] = ()

    def header(self) -> bytes:
        return rows.wide_header(self.programs).encode()

    def encode(self, outputs: Sequence[Output]) -> Any:
        width = len(self.programs) or 1
        return Lines.of(
            [
                rows.wide_row(outputs[start : start + width]).encode()
                for start in range(0, len(outputs), width)
            ]
        )


def writer_for(
    fmt: BatchFormat,
    check_ids: tuple[str, ...],
    csv_detail: bool = False,
    programs: tuple[str, ...] = (),
) -> Writer:
    if fmt is BatchFormat.jsonl:
        return Writer(check_ids)
    if fmt is BatchFormat.jsonl_compact:
        return CompactWriter(check_ids)
    if fmt is BatchFormat.json:
        return JsonArrayWriter(check_ids)
    if fmt is BatchFormat.csv:
        return CsvWriter(check_ids, detail=csv_detail)
    if fmt is BatchFormat.markdown:
        return MarkdownWriter(check_ids)
    if fmt is BatchFormat.table:
        return TableWriter(check_ids)
    if fmt is BatchFormat.wide:
        return WideWriter(check_ids, programs)
    assert_never(fmt)
