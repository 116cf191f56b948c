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
from admitcheck.inputs.decoding import STDIN_NAME, looks_like_yaml


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


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text} is too large")
    return value


def parse(text: str | bytes, name: str) -> Any:
    """Strict JSON; every failure is one ProfileError naming the document."""
    if not text.strip():
        what = "standard input" if name == STDIN_NAME else "file"
        raise ProfileError(f"{name}: {what} is empty, expected a JSON object")
    try:
        return json.loads(
            text,
            object_pairs_hook=_refuse_repeats,
            parse_constant=_refuse_constant,
            parse_float=_finite,
        )
    except json.JSONDecodeError as exc:
        if exc.lineno == 1 and exc.colno == 1 and looks_like_yaml(str(exc.doc)):
            raise ProfileError(
                f"{name}: looks like YAML; admitcheck reads JSON profiles (see "
                "`admitcheck init` for one to fill in)"
            ) from None
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


# What the fast path cannot count exactly: whitespace between a key and its colon, and a
# quote or a colon written as a \\u escape (the re-encoded text spells them plainly).
# (Two patterns: one alternation of both scans several times slower.)
_SPACED_COLON = re.compile(rb'"\s+:')
_ESCAPED = re.compile(rb"\\u00(?:22|3[aA])")


def repeated_key(data: bytes) -> str | None:
    """A message naming the first key a JSON object repeats, or None.

    Fast path: in text with no whitespace before a colon, every key ends in `":`, and a
    string holds `":` only as `\\":`, which orjson writes back the same way. So the text
    has no more `":` than its re-encoding exactly when no key was dropped as a repeat.
    Only otherwise is the text parsed again, slowly and exactly.
    """
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None  # the validator reports the syntax error
    if type(parsed) is not dict and type(parsed) is not list:
        return None
    if not _SPACED_COLON.search(data) and not _ESCAPED.search(data):
        try:
            if data.count(b'":') <= orjson.dumps(parsed).count(b'":'):
                return None
        except TypeError:  # integers beyond 64 bits: read exactly below
            pass
    try:
        json.loads(data, object_pairs_hook=_refuse_repeats)
    except _RepeatedKey as exc:
        return str(exc)
    except (ValueError, RecursionError):
        return None
    return None
