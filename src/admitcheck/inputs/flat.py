"""Flat records: CSV rows by flat field name, and the column maps of other exports.

A column map (`--columns MAP.toml`) says how an export is written: its headers
(`[columns]`, `ignore`), constants for every row, its delimiter (sniffed from the header
when not given), its decimal mark, its date order (`dayfirst`) and its own words for
values (`[values.<column>]`: `"Bachelors" = "bachelor"`, `"Y" = true`). `ColumnMap.read`
turns one row's cells into the profile's flat values, or says which cells it cannot read.
"""

from __future__ import annotations

import csv
import difflib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from admitcheck.errors import UsageError
from admitcheck.inputs.toml_text import read_toml
from admitcheck.models.flat import BY_NAME, FlatField, course, put

COURSE_SEPARATOR = ";"
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_WORDS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}


def to_document(row: dict[str, str]) -> dict[str, Any]:
    """A row by flat field name -> a nested profile document (values still text)."""
    document: dict[str, Any] = {}
    for column, value in row.items():
        if value is None or not value.strip():
            continue
        path = BY_NAME[column].path
        if column == "courses":
            put(document, path, [course(t) for t in value.split(COURSE_SEPARATOR) if t.strip()])
        else:
            put(document, path, value.strip())
    gpa = document.get("gpa")
    if gpa is not None and not set(gpa) - {"scale", "best"}:
        del document["gpa"]  # a scale alone (a constant for every row) is no GPA
    return document


def suggest(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else "see the CSV columns in the README"


# --------------------------------------------------------------------------- values


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(
    r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?"  # 2025-03-15, 2025/3/15, 2025-03
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?"  # a time of day, as databases add
)
_PLAIN_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{4})")
_WORDS = re.compile(r"[a-z]+|\d+")


class ValueProblem(ValueError):
    """A cell that cannot be read as its column's kind; the message says why."""


def read_date(text: str, dayfirst: bool | None = None) -> str:
    """A date as exports write it -> ISO 8601: 'YYYY-MM-DD', or 'YYYY-MM' where the text
    gives only a month ('Mar 2025', '03/2025'). Day and month both 12 or less with no
    `dayfirst` is ambiguous: a problem, never a guess."""
    value = text.strip()
    if _PLAIN_DAY.fullmatch(value):  # the common case, checked by the profile's schema
        return value
    if match := _ISO.fullmatch(value):
        year, month, day = match.groups()
        return _iso(int(year), int(month), int(day) if day else None, value)
    if match := _NUMERIC.fullmatch(value):
        first, second, year = (int(g) for g in match.groups())
        if first > 12 and second <= 12:
            day, month = first, second
        elif second > 12 and first <= 12:
            day, month = second, first
        elif first == second or dayfirst is not None:
            day, month = (first, second) if dayfirst or first == second else (second, first)
        else:
            raise ValueProblem(
                f"'{value}' could be {first}/{second} or {second}/{first}: set dayfirst = true "
                "(15/03/2025) or false (03/15/2025) in the column map"
            )
        return _iso(year, month, day, value)
    if match := _MONTH_YEAR.fullmatch(value):
        return _iso(int(match.group(2)), int(match.group(1)), None, value)
    words = _WORDS.findall(value.lower())
    months = [w for w in words if w in _MONTHS]
    numbers = [w for w in words if w.isdigit()]
    if len(months) == 1 and len(words) == len(numbers) + 1 and 1 <= len(numbers) <= 2:
        month = _MONTHS[months[0]]
        years = [n for n in numbers if len(n) == 4]
        days = [n for n in numbers if len(n) <= 2]
        if len(years) == 1 and len(days) == len(numbers) - 1:
            return _iso(int(years[0]), month, int(days[0]) if days else None, value)
    raise ValueProblem(
        f"'{value}' is not a date admitcheck reads (2025-03-15, 15/03/2025, 15 Mar 2025, "
        "Mar 2025 or 2025-03; a year of four digits)"
    )


def _iso(year: int, month: int, day: int | None, text: str) -> str:
    try:
        date(year, month, day or 1)
    except ValueError:
        raise ValueProblem(f"'{text}' is not a date of the calendar") from None
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


_COMMA_NUMBER = re.compile(r"[+-]?\d{1,3}(?:[. \u00a0]\d{3})*,\d+|[+-]?\d+,\d+")


def read_number(text: str, decimal: str) -> str:
    """A number in the export's decimal mark -> one Python reads ('8,1' -> '8.1' with a
    decimal comma; '1.234,5' -> '1234.5')."""
    value = text.strip()
    if "," not in value:  # the common case: nothing to read differently
        return value
    if decimal == ",":
        if not _COMMA_NUMBER.fullmatch(value):
            raise ValueProblem(f"'{value}' is not a number written with a decimal comma")
        return value.replace(".", "").replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if _COMMA_NUMBER.fullmatch(value) and "." not in value:
        raise ValueProblem(
            f"'{value}' has a decimal comma: set decimal = \",\" in the column map (--columns)"
        )
    return value


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


