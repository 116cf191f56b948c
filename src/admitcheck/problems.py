"""Turn pydantic validation errors into one clear line per field.

Each line names the field path (`tests.toefl.total`, `courses[2].title`), what was
expected and what was given; an unknown key gets the nearest known one suggested.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError


@dataclass(frozen=True, slots=True)
class FieldProblem:
    loc: tuple[str | int, ...]
    message: str

    @property
    def path(self) -> str:
        return format_path(self.loc)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.loc else self.message


def format_path(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def given(value: Any) -> str:
    """A value as a person typed it in JSON or TOML: null, true, 'text', 3.5."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, (int, float)):
        text = f"{value:g}" if isinstance(value, float) else str(value)
    elif isinstance(value, (list, tuple)):
        text = "a list"
    elif isinstance(value, dict):
        text = "an object"
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


# What a field's pattern means, in words (never the regular expression itself).
_PATTERNS = {
    r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$": "a year and month like 2025-05",
    r"^[a-z][a-z0-9_]*$": "lower-case words joined by underscores, like computer_science",
    r"^[a-z0-9][a-z0-9._-]*$": "lower-case letters, digits, '.', '-' or '_', like usc-msece-mlds",
}

_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "date_type": "a date like 2025-06-14",
    "date_parsing": "a date like 2025-06-14",
    "date_from_datetime_parsing": "a date like 2025-06-14",
    "date_from_datetime_inexact": "a date like 2025-06-14",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "dict_type": "an object",
    "list_type": "a list",
}

_BOUNDS = {
    "greater_than": "greater than {gt}",
    "greater_than_equal": "at least {ge}",
    "less_than": "less than {lt}",
    "less_than_equal": "at most {le}",
    "multiple_of": "a multiple of {multiple_of}",
}


def _words(kind: str, error: Any) -> str:
    """A pydantic error in the user's words, or "" when there is no better wording."""
    context = error.get("ctx") or {}
    value = error.get("input")
    if kind == "finite_number":
        return "the number is too large"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {given(value)}"
    if kind == "string_pattern_mismatch":
        meaning = _PATTERNS.get(str(context.get("pattern")), "text in the documented form")
        return f"expected {meaning}, got {given(value)}"
    if kind in ("literal_error", "enum"):
        expected = str(context.get("expected", "")).replace("'", "")
        return f"expected one of: {expected.replace(' or ', ', ')}; got {given(value)}"
    if kind in _BOUNDS:
        bound = {k: f"{v:g}" if isinstance(v, float) else v for k, v in context.items()}
        return f"must be {_BOUNDS[kind].format(**bound)}, got {given(value)}"
    if kind == "string_too_long":
        return f"must be at most {context.get('max_length')} characters long"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_long":
        return f"must have at most {context.get('max_length')} items"
    if kind == "too_short":
        return f"must have at least {context.get('min_length')} item(s)"
    return ""


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, list, tuple, dict, Annotated) or origin is not None:
        for arg in get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def known_fields(root: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names of the model found at `loc` (the location of its parent object)."""
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _inner_model(field.annotation)
    return list(model.model_fields) if model is not None else []


def describe(exc: ValidationError, root: type[BaseModel]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
        kind = error["type"]
        if kind == "extra_forbidden":
            name = str(loc[-1]) if loc else "?"
            known = known_fields(root, loc[:-1])
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(known)}"
            problems.append(FieldProblem(loc, f"unknown field '{name}'; {hint}"))
        elif kind == "missing":
            problems.append(FieldProblem(loc, "required field is missing"))
        elif kind == "value_error":
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(FieldProblem(loc, message))
        else:
            message = _words(kind, error)
            if not message:
                message = str(error["msg"])
                message = message[0].lower() + message[1:] if message else message
                if kind != "json_invalid":
                    message += f", got {given(error.get('input'))}"
            problems.append(FieldProblem(loc, message))
    return problems
