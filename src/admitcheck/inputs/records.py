"""Batch records: files, folders and standard input -> raw records -> profiles or errors.

The reader (main process) turns inputs into `RawRecord`s; `read_record` (in a worker)
turns each into a `Profile` or a `RecordError`. Nothing raises for bad data, so one bad
record never stops a run and every input record gets exactly one output.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import itertools
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any, NamedTuple

import orjson

from admitcheck.errors import ProfileError, UsageError
from admitcheck.inputs import json_text
from admitcheck.inputs.decoding import STDIN, STDIN_NAME, decode
from admitcheck.inputs.flat import ColumnMap
from admitcheck.inputs.profiles import Screen, summarise, validate_flat, validate_json
from admitcheck.models.profile import Profile
from admitcheck.models.report import RecordError

MAX_JSON_FILE_BYTES = 256 * 1024 * 1024
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # what surrogateescape leaves of a bad byte
PROFILE_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv")
GZIP_MAGIC = b"\x1f\x8b"
Readable = IO[bytes] | gzip.GzipFile


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


# --------------------------------------------------------------------------- readers


def _csv_records(lines: Iterable[str], name: str, columns: ColumnMap) -> Iterator[RawRecord]:
    reader = columns.table(lines)  # the export's delimiter, named or sniffed
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield _error(name, 1, None, f"line 1: unreadable CSV header: {exc}")
        return
    header = [h.strip() for h in header]
    targets, problems, is_table = columns.targets(header)
    if not is_table:  # not a table of profiles at all: one error, not one per row
        yield _error(name, 1, None, f"line 1: {problems}; {_unread(reader)}")
        return
    header_error = f"line 1: {problems}" if problems else None
    width = len(header)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield _error(name, reader.line_num, None, f"unreadable CSV row: {exc}")
            continue
        line = reader.line_num
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
                f"not UTF-8 text in column(s) {', '.join(undecodable)}; save the file as UTF-8",
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


def _unread(reader: Any) -> str:
    """How many rows are left unread, in words (the reader is read to its end)."""
    rows = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            rows += 1
            continue
        if row and (len(row) > 1 or row[0].strip()):
            rows += 1
    return f"none of its {rows} row{'s' * (rows != 1)} was read" if rows else "it has no rows"


def _row_identity(row: list[str], targets: list[str | None]) -> tuple[str | None, str | None]:
    cells = dict(zip(targets, row, strict=False))
    id_cell, name_cell = cells.get("id"), cells.get("name")
    return (
        None if id_cell is None or _NOT_UTF8.search(id_cell) else _text(id_cell.strip()),
        None if name_cell is None or _NOT_UTF8.search(name_cell) else _text(name_cell.strip()),
    )


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


def _jsonl_blocks(stream: Readable, name: str, size: int, head: bytes = b"") -> Iterator[Block]:
    """`head` (bytes already read from the stream) and the rest, in blocks of about
    `size` bytes cut after a newline, each with the number of its first line."""
    line = 1
    rest = head
    while data := stream.read(size):
        data = rest + data if rest else data
        cut = data.rfind(b"\n") + 1
        if not cut:  # a line longer than a block: keep reading until it ends
            rest = data
            continue
        yield Block(name, line, data[:cut])
        line += data.count(b"\n", 0, cut)
        rest = data[cut:]
    if rest:
        yield Block(name, line, rest)


def _json_document_records(data: bytes, name: str) -> Iterator[RawRecord]:
    try:
        document = json_text.parse(decode(data, name), name)
    except ProfileError as exc:
        if "Extra data" in exc.message and data.lstrip()[:1] == b"{":
            # One object per line in a .json file: JSON Lines, read as such.
            yield from _jsonl_records(data.splitlines(keepends=True), name)
            return
        yield _error(name, None, None, exc.message.removeprefix(f"{name}: "))
        return
    if isinstance(document, dict):
        yield RawRecord(name, None, None, RecordKind.PARSED, json_text.to_json(document))
    elif isinstance(document, list):
        for index, item in enumerate(document):
            if isinstance(item, dict):
                yield RawRecord(name, None, index, RecordKind.PARSED, json_text.to_json(item))
            else:
                yield _error(
                    name,
                    None,
                    index,
                    f"expected a JSON object (a profile), got {type(item).__name__}",
                )
    else:
        yield _error(
            name,
            None,
            None,
            f"expected a JSON object or array of objects, got {type(document).__name__}",
        )


def _suffix(path: Path) -> str:
    """'.jsonl' for a.jsonl and a.jsonl.gz."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        return suffixes[0] if len(suffixes) == 2 else ""
    return suffixes[-1] if suffixes else ""