_BY_FOLDED = {name.casefold(): name for name in BY_NAME}


def _choice(value: str, choices: Sequence[str]) -> str:
    folded = _fold(value).replace(" ", "_").replace("-", "_")
    return folded if folded in choices else value


# --------------------------------------------------------------------------- column maps


_NAMED = 5  # columns a header problem names before it counts the rest


def _some(names: list[str]) -> str:
    listed = ", ".join(n[:100] for n in names[:_NAMED])
    return listed + (f" and {len(names) - _NAMED:,} more" if len(names) > _NAMED else "")


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """How an export is written: its headers, constants, delimiter, decimal mark, date
    order and value maps. `given` is whether it came from --columns."""

    rename: dict[str, str]
    ignore: frozenset[str]
    constants: dict[str, str]
    delimiter: str | None = None  # None: sniffed from the header
    decimal: str = "."
    dayfirst: bool | None = None
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # field -> fold -> v
    given: bool = False
    source: str = ""  # the map's file, for messages

    @classmethod
    def identity(cls) -> ColumnMap:
        return cls({}, frozenset(), {})

    def with_delimiter(self, delimiter: str | None) -> ColumnMap:
        """The map with --delimiter applied (it wins over the map's own)."""
        if delimiter is None:
            return self
        return replace(self, delimiter=_delimiter(delimiter, "--delimiter"))

    # ------------------------------------------------------------------ the table

    def table(self, lines: Iterable[str]) -> Any:  # a csv reader
        """A csv reader over the lines in this export's delimiter (sniffed from the first
        line when the map does not name one). Its `line_num` counts the lines read."""
        delimiter = self.delimiter
        if delimiter is None:
            iterator = iter(lines)
            first = next(iterator, None)
            if first is None:
                return csv.reader(())
            delimiter = sniff_delimiter(first)
            lines = itertools.chain([first], iterator)
        return csv.reader(lines, delimiter=delimiter)

    def targets(self, header: Sequence[str]) -> tuple[list[str | None], str | None, bool]:
        """(each header's flat field or None, the header's problems or None, whether the
        file reads as a table of profiles at all: a header naming no profile column does
        not, and is one error for the file rather than one per row)."""
        # Linear in the header's width, and its words bounded: a header of 100,000 unknown
        # columns names a few of them and counts the rest.
        targets: list[str | None] = []
        problems: list[str] = []
        counts = Counter(header)
        repeated = sorted(h for h, n in counts.items() if n > 1)
        if repeated:
            problems.append(f"column(s) {_some(repeated)} appear more than once in the header")
        seen: set[str] = set()
        unknown: list[str] = []
        for column in header:
            if column in self.ignore:
                targets.append(None)
                continue
            target = self.rename.get(column, column)
            if target not in BY_NAME:  # "Degree Level" is degree_level
                target = _BY_FOLDED.get(_fold(target).replace(" ", "_").replace("-", "_"), target)
            if target in seen and counts[column] == 1:
                problems.append(f"columns map two headers to '{target[:100]}'")
            seen.add(target)
            if target not in BY_NAME:
                unknown.append(column)
            targets.append(target)
        if unknown and not seen & BY_NAME.keys():
            return targets, self._not_a_table(header), False
        where = f"in {self.source}" if self.given else "with --columns MAP.toml"
        if unknown:
            named = []
            for column in unknown[:_NAMED]:
                close = difflib.get_close_matches(column[:100], list(BY_NAME), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                named.append(f"'{column[:100]}'{hint}")
            if len(unknown) > _NAMED:
                named.append(f"and {len(unknown) - _NAMED:,} more")
            them = "it" if len(unknown) == 1 else "them"
            problems.append(
                f"unknown column{'s' * (len(unknown) > 1)} {', '.join(named)}: map {them} in "
                f"[columns] or list {them} in ignore {where}"
            )
        return targets, ("; ".join(problems[: _NAMED + 1]) or None), True

    def _not_a_table(self, header: Sequence[str]) -> str:
        shown = header[0] if len(header) == 1 else ", ".join(header[:4])
        if len(shown) > 80:
            shown = shown[:77] + "..."
        found = "one column" if len(header) == 1 else f"{len(header)} columns"
        advice = (
            f"map its headers in {self.source}"
            if self.given
            else "map its headers with --columns MAP.toml"
        )
        return (
            f"no header names a profile column (the header reads as {found}: '{shown}'); "
            f"{advice}, or give --delimiter if it is not '{_shown(self.delimiter)}'"
            if self.delimiter
            else f"no header names a profile column (the header reads as {found}: "
            f"'{shown}'); {advice}"
        )

    # ------------------------------------------------------------------ a row

    def read(self, flat: dict[str, str]) -> tuple[dict[str, str], list[str]]:
        """One row's cells by flat field -> the values the profile reads, and one problem
        per cell that cannot be read (naming its column)."""
        out: dict[str, str] = {}
        problems: list[str] = []
        for name, cell in flat.items():
            spec = BY_NAME[name]
            value = cell
            mapped = self.values.get(name)
            if mapped is not None:
                value = mapped.get(_fold(value), value)
                if not value.strip():
                    continue
            try:
                out[name] = self._value(spec, value)
            except ValueProblem as exc:
                problems.append(f"{name}: {exc}")
        return out, problems

    def _value(self, spec: FlatField, value: str) -> str:
        kind = spec.kind
        if kind == "date":
            return read_date(value, self.dayfirst)
        if kind in ("float", "int"):
            return read_number(value, self.decimal)
        if spec.choices:
            return _choice(value, spec.choices)
        return value


def sniff_delimiter(header: str) -> str:
    """The delimiter that splits a header line into the most cells (',' on a tie)."""
    best, cells = ",", 1
    for delimiter in DELIMITERS:
        try:
            count = len(next(csv.reader([header], delimiter=delimiter), []))
        except csv.Error:
            continue
        if count > cells:
            best, cells = delimiter, count
    return best


def _shown(delimiter: str | None) -> str:
    return {"\t": "\\t"}.get(delimiter or ",", delimiter or ",")


def _delimiter(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise UsageError(f"{where}: expected one character such as ';', got {value!r}")
    text = _DELIMITER_WORDS.get(value.strip().lower(), value)
    if len(text) != 1 or text in '"\r\n' or text.isalnum():
        raise UsageError(
            f"{where}: expected one character such as ',', ';', '|' or tab, got {value!r}"
        )
    return text


_MAP_KEYS = {
    "columns",
    "constants",
    "ignore",
    "source",
    "notes",
    "delimiter",
    "decimal",
    "dayfirst",
    "values",
}


def load_column_map(path: Path) -> ColumnMap:
    _, data = read_toml(path, "column map", UsageError)
    unknown = set(data) - _MAP_KEYS
    if unknown:
        hints = "; ".join(f"'{k}': {suggest(k, sorted(_MAP_KEYS))}" for k in sorted(unknown))
        raise UsageError(
            f"{path}: unknown key(s) {hints}; expected columns, constants, ignore, "
            "delimiter, decimal, dayfirst, values"
        )
    rename = data.get("columns", {})
    constants = data.get("constants", {})
    ignore = data.get("ignore", [])
    if not isinstance(rename, dict) or not isinstance(constants, dict):
        raise UsageError(f"{path}: 'columns' and 'constants' must be tables")
    if not isinstance(ignore, list) or not all(isinstance(i, str) for i in ignore):
        raise UsageError(f"{path}: 'ignore' must be a list of column names")
    known = list(BY_NAME)
    for header, target in rename.items():
        if target not in BY_NAME:
            raise UsageError(
                f"{path}: columns.{header}: '{target}' is not a profile column; "
                f"{suggest(str(target), known)}"
            )
    for name, value in constants.items():
        if name not in BY_NAME:
            raise UsageError(
                f"{path}: constants.{name}: not a profile column; {suggest(name, known)}"
            )
        if not isinstance(value, (str, int, float)):
            raise UsageError(f"{path}: constants.{name}: expected text, a number or a boolean")
    delimiter = data.get("delimiter")
    if delimiter is not None:
        delimiter = _delimiter(delimiter, f"{path}: delimiter")
    decimal = data.get("decimal", ".")
    if decimal not in (".", ","):
        raise UsageError(f'{path}: decimal: expected "." or ",", got {decimal!r}')
    dayfirst = data.get("dayfirst")
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise UsageError(f"{path}: dayfirst: expected true or false, got {dayfirst!r}")
    renamed = {str(k): str(v) for k, v in rename.items()}
    return ColumnMap(
        renamed,
        frozenset(ignore),
        {k: _cell(v) for k, v in constants.items()},
        delimiter,
        decimal,
        dayfirst,
        _value_maps(path, data.get("values", {}), renamed),
        True,
        str(path),
    )


def _cell(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _value_maps(path: Path, values: Any, renamed: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """`[values.<column>]` (a profile column, or a header [columns] maps) -> field ->
    folded text -> the value to read."""
    if not isinstance(values, dict):
        raise UsageError(f"{path}: 'values' must be a table of tables: [values.degree_level]")
    found: dict[str, dict[str, str]] = {}
    for column, table in values.items():
        target = renamed.get(column, column)
        if target not in BY_NAME:
            raise UsageError(
                f"{path}: values.{column}: not a profile column or a header in [columns]; "
                f"{suggest(column, list(BY_NAME))}"
            )
        if not isinstance(table, dict):
            raise UsageError(
                f'{path}: values.{column}: expected a table such as {{ "Bachelors" = "bachelor" }}'
            )
        entries = found.setdefault(target, {})
        for text, value in table.items():
            if not isinstance(value, (str, int, float)):
                raise UsageError(
                    f"{path}: values.{column}.{text}: expected text, a number or a boolean"
                )
            entries[_fold(text)] = _cell(value)
    return found
