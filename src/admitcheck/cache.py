"""The validated built-in catalogue, kept on disk between runs.

Parsing, validating and resolving the shipped rules and reference data costs more than
importing the whole stack, on every `check`. The result depends only on the shipped data
files, admitcheck's own code and the versions of Python and the libraries that built it,
so it is pickled under a key made of all of those and reused while the key matches.

The cache lives in `$ADMITCHECK_CACHE_DIR`, else `$XDG_CACHE_HOME/admitcheck`, else
`~/.cache/admitcheck`; `ADMITCHECK_CACHE_DIR=off` turns it off. A cache that cannot be
read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    chosen = os.environ.get("ADMITCHECK_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "admitcheck"


def _versions() -> str:
    # Modules' own version attributes: importlib.metadata alone costs ~10 ms to import.
    import orjson
    import pycountry
    import pydantic_core
    from pydantic.version import VERSION

    return ";".join(
        [
            sys.version,
            VERSION,
            pydantic_core.__version__,
            str(getattr(pycountry, "__version__", "?")),
            orjson.__version__,
        ]
    )


def key_of(data_files: Iterable[Path]) -> str:
    """What the cached value was built from: the data's bytes, the code's files (by size
    and modification time) and the versions."""
    digest = hashlib.sha256(_versions().encode())
    for path in sorted(data_files):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    for path in sorted(_PACKAGE.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def cached(name: str, data_files: Iterable[Path], build: Callable[[], T]) -> T:
    """`build()`, or what it returned last time for the same data, code and versions."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        path = folder / f"{name}-{key_of(data_files)}.pickle"
    except OSError:
        return build()
    with contextlib.suppress(Exception):  # missing, truncated, from another version: rebuild
        with path.open("rb") as handle:
            found: T = pickle.load(handle)
        return found
    value = build()
    with contextlib.suppress(OSError, pickle.PicklingError, AttributeError, TypeError):
        _store(folder, name, path, value)
    return value


def _store(folder: Path, name: str, path: Path, value: object) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for old in folder.glob(f"{name}-*.pickle"):  # earlier versions' entries
        with contextlib.suppress(OSError):
            old.unlink()
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
