"""Read applicant profiles: one JSON file, or a stream of records for `batch`.

In batch, a record that cannot be read becomes an error value (`RecordError`), never an
exception, so one bad record never stops a run and every input record gets an output.
"""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from pydantic import ValidationError

from admitcheck._toml import tomllib
from admitcheck.errors import ProfileError, UsageError
from admitcheck.models import Profile
from admitcheck.problems import FieldProblem, describe

MAX_PROFILE_BYTES = 64 * 1024 * 1024
MAX_JSON_FILE_BYTES = 256 * 1024 * 1024
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # what surrogateescape leaves of a bad byte
STDIN = "-"
STDIN_NAME = "<stdin>"

# The flat CSV columns of the spec, and where each one goes in a profile.
FLAT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "name": ("name",),
    "international": ("international",),
    "citizenship": ("citizenship",),
    "degree_level": ("degree", "level"),
    "degree_field": ("degree", "field"),
    "degree_institution": ("degree", "institution"),
    "degree_country": ("degree", "country"),
    "degree_status": ("degree", "status"),
    "graduation": ("degree", "graduation"),
    "gpa": ("gpa", "value"),
    "gpa_scale": ("gpa", "scale"),
    "toefl": ("tests", "toefl", "total"),
    "toefl_band": ("tests", "toefl", "band"),
    "toefl_date": ("tests", "toefl", "date"),
    "ielts": ("tests", "ielts", "overall"),
    "ielts_date": ("tests", "ielts", "date"),
    "pte": ("tests", "pte", "overall"),
    "pte_date": ("tests", "pte", "date"),
    "gre_verbal": ("tests", "gre", "verbal"),
    "gre_quant": ("tests", "gre", "quant"),
    "gre_writing": ("tests", "gre", "writing"),
    "gre_total": ("tests", "gre", "total"),
    "gre_date": ("tests", "gre", "date"),
    "gmat": ("tests", "gmat", "total"),
    "gmat_edition": ("tests", "gmat", "edition"),
    "gmat_date": ("tests", "gmat", "date"),
    "courses": ("courses",),
    "statement_of_purpose": ("materials", "statement_of_purpose"),
    "resume": ("materials", "resume"),
    "transcripts": ("materials", "transcripts"),
    "recommendation_letters": ("materials", "recommendation_letters"),
    "application_fee_paid": ("materials", "application_fee_paid"),
    "fee_waiver": ("materials", "fee_waiver"),
}
_COLUMN_OF_PATH: dict[tuple[str | int, ...], str] = {
    path: column for column, path in FLAT_COLUMNS.items()
}


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record that could not be read: where it is and what is wrong."""

    source: str
    line: int | None
    index: int | None
    message: str


# A raw record travels from the reader (main process) to a worker. `kind` says how to
# read `payload`: "json" (bytes of one JSON object, e.g. a JSONL line), "parsed" (the
# same, re-encoded from a document the reader already parsed and checked for repeated
# keys), "flat" (a CSV row by flat column name) or "error" (a message: the reader
# already knows the record is unreadable).
class RawRecord(NamedTuple):
    source: str
    line: int | None
    index: int | None  # type: ignore[assignment]  # shadows tuple.index, on purpose
    kind: str
    payload: Any


# --------------------------------------------------------------------------- decoding


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise ProfileError(f"{name}: looks like a binary file, expected UTF-8 JSON text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from None


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key '{key}' in a JSON object")
        self.key = key


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json_text(text: str, name: str) -> Any:
    """Strict JSON: no NaN/Infinity, no duplicate keys; errors name line and column."""
    if not text.strip():
        what = "standard input" if name == STDIN_NAME else "file"
        raise ProfileError(f"{name}: {what} is empty, expected a JSON object")
    try:
        return json.loads(
            text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise ProfileError(
            f"{name}: line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    except _DuplicateKeyError as exc:
        raise ProfileError(f"{name}: {exc}") from None
    except ValueError as exc:
        raise ProfileError(f"{name}: invalid JSON: {exc}") from None
    except RecursionError:
        raise ProfileError(f"{name}: JSON is nested too deeply to be a profile") from None


def read_bytes(path: str, limit: int = MAX_PROFILE_BYTES) -> tuple[bytes, str]:
    """The bytes of a file, or of stdin for '-', and the name to show for it."""
    if path == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
        name = STDIN_NAME
    else:
        name = path
        try:
            with Path(path).open("rb") as handle:
                data = handle.read(limit + 1)
        except FileNotFoundError:
            raise UsageError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise UsageError(
                f"{path}: is a folder; `check` takes one profile file (use `batch` for folders)"
            ) from None
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > limit:
        raise ProfileError(f"{name}: larger than {limit // (1024 * 1024)} MiB; not a profile")
    return data, name


def read_profile_document(path: str) -> tuple[dict[str, Any], str]:
    """One profile object from a JSON file or stdin, not yet validated."""
    data, name = read_bytes(path)
    document = parse_json_text(_decode(data, name), name)
    if isinstance(document, list):
        raise ProfileError(
            f"{name}: holds a JSON array of {len(document)} records; `check` takes one "
            "profile (use `admitcheck batch` for many)"
        )
    if not isinstance(document, dict):
        raise ProfileError(
            f"{name}: expected a JSON object (a profile), got {type(document).__name__}"
        )
    return document, name


# --------------------------------------------------------------------------- validation


def _problem_lines(problems: Sequence[FieldProblem]) -> list[str]:
    return [str(p) for p in problems]


def date_problems(profile: Profile, as_of: date) -> list[FieldProblem]:
    """Test dates after the evaluation date cannot be real scores."""
    found: list[FieldProblem] = []
    tests = profile.tests
    if tests is None:
        return found
    for name in ("toefl", "ielts", "pte", "gre", "gmat"):
        score = getattr(tests, name)
        if score is not None and score.date is not None and score.date > as_of:
            found.append(
                FieldProblem(
                    ("tests", name, "date"),
                    f"test date {score.date.isoformat()} is in the future "
                    f"(evaluation date {as_of.isoformat()})",
                )
            )
    return found


def validate_json_profile(data: bytes | str, as_of: date) -> Profile | list[FieldProblem]:
    """Validate one JSON document; problems come back as values."""
    try:
        profile = Profile.model_validate_json(data)
    except ValidationError as exc:
        return describe(exc, Profile)
    return date_problems(profile, as_of) or profile


def _to_json(document: Any) -> bytes:
    """Re-encode a parsed document for validation in JSON mode (dates stay ISO strings)."""
    try:
        return orjson.dumps(document)
    except TypeError:  # integers beyond 64 bits: stdlib json keeps them, pydantic rejects
        return json.dumps(document).encode()


def validate_document(document: dict[str, Any], name: str, as_of: date) -> Profile:
    """Validate a parsed profile, raising one ProfileError that lists every problem."""
    result = validate_json_profile(_to_json(document), as_of)
    if isinstance(result, Profile):
        return result
    if len(result) == 1:
        raise ProfileError(f"{name}: {result[0]}")
    raise ProfileError(
        f"{name}: invalid profile ({len(result)} problem{'s' * (len(result) != 1)})",
        details=_problem_lines(result),
    )


def flat_to_document(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row by flat column name -> a nested profile document (values still text)."""
    document: dict[str, Any] = {}
    for column, value in row.items():
        if value is None or not value.strip():
            continue
        path = FLAT_COLUMNS[column]
        target = document
        for key in path[:-1]:
            target = target.setdefault(key, {})
        if column == "courses":
            target[path[-1]] = [t.strip() for t in value.split(";") if t.strip()]
        else:
            target[path[-1]] = value.strip()
    return document


