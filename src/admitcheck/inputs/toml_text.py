"""TOML files (rules, column maps, rule cases): read with limits, and find keys' lines.

tomllib keeps no positions; `locate_keys` scans table headers and `key =` lines, which is
enough to point an author at the right line of ordinary, hand-written TOML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from admitcheck.errors import AdmitcheckError, RulesError
from admitcheck.inputs._toml import tomllib

MAX_TOML_BYTES = 5 * 1024 * 1024

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
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{name}: invalid TOML: {exc}") from None
    except RecursionError:
        raise error(f"{name}: TOML is nested too deeply to be a {what}") from None


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
