"""Batch records: files, folders and standard input -> raw records -> profiles or errors.

The reader (main process) turns inputs into `RawRecord`s; `read_record` (in a worker)
turns each into a `Profile` or a `RecordError`. Nothing raises for bad data, so one bad
record never stops a run and every input record gets exactly one output.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any, NamedTuple

import orjson

from admitcheck.errors import ProfileError, UsageError
from admitcheck.inputs import json_text
from admitcheck.inputs.decoding import (
    MAX_RECORD_BYTES,
    STDIN,
    STDIN_NAME,
    decode,
    in_bytes,
    not_text,
    shown,
)
from admitcheck.inputs.flat import ColumnMap
from admitcheck.inputs.profiles import Screen, summarise, validate_flat, validate_json
from admitcheck.models.profile import Profile
from admitcheck.models.report import RecordError

MAX_CELL_CHARS = 128 * 1024  # one CSV cell (the csv module's own default, made explicit)
MAX_DECOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024  # what one gzip input may expand to
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # what surrogateescape leaves of a bad byte
PROFILE_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv")
GZIP_MAGIC = b"\x1f\x8b"


class RecordKind(Enum):
    JSON = "json"  # bytes of one JSON object not yet checked (a JSONL line)
    PARSED = "parsed"  # re-encoded from a document already parsed strictly
    FLAT = "flat"  # a CSV row by flat field name
    ERROR = "error"  # the reader already knows the record is unreadable: a message


class RawRecord(NamedTuple):
    """A record on its way from the reader to a worker; `kind` says how to read `payload`."""

    source: str
    line: int | None
    index: int | None  # type: ignore[assignment]  # shadows tuple.index, on purpose
    kind: RecordKind
    payload: Any
    ident: tuple[str | None, str | None] = (None, None)  # id and name, when the reader knows

    @property
    def where(self) -> str:
        if self.line is not None:
            return f"{self.source}:{self.line}"
        if self.index is not None:
            return f"{self.source}[{self.index}]"
        return self.source


def read_record(record: RawRecord, screen: Screen) -> Profile | RecordError:
    """Validate one raw record; never raises for bad data."""
    kind = record.kind
    if kind is RecordKind.JSON:
        repeated = json_text.repeated_key(record.payload)
        if repeated is not None:
            return RecordError(record.source, record.line, record.index, repeated)
        result = validate_json(record.payload, screen)
    elif kind is RecordKind.PARSED:
        result = validate_json(record.payload, screen)
    elif kind is RecordKind.FLAT:
        result = validate_flat(record.payload, screen)
    else:
        return RecordError(record.source, record.line, record.index, str(record.payload))
    if isinstance(result, Profile):
        return result
    return RecordError(record.source, record.line, record.index, summarise(result))


def _error(
    source: str,
    line: int | None,
    index: int | None,
    message: str,
    ident: tuple[str | None, str | None] = (None, None),
) -> RawRecord:
    return RawRecord(source, line, index, RecordKind.ERROR, message, ident)


def identity(record: RawRecord) -> tuple[str | None, str | None]:
    """The id and name of a record that could not be validated, where they can be read,
    so that its error record can be joined back to the applicant."""
    if record.kind is RecordKind.ERROR:
        return record.ident
    if record.kind is RecordKind.FLAT:
        row: dict[str, str] = record.payload
        return _text(row.get("id")), _text(row.get("name"))
    try:
        document = orjson.loads(record.payload)
    except orjson.JSONDecodeError:
        return None, None
    if not isinstance(document, dict):
        return None, None
    return _text(document.get("id")), _text(document.get("name"))


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value[:200]
    return None


# --------------------------------------------------------------------------- limits


@dataclass(frozen=True, slots=True)
class Limits:
    """What one input may hold; each is checked before the work it bounds (a line is
    never joined, a cell never held, a stream never inflated past its figure)."""

    record: int = MAX_RECORD_BYTES  # a JSON Lines line, a CSV row, an item of a JSON array
    cell: int = MAX_CELL_CHARS  # one CSV cell, in characters
    decompressed: int = MAX_DECOMPRESSED_BYTES  # what one gzip input may expand to


# --------------------------------------------------------------------------- bytes in


class _Source(io.RawIOBase):
    """The bytes of one input, plain or gunzipped, read so that nothing raises for a
    damaged input: a read error, damaged or truncated gzip data, or more data than the
    decompressed limit ends the bytes, and `broke` says where and why.

    It inflates with zlib directly, one member after another, never more than asked for
    (a gzip bomb costs what is read of it), and counts the compressed bytes consumed so
    that a break can say how much could not be read."""

    def __init__(self, raw: IO[bytes], gzipped: bool, limit: int, size: int | None) -> None:
        super().__init__()
        self._raw = raw
        self._gzipped = gzipped
        self._inflater: Any = zlib.decompressobj(31) if gzipped else None
        self._left = b""  # compressed bytes read and not yet inflated
        self._limit = limit
        self._size = size  # of the compressed file, when it is a regular file
        self.consumed = 0  # bytes read from the file
        self.produced = 0  # bytes handed on
        self.broke: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.broke is not None:
            return 0
        wanted = len(buffer)
        try:
            data = self._inflate(wanted) if self._gzipped else self._read(wanted)
        except OSError as exc:
            self.broke = f"cannot read after byte {self.consumed:,} ({_reason(exc)})"
            return 0
        count = len(data)
        buffer[:count] = data
        self.produced += count
        return count

    def _read(self, wanted: int) -> bytes:
        data = self._raw.read1(wanted) if hasattr(self._raw, "read1") else self._raw.read(wanted)
        self.consumed += len(data)
        return data

    def _inflate(self, wanted: int) -> bytes:
        """Up to `wanted` bytes; at the limit, one more byte is asked for, and if there
        is one the stream stops there."""
        room = self._limit - self.produced
        out = self._inflate_some(min(wanted, room) if room > 0 else 1)
        if out and room <= 0:
            self.broke = (
                f"decompresses to more than {in_bytes(self._limit)}, the most one input "
                f"may expand to: the rest was not read{self._rest(self.consumed)}; split the "
                "file"
            )
            return b""
        return out

    def _inflate_some(self, wanted: int) -> bytes:
        while True:
            if self._inflater is None and not self._next_member():
                return b""
            data = self._left or self._read(1 << 16)
            self._left = b""
            if not data:
                self.broke = (
                    f"the file ends inside its gzip data (cut short after {self.consumed:,} "
                    "bytes): what came before was read, the rest of the data is missing"
                )
                return b""
            try:
                out: bytes = self._inflater.decompress(data, wanted)
            except zlib.error as exc:
                what = (
                    "the gzip checksum does not match (what was read of it may be damaged too)"
                    if "incorrect data check" in str(exc) or "incorrect length" in str(exc)
                    else f"damaged gzip data ({exc})"
                )
                self._damaged(what, self.consumed - len(data))
                return b""
            self._left = self._inflater.unconsumed_tail
            if self._inflater.eof:
                self._left = self._inflater.unused_data
                self._inflater = None
            if out:
                return out

    def _next_member(self) -> bool:
        """After a gzip member: another member, zero padding, the end, or garbage."""
        while True:
            data = self._left or self._read(1 << 16)
            self._left = b""
            if not data:
                return False
            data = data.lstrip(b"\x00")  # gzip allows padding with zero bytes
            if not data:
                continue
            if len(data) < 2 and (more := self._read(1 << 16)):
                self._left = data + more
                continue
            if data[:2] != GZIP_MAGIC:
                self._damaged(
                    "data that is not gzip data after the end of its gzip data",
                    self.consumed - len(data),
                )
                return False
            self._inflater = zlib.decompressobj(31)
            self._left = data
            return True

    def _damaged(self, what: str, at: int) -> None:
        self.broke = (
            f"{what} at about byte {max(0, at):,}: everything before it was read{self._rest(at)}"
        )

    def _rest(self, at: int) -> str:
        if self._size is None:
            return ""
        left = max(0, self._size - at)
        return f", the {left:,} bytes of the file after it were not" if left else ""


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _open(raw: IO[bytes], limits: Limits, size: int | None) -> tuple[io.BufferedReader, _Source]:
    """A buffered reader over a raw input (gunzipped when it starts as gzip does)."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[type-var]
    gzipped = buffered.peek(2)[:2] == GZIP_MAGIC
    source = _Source(buffered, gzipped, limits.decompressed, size)
    return io.BufferedReader(source, 1 << 16), source


