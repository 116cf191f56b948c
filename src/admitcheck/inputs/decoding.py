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
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ProfileError(f"{name}: is UTF-16 text, expected UTF-8; save the file as UTF-8")
    if b"\x00" in data[:8192]:
        raise ProfileError(f"{name}: looks like a binary file, expected UTF-8 JSON text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from None


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
