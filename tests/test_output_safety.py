"""Output safety through the real CLI, in subprocesses: where each write goes, what each
failure says, the exit codes of signals, and that nothing else on disk changes.

Every case runs `python -m admitcheck ...` in a temporary folder of its own and checks
the exit code, the one line on stderr (path and reason; never a traceback) and a snapshot
of the folder taken before and after (names, kinds, sizes, modes, mtimes, inodes,
contents): only the paths a case names may change, and no temporary file is left.
Devices are nodes the test creates in its folder with mknod (never the system's
/dev/null or /dev/full, which a wrong rename would destroy).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import pty
import re
import select
import signal
import stat
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from admitcheck.cli import app
from admitcheck.errors import ProfileError
from admitcheck.inputs.profiles import Screen, validate_document
from admitcheck.models.profile import Profile
from admitcheck.models.program import Catalog
from tests.conftest import AS_OF, AS_OF_DATE, EXAMPLES, ROOT
from tests.strategies import TEST_DATES, valid_profiles

ADMITCHECK = (sys.executable, "-m", "admitcheck")
PROGRAM = ("-p", "usc-msece-mlds", "--as-of", AS_OF)
LONG = "a" * 300 + ".jsonl"  # a file name longer than any file system takes (255 bytes)
NO_SPACE = os.strerror(28)  # ENOSPC: "No space left on device"


# --------------------------------------------------------------------------- the folder


@dataclass(frozen=True)
class Entry:
    kind: int  # stat.S_IFMT
    mode: int
    size: int
    mtime_ns: int
    inode: int
    device: tuple[int, int] | None  # (major, minor) of a device node
    link: str | None  # a symlink's target
    digest: str | None  # a regular file's contents


def snapshot(folder: Path) -> dict[str, Entry]:
    """Everything in the folder, symlinks not followed."""
    found: dict[str, Entry] = {}
    for parent, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(parent, name)
            status = path.lstat()
            kind = stat.S_IFMT(status.st_mode)
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(kind) else None
            device = (
                (os.major(status.st_rdev), os.minor(status.st_rdev))
                if stat.S_ISCHR(kind) or stat.S_ISBLK(kind)
                else None
            )
            found[str(path.relative_to(folder))] = Entry(
                kind,
                stat.S_IMODE(status.st_mode),
                status.st_size if not stat.S_ISDIR(kind) else 0,
                0 if stat.S_ISDIR(kind) else status.st_mtime_ns,  # its entries are compared
                status.st_ino,
                device,
                str(path.readlink()) if stat.S_ISLNK(kind) else None,
                digest,
            )
    return found


def assert_only_changed(
    before: dict[str, Entry], after: dict[str, Entry], allowed: frozenset[str]
) -> None:
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert changed <= allowed, f"changed on disk besides {sorted(allowed)}: {sorted(changed)}"
    leftovers = [p for p in after if p.endswith(".part") or Path(p).name.startswith(".")]
    assert not leftovers, f"temporary files left: {leftovers}"


def make_device(path: Path, minor: int) -> None:
    """A character device node like /dev/null (1, 3) or /dev/full (1, 7), in the test's
    own folder."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("creating device nodes needs CAP_MKNOD")


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "ADMITCHECK_DEBUG")}
    env.update(COLUMNS="100", NO_COLOR="1", TERM="dumb", **extra)
    return env


def records(data: bytes | str) -> list[Any]:
    text = data.decode() if isinstance(data, bytes) else data
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got: {stderr!r}"
    return lines[0]


# --------------------------------------------------------------------------- the table


def _nothing(folder: Path) -> None:
    pass


def _check_nothing(folder: Path, before: dict[str, Entry], stdout: bytes) -> None:
    pass


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    code: int
    message: str | None  # the one line on stderr; None: stderr is empty
    changes: frozenset[str] = frozenset()  # the paths that may change; nothing else may
    setup: Callable[[Path], None] = _nothing
    after: Callable[[Path, dict[str, Entry], bytes], None] = _check_nothing
    stdout_to: str | None = None  # a node in the folder that standard output is opened on
    fifo: str | None = None  # a FIFO in the folder read by a thread while the command runs
    umask: int = 0o022


def batch(*args: str) -> tuple[str, ...]:
    return ("batch", "in.json", *PROGRAM, *args)


def write(name: str, text: str, mode: int = 0o644) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / name).write_text(text, encoding="utf-8")
        (folder / name).chmod(mode)

    return setup


def both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        for one in setups:
            one(folder)

    return setup


def symlink(name: str, target: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).symlink_to(target)

    return setup


def folder_named(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).mkdir()


def device(name: str, minor: int) -> Callable[[Path], None]:
    return lambda folder: make_device(folder / name, minor)


def fifo(name: str) -> Callable[[Path], None]:
    return lambda folder: os.mkfifo(folder / name)


def maria_report(
    path: str, *, mode: int | None = None, replaced: bool = False
) -> Callable[..., None]:
    """The output file holds the one report, with these permissions; `replaced`: it is a
    new file (a new inode) put in place of the old one."""

    def check(folder: Path, before: dict[str, Entry], stdout: bytes) -> None:
        status = (folder / path).lstat()
        assert stat.S_ISREG(status.st_mode)
        [report] = records((folder / path).read_bytes())
        assert (report["applicant"]["id"], report["verdict"]) == ("A-2001", "eligible")
        if mode is not None:
            assert stat.S_IMODE(status.st_mode) == mode
        if replaced:
            assert status.st_ino != before[path].inode, "the file was rewritten in place"

    return check