def _file_work(path: Path, columns: ColumnMap, chunk: int, block: int) -> Iterator[Work]:
    name = str(path)
    suffix = _suffix(path)
    try:
        with contextlib.ExitStack() as stack:
            raw = stack.enter_context(path.open("rb"))
            stream: Readable = raw
            if raw.peek(2)[:2] == GZIP_MAGIC:
                stream = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))
            if suffix in (".jsonl", ".ndjson"):
                yield from _jsonl_blocks(stream, name, block)
            elif suffix == ".csv":
                # Bytes that are not UTF-8 survive decoding as lone surrogates, so the one
                # row holding them becomes an error record instead of ending the file.
                text = io.TextIOWrapper(
                    stream, encoding="utf-8-sig", errors="surrogateescape", newline=""
                )
                yield from _chunks(_csv_records(text, name, columns), chunk)
            else:
                data = stream.read(MAX_JSON_FILE_BYTES + 1)
                if len(data) > MAX_JSON_FILE_BYTES:
                    yield [
                        _error(
                            name,
                            None,
                            None,
                            f"JSON file of more than {MAX_JSON_FILE_BYTES:,} bytes is too large "
                            "to load whole; write it as JSONL (one profile per line)",
                        )
                    ]
                    return
                yield from _chunks(_json_document_records(data, name), chunk)
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield [_error(name, None, None, f"cannot read ({reason})")]


def _stdin_work(columns: ColumnMap, chunk: int, block: int) -> Iterator[Work]:
    """Standard input: a JSON array or object, JSONL, or CSV, told apart by its start;
    gzip-compressed or not."""
    buffered = sys.stdin.buffer
    if not isinstance(buffered, io.BufferedReader):  # a test's stand-in: peek needs a buffer
        buffered = io.BufferedReader(buffered)
    stream: Readable = buffered
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        stream = gzip.GzipFile(fileobj=buffered, mode="rb")
    try:
        yield from _stdin_work_from(stream, columns, chunk, block)
    except (OSError, EOFError, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield [_error(STDIN_NAME, None, None, f"cannot read ({reason})")]


def _stdin_work_from(
    stream: Readable, columns: ColumnMap, chunk: int, block: int
) -> Iterator[Work]:
    first = stream.readline()
    head = first.lstrip(b"\xef\xbb\xbf").lstrip()
    while first and not head:
        first = stream.readline()
        head = first.lstrip()
    if not first:
        return
    if head.startswith(b"{"):
        try:
            json.loads(first)
            lines = True
        except ValueError:
            lines = False  # one pretty-printed object
        if lines:
            yield from _jsonl_blocks(stream, STDIN_NAME, block, head=first)
            return
    if head.startswith((b"[", b"{")):
        document = first + stream.read(MAX_JSON_FILE_BYTES)
        yield from _chunks(_json_document_records(document, STDIN_NAME), chunk)
    else:
        text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
        first_text = first.decode("utf-8-sig", errors="surrogateescape")
        rows = _csv_records(itertools.chain([first_text], text), STDIN_NAME, columns)
        yield from _chunks(rows, chunk)


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


def _chunks(records: Iterable[RawRecord], size: int) -> Iterator[list[RawRecord]]:
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


CHUNK_RECORDS = 500  # records the reader cuts per chunk (CSV, JSON documents)
BLOCK_BYTES = 1 << 18  # bytes of JSON Lines per block (~500 typical profiles)


def iter_work(
    inputs: Sequence[str],
    columns: ColumnMap,
    chunk: int = CHUNK_RECORDS,
    block: int = BLOCK_BYTES,
) -> Iterator[Work]:
    """Every input's records in order, as blocks or chunks for the workers."""
    for item in inputs:
        if item == STDIN:
            yield from _stdin_work(columns, chunk, block)
        else:
            yield from _file_work(Path(item), columns, chunk, block)


def records_of(work: Work) -> Iterator[RawRecord]:
    return work.records() if isinstance(work, Block) else iter(work)
