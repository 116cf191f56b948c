"""The validated built-in catalogue and the profile's core schema, kept on disk between runs.

Parsing, validating and resolving the shipped rules and reference data costs more than
importing the whole stack, on every `check`; pydantic building the profile's schema from
its models costs 30-50 ms more. Each result depends only on the shipped data files (none
for the schema), admitcheck's own code and the versions of Python and the libraries that
built it, so it is pickled under a key made of all of those and reused while the key
matches.

The cache lives in `$ADMITCHECK_CACHE_DIR`, else `$XDG_CACHE_HOME/admitcheck`, else
`~/.cache/admitcheck`; `ADMITCHECK_CACHE_DIR=off` turns it off (docs/cache.md).

Unpickling runs code, and an entry decides every answer, so an entry is read only from a
place no one else can write, checked on the open descriptors, as OpenSSH treats its key
files: the folder (opened with `O_DIRECTORY | O_NOFOLLOW`) and the entry (opened in that
folder with `O_NOFOLLOW`) must each be owned by the effective user and writable by
neither group nor others, and the entry a regular file. Anything else is ignored, never
written to, and the value is built from the shipped data. Within that, an entry must
name its key and carry the SHA-256 of its pickle (a torn or renamed file is rebuilt),
and unpickling may refer only to the core's own classes and what the entry's caller
lists (`_CoreUnpickler`).

A cache fault only ever costs time: whatever cannot be read is rebuilt, whatever cannot
be written is skipped, silently. Writes go to a 0600 temporary file in the same folder,
renamed over the entry; a folder the cache creates is 0700.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import io
import os
import pickle
import secrets
import stat
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, TypeVar, cast

T = TypeVar("T")

_PACKAGE = Path(__file__).resolve().parent

# Descriptor-relative calls (`dir_fd`) and `O_NOFOLLOW` are what make the checks race-free;
# where they are missing (Windows) the cache is off.
ENABLED = os.name == "posix" and os.open in os.supports_dir_fd

# An entry: this line, its key and a newline, the SHA-256 of the pickle, the pickle.
_MAGIC = b"admitcheck cache 2\n"
_DIGEST = hashlib.sha256().digest_size
_LARGEST = 64 << 20  # the catalogue's entry is about 1.6 MB; far larger is not one of ours
_STALE_PART = 3600  # seconds after which a temporary file is an interrupted write's
_MISSING = object()


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off."""
    chosen = os.environ.get("ADMITCHECK_CACHE_DIR")
    if chosen == "off" or not ENABLED:
        return None
    if chosen:
        return Path(chosen)
    base = Path(os.environ.get("XDG_CACHE_HOME", ""))
    if base.is_absolute():  # the XDG spec: a relative path is invalid, ignored
        return base / "admitcheck"
    try:
        return Path.home() / ".cache" / "admitcheck"
    except (RuntimeError, KeyError):  # no HOME and no passwd entry
        return None


def _versions() -> str:
    # Modules' own version attributes: importlib.metadata alone costs ~10 ms to import.
    import orjson
    import pydantic_core
    from pydantic.version import VERSION

    return ";".join(
        [
            sys.version,
            VERSION,
            pydantic_core.__version__,
            _unimported("pycountry"),
            orjson.__version__,
        ]
    )