def report_on_stdout(folder: Path, before: dict[str, Entry], stdout: bytes) -> None:
    [report] = records(stdout)
    assert report["applicant"]["id"] == "A-2001"


def csv_file(folder: Path, before: dict[str, Entry], stdout: bytes) -> None:
    header, row = (folder / "results.csv").read_text(encoding="utf-8").splitlines()
    assert header.startswith("source,id,name,program,verdict")
    assert ",A-2001,Maria Gonzalez,usc-msece-mlds,eligible," in row
    assert stdout == b""


def summary_file(folder: Path, before: dict[str, Entry], stdout: bytes) -> None:
    maria_report("out.jsonl")(folder, before, stdout)
    assert isinstance(json.loads((folder / "summary.json").read_bytes()), dict)


def still_device(name: str, minor: int) -> Callable[..., None]:
    def check(folder: Path, before: dict[str, Entry], stdout: bytes) -> None:
        status = (folder / name).lstat()
        assert stat.S_ISCHR(status.st_mode), f"{name} is no longer a device"
        assert (os.major(status.st_rdev), os.minor(status.st_rdev)) == (1, minor)

    return check


def still_fifo(folder: Path, before: dict[str, Entry], stdout: bytes) -> None:
    assert stat.S_ISFIFO((folder / "out.fifo").lstat().st_mode)


def link_kept_target_replaced(folder: Path, before: dict[str, Entry], stdout: bytes) -> None:
    assert str((folder / "link.jsonl").readlink()) == "sub/target.jsonl"
    maria_report("sub/target.jsonl", mode=0o600, replaced=True)(folder, before, stdout)


def blank_profile_on_stdout(folder: Path, before: dict[str, Entry], stdout: bytes) -> None:
    document = json.loads(stdout)
    assert set(document) >= {"degree", "gpa", "tests", "courses", "materials"}
    Profile.model_validate(document)


def profile_file(name: str, mode: int) -> Callable[..., None]:
    def check(folder: Path, before: dict[str, Entry], stdout: bytes) -> None:
        path = folder / name
        assert stat.S_IMODE(path.stat().st_mode) == mode
        document = json.loads(path.read_bytes())
        assert "materials" in document
        Profile.model_validate(document)

    return check


INPUT_REFUSED = "is one of the inputs; write the output elsewhere"
EMPTY = "admitcheck: the output path is empty; give a file name, or - for standard output"
STDOUT_FULL = f"admitcheck: standard output: cannot write ({NO_SPACE})"

