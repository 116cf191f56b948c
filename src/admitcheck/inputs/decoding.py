"""Bytes in: files and standard input read with limits, decoded as UTF-8 with clear words."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from admitcheck.errors import ProfileError, UsageError

# One profile, one record of a batch: a JSON Lines line, a CSV row, an item of a JSON
# array, a JSON file of one object. Checked before the record is parsed or joined.
MAX_RECORD_BYTES = 1024 * 1024
MAX_PROFILE_BYTES = MAX_RECORD_BYTES
STDIN = "-"
STDIN_NAME = "<stdin>"

# What a terminal must never get raw from a file name: C0 and C1 controls (escape
# sequences, a newline that would forge a line), bidi embeddings, overrides and isolates
# (text that reads in another order than it is), line and paragraph separators, and the
# lone surrogates that stand for bytes that are not UTF-8.
_UNSAFE_IN_NAMES = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def escaped(match: re.Match[str]) -> str:
    """One unsafe character as a visible escape (\\xNN, \\uNNNN); a byte that was not
    UTF-8 (kept by surrogateescape) as the byte it was."""
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(name: str) -> str:
    """A file name (or any text) as it may be shown and written: every character that
    could act on a terminal or reorder a line is written as a visible escape, and bytes
    that are not UTF-8 as \\xNN, so the result is always valid UTF-8."""
    return _UNSAFE_IN_NAMES.sub(escaped, name) if _UNSAFE_IN_NAMES.search(name) else name


def in_bytes(count: int) -> str:
    """'1,048,576 bytes (1 MiB)': the figure of a limit, in words."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale and count % scale == 0:
            return f"{count:,} bytes ({count // scale} {unit})"
    return f"{count:,} bytes"


def not_text(head: bytes) -> str | None:
    """Why data that starts with `head` is not UTF-8 text, or None: UTF-16 or UTF-32
    (with a byte order mark, or ASCII with zero bytes between), or a zero byte in the
    first line (a zero byte further on is a problem of its line only)."""
    if head[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return "is UTF-32 text, expected UTF-8; save the file as UTF-8"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(head):
        return "is UTF-16 text, expected UTF-8; save the file as UTF-8"
    if b"\x00" in head.split(b"\n", 1)[0]:
        return "looks like a binary file (it holds zero bytes), expected UTF-8 text"
    return None


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped); anything else is one ProfileError naming the file."""
    head = data[:8192]
    refused = not_text(head) or (
        "looks like a binary file (it holds zero bytes), expected UTF-8 text"
        if b"\x00" in head
        else None
    )
    if refused is not None:
        raise ProfileError(f"{name}: {refused}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from None


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte order mark: ASCII text with a zero byte beside every letter."""
    if len(head) < 4 or b"\x00" not in head:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) > 0.9 * len(even) or odd.count(0) > 0.9 * len(odd)


def looks_like_yaml(text: str) -> bool:
    """A YAML document rather than JSON: '---', or 'key: value' lines, no braces."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return False
    lines = [line for line in stripped.splitlines() if line.strip() and not line.startswith("#")]
    return stripped.startswith("---") or (
        bool(lines) and sum(":" in line for line in lines) >= max(1, len(lines) // 2)
    )


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
        many = " (for many profiles, use `admitcheck batch`)" if data.lstrip()[:1] == b"[" else ""
        raise ProfileError(
            f"{name}: larger than {limit:,} bytes ({limit // (1024 * 1024)} MiB), the most "
            f"one profile may hold{many}"
        )
    return data, name
