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


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
            message = str(error["msg"])
            message = message[0].lower() + message[1:] if message else message
            if kind != "json_invalid":
                message += f", got {_short_repr(error.get('input'))}"
            problems.append(FieldProblem(loc, message))
    return problems