def validate_flat_profile(row: dict[str, str], as_of: date) -> Profile | list[FieldProblem]:
    try:
        profile = Profile.model_validate(flat_to_document(row), strict=False)
    except ValidationError as exc:
        problems = describe(exc, Profile)
        # Name the CSV column the user wrote, not the nested path.
        return [
            FieldProblem((_COLUMN_OF_PATH.get(p.loc, p.path),), p.message)
            if p.loc in _COLUMN_OF_PATH
            else p
            for p in problems
        ]
    return date_problems(profile, as_of) or profile


def _count_keys(value: Any) -> int:
    """How many keys the objects in a parsed JSON value hold, nested ones included."""
    count = 0
    pending = [value]
    while pending:
        current = pending.pop()
        if type(current) is dict:
            count += len(current)
            current = current.values()
        for item in current:
            if type(item) is dict or type(item) is list:
                pending.append(item)
    return count


def _spaced_colon(data: bytes) -> bool:
    """Whitespace between a key and its colon: rare, and the fast count would miss it."""
    return b'" :' in data or b'"\t' in data or b'"\n' in data or b'"\r' in data or (b'"  ' in data)


def duplicate_key_message(data: bytes) -> str | None:
    """A message naming the first key a JSON object repeats, or None.

    pydantic (like orjson) keeps the last of repeated keys silently. Fast path: every key
    is followed by `":`, so when those tokens are no more than the keys orjson parsed,
    nothing was repeated. Only otherwise (a repeat, `":` inside a string value, or
    spacing before a colon) is the text parsed again, slowly and exactly.
    """
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None  # the validator reports the syntax error
    if type(parsed) is not dict and type(parsed) is not list:
        return None
    if not _spaced_colon(data) and data.count(b'":') <= _count_keys(parsed):
        return None
    try:
        json.loads(data, object_pairs_hook=_reject_duplicates)
    except _DuplicateKeyError as exc:
        return str(exc)
    except (ValueError, RecursionError):
        return None
    return None