CASES = [
    # batch -o: regular files, atomically
    pytest.param(
        Case(
            batch("-o", "new.jsonl"),
            0,
            None,
            frozenset({"new.jsonl"}),
            after=maria_report("new.jsonl", mode=0o640),
            umask=0o027,
        ),
        id="batch-new-file-created-with-the-umask-mode",
    ),
    pytest.param(
        Case(
            batch("-o", "old.jsonl"),
            0,
            None,
            frozenset({"old.jsonl"}),
            setup=write("old.jsonl", "old\n", 0o640),
            after=maria_report("old.jsonl", mode=0o640, replaced=True),
        ),
        id="batch-existing-0640-file-replaced-atomically-mode-kept",
    ),
    pytest.param(
        Case(
            batch("-o", "ro.jsonl"),
            74,
            "admitcheck: ro.jsonl: is read-only (mode 0444); change its permissions or write "
            "elsewhere",
            setup=write("ro.jsonl", "old\n", 0o444),
        ),
        id="batch-read-only-0444-file-refused-even-for-root",
    ),
    pytest.param(
        Case(
            batch("-o", "link.jsonl"),
            0,
            None,
            frozenset({"sub/target.jsonl"}),
            setup=both(
                folder_named("sub"),
                write("sub/target.jsonl", "old\n", 0o600),
                symlink("link.jsonl", "sub/target.jsonl"),
            ),
            after=link_kept_target_replaced,
        ),
        id="batch-symlink-target-replaced-link-kept",
    ),
    pytest.param(
        Case(
            batch("-o", "dangling.jsonl"),
            0,
            None,
            frozenset({"sub/new.jsonl"}),
            setup=both(folder_named("sub"), symlink("dangling.jsonl", "sub/new.jsonl")),
            after=maria_report("sub/new.jsonl"),
        ),
        id="batch-dangling-symlink-creates-its-target-link-kept",
    ),
    pytest.param(
        Case(
            batch("-o", "outdir"),
            74,
            "admitcheck: outdir: is a folder; give a file name",
            setup=folder_named("outdir"),
        ),
        id="batch-folder-refused",
    ),
    pytest.param(
        Case(batch("-o", "newdir/"), 74, "admitcheck: newdir/: no such folder; give a file name"),
        id="batch-trailing-slash-is-a-folder-not-a-file",
    ),
    pytest.param(Case(batch("-o", ""), 2, EMPTY), id="batch-empty-path-is-a-usage-error"),
    pytest.param(
        Case(batch("-o", LONG), 74, f"admitcheck: {LONG}: cannot write (File name too long)"),
        id="batch-name-of-300-characters-enametoolong",
    ),
    pytest.param(
        Case(
            batch("-o", "missing/x.jsonl"),
            74,
            "admitcheck: missing/x.jsonl: no such folder missing",
        ),
        id="batch-path-under-a-missing-folder",
    ),
    pytest.param(
        Case(
            batch("-o", "in.json/x.jsonl"),
            74,
            "admitcheck: in.json/x.jsonl: cannot write (Not a directory)",
        ),
        id="batch-path-under-a-file",
    ),
    pytest.param(
        Case(batch("-o", "in.json"), 2, f"admitcheck: in.json: {INPUT_REFUSED}"),
        id="batch-own-input-refused-input-unchanged",
    ),
    pytest.param(
        Case(
            batch("-o", "alias.json"),
            2,
            f"admitcheck: alias.json: {INPUT_REFUSED}",
            setup=symlink("alias.json", "in.json"),
        ),
        id="batch-symlink-to-own-input-refused",
    ),
    # batch: standard output, streams and devices, written through
    pytest.param(
        Case(batch("-o", "-"), 0, None, after=report_on_stdout), id="batch-dash-is-standard-output"
    ),
    pytest.param(
        Case(batch("-o", "results.csv"), 0, None, frozenset({"results.csv"}), after=csv_file),
        id="batch-csv-inferred-from-the-file-name",
    ),
    pytest.param(
        Case(
            batch("-o", "out.fifo"),
            0,
            None,
            frozenset({"out.fifo"}),  # a write to a FIFO touches its mtime
            setup=fifo("out.fifo"),
            after=still_fifo,
            fifo="out.fifo",
        ),
        id="batch-fifo-written-through-data-arrives",
    ),
    pytest.param(
        Case(batch("-o", "null"), 0, None, setup=device("null", 3), after=still_device("null", 3)),
        id="batch-null-device-written-through-node-kept",
    ),
    pytest.param(
        Case(
            batch("-o", "full"),
            74,
            f"admitcheck: full: cannot write ({NO_SPACE})",
            setup=device("full", 7),
            after=still_device("full", 7),
        ),
        id="batch-full-device-enospc-one-line-node-kept",
    ),
    pytest.param(
        Case(batch(), 74, STDOUT_FULL, setup=device("full", 7), stdout_to="full"),
        id="batch-standard-output-on-a-full-device",
    ),
    pytest.param(
        Case(batch("-o", "-"), 0, None, setup=device("null", 3), stdout_to="null"),
        id="batch-standard-output-on-a-null-device",
    ),
    # batch --summary FILE: a second output, through the same module
    pytest.param(
        Case(
            batch("-o", "out.jsonl", "--summary", "summary.json"),
            0,
            None,
            frozenset({"out.jsonl", "summary.json"}),
            after=summary_file,
        ),
        id="batch-summary-file-written-beside-the-output",
    ),
    pytest.param(
        Case(
            batch("-o", "out.jsonl", "--summary", "in.json"),
            2,
            f"admitcheck: in.json: {INPUT_REFUSED}",
        ),
        id="batch-summary-onto-own-input-refused-before-anything-is-written",
    ),
    pytest.param(
        Case(
            batch("-o", "out.jsonl", "--summary", "full"),
            74,
            f"admitcheck: full: cannot write ({NO_SPACE})",
            frozenset({"out.jsonl"}),  # the records are complete; only the summary failed
            setup=device("full", 7),
            after=still_device("full", 7),
        ),
        id="batch-summary-on-a-full-device-enospc",
    ),
    # check: one report, standard output only
    pytest.param(
        Case(
            ("check", "in.json", *PROGRAM, "-f", "json", "-o", "report.json"),
            0,
            None,
            frozenset({"report.json"}),
        ),
        id="check-output-option",
    ),
    pytest.param(
        Case(
            ("check", "in.json", *PROGRAM),
            74,
            STDOUT_FULL,
            setup=device("full", 7),
            stdout_to="full",
        ),
        id="check-standard-output-on-a-full-device",
    ),
    pytest.param(
        Case(("schema", "profile"), 74, STDOUT_FULL, setup=device("full", 7), stdout_to="full"),
        id="schema-standard-output-on-a-full-device",
    ),
    # init
    pytest.param(
        Case(("init", "-"), 0, None, after=blank_profile_on_stdout),
        id="init-dash-writes-the-blank-profile-to-standard-output",
    ),
    pytest.param(
        Case(("init", "missing/x.json"), 74, "admitcheck: missing/x.json: no such folder missing"),
        id="init-under-a-missing-folder",
    ),
    pytest.param(
        Case(
            ("init", "outdir"),
            74,
            "admitcheck: outdir: is a folder; give a file name",
            setup=folder_named("outdir"),
        ),
        id="init-onto-a-folder",
    ),
    pytest.param(Case(("init", ""), 2, EMPTY), id="init-empty-path"),
    pytest.param(
        Case(
            ("init", "me.json"),
            2,
            "admitcheck: me.json: exists; use --force to overwrite it",
            setup=write("me.json", '{"name": "Ada"}\n'),
        ),
        id="init-existing-file-refused-without-force",
    ),
    pytest.param(
        Case(
            ("init", "me.json", "--force"),
            0,
            "wrote me.json: fill it in, then run `admitcheck check me.json`",
            frozenset({"me.json"}),
            setup=write("me.json", '{"name": "Ada"}\n', 0o600),
            after=profile_file("me.json", 0o600),
        ),
        id="init-existing-file-replaced-with-force-mode-kept",
    ),
    pytest.param(
        Case(
            ("init", "ro.json", "--force"),
            74,
            "admitcheck: ro.json: is read-only (mode 0444); change its permissions or write "
            "elsewhere",
            setup=write("ro.json", "{}\n", 0o444),
        ),
        id="init-read-only-file-refused-even-with-force",
    ),
    pytest.param(
        Case(
            ("init", "full"),
            74,
            f"admitcheck: full: cannot write ({NO_SPACE})",
            setup=device("full", 7),
            after=still_device("full", 7),
        ),
        id="init-onto-a-full-device",
    ),
    pytest.param(
        Case(("init", "-"), 74, STDOUT_FULL, setup=device("full", 7), stdout_to="full"),
        id="init-dash-on-a-full-device",
    ),
]