# --------------------------------------------------------------------------- CSV


class _RowTooLong(Exception):
    def __init__(self, chars: int, whole: bool) -> None:
        super().__init__(chars)
        self.chars = chars
        self.whole = whole  # the physical line ended (False: skipped to its end)


class _Lines:
    """Physical lines of CSV text for `csv.reader`, with the size of the row being read
    bounded: a row (all its lines) longer than the limit raises `_RowTooLong` out of the
    reader (which starts afresh on the next line), and a line longer than the limit is
    skipped to its end in pieces, never held whole."""

    _SKIP = 1 << 16

    def __init__(self, text: IO[str], limit: int) -> None:
        self._text = text
        self._limit = limit
        self.number = 0  # physical lines read
        self.row = 0  # characters of the row being read, before the current line
        self.ended = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._text.readline(self._limit + 2)
        if not line:
            self.ended = True
            raise StopIteration
        self.number += 1
        body = len(line.rstrip("\r\n"))
        if self.row + body > self._limit:
            whole = line.endswith(("\n", "\r"))
            chars = self.row + len(line)
            while not line.endswith(("\n", "\r")):
                line = self._text.readline(self._SKIP)
                if not line:
                    break
                chars += len(line)
            raise _RowTooLong(chars, whole)
        self.row += len(line)
        return line

    def start_row(self) -> int:
        """Before a row: its first line's number."""
        self.row = 0
        return self.number + 1

    def drain(self) -> int:
        """Read to the end, in pieces; the number of lines that were left."""
        count = 0
        pending = False
        while piece := self._text.readline(self._SKIP):
            pending = not piece.endswith(("\n", "\r"))
            count += not pending
        return count + pending


