"""Flat records: CSV rows by flat field name, and maps from other exports' headers."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from admitcheck.errors import UsageError
from admitcheck.inputs.toml_text import read_toml
from admitcheck.models.flat import BY_NAME, course, put

COURSE_SEPARATOR = ";"


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
    return document


def suggest(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else "see the CSV columns in the README"


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """How another export's CSV headers map to the flat fields, plus constants."""

    rename: dict[str, str]
    ignore: frozenset[str]
    constants: dict[str, str]

    @classmethod
    def identity(cls) -> ColumnMap:
        return cls({}, frozenset(), {})


_MAP_KEYS = {"columns", "constants", "ignore", "source", "notes"}


def load_column_map(path: Path) -> ColumnMap:
    _, data = read_toml(path, "column map", UsageError)
    unknown = set(data) - _MAP_KEYS
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
        if isinstance(value, bool):
            constants[name] = "true" if value else "false"
        elif not isinstance(value, (str, int, float)):
            raise UsageError(f"{path}: constants.{name}: expected text, a number or a boolean")
    return ColumnMap(
        {str(k): str(v) for k, v in rename.items()},
        frozenset(ignore),
        {k: str(v) for k, v in constants.items()},
    )
