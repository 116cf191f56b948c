"""Where data goes: standard output, or a file written atomically."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from admitcheck.errors import UsageError


@contextlib.contextmanager
def open_output(path: Path | None) -> Iterator[IO[bytes]]:
    """Standard output, or a temporary file beside `path` renamed over it on success.

    A failed or interrupted run leaves the old file (or none), never half a file.
    """
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    directory = path.resolve().parent
    if not directory.is_dir():
        raise UsageError(f"{path}: folder {directory} does not exist")
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below on every path
        dir=directory, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    try:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        Path(handle.name).replace(path)
    except BaseException:
        handle.close()
        with contextlib.suppress(OSError):
            Path(handle.name).unlink()
        raise
