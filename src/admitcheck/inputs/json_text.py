"""The strict JSON reader: no NaN or Infinity, no repeated keys, errors with line and column.

pydantic and orjson keep the last of repeated keys silently, so `parse` (the one exact
reader) uses the standard library with a hook that refuses them. Batch records take a
fast path, `repeated_key`, which is proven equal to `parse` on that question by a
property test.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from admitcheck.errors import ProfileError
from admitcheck.inputs.decoding import STDIN_NAME


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key '{key}' in a JSON object")
        self.key = key


def _refuse_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _RepeatedKey(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse(text: str | bytes, name: str) -> Any:
    """Strict JSON; every failure is one ProfileError naming the document."""
    if not text.strip():
        what = "standard input" if name == STDIN_NAME else "file"
        raise ProfileError(f"{name}: {what} is empty, expected a JSON object")
    try:
        return json.loads(text, object_pairs_hook=_refuse_repeats, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise ProfileError(
            f"{name}: line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    except _RepeatedKey as exc:
        raise ProfileError(f"{name}: {exc}") from None
    except ValueError as exc:
        raise ProfileError(f"{name}: invalid JSON: {exc}") from None
    except RecursionError:
        raise ProfileError(f"{name}: JSON is nested too deeply to be a profile") from None


def to_json(document: Any) -> bytes:
    """Re-encode a parsed document for validation in JSON mode (dates stay ISO strings)."""
    try:
        return orjson.dumps(document)
    except TypeError:  # integers beyond 64 bits: stdlib json keeps them, pydantic rejects
        return json.dumps(document).encode()


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


# A key's closing quote followed by its colon, with any JSON whitespace between them.
_KEY_END = re.compile(rb'"[ \t\r\n]*:')


def repeated_key(data: bytes) -> str | None:
    """A message naming the first key a JSON object repeats, or None.

    Fast path: every key ends in `"` then `:` (maybe with whitespace between), so when
    those are no more than the keys orjson parsed, nothing was repeated. Only otherwise
    (a repeat, or `":` inside a string value) is the text parsed again, exactly.
    """
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None  # the validator reports the syntax error
    if type(parsed) is not dict and type(parsed) is not list:
        return None
    if len(_KEY_END.findall(data)) <= _count_keys(parsed):
        return None
    try:
        json.loads(data, object_pairs_hook=_refuse_repeats)
    except _RepeatedKey as exc:
        return str(exc)
    except (ValueError, RecursionError):
        return None
    return None