def read_record(record: RawRecord, as_of: date) -> Profile | RecordError:
    """Validate one raw record; never raises for bad data."""
    if record.kind == "json":
        repeated = duplicate_key_message(record.payload)
        if repeated is not None:
            return RecordError(record.source, record.line, record.index, repeated)
        result = validate_json_profile(record.payload, as_of)
    elif record.kind == "parsed":
        result = validate_json_profile(record.payload, as_of)
    elif record.kind == "flat":
        result = validate_flat_profile(record.payload, as_of)
    else:
        return RecordError(record.source, record.line, record.index, str(record.payload))
    if isinstance(result, Profile):
        return result
    message = "; ".join(_problem_lines(result[:5]))
    if len(result) > 5:
        message += f"; and {len(result) - 5} more"
    return RecordError(record.source, record.line, record.index, message)


# --------------------------------------------------------------------------- column maps


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """How another export's CSV headers map to the flat columns, plus constants."""

    rename: dict[str, str]
    ignore: frozenset[str]
    constants: dict[str, str]

    @classmethod
    def identity(cls) -> ColumnMap:
        return cls({}, frozenset(), {})


def load_column_map(path: Path) -> ColumnMap:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such column map") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read column map ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    unknown = set(data) - {"columns", "constants", "ignore", "source", "notes"}
    if unknown:
        raise UsageError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))}; expected "
            "columns, constants, ignore"
        )
    rename = data.get("columns", {})
    constants = data.get("constants", {})
    ignore = data.get("ignore", [])
    if not isinstance(rename, dict) or not isinstance(constants, dict):
        raise UsageError(f"{path}: 'columns' and 'constants' must be tables")
    if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
        raise UsageError(f"{path}: 'ignore' must be a list of column names")
    for header, target in rename.items():
        if target not in FLAT_COLUMNS:
            raise UsageError(
                f"{path}: columns.{header}: '{target}' is not a profile column; "
                f"{_suggest(str(target), FLAT_COLUMNS)}"
            )
    for name, value in constants.items():
        if name not in FLAT_COLUMNS:
            raise UsageError(
                f"{path}: constants.{name}: not a profile column; {_suggest(name, FLAT_COLUMNS)}"
            )
        if isinstance(value, bool):
            constants[name] = "true" if value else "false"
        elif not isinstance(value, (str, int, float)):
            raise UsageError(f"{path}: constants.{name}: expected text, a number or a boolean")
    return ColumnMap(
        {str(k): str(v) for k, v in rename.items()},
        frozenset(ignore),
        {k: str(v) for k, v in constants.items()},
    )