_CSV_TROUBLE = {
    "line contains NUL": "the row holds a zero byte (NUL); is this a CSV file?",
}


def _csv_rows(
    lines: _Lines, reader: Any, header: list[str] | None, limits: Limits
) -> Iterator[tuple[int, int, list[str] | None, str | None, bool]]:
    """(first line, last line, row, problem or None, stop) for each row; the row is None
    where it could not be read, and `stop` says that nothing after it can be."""
    delimiter = reader.dialect.delimiter
    width = len(header) if header is not None else None
    while True:
        first = lines.start_row()
        ended = lines.ended
        try:
            row = next(reader)
        except StopIteration:
            return
        except _RowTooLong as exc:
            last = lines.number
            span = f"lines {first:,}-{last:,}" if last > first else "the line"
            yield (
                first,
                last,
                None,
                f"a row of {exc.chars:,} characters; one record may hold at most "
                f"{limits.record:,} characters: {span} could not be read",
                False,
            )
            continue
        except csv.Error as exc:
            last = lines.number
            text = str(exc)
            if text.startswith("field larger than field limit"):
                span = (
                    f"lines {first:,}-{last:,} could not be told apart as rows (a quote left open?)"
                    if last > first
                    else "the row could not be read"
                )
                problem = (
                    f"a cell of more than {limits.cell:,} characters, the most one cell "
                    f"may hold: {span}"
                )
            else:
                problem = _CSV_TROUBLE.get(text, f"unreadable CSV row: {text}")
            yield first, last, None, problem, False
            continue
        last = lines.number
        if lines.ended and not ended:
            # The reader met the end of the data inside a quoted cell: the quote that
            # opened it (in the row's last cell) was never closed.
            yield (
                first,
                last,
                row[:-1],  # the cells before the quote: the id and name, where they are
                f"a quote opened in {_cell(header, len(row))} is never closed: the "
                f"{last - first + 1:,} line(s) from here to the end of the file could not be "
                "read as rows",
                True,
            )
            return
        if last > first and width is not None:
            swallowed = _swallowed(row, width, delimiter)
            if swallowed is not None:
                yield (
                    first,
                    last,
                    row[: swallowed - 1],
                    f"lines {first:,}-{last:,} read as one row: the quote opened in "
                    f"{_cell(header, swallowed)} closes only on line {last:,}, so the "
                    f"{last - first:,} line(s) after this one could not be told apart as rows "
                    "(a quote left open?)",
                    False,
                )
                continue
        yield first, last, row, None, False


