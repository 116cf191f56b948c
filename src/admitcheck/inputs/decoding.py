"""Bytes in: files and standard input read with limits, decoded as UTF-8 with clear words."""

from __future__ import annotations

import sys
from pathlib import Path

from admitcheck.errors import ProfileError, UsageError

MAX_PROFILE_BYTES = 64 * 1024 * 1024
STDIN = "-"
STDIN_NAME = "<stdin>"


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped); anything else is one ProfileError naming the file."""
    head = data[:8192]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(head):
        raise ProfileError(f"{name}: is UTF-16 text, expected UTF-8; save the file as UTF-8")
    if b"\x00" in head:
        raise ProfileError(f"{name}: looks like a binary file, expected UTF-8 JSON text")
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
        raise ProfileError(f"{name}: larger than {limit // (1024 * 1024)} MiB; not a profile")
    return data, name