def _suggest(name: str, known: Sequence[str] | dict[str, Any]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else "see the CSV columns in the README"


# --------------------------------------------------------------------------- batch inputs


def _csv_records(lines: Iterable[str], name: str, columns: ColumnMap) -> Iterator[RawRecord]:
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield RawRecord(name, 1, None, "error", f"line 1: unreadable CSV header: {exc}")
        return
    header = [h.strip() for h in header]
    targets: list[str | None] = []
    problems: list[str] = []
    for column in header:
        if column in columns.ignore:
            targets.append(None)
            continue
        target = columns.rename.get(column, column)
        if target not in FLAT_COLUMNS:
            problems.append(
                f"unknown column '{column}' ({_suggest(column, FLAT_COLUMNS)} "
                "or map it with --columns)"
            )
        targets.append(target)
    header_error = f"line 1: {'; '.join(problems)}" if problems else None
    width = len(header)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RawRecord(name, reader.line_num, None, "error", f"unreadable CSV row: {exc}")
            continue
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if header_error:
            yield RawRecord(name, line, None, "error", header_error)
            continue
        if len(row) != width:
            yield RawRecord(
                name,
                line,
                None,
                "error",
                f"expected {width} cells as in the header, got {len(row)}",
            )
            continue
        undecodable = [header[i] for i, cell in enumerate(row) if _NOT_UTF8.search(cell)]
        if undecodable:
            yield RawRecord(
                name,
                line,
                None,
                "error",
                f"not UTF-8 text in column(s) {', '.join(undecodable)}; save the file as UTF-8",
            )
            continue
        flat: dict[str, str] = dict(columns.constants)
        for column_name, value in zip(targets, row, strict=True):
            if column_name is not None and value.strip():
                flat[column_name] = value
        yield RawRecord(name, line, None, "flat", flat)


def _jsonl_records(lines: Iterable[bytes], name: str) -> Iterator[RawRecord]:
    number = 0
    for raw in lines:
        number += 1
        line = raw.strip()
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line:
            continue
        yield RawRecord(name, number, None, "json", line)


def _json_document_records(data: bytes, name: str) -> Iterator[RawRecord]:
    try:
        document = parse_json_text(_decode(data, name), name)
    except ProfileError as exc:
        yield RawRecord(name, None, None, "error", exc.message.removeprefix(f"{name}: "))
        return
    if isinstance(document, dict):
        yield RawRecord(name, None, None, "parsed", _to_json(document))
    elif isinstance(document, list):
        for index, item in enumerate(document):
            if isinstance(item, dict):
                yield RawRecord(name, None, index, "parsed", _to_json(item))
            else:
                yield RawRecord(
                    name,
                    None,
                    index,
                    "error",
                    f"expected a JSON object (a profile), got {type(item).__name__}",
                )
    else:
        yield RawRecord(
            name,
            None,
            None,
            "error",
            f"expected a JSON object or array of objects, got {type(document).__name__}",
        )


def _file_records(path: Path, columns: ColumnMap) -> Iterator[RawRecord]:
    name = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            # Bytes that are not UTF-8 survive decoding as lone surrogates, so the one
            # row holding them becomes an error record instead of ending the file.
            with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as text:
                yield from _csv_records(text, name, columns)
        elif suffix in (".jsonl", ".ndjson"):
            with path.open("rb") as handle:
                yield from _jsonl_records(handle, name)
        else:
            size = path.stat().st_size
            if size > MAX_JSON_FILE_BYTES:
                yield RawRecord(
                    name,
                    None,
                    None,
                    "error",
                    f"JSON file of {size:,} bytes is too large to load whole; "
                    "write it as JSONL (one profile per line)",
                )
                return
            yield from _json_document_records(path.read_bytes(), name)
    except OSError as exc:
        yield RawRecord(name, None, None, "error", f"cannot read ({exc.strerror})")


def _stdin_records(columns: ColumnMap) -> Iterator[RawRecord]:
    """Standard input: a JSON array or object, JSONL, or CSV, told apart by its start."""
    stream = sys.stdin.buffer
    first = stream.readline()
    head = first.lstrip(b"\xef\xbb\xbf").lstrip()
    while first and not head:
        first = stream.readline()
        head = first.lstrip()
    if not first:
        return
    if head.startswith(b"["):
        yield from _json_document_records(first + stream.read(MAX_JSON_FILE_BYTES), STDIN_NAME)
    elif head.startswith(b"{"):
        try:
            json.loads(first)
            complete = True
        except ValueError:
            complete = False
        if complete:
            yield from _jsonl_records(itertools.chain([first], stream), STDIN_NAME)
        else:  # one pretty-printed object
            yield from _json_document_records(first + stream.read(MAX_JSON_FILE_BYTES), STDIN_NAME)
    else:
        text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
        first_text = first.decode("utf-8-sig", errors="surrogateescape")
        yield from _csv_records(itertools.chain([first_text], text), STDIN_NAME, columns)


PROFILE_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv")


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
                str(p)
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES
            )
            if not members:
                raise UsageError(f"{item}: folder holds no *.json, *.jsonl or *.csv files")
            found.extend(members)
        elif path.is_file():
            found.append(item)
        elif not path.exists():
            raise UsageError(f"{item}: no such file or folder")
        else:
            raise UsageError(f"{item}: not a regular file or folder")
    return found


def iter_records(inputs: Sequence[str], columns: ColumnMap) -> Iterator[RawRecord]:
    for item in inputs:
        if item == STDIN:
            yield from _stdin_records(columns)
        else:
            yield from _file_records(Path(item), columns)