def _cell(header: list[str] | None, number: int) -> str:
    """'column 'name'' for the 1-based cell `number` of a row, or 'cell 40' past the
    header."""
    if header is not None and 0 < number <= len(header):
        return f"column '{shown(header[number - 1][:100])}'"
    return f"cell {number}"


def _swallowed(row: list[str], width: int, delimiter: str) -> int | None:
    """The cell (1-based) of a row read across lines that holds what look like rows of
    the file (a line of as many delimiters as a row has), or None: a cell may hold line
    breaks, but not whole rows."""
    needed = max(1, width - 1)
    for number, cell in enumerate(row, start=1):
        if "\n" in cell or "\r" in cell:
            rest = cell.splitlines()[1:]
            if len(row) != width or any(line.count(delimiter) >= needed for line in rest):
                return number
    return None if len(row) == width else 1


def _csv_records(
    text: IO[str],
    name: str,
    columns: ColumnMap,
    limits: Limits | None = None,
    broke: Callable[[], str | None] = lambda: None,
) -> Iterator[RawRecord]:
    """Rows to records; `broke` says, once the text has ended, whether it broke off."""
    limits = limits or Limits()
    csv.field_size_limit(limits.cell)
    lines = _Lines(text, limits.record)
    reader = columns.table(lines)  # the export's delimiter, named or sniffed
    rows = _csv_rows(lines, reader, None, limits)
    found = next(rows, None)
    if found is None:
        return
    _, last, header, problem, _ = found
    if header is None or problem is not None:
        left = lines.drain()
        yield _error(
            name,
            1,
            None,
            f"line 1: unreadable CSV header ({broke() or problem}); without a header no row "
            f"can be read: the {last + left:,} line(s) of the file were not read",
        )
        return
    header = [h.strip() for h in header]
    width = len(header)
    targets, problems, is_table = columns.targets(header)
    problems = shown(problems) if problems else None  # header text, escaped as file names are
    if not is_table:  # not a table of profiles at all: one error, not one per row
        left = lines.drain()
        yield _error(
            name,
            1,
            None,
            f"line 1: {problems}; none of the {left:,} line(s) after it was read",
        )
        return
    header_error = _header_problems(header, problems)
    rows = _csv_rows(lines, reader, header, limits)
    for line, _, row, problem, stop in rows:
        if row is None or problem is not None:
            if stop and broke() is not None:  # the quote is open because the data broke off
                problem = f"the row is cut off where the data breaks: {broke()}"
            ident = _row_identity(row, targets) if row else (None, None)
            yield _error(name, line, None, problem or "unreadable CSV row", ident)
            if stop:
                return
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        ident = _row_identity(row, targets)
        if header_error:
            yield _error(name, line, None, header_error, ident)
            continue
        if len(row) != width:
            yield _error(
                name, line, None, f"expected {width} cells as in the header, got {len(row)}", ident
            )
            continue
        undecodable = [header[i] for i, cell in enumerate(row) if _NOT_UTF8.search(cell)]
        if undecodable:
            yield _error(
                name,
                line,
                None,
                f"not UTF-8 text in column(s) {_listed(undecodable)}; save the file as UTF-8",
                ident,
            )
            continue
        flat: dict[str, str] = dict(columns.constants)
        for column_name, value in zip(targets, row, strict=True):
            if column_name is not None and value.strip():
                flat[column_name] = value
        flat, unreadable = columns.read(flat)  # value maps, decimal mark, dates
        if unreadable:
            yield _error(name, line, None, "; ".join(unreadable), ident)
            continue
        yield RawRecord(name, line, None, RecordKind.FLAT, flat)
    if broke() is not None:
        yield _error(name, lines.number + 1, None, f"the data breaks here: {broke()}")


_LISTED = 5  # names a message lists before 'and N more'


def _listed(names: Sequence[str]) -> str:
    shown_names = ", ".join(shown(n) for n in names[:_LISTED])
    more = len(names) - _LISTED
    return f"{shown_names} and {more:,} more" if more > 0 else shown_names