def _unimported(name: str) -> str:
    """An installed package's version, without importing it (pycountry takes ~25 ms to
    import, and a cached catalogue needs none of it): the names of its distribution's
    metadata folder beside it, else its module file's size and modification time."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return "?"
    origin = Path(spec.origin)
    home = origin.parent.parent
    found = sorted(p.name for p in home.glob(f"{name}-*.dist-info"))
    if found:
        return ",".join(found)
    status = origin.stat()
    return f"{origin}:{status.st_size}:{status.st_mtime_ns}"


@functools.cache
def _code_and_versions() -> bytes:
    """The versions and the code's files (by size and modification time), once a process:
    the code a process runs is the code it imported."""
    parts = [_versions()]
    for path in sorted(_PACKAGE.rglob("*.py")):
        status = path.stat()
        parts.append(f"{path}:{status.st_size}:{status.st_mtime_ns}")
    return "\n".join(parts).encode()


def key_of(data_files: Iterable[Path]) -> str:
    """What the cached value was built from: the data's bytes, the code's files (by size
    and modification time) and the versions."""
    digest = hashlib.sha256(_code_and_versions())
    for path in sorted(data_files):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def entry_name(name: str, key: str) -> str:
    return f"{name}-{key}.pickle"


def entry_path(name: str, data_files: Iterable[Path]) -> Path | None:
    """Where the entry for this data, code and these versions is read and written (None:
    the cache is off)."""
    folder = cache_dir()
    return None if folder is None else folder / entry_name(name, key_of(data_files))


def entry_bytes(key: str, payload: bytes) -> bytes:
    """An entry's content: the header naming its key, the payload's digest, the payload."""
    return b"".join([_MAGIC, key.encode(), b"\n", hashlib.sha256(payload).digest(), payload])


def cached(
    name: str,
    data_files: Iterable[Path],
    build: Callable[[], T],
    *,
    shape: Callable[[object], bool],
    also: frozenset[tuple[str, str]] = frozenset(),
) -> T:
    """`build()`, or what it returned last time for the same data, code and versions.
    `shape`: whether a loaded value is one `build` could have returned; an entry of
    another shape (only ever one put there by hand) is built and written again.
    `also`: the (module, qualified name) pairs this entry may name beyond the core's
    classes (`_CoreUnpickler`), each one vetted by its caller."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        key = key_of(data_files)
    except OSError:
        return build()
    entry = entry_name(name, key)
    try:
        found = _read(folder, entry, key, also)
    except Exception:  # missing, foreign, torn, from another version: rebuild
        found = _MISSING
    if found is not _MISSING and shape(found):
        return cast("T", found)
    value = build()
    # Any failure to store (an unwritable or full folder, a value that cannot be
    # pickled) costs only the time of the next build.
    with contextlib.suppress(Exception):
        _store(folder, name, entry, key, value)
    return value


# --------------------------------------------------------------------------- checks


