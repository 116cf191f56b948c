"""Where data goes, and how it gets there safely.

- standard output (no path, or `-`): written through;
- a device, a FIFO, a socket, or a path under /dev or /proc (`/dev/stdout`): written
  through, never replaced (a regular file in its place would break the device, and a
  FIFO's reader would hang);
- a regular file, or a new one: written to a temporary file beside it and renamed over it
  only when complete, so an interrupted or failed run leaves the old file (or none), never
  half a file. An existing file keeps its permissions (a new one gets the umask's); a
  read-only file is refused; through a symlink, the target is replaced, not the link;
- onto one of the run's own inputs: refused.

Every failure to write is one `OutputError` naming the path and the reason (exit 74, as
sysexits' EX_IOERR), never an internal error.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from admitcheck.errors import OutputError, UsageError

STDOUT = "-"


@dataclass(frozen=True)
class Target:
    """Where a command's output goes, decided before anything is written."""

    kind: Literal["stdout", "stream", "file"]
    shown: str  # the path as the user gave it, for messages
    path: Path | None = None  # for "file": the file that will be replaced (links resolved)
    mode: int = 0o644  # for "file": the permissions the written file gets

    @property
    def is_file(self) -> bool:
        return self.kind == "file"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def reason(exc: OSError) -> str:
    """An OS error in words: 'No space left on device', 'Permission denied'."""
    return exc.strerror or os.strerror(exc.errno or 0) or type(exc).__name__


def plan(path: str | os.PathLike[str] | None, inputs: Iterable[str | Path] = ()) -> Target:
    """Decide how to write to `path`, refusing what cannot or must not be written."""
    if path is None or str(path) == STDOUT:
        return Target("stdout", "standard output")
    shown = str(path)
    if not shown.strip():
        raise UsageError("the output path is empty; give a file name, or - for standard output")
    given = Path(shown)
    if shown.endswith(os.sep) and not given.is_dir():  # Path() would drop the slash
        raise OutputError(f"{shown}: no such folder; give a file name")
    if shown.startswith(("/dev/", "/proc/")):
        return Target("stream", shown, given)
    try:
        status = given.stat()
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write ({reason(exc)})") from None
    if status is not None:
        if stat.S_ISDIR(status.st_mode):
            raise OutputError(f"{shown}: is a folder; give a file name")
        if not stat.S_ISREG(status.st_mode):
            return Target("stream", shown, given)
        for item in inputs:
            with contextlib.suppress(OSError):
                if str(item) != STDOUT and Path(item).samefile(given):
                    raise UsageError(f"{shown}: is one of the inputs; write the output elsewhere")
        if not status.st_mode & 0o222:
            raise OutputError(
                f"{shown}: is read-only (mode {stat.S_IMODE(status.st_mode):04o}); "
                "change its permissions or write elsewhere"
            )
        return Target("file", shown, given.resolve(), stat.S_IMODE(status.st_mode))
    target = given.resolve() if given.is_symlink() else given  # a dangling link: its target
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{shown}: no such folder {folder}")
    if len(target.name.encode()) > 255:
        raise OutputError(f"{shown}: the file name is too long ({len(target.name)} characters)")
    return Target("file", shown, target, 0o666 & ~_umask())


@contextlib.contextmanager
def open_output(target: Target) -> Iterator[IO[bytes]]:
    """A binary stream for the target; for a file, the rename happens on a clean exit."""
    if target.kind == "stdout":
        try:
            with _write_errors(target):
                sys.stdout.flush()  # what was printed before comes first
                yield sys.stdout.buffer
                sys.stdout.buffer.flush()
        except OutputError:
            _silence_stdout()
            raise
        return
    assert target.path is not None
    if target.kind == "stream":
        try:
            # Buffered: a device or a pipe may take part of a write, and a buffered
            # writer writes the rest (a raw one would drop it silently).
            handle = target.path.open("wb")
        except OSError as exc:
            raise OutputError(f"{target.shown}: cannot write ({reason(exc)})") from None
        with _write_errors(target), handle:
            yield handle
        return
    yield from _atomic(target)


def write_all(sink: IO[bytes], data: bytes) -> None:
    """Write every byte of `data`, in order, after what the sink holds.

    A buffered write to a pipe that a signal interrupts can return having written only
    part of the data (CPython's BufferedWriter drops the rest when the raw write comes
    back short); a loop over the raw descriptor continues where it stopped."""
    try:
        descriptor = sink.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):  # an in-memory stream
        sink.write(data)
        return
    sink.flush()
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _silence_stdout() -> None:
    """After standard output failed (a full disk, a device error), point it at
    /dev/null, so that the interpreter's last flush at exit cannot fail again and print
    'Exception ignored' after our one line."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _atomic(target: Target) -> Iterator[IO[bytes]]:
    assert target.path is not None
    folder = target.path.parent
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{target.path.name[:200]}.", suffix=".part"
        )
    except OSError as exc:
        raise OutputError(f"{target.shown}: cannot write in {folder} ({reason(exc)})") from None
    try:
        os.fchmod(descriptor, target.mode)
        with _write_errors(target), os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            Path(temporary).replace(target.path)
        except OSError as exc:
            raise OutputError(f"{target.shown}: cannot replace it ({reason(exc)})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


@contextlib.contextmanager
def _write_errors(target: Target) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise  # the reader went away: the command says nothing and stops
        raise OutputError(f"{target.shown}: cannot write ({reason(exc)})") from None


def write_file(path: str | Path, data: bytes, *, replace: bool) -> Target:
    """Write a whole small file (init's profile) the same safe way."""
    target = plan(path)
    if target.is_file and target.path is not None and target.path.exists() and not replace:
        raise UsageError(f"{target.shown}: exists; use --force to overwrite it")
    with open_output(target) as handle:
        handle.write(data)
    return target