def _header_problems(header: list[str], mapping: str | None) -> str | None:
    """What is wrong with a header, in one line of bounded length: text that is not UTF-8,
    and what the column map found (`ColumnMap.targets`)."""
    problems: list[str] = []
    undecodable = [h for h in header if _NOT_UTF8.search(h)]
    if undecodable:
        problems.append(
            f"the header is not UTF-8 text (column(s) {_listed(undecodable)}); save the file "
            "as UTF-8"
        )
    if mapping:
        problems.append(mapping)
    return f"line 1: {'; '.join(problems)}" if problems else None


def _row_identity(row: list[str], targets: list[str | None]) -> tuple[str | None, str | None]:
    cells = dict(zip(targets, row, strict=False))
    id_cell, name_cell = cells.get("id"), cells.get("name")
    return (
        None if id_cell is None or _NOT_UTF8.search(id_cell) else _text(id_cell.strip()),
        None if name_cell is None or _NOT_UTF8.search(name_cell) else _text(name_cell.strip()),
    )


def _csv_work(
    stream: io.BufferedReader,
    source: _Source,
    name: str,
    columns: ColumnMap,
    limits: Limits,
    chunk: int,
    block: int,
) -> Iterator[Work]:
    # Bytes that are not UTF-8 survive decoding as lone surrogates, so the one row
    # holding them becomes an error record instead of ending the file.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    rows = _csv_records(text, name, columns, limits, lambda: source.broke)
    yield from _chunks(rows, chunk, block)


# --------------------------------------------------------------------------- JSON Lines


def _jsonl_records(lines: Iterable[bytes], name: str, start: int = 1) -> Iterator[RawRecord]:
    for number, raw in enumerate(lines, start=start):
        line = raw.strip()
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if line:
            yield RawRecord(name, number, None, RecordKind.JSON, line)


@dataclass(frozen=True, slots=True)
class Block:
    """JSON Lines text cut at a line end, read into records where it is processed: a
    block crosses to a worker as one bytes object, never as a record at a time."""

    source: str
    first_line: int
    data: bytes

    def records(self) -> Iterator[RawRecord]:
        lines = self.data.split(b"\n")
        if lines and not lines[-1]:
            lines.pop()
        return _jsonl_records(lines, self.source, self.first_line)


# What a worker gets: a block of JSON Lines, or records the reader has already cut.
Work = Block | list[RawRecord]


def _body(line: bytes) -> int:
    """The length of a line without its line ending."""
    end = len(line)
    if line.endswith(b"\n"):
        end -= 1
        if line.endswith(b"\r\n"):
            end -= 1
    return end


def _jsonl_work(
    stream: io.BufferedReader,
    source: _Source,
    name: str,
    limits: Limits,
    block: int,
    head: bytes = b"",
) -> Iterator[Work]:
    """JSON Lines in blocks of about `block` bytes cut after a newline, each with the
    number of its first line (`head`: bytes already read from the stream). A line
    longer than the record limit is never joined: it is read on to its end in pieces
    and becomes one error record."""
    limit = limits.record
    block = max(1, min(block, limit))  # so that a line wholly inside one read fits the limit
    pieces = itertools.chain(
        (head[i : i + block] for i in range(0, len(head), block)),
        iter(functools.partial(stream.read, block), b""),
    )
    line = 1
    rest = b""  # the start of a line not yet ended, at most `limit + 1` bytes
    skipping: int | None = None  # the length so far of a long line being read past
    for piece in pieces:
        data = piece
        if skipping is not None:
            end = data.find(b"\n")
            if end < 0:
                skipping += len(data)
                continue
            length = skipping + _body(data[: end + 1])
            yield [_error(name, line, None, _too_long(length, limits))]
            line += 1
            skipping = None
            data = data[end + 1 :]
        elif rest:
            end = data.find(b"\n")
            if end < 0:
                if len(rest) + len(data) > limit + 1:  # too long, whatever ends it
                    skipping, rest = len(rest) + len(data), b""
                else:
                    rest += data
                continue
            length = _body(rest + data[: end + 1])
            if length > limit:
                yield [_error(name, line, None, _too_long(length, limits))]
                line += 1
                data = data[end + 1 :]
            else:
                data = rest + data
            rest = b""
        cut = data.rfind(b"\n") + 1
        if cut:
            yield Block(name, line, data[:cut])
            line += data.count(b"\n", 0, cut)
        rest = data[cut:]
        if len(rest) > limit + 1:
            skipping, rest = len(rest), b""
    broke = source.broke
    if skipping is not None:
        message = _too_long(skipping, limits)
        yield [_error(name, line, None, f"{message}; {broke}" if broke else message)]
    elif rest and broke is None:
        if _body(rest) > limit:
            yield [_error(name, line, None, _too_long(_body(rest), limits))]
        else:
            yield Block(name, line, rest)
    elif broke is not None:
        where = "the line is cut off where the data breaks" if rest else "the data breaks here"
        yield [_error(name, line, None, f"{where}: {broke}")]