def _private(status: os.stat_result, kind: int) -> bool:
    """Owned by the effective user, of the expected kind and writable by no one else
    (group and other write bits; an ACL granting anyone write shows in the group bits)."""
    return (
        status.st_uid == os.geteuid()
        and stat.S_IFMT(status.st_mode) == kind
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _open_folder(folder: Path) -> int | None:
    """The folder's descriptor, when it is private; None when it is not (closed)."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(folder, flags)
    if _private(os.fstat(fd), stat.S_IFDIR):
        return fd
    os.close(fd)
    return None


# --------------------------------------------------------------------------- reading


def _read(folder: Path, entry: str, key: str, also: frozenset[tuple[str, str]]) -> object:
    """The entry's value; `_MISSING` where it is not private or not whole; an error where
    it cannot be opened or unpickled."""
    folder_fd = _open_folder(folder)
    if folder_fd is None:
        return _MISSING
    try:
        # O_NONBLOCK: a FIFO under the entry's name must not hang the run.
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
        fd = os.open(entry, flags, dir_fd=folder_fd)
    finally:
        os.close(folder_fd)
    try:
        status = os.fstat(fd)
        if not _private(status, stat.S_IFREG) or status.st_size > _LARGEST:
            return _MISSING
        data = _read_all(fd, status.st_size)
    finally:
        os.close(fd)
    header = _MAGIC + key.encode() + b"\n"
    if not data.startswith(header):
        return _MISSING
    digest, payload = data[len(header) : len(header) + _DIGEST], data[len(header) + _DIGEST :]
    if hashlib.sha256(payload).digest() != digest:
        return _MISSING
    return _CoreUnpickler(io.BytesIO(payload), also).load()


def _read_all(fd: int, size: int) -> bytes:
    """Up to just over `_LARGEST` bytes (an entry that grows while read is not whole)."""
    parts, total = [], 0
    while total <= _LARGEST and (block := os.read(fd, max(size - total, 1 << 16))):
        parts.append(block)
        total += len(block)
    return b"".join(parts)


# The modules whose classes an entry may name: the functional core, which does no I/O
# (CONTRIBUTING.md), so building one of its objects from an entry's arguments cannot reach
# the world outside the process. Never its functions: some are getattr in other words
# (`requirements.base.form`), and a pickle that may call getattr may call anything.
_CORE_MODULES = (
    "admitcheck.cycles",
    "admitcheck.models",
    "admitcheck.requirements",
    "admitcheck.reference",
    "admitcheck.taxonomy",
    "admitcheck.vocabulary",
)
# Beyond the core's classes, each thing any entry may name: how a shipped kind pickles
# (`Kind.__reduce__`) and dates.
_NAMED = frozenset({("admitcheck.requirements", "shipped_kind"), ("datetime", "date")})


class _CoreUnpickler(pickle.Unpickler):
    """An unpickler that finds only the functional core's classes, `_NAMED`, and the
    (module, qualified name) pairs its caller lists for one entry (`also`).

    Private entries are the guard; this is a second one, for a folder that is private but
    whose files came from elsewhere (copied in, restored from a CI cache): a pickle that
    names `os.system`, `pathlib.Path.touch` or any other function stops here.
    """

    def __init__(self, file: IO[bytes], also: frozenset[tuple[str, str]] = frozenset()) -> None:
        super().__init__(file)
        self._also = also

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _NAMED or (module, name) in self._also:
            found: Any = importlib.import_module(module)
            for part in name.split("."):
                found = getattr(found, part)
            return found
        core = any(module == m or module.startswith(m + ".") for m in _CORE_MODULES)
        if core and name.isidentifier() and all(p.isidentifier() for p in module.split(".")):
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"an entry may not refer to {module}.{name}")


# --------------------------------------------------------------------------- writing


def _store(folder: Path, name: str, entry: str, key: str, value: object) -> None:
    try:
        folder_fd = _open_folder(folder)
    except FileNotFoundError:
        _make_folder(folder)
        folder_fd = _open_folder(folder)
    if folder_fd is None:  # not private: write nothing there
        return
    try:
        data = entry_bytes(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        _replace(folder_fd, name, entry, data)
        _tidy(folder_fd, name, entry)
    finally:
        os.close(folder_fd)


def _make_folder(folder: Path) -> None:
    """The folder and any missing parents, each 0700 (as the XDG spec asks)."""
    missing = []
    at = folder.absolute()
    while not at.exists() and at != at.parent:
        missing.append(at)
        at = at.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # a run starting at the same time
            path.mkdir(mode=0o700)


def _replace(folder_fd: int, name: str, entry: str, data: bytes) -> None:
    """The entry written whole or not at all: a 0600 temporary file, renamed over it."""
    part = f".{name}-{secrets.token_hex(8)}.part"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(part, flags, 0o600, dir_fd=folder_fd)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        # No fsync: a crash may leave a torn entry, which its digest refuses.
        os.replace(part, entry, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part, dir_fd=folder_fd)
        raise


def _tidy(folder_fd: int, name: str, entry: str) -> None:
    """Entries of other keys (earlier versions) and interrupted writes' temporary files;
    not another run's write in progress."""
    now = time.time()
    for other in os.listdir(folder_fd):
        with contextlib.suppress(OSError):
            if other.startswith(f"{name}-") and other.endswith(".pickle") and other != entry:
                os.unlink(other, dir_fd=folder_fd)
            elif other.startswith(f".{name}-") and other.endswith(".part"):
                age = now - os.stat(other, dir_fd=folder_fd, follow_symlinks=False).st_mtime
                if age > _STALE_PART:
                    os.unlink(other, dir_fd=folder_fd)