class FifoReader:
    """Reads a FIFO to its end in a thread, as the other end of a pipeline would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = b""
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with self.path.open("rb") as handle:
            self.data = handle.read()

    def finish(self) -> bytes:
        self.thread.join(timeout=10)
        if self.thread.is_alive():  # the command never opened it: let the reader go
            with contextlib.suppress(OSError):
                os.close(os.open(self.path, os.O_WRONLY | os.O_NONBLOCK))
            self.thread.join(timeout=10)
        return self.data


@pytest.fixture(scope="module")
def maria() -> bytes:
    return (EXAMPLES / "maria-eligible.json").read_bytes()


@pytest.mark.slow  # subprocesses
@pytest.mark.parametrize("case", CASES)
def test_output_table(case: Case, tmp_path: Path, maria: bytes) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "in.json").write_bytes(maria)
    case.setup(folder)
    before = snapshot(folder)
    reader = FifoReader(folder / case.fifo) if case.fifo else None
    with contextlib.ExitStack() as stack:
        stdout: Any = subprocess.PIPE
        if case.stdout_to is not None:
            stdout = stack.enter_context((folder / case.stdout_to).open("wb"))
        result = subprocess.run(
            [*ADMITCHECK, *case.args],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=environment(),
            umask=case.umask,
            timeout=60,
            check=False,
        )
    stderr = result.stderr.decode()
    out = reader.finish() if reader is not None else (result.stdout or b"")
    assert "Traceback" not in stderr, stderr
    assert result.returncode == case.code, stderr
    if case.message is None:
        assert stderr == ""
    else:
        assert one_line(stderr) == case.message
    after = snapshot(folder)
    assert_only_changed(before, after, case.changes)
    assert after["in.json"] == before["in.json"]
    case.after(folder, before, out)
    if case.fifo:
        assert [r["applicant"]["id"] for r in records(out)] == ["A-2001"]


# --------------------------------------------------------------------------- signals


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40,000 JSONL records made of the shipped examples: a run of several seconds."""
    profiles = [json.loads(p.read_bytes()) for p in sorted(EXAMPLES.glob("*.json"))]
    path = tmp_path_factory.mktemp("signals") / "many.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number in range(40_000):  # ids of their own: no warnings of repeated ids
            profile = {**profiles[number % len(profiles)], "id": f"R-{number}"}
            handle.write(json.dumps(profile, separators=(",", ":")) + "\n")
    return path