def _too_long(length: int, limits: Limits) -> str:
    return (
        f"a line of {length:,} bytes; one record may hold at most {in_bytes(limits.record)}, so "
        "it was not read"
    )


# --------------------------------------------------------------------------- JSON


def _json_work(
    stream: io.BufferedReader,
    source: _Source,
    name: str,
    limits: Limits,
    chunk: int,
    block: int,
) -> Iterator[Work]:
    """A JSON document: an array of objects (its items cut one at a time, never the
    whole array parsed), one object (of at most one record's size), or JSON Lines."""
    first = _first_byte(stream)
    if first == b"[":
        yield from _chunks(_array_records(stream, source, name, limits, block), chunk, block)
        return
    head = b""
    if first == b"{":
        head = stream.readline(limits.record + 2)
        whole = head.endswith(b"\n") and json_text.closes(head)
        if (whole and _first_byte(stream)) or len(head) > limits.record + 1:
            # A whole object on its first line and more after it, or a first line too
            # long for one record: JSON Lines, whose bad lines are error records.
            yield from _jsonl_work(stream, source, name, limits, block, head)
            return
    document = head + stream.read(limits.record + 1 - len(head))
    if len(document) > limits.record:
        if json_text.looks_like_lines(document):
            yield from _jsonl_work(stream, source, name, limits, block, document)
            return
        yield [
            _error(
                name,
                None,
                None,
                f"a JSON document of more than {in_bytes(limits.record)} that is not an "
                "array: one profile may hold at most that; write many profiles as a JSON "
                "array or as JSON Lines (one per line)",
            )
        ]
        return
    if source.broke is not None:
        yield [_error(name, None, None, f"cannot read it whole: {source.broke}")]
        return
    try:
        parsed = json_text.parse(decode(document, name), name)
    except ProfileError as exc:
        if "Extra data" in exc.message or json_text.looks_like_lines(document):
            # One object per line in a .json file: JSON Lines, read as such.
            yield from _jsonl_work(stream, source, name, limits, block, document)
            return
        yield [_error(name, None, None, exc.message.removeprefix(f"{name}: "))]
        return
    if isinstance(parsed, dict):
        yield [RawRecord(name, None, None, RecordKind.PARSED, json_text.to_json(parsed))]
    else:
        yield [
            _error(
                name,
                None,
                None,
                f"expected a JSON object or array of objects, got {type(parsed).__name__}",
            )
        ]


def _array_records(
    stream: io.BufferedReader, source: _Source, name: str, limits: Limits, block: int
) -> Iterator[RawRecord]:
    items = json_text.Items(stream.read, limits.record, block)
    for index, item, problem in items:
        if item is None:
            yield _error(name, None, index, problem or "unreadable item")
        else:
            yield RawRecord(name, None, index, RecordKind.JSON, item)
    if items.cut is not None:
        index, size = items.cut
        what = source.broke or "is the file cut short?"
        yield _error(
            name,
            None,
            index,
            f"the data ends inside the JSON array, {size:,} bytes into an item: {what}",
        )
    elif source.broke is not None:
        yield _error(name, None, None, source.broke)
    if items.trailing:
        yield _error(
            name,
            None,
            None,
            "more data after the end of the JSON array (one array per file); it was not read",
        )


def _first_byte(stream: io.BufferedReader) -> bytes:
    """The first byte that is not white space (or a BOM), not consumed; b"" if none
    within the first 64 KiB."""
    head = stream.peek(1 << 16)
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return stripped[:1]


# --------------------------------------------------------------------------- inputs


