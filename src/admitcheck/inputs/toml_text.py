"""TOML files (rules, column maps, rule cases): read with limits, and find keys' lines.

tomllib keeps no positions; `locate_keys` scans table headers and `key =` lines, which is
enough to point an author at the right line of ordinary, hand-written TOML.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from admitcheck.errors import AdmitcheckError, RulesError

MAX_TOML_BYTES = 5 * 1024 * 1024
# Checked before the TOML parser runs (its cost grows with these faster than with the
# file's size): the parts of one dotted key or table name, arrays and inline tables
# inside one another, and the digits of one number.
MAX_TOML_KEY_PARTS = 16
MAX_TOML_NESTING = 16
MAX_TOML_DIGITS = 64
# The dates a rules file may hold: checks add years to them, and Python's dates end at
# 9999-12-31.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)

Loc = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[|\[)\s*([^\[\]#]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
_QUOTED_DATE = re.compile(r"""=\s*["'](\d{4}-\d{2}-\d{2})["']""")


def read_toml(
    path: Path, what: str = "rules file", error: type[AdmitcheckError] = RulesError
) -> tuple[str, dict[str, Any]]:
    """(text, parsed document); every failure is one `error` naming the file."""
    name = str(path)
    try:
        if path.is_dir():
            raise error(f"{name}: is a folder, expected a TOML {what}")
        size = path.stat().st_size
        if size > MAX_TOML_BYTES:
            raise error(f"{name}: {what} is {size:,} bytes; the limit is {MAX_TOML_BYTES:,}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{name}: no such {what}") from None
    except OSError as exc:
        raise error(f"{name}: cannot read {what} ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    beyond = toml_beyond_limits(text)
    if beyond is not None:
        raise error(f"{name}: {beyond}")
    from admitcheck.inputs._toml import tomllib  # here: a cached catalogue parses no TOML

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{name}: invalid TOML: {exc}") from None
    except (RecursionError, ValueError) as exc:  # ValueError: an integer past Python's digits
        raise error(f"{name}: {what} cannot be read as TOML ({type(exc).__name__})") from None
    for where, day in _dates(document):
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise error(
                f"{name}: {'.'.join(map(str, where))}: the date {day.isoformat()} is out of "
                f"range; dates run from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"
            )
    return text, document


# Outside strings and comments, what gives TOML its shape: multi-line and one-line
# strings are matched whole, so nothing inside them counts.
_TOML_TOKEN = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*"{3,5}|''\'(?:[^']|'(?!''))*'{3,5}'''
    r"""|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*|[0-9][0-9_]*|[\[\]{}=,.\n]"""
)


def toml_beyond_limits(text: str) -> str | None:
    """The first limit a TOML text passes, in words, or None; a scan in linear time
    that needs no valid TOML (the parser's own errors come after it)."""
    stack: list[str] = []  # open arrays and inline tables, innermost last
    key = True  # reading a key (or a table name) rather than a value
    header = False
    parts = 1
    line = 1
    for found in _TOML_TOKEN.finditer(text):
        token = found.group()
        mark = token[0]
        if mark == "\n":
            line += 1
            if not stack:
                key, header, parts = True, False, 1
        elif mark in "\"'":
            line += token.count("\n")
        elif mark == "#":
            continue
        elif mark.isdigit():
            if not key and len(token.replace("_", "")) > MAX_TOML_DIGITS:
                return (
                    f"line {line}: a number of {len(token.replace('_', '')):,} digits; a "
                    f"number may have at most {MAX_TOML_DIGITS}"
                )
        elif mark == ".":
            if key or header:
                parts += 1
                if parts > MAX_TOML_KEY_PARTS:
                    return (
                        f"line {line}: a key of more than {MAX_TOML_KEY_PARTS} dotted parts; "
                        f"a key may have at most {MAX_TOML_KEY_PARTS}"
                    )
        elif mark == "=":
            key, parts = False, 1
        elif header and mark in "[]":
            continue
        elif mark == "[" and key and not stack:
            header = True  # [table] or [[array of tables]]
        elif mark in "[{":
            stack.append(mark)
            if len(stack) > MAX_TOML_NESTING:
                return (
                    f"line {line}: arrays and inline tables nested more than "
                    f"{MAX_TOML_NESTING} deep; the most a file may nest is {MAX_TOML_NESTING}"
                )
            key, parts = mark == "{", 1
        elif mark in "]}":
            if stack:
                stack.pop()
            key = False
        elif mark == ",":
            key, parts = bool(stack) and stack[-1] == "{", 1
    return None


def _dates(
    document: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], datetime.date]]:
    """Every date in a parsed TOML document (its nesting is bounded by the scan)."""
    if isinstance(document, dict):
        for name, value in document.items():
            yield from _dates(value, (*path, name))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _dates(value, (*path, index))
    elif isinstance(document, datetime.datetime):
        yield path, document.date()
    elif isinstance(document, datetime.date):
        yield path, document


def quoted_date_hint(text: str, line: int | None) -> str:
    """A hint when a date is written in quotes (TOML then reads text, not a date)."""
    if line is None:
        return ""
    lines = text.splitlines()
    if 0 < line <= len(lines) and _QUOTED_DATE.search(lines[line - 1]):
        return " (write a TOML date without quotes: as_of = 2026-11-25)"
    return ""


def locate_keys(text: str) -> dict[Loc, int]:
    """Map TOML key paths (with array-of-table indices) to the line that defines them."""
    lines: dict[Loc, int] = {}
    array_index: dict[Loc, int] = {}
    table: Loc = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(raw)
        if header:
            keys = [k.strip().strip('"') for k in header.group(2).split(".")]
            path: Loc = ()
            for position, key in enumerate(keys):
                path += (key,)
                last = position == len(keys) - 1
                if last and header.group(1) == "[[":
                    array_index[path] = array_index.get(path, -1) + 1
                    path += (array_index[path],)
                elif path in array_index:
                    path += (array_index[path],)
            table = path
            lines.setdefault(table, number)
            continue
        key = _KEY.match(raw)
        if key:
            lines.setdefault((*table, key.group(1)), number)
    return lines


def line_of(lines: dict[Loc, int], loc: Sequence[str | int]) -> int | None:
    for end in range(len(loc), 0, -1):
        found = lines.get(tuple(loc[:end]))
        if found is not None:
            return found
    return None