class Drain:
    """Reads a pipe in a thread as the data comes, so the writer never blocks on it."""

    def __init__(self, pipe: IO[bytes] | None) -> None:
        assert pipe is not None
        self.pipe = pipe
        self.data = bytearray()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while piece := self.pipe.read1():  # type: ignore[attr-defined]
            self.data.extend(piece)

    def finish(self) -> bytes:
        self.thread.join(timeout=30)
        return bytes(self.data)


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (the pool's workers, its forkserver, its resource tracker)."""
    found: set[int] = set()
    pending = [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                children = {int(c) for c in (task / "children").read_text().split()}
                pending += sorted(children - found)
                found |= children
    return found


def wchan(pid: int) -> str:
    """Where in the kernel the process waits ('anon_pipe_write': on a full pipe)."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@dataclass(frozen=True)
class Stop:
    signum: signal.Signals
    code: int
    words: str  # how the message starts
    group: bool = False  # to the whole process group, as `timeout` and a terminal do
    output: str = "out.jsonl"  # "-": standard output, whose lines are counted


def _raised_in(module: str, function: str, error: OSError) -> OSError:
    """`error`, raised from a function of that name in a module of that name."""
    namespace: dict[str, Any] = {"__name__": module}
    exec(f"def {function}(error):\n    raise error", namespace)
    try:
        namespace[function](error)
    except OSError as raised:
        return raised
    raise AssertionError("not raised")


@pytest.mark.parametrize(
    ("reported_by", "function", "quiet"),
    [
        pytest.param(threading, "_python_exit", True, id="threading-shutdown-running-the-handler"),
        pytest.param(None, "_python_exit", True, id="the-pools-exit-handler"),
        pytest.param(threading, "wakeup_elsewhere", False, id="another-function-is-reported"),
    ],
)
def test_the_pools_exit_race_is_not_reported_and_nothing_else_is_hidden(
    reported_by: Any, function: str, quiet: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python 3.11's pool can write at exit to a pipe its manager thread is closing (the
    signal tests above meet it now and then on a loaded machine); that EBADF is no news
    to a user. Any other error still reaches the standard hook."""
    from concurrent.futures import process as pool_module

    from admitcheck.batch import pipeline

    reported: list[Any] = []
    monkeypatch.setattr(pipeline, "_UNRAISABLE", reported.append)
    error = _raised_in(pool_module.__name__, function, OSError(errno.EBADF, "Bad file descriptor"))
    unraisable = mock.Mock(
        exc_type=OSError,
        exc_value=error,
        exc_traceback=error.__traceback__,
        object=reported_by or getattr(pool_module, "_python_exit", None),
    )
    pipeline._quiet_pool_exit(unraisable)
    assert reported == ([] if quiet else [unraisable])
    other = _raised_in(pool_module.__name__, function, OSError(errno.EPIPE, "Broken pipe"))
    pipeline._quiet_pool_exit(mock.Mock(exc_value=other, object=reported_by))
    assert len(reported) == (1 if quiet else 2)  # only EBADF is the race


STOPS = [
    pytest.param(Stop(signal.SIGTERM, 143, "stopped by SIGTERM"), id="sigterm-exits-143"),
    pytest.param(Stop(signal.SIGHUP, 129, "stopped by SIGHUP"), id="sighup-exits-129"),
    pytest.param(Stop(signal.SIGINT, 130, "interrupted"), id="sigint-exits-130"),
    pytest.param(
        Stop(signal.SIGTERM, 143, "stopped by SIGTERM", output="-"),
        id="sigterm-on-a-full-stdout-pipe-count-matches-whole-lines-delivered",
    ),
    pytest.param(
        Stop(signal.SIGINT, 130, "interrupted", group=True), id="ctrl-c-on-a-terminal-group-130"
    ),
    pytest.param(
        Stop(signal.SIGTERM, 143, "stopped by SIGTERM", group=True),
        id="group-sigterm-like-timeout-143",
    ),
    pytest.param(
        Stop(signal.SIGHUP, 129, "stopped by SIGHUP", group=True),
        id="group-sighup-like-a-closed-terminal-129",
    ),
]


@pytest.mark.slow  # subprocesses
@pytest.mark.parametrize("stop", STOPS)
def test_signals_stop_the_run_say_how_far_and_leave_nothing(
    stop: Stop, tmp_path: Path, many: Path
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    os.link(many, folder / "many.jsonl")
    before = snapshot(folder)
    output = [] if stop.output == "-" else ["-o", stop.output]
    with subprocess.Popen(
        [*ADMITCHECK, "batch", "many.jsonl", *PROGRAM, "--jobs", "2", *output],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(PYTHONFAULTHANDLER="1"),
        start_new_session=True,  # its own group: a group signal reaches nothing else
    ) as process:
        errors = Drain(process.stderr)
        # Standard output is read only once the signal is sent: by then the run is blocked
        # writing to the full pipe, as it is when its reader is slow (`| less`).
        delivered = Drain(process.stdout) if stop.output != "-" else None
        try:
            started = time.monotonic()
            workers: set[int] = set()
            while time.monotonic() - started < 60 and process.poll() is None:
                writing = (
                    "pipe_write" in wchan(process.pid)
                    if delivered is None
                    else sum(p.stat().st_size for p in folder.glob(".out.jsonl.*.part")) > 0
                )
                workers = descendants(process.pid)
                if time.monotonic() - started >= 1.0 and writing and len(workers) >= 2:
                    break
                time.sleep(0.02)
            else:
                raise AssertionError(f"the run never got going: {errors.finish().decode()}")
            (os.killpg if stop.group else os.kill)(process.pid, stop.signum)
            delivered = delivered or Drain(process.stdout)
            try:
                code = process.wait(timeout=8)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGABRT)  # faulthandler: every thread's stack
                process.wait(timeout=10)
                raise AssertionError(
                    "the run hung after the signal:\n" + errors.finish().decode()[-4000:]
                ) from None
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # only when it hung
            delivered = delivered or Drain(process.stdout)
            process.wait()
    stdout, stderr = delivered.finish(), errors.finish().decode()
    assert "resource_tracker" not in stderr and "leak" not in stderr, stderr
    message = one_line(stderr)
    assert code == stop.code, stderr
    where = "" if stop.output == "-" else rf"; {re.escape(stop.output)} \S.*"
    found = re.fullmatch(
        rf"admitcheck: {stop.words} after ([\d,]+) output record\(s\) were written{where}",
        message,
    )
    assert found, message
    if stop.output == "-":
        lines = stdout.split(b"\n")
        assert lines[-1] == b"", f"a record cut short on stdout: ...{lines[-1][-60:]!r}"
        assert int(found[1].replace(",", "")) == len(lines) - 1, (message, len(lines) - 1)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(p) for p in workers):
        time.sleep(0.05)
    assert not [p for p in workers if alive(p)], "processes outlived the run"
    assert_only_changed(before, snapshot(folder), frozenset())


# --------------------------------------------------------------------------- init --interactive


def ask(
    folder: Path, answers: list[str], *args: str, stop: signal.Signals | None = None, at: str = ""
) -> tuple[int, str]:
    """`init --interactive` in a subprocess with these answer lines on stdin; with `stop`,
    that signal once the question `at` has been asked. (exit code, stderr)."""
    typed = "".join(a + "\n" for a in answers).encode()
    with subprocess.Popen(
        [*ADMITCHECK, "init", "--interactive", *args],
        cwd=folder,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(ADMITCHECK_FORCE_PROMPTS="1"),
    ) as process:
        if stop is None:
            _, stderr = process.communicate(typed, timeout=60)
            return process.returncode, stderr.decode()
        assert process.stdin is not None
        process.stdin.write(typed)
        process.stdin.flush()  # stdin stays open: the next question waits for an answer
        out, errors = Drain(process.stdout), Drain(process.stderr)
        deadline = time.monotonic() + 30
        while at.encode() not in errors.data and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(stop)
        code = process.wait(timeout=30)
        out.finish()
        return code, errors.finish().decode()


def ends_with(stderr: str, message: str) -> None:
    """The message closes stderr (after the last question: answers from a pipe are not
    echoed, so the message may share the last prompt's line)."""
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert stderr.endswith(message + "\n"), stderr[-300:]


@pytest.mark.slow  # subprocesses
def test_interactive_answers_are_checked_as_typed_and_asked_again(tmp_path: Path) -> None:
    answers = [
        "Ada",
        "yes",  # international, as a word
        "Kenya",
        "bachelor",
        "Electrical Engineering",
        "",  # institution skipped
        "",  # degree country skipped
        "completed",
        "",  # graduation skipped
        "",  # degree years skipped
        "",  # taught in English skipped
        "8.2/10",  # GPA with its scale
        "",  # best end skipped
        "",  # last two years skipped
        "155",  # TOEFL out of range: asked again
        "101",
        "",  # TOEFL band skipped
        "",  # TOEFL sections skipped
        "",
        "",
        "",
        "",  # TOEFL section bands skipped
        "",
        "",
        "",
        "14/06/2025",  # not ISO: asked again
        "2025-06-14",
        "",  # IELTS skipped
        "",  # PTE skipped
        "",  # Duolingo skipped
        "text",  # GRE verbal: asked again
        "160",
        "165",
        "",  # GRE writing skipped
        "2025-01-01",
        "",  # GMAT skipped
        "Linear Algebra; Data Structures",
        "",  # whole transcript? skipped
        "yes",  # statement of purpose
        "no",  # resume
        "",  # transcripts skipped
        "3",
        "",  # fee skipped
        "",  # fee waiver skipped
        "",  # id skipped
    ]
    before = snapshot(tmp_path)
    code, stderr = ask(tmp_path, answers, "ada.json")
    assert code == 0, stderr
    ends_with(stderr, "wrote ada.json: fill it in, then run `admitcheck check ada.json`")
    assert "must be at most 120, got 155" in stderr
    assert "expected a date like 2025-06-14, got '14/06/2025'" in stderr
    assert "expected a number, got text 'text'" in stderr
    assert stderr.count("TOEFL iBT total") == 2 and stderr.count("GRE verbal") == 2
    assert_only_changed(before, snapshot(tmp_path), frozenset({"ada.json"}))
    document = json.loads((tmp_path / "ada.json").read_bytes())
    assert document["gpa"] == {"value": 8.2, "scale": 10.0}
    toefl = document["tests"]["toefl"]  # the template's structure, the answers in it
    assert {k: v for k, v in toefl.items() if v is not None} == {
        "total": 101,
        "date": "2025-06-14",
    }
    assert document["tests"]["gre"]["verbal"] == 160
    materials = document["materials"]
    assert (materials["statement_of_purpose"], materials["resume"]) == (True, False)
    assert document["degree"]["country"] is None


@pytest.mark.slow  # subprocesses
def test_interactive_skips_what_does_not_apply(tmp_path: Path) -> None:
    answers = ["Bo", "no", "United States", "bachelor", "Physics", "", "", "", "", "", "3.6"]
    answers += ["", "", "", "", "", "", "", "", "", "", "", "", "", ""]
    code, stderr = ask(tmp_path, answers, "-")
    assert code == 0, stderr
    for question in (
        "TOEFL",
        "IELTS",
        "PTE",
        "Duolingo",
        "taught in English",
        "GRE quantitative",
        "GRE test date",
        "GMAT test",
        "GMAT edition",
    ):
        assert question not in stderr, question
    assert "GRE verbal" in stderr and "GMAT total" in stderr


@pytest.mark.slow  # subprocesses
def test_interactive_end_of_input_keeps_the_answers(tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    code, stderr = ask(tmp_path, ["Cy", "yes", "India"], "cy.json")
    assert code == 0, stderr
    # the message on a line of its own, as after Ctrl-D on a terminal
    ends_with(stderr, "\nadmitcheck: stopped early; the answers given so far are in cy.json")
    assert_only_changed(before, snapshot(tmp_path), frozenset({"cy.json"}))
    document = json.loads((tmp_path / "cy.json").read_bytes())
    assert (document["name"], document["international"], document["citizenship"]) == (
        "Cy",
        True,
        "India",
    )


@pytest.mark.slow  # subprocesses
@pytest.mark.parametrize(
    ("signum", "code", "words"),
    [
        pytest.param(signal.SIGTERM, 143, "stopped by SIGTERM", id="sigterm-143"),
        pytest.param(signal.SIGHUP, 129, "stopped by SIGHUP", id="sighup-closed-terminal-129"),
        pytest.param(signal.SIGINT, 130, "interrupted", id="ctrl-c-130"),
    ],
)
def test_interactive_signal_keeps_the_answers(
    tmp_path: Path, signum: signal.Signals, code: int, words: str
) -> None:
    got, stderr = ask(tmp_path, ["Di", "no"], "di.json", stop=signum, at="Country of citizenship")
    assert got == code, stderr
    ends_with(stderr, f"\nadmitcheck: {words}; the answers given so far are in di.json")
    document = json.loads((tmp_path / "di.json").read_bytes())
    assert (document["name"], document["international"]) == ("Di", False)
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*"))


@pytest.mark.slow  # subprocesses
@pytest.mark.parametrize(
    "stderr_on_terminal", [True, False], ids=["stderr-on-it", "stderr-to-a-file"]
)
def test_interactive_terminal_hangup_keeps_the_answers(
    tmp_path: Path, stderr_on_terminal: bool
) -> None:
    """A real hangup: the terminal (a pty, the run's controlling terminal) is closed
    mid-question. The kernel sends SIGHUP as reads start failing with EIO; the answers
    are written whichever comes first, and the run exits 129."""
    master, slave = pty.openpty()

    def controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    with contextlib.ExitStack() as stack:
        log = stack.enter_context((tmp_path / "stderr.txt").open("wb"))
        process = stack.enter_context(
            subprocess.Popen(  # preexec_fn: the one way to give it a controlling terminal
                [*ADMITCHECK, "init", "--interactive", "hup.json"],
                cwd=tmp_path,
                stdin=slave,
                stdout=slave,
                stderr=slave if stderr_on_terminal else log,
                env=environment(),
                preexec_fn=controlling_terminal,
            )
        )
        os.close(slave)
        shown = bytearray()

        def until(text: bytes) -> None:
            deadline = time.monotonic() + 30
            while text not in shown and time.monotonic() < deadline:
                if select.select([master], [], [], 0.05)[0]:
                    with contextlib.suppress(OSError):
                        shown.extend(os.read(master, 65536))

        if stderr_on_terminal:
            until(b"Name")
        os.write(master, b"Hal\r")
        until(b"Hal\r\n")
        os.write(master, b"no\r")
        until(b"no\r\n")
        if stderr_on_terminal:
            until(b"Country of citizenship")
        else:
            deadline = time.monotonic() + 30
            while b"Country of citizenship" not in (tmp_path / "stderr.txt").read_bytes():
                assert time.monotonic() < deadline, "the third question never came"
                time.sleep(0.02)
        os.close(master)  # the terminal goes away
        code = process.wait(timeout=30)
    assert code == 129
    document = json.loads((tmp_path / "hup.json").read_bytes())
    assert (document["name"], document["international"]) == ("Hal", False)
    if not stderr_on_terminal:
        ends_with(
            (tmp_path / "stderr.txt").read_text(encoding="utf-8"),
            "\nadmitcheck: stopped by SIGHUP; the answers given so far are in hup.json",
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hup.json", "stderr.txt"]


# --------------------------------------------------------------------------- hypothesis

ANSWERS = st.one_of(
    st.text(max_size=30).map(lambda t: t.replace("\n", " ").encode("utf-8", "surrogatepass")),
    st.binary(max_size=12).map(lambda b: b.replace(b"\n", b" ")),
    st.sampled_from(
        [
            b"",
            b"yes",
            b"no",
            b"y",
            b"maybe",
            b"bachelor",
            b"in progress",
            b"completed",
            b"8.2/10",
            b"3,4 / 4",
            b"1.7/5",
            b"0/0",
            b"4/0",
            b"-1",
            b"nan",
            b"inf",
            b"1e999",
            b"99999999999999999999",
            b"101",
            b"155",
            b"2025-06-14",
            b"2099-01-01",
            b"14/06/2025",
            b"Linear Algebra=mathematics; X=astrology",
            b"\xff\xfe",
            b"\x1b[31mred\x1b[0m",
            b"[bold]x[/bold]",
        ]
    ),
    TEST_DATES.map(str.encode),
    st.integers(-(10**20), 10**20).map(lambda n: str(n).encode()),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda x: repr(x).encode()),
)


@settings(max_examples=30, deadline=None)
@given(answers=st.lists(ANSWERS, max_size=40))
def test_random_answers_never_crash_init_and_what_is_written_is_valid(
    answers: list[bytes],
) -> None:
    typed = b"".join(a + b"\n" for a in answers)
    with mock.patch.dict(os.environ, {"ADMITCHECK_FORCE_PROMPTS": "1"}):
        result = CliRunner().invoke(app, ["init", "--interactive", "-"], input=typed)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    Profile.model_validate(json.loads(result.stdout))


# --------------------------------------------------------------------------- the schema


@pytest.fixture(scope="module")
def profile_schema() -> dict[str, Any]:
    """The schema as users get it: printed by the real CLI."""
    result = subprocess.run(
        [*ADMITCHECK, "schema", "profile"],
        cwd=ROOT,
        capture_output=True,
        env=environment(),
        timeout=60,
        check=True,
    )
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


@pytest.mark.slow  # subprocesses
def test_shipped_examples_validate_against_the_printed_schema(
    profile_schema: dict[str, Any],
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    examples = sorted(EXAMPLES.glob("*.json"))
    assert len(examples) >= 4
    for path in examples:
        jsonschema.validate(json.loads(path.read_bytes()), profile_schema)


SPEC_EXAMPLE = {  # the profile printed in SPEC.md, every field given
    "id": "A-1024",
    "name": "Priya Raman",
    "international": True,
    "citizenship": "India",
    "permanent_resident": False,
    "degree": {
        "level": "bachelor",
        "field": "Electronics and Communication Engineering",
        "institution": "Anna University",
        "country": "India",
        "status": "completed",
        "graduation": "2025-05",
        "years": 4,
    },
    "gpa": {"value": 8.4, "scale": 10},
    "tests": {
        "toefl": {
            "total": 98,
            "reading": 25,
            "listening": 24,
            "speaking": 23,
            "writing": 26,
            "date": "2025-03-01",
        },
        "ielts": {"overall": 7.0, "date": "2025-02-10"},
        "pte": {"overall": 65, "date": "2025-01-15"},
        "gre": {"verbal": 155, "quant": 167, "writing": 4.0, "date": "2024-10-01"},
        "gmat": {"total": 645, "edition": "focus", "date": "2024-09-01"},
        "duolingo": {"overall": 125, "date": "2025-04-01"},
    },
    "courses": [
        {"title": "Linear Algebra", "subject": "mathematics", "credits": 3, "grade": "A"},
        "Probability and Random Processes",
        "Data Structures and Algorithms",
        "Engineering Physics",
    ],
    "materials": {
        "statement_of_purpose": True,
        "resume": True,
        "transcripts": True,
        "recommendation_letters": 3,
        "application_fee_paid": True,
        "fee_waiver": False,
    },
}
SPEC_FORMS = [
    pytest.param(SPEC_EXAMPLE, id="spec-example"),
    pytest.param({"gpa": 3.4}, id="bare-gpa"),
    pytest.param({"gpa": {"value": 1.7, "scale": 5, "best": 1}}, id="inverted-gpa"),
    pytest.param({"tests": {"gre": {"total": 322}}}, id="gre-total-alone"),
    pytest.param(
        {"tests": {"gre": {"verbal": 155, "quant": 167, "total": 322}}}, id="gre-total-and-sections"
    ),
    pytest.param({"tests": {"toefl": {"band": 4.5}}}, id="toefl-band-alone"),
    pytest.param({"courses": ["Linear Algebra", "CS 101"]}, id="courses-as-plain-strings"),
]


@pytest.mark.slow  # subprocesses
@pytest.mark.parametrize("profile", SPEC_FORMS)
def test_every_documented_form_is_valid_and_in_the_printed_schema(
    profile_schema: dict[str, Any], catalog: Catalog, profile: dict[str, Any]
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validate_document(profile, "SPEC.md", Screen(AS_OF_DATE, catalog.reference))
    jsonschema.validate(profile, profile_schema)


# Every form SPEC.md documents, beyond tests/strategies.py: bare and inverted GPAs, the
# TOEFL band, the GRE total, GMAT editions, Duolingo, degree years, plain course strings.
DOCUMENTED = st.fixed_dictionaries(
    {},
    optional={
        "permanent_resident": st.booleans(),
        "gpa": st.one_of(
            st.floats(0, 4).map(lambda x: round(x, 2)),
            st.just({"value": 1.7, "scale": 5, "best": 1}),
            st.fixed_dictionaries({"value": st.integers(0, 100), "scale": st.just(100)}),
        ),
        "degree": st.fixed_dictionaries(
            {"level": st.just("bachelor")},
            optional={
                "years": st.integers(3, 5),
                "institution": st.text(max_size=10),
                "graduation": st.sampled_from(["2025-05", "2024-12-01"]),
            },
        ),
        "tests": st.fixed_dictionaries(
            {},
            optional={
                "toefl": st.one_of(
                    st.fixed_dictionaries({"band": st.integers(2, 12).map(lambda x: x / 2)}),
                    st.just(
                        {
                            "total": 98,
                            "reading": 25,
                            "listening": 24,
                            "speaking": 23,
                            "writing": 26,
                            "date": "2025-03-01",
                        }
                    ),
                ),
                "gre": st.integers(130, 170).flatmap(
                    lambda v: st.fixed_dictionaries(
                        {"total": st.just(v + 160)},
                        optional={"verbal": st.just(v), "quant": st.just(160)},
                    )
                ),
                "gmat": st.one_of(
                    st.just({"total": 645, "edition": "focus", "date": "2024-09-01"}),
                    st.just({"total": 650, "edition": "classic"}),
                ),
                "duolingo": st.fixed_dictionaries(
                    {"overall": st.integers(10, 160)}, optional={"date": TEST_DATES}
                ),
            },
        ),
        "courses": st.lists(st.sampled_from(["Linear Algebra", "CS 101", "Art"]), max_size=3),
    },
)


@pytest.mark.slow  # subprocesses
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(profile=st.one_of(valid_profiles(), DOCUMENTED))
def test_valid_profiles_validate_against_the_printed_schema(
    profile_schema: dict[str, Any], catalog: Catalog, profile: dict[str, Any]
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    try:
        validate_document(profile, "generated", Screen(AS_OF_DATE, catalog.reference))
    except ProfileError:
        assume(False)  # the model refuses it: the schema need not take it
    jsonschema.validate(profile, profile_schema)