def _suffix(path: Path) -> str:
    """'.jsonl' for a.jsonl and a.jsonl.gz."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        return suffixes[0] if len(suffixes) == 2 else ""
    return suffixes[-1] if suffixes else ""


def _input_work(
    stream: io.BufferedReader,
    source: _Source,
    name: str,
    kind: str,
    columns: ColumnMap,
    limits: Limits,
    chunk: int,
    block: int,
) -> Iterator[Work]:
    refused = not_text(stream.peek(8192)[:8192])
    if refused is not None:
        yield [_error(name, None, None, f"{refused}: nothing in it was read")]
        return
    if kind == "jsonl":
        yield from _jsonl_work(stream, source, name, limits, block)
    elif kind == "csv":
        yield from _csv_work(stream, source, name, columns, limits, chunk, block)
    elif kind == "json":
        yield from _json_work(stream, source, name, limits, chunk, block)
    else:  # standard input: told apart by its first byte
        first = _first_byte(stream)
        if first in (b"[", b"{"):
            yield from _json_work(stream, source, name, limits, chunk, block)
        else:
            yield from _csv_work(stream, source, name, columns, limits, chunk, block)


_KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


def _file_work(
    path: Path, columns: ColumnMap, chunk: int, block: int, limits: Limits
) -> Iterator[Work]:
    name = shown(str(path))
    try:
        with path.open("rb") as raw:
            size = os.fstat(raw.fileno()).st_size
            stream, source = _open(raw, limits, size)
            yield from _input_work(
                stream,
                source,
                name,
                _KINDS.get(_suffix(path), "json"),
                columns,
                limits,
                chunk,
                block,
            )
    except OSError as exc:
        yield [_error(name, None, None, f"cannot read ({_reason(exc)})")]


def _stdin_work(columns: ColumnMap, chunk: int, block: int, limits: Limits) -> Iterator[Work]:
    """Standard input: a JSON array or object, JSON Lines, or CSV, told apart by its
    first byte; gzip-compressed or not."""
    try:
        stream, source = _open(sys.stdin.buffer, limits, None)
        yield from _input_work(stream, source, STDIN_NAME, "stdin", columns, limits, chunk, block)
    except OSError as exc:
        yield [_error(STDIN_NAME, None, None, f"cannot read ({_reason(exc)})")]


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Files and folders (their profiles, sorted) in the order given; checked up front."""
    found: list[str] = []
    for item in inputs:
        if item == STDIN:
            found.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            members = sorted(
                str(p) for p in path.iterdir() if p.is_file() and _suffix(p) in PROFILE_SUFFIXES
            )
            if not members:
                raise UsageError(
                    f"{item}: folder holds no *.json, *.jsonl or *.csv files (or .gz of them)"
                )
            found.extend(members)
        elif path.is_file():
            found.append(item)
        elif not path.exists():
            raise UsageError(f"{item}: no such file or folder")
        else:
            raise UsageError(f"{item}: not a regular file or folder")
    return found


def _chunks(
    records: Iterable[RawRecord], size: int, budget: int = 1 << 18
) -> Iterator[list[RawRecord]]:
    """Records in lists of at most `size` records and about `budget` bytes (a record of
    up to the record limit is never split), so that what is in flight stays small."""
    chunk: list[RawRecord] = []
    weight = 0
    for record in records:
        chunk.append(record)
        weight += _weight(record.payload)
        if len(chunk) >= size or weight >= budget:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def _weight(payload: Any) -> int:
    if isinstance(payload, dict):
        return sum(len(value) for value in payload.values()) + 8 * len(payload)
    return len(payload) if isinstance(payload, (bytes, str)) else 64


CHUNK_RECORDS = 500  # records the reader cuts per chunk (CSV, JSON documents)
BLOCK_BYTES = 1 << 18  # bytes of JSON Lines per block (~500 typical profiles)


def iter_work(
    inputs: Sequence[str],
    columns: ColumnMap,
    chunk: int = CHUNK_RECORDS,
    block: int = BLOCK_BYTES,
    limits: Limits | None = None,
) -> Iterator[Work]:
    """Every input's records in order, as blocks or chunks for the workers."""
    limits = limits or Limits()
    for item in inputs:
        if item == STDIN:
            yield from _stdin_work(columns, chunk, block, limits)
        else:
            yield from _file_work(Path(item), columns, chunk, block, limits)


def records_of(work: Work) -> Iterator[RawRecord]:
    return work.records() if isinstance(work, Block) else iter(work)
