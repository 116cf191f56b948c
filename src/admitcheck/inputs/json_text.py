"""The strict JSON reader: no NaN or Infinity, no repeated keys, errors with line and column.

pydantic and orjson keep the last of repeated keys silently, so `parse` (the one exact
reader) uses the standard library with a hook that refuses them. Batch records take a
fast path, `repeated_key`, which is proven equal to `parse` on that question by a
property test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import orjson

from admitcheck.errors import ProfileError
from admitcheck.inputs.decoding import STDIN_NAME, in_bytes, looks_like_yaml


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


def repeated_key(data: bytes) -> str | None:
    """A message naming the first key a JSON object repeats, or None.

    Fast path: outside `\\u` escapes, a quote character is written in JSON only as a
    string's delimiter or as `\\"` inside one, and orjson writes every string back the
    same way. A repeated key is dropped from the parsed document with at least its own
    two quotes, so the text has as many quotes as its re-encoding exactly when no key was
    dropped. Only otherwise (or with a `\\u` escape) is the text parsed again, slowly and
    exactly.
    """
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None  # the validator reports the syntax error
    if type(parsed) is not dict and type(parsed) is not list:
        return None
    if b"\\u" not in data:
        try:
            if data.count(b'"') == orjson.dumps(parsed).count(b'"'):
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


# --------------------------------------------------------------------------- streaming

# Outside strings: the characters that give a JSON text its structure, and a whole string
# in one step where it ends within the data at hand. Inside a string: its end or an escape.
_STRUCTURE = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},"]')
_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_SKIP_TOP = re.compile(rb'(?:[^"\[\]{},\\]+|' + _STRING + rb")*")
_SKIP_NESTED = re.compile(rb'(?:[^"\[\]{}\\]+|' + _STRING + rb")*")
_IN_STRING = re.compile(rb'["\\]')
_WHITE = b" \t\r\n"
_TYPE_OF_FIRST = {
    ord('"'): "str",
    ord("["): "list",
    ord("t"): "bool",
    ord("f"): "bool",
    ord("n"): "NoneType",
}


class Items:
    """Cut a JSON array into its items' bytes without parsing it: the text is scanned for
    its structure (strings skipped whole), so memory holds one item, and an item longer
    than `limit` bytes is scanned on to its end without being kept.

    Yields (index, item bytes, None) for an item that is an object, and (index, None,
    problem) for anything else. Where the data ends inside the array, `cut` is the index
    and the size of the item left open; `trailing` says that something other than white
    space follows the array."""

    def __init__(self, read: Any, limit: int, block: int = 1 << 16) -> None:
        self._read = read  # read(n) -> bytes, b"" at the end
        self._limit = limit
        self._block = block
        self.cut: tuple[int, int] | None = None
        self.trailing = False

    def __iter__(self) -> Iterator[tuple[int, bytes | None, str | None]]:
        limit = self._limit
        buffer = b""
        while b"[" not in buffer:  # the caller has seen '[' as the first byte
            more = self._read(self._block)
            if not more:
                return
            buffer += more
        position = buffer.find(b"[") + 1
        start = position  # where the item being read starts in `buffer`
        dropped = 0  # bytes of an oversized item already let go
        depth = 1
        in_string = False
        index = 0
        while True:
            if in_string:
                found = _IN_STRING.search(buffer, position)
                if found is None or (
                    buffer[found.start()] == 0x5C and found.start() + 1 >= len(buffer)
                ):
                    position = found.start() if found is not None else len(buffer)
                else:
                    position = found.end() + (buffer[found.start()] == 0x5C)
                    in_string = buffer[found.start()] == 0x5C
                    continue
            else:
                # Past whole strings and everything but brackets (and commas at the top)
                # in one step; then one mark, or a string that does not end in the data.
                skip = _SKIP_TOP if depth == 1 else _SKIP_NESTED
                position = skip.match(buffer, position).end()  # type: ignore[union-attr]
                if position < len(buffer):
                    mark = buffer[position]
                    position += 1
                    if mark == 0x22:  # '"' of a string that goes on past the data
                        in_string = True
                    elif mark == 0x2C:  # ',' (at the top: the others were skipped)
                        yield self._item(index, buffer[start : position - 1], dropped)
                        index += 1
                        start, dropped = position, 0
                    elif mark in b"[{":
                        depth += 1
                    elif mark in b"]}":
                        depth -= 1
                        if depth == 0:
                            item = buffer[start : position - 1]
                            if index or item.strip(_WHITE) or dropped:
                                yield self._item(index, item, dropped)
                            self.trailing = bool(buffer[position:].strip(_WHITE))
                            while not self.trailing and (more := self._read(self._block)):
                                self.trailing = bool(more.strip(_WHITE))
                            return
                    continue  # (a backslash outside a string: invalid, the item's parser says)
            # More data is needed: keep the item being read (or, past the limit, only
            # what is still to be scanned).
            more = self._read(self._block)
            if not more:
                self.cut = (index, len(buffer) - start + dropped)
                return
            if dropped or position - start > limit:
                dropped += position - start
                buffer, start, position = buffer[position:] + more, 0, 0
            else:
                buffer = buffer[start:] + more
                position -= start
                start = 0

    def _item(self, index: int, item: bytes, dropped: int) -> tuple[int, bytes | None, str | None]:
        size = len(item) + dropped
        item = item.strip(_WHITE)
        if dropped or len(item) > self._limit:
            return (
                index,
                None,
                (
                    f"an item of {size:,} bytes; one record may hold at most "
                    f"{in_bytes(self._limit)}, so it was not read"
                ),
            )
        if not item:
            return index, None, "an empty item (two commas in a row, or a comma before ']')"
        if item[0] != 0x7B:  # '{'
            kind = _TYPE_OF_FIRST.get(item[0])
            if kind is None:
                kind = "float" if any(c in item for c in b".eE") else "int"
            return index, None, f"expected a JSON object (a profile), got {kind}"
        return index, item, None


def closes(line: bytes) -> bool:
    """Whether a line that starts with '{' closes it again (strings skipped): a whole
    JSON object on one line, as in JSON Lines, rather than the start of a longer one."""
    depth = 0
    for found in _STRUCTURE.finditer(line):
        mark = found.group()
        if mark == b'"':
            return False  # a string that does not end on the line
        if mark in (b"{", b"["):
            depth += 1
        elif mark in (b"}", b"]"):
            depth -= 1
            if depth == 0:
                return not line[found.end() :].strip(_WHITE)
    return False


def looks_like_lines(data: bytes) -> bool:
    """JSON Lines rather than one document: more than one line, each starting with '{'."""
    lines = [line for line in data.removeprefix(b"\xef\xbb\xbf").split(b"\n") if line.strip()]
    return len(lines) > 1 and all(line.lstrip()[:1] == b"{" for line in lines)
