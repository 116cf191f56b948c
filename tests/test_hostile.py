"""Hostile input (issue 23): nothing lost without saying so, no internal errors, bounded cost.

Each test pins, at the boundary, the records written, the error records and the exit code.
Processes are real where the behaviour is about processes (worker pools, pipes, signals).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROGRAM_ID, Run, eligible_profile

Cli = Callable[..., Run]
PYTHON = sys.executable


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "ADMITCHECK_DEBUG")}
    env.update(COLUMNS="100", NO_COLOR="1", TERM="dumb")
    return env


def write_jsonl(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            handle.write(json.dumps(eligible_profile(id=f"A-{number}")) + "\n")
    return path


def lines_of(data: bytes | str) -> list[Any]:
    text = data.decode() if isinstance(data, bytes) else data
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# --------------------------------------------------------------------------- worker pools

# The interpreter started again for multiprocessing's helpers (the fork server, the
# resource tracker) is what a sandbox forbids. These wrappers make that start fail in
# the shell only, the way such a sandbox does, and then run the real command line.
_SANDBOX = textwrap.dedent(
    """
    import multiprocessing.util, sys
    mode = sys.argv.pop(1)
    real = multiprocessing.util.spawnv_passfds
    def refused(path, args, passfds):
        raise PermissionError(1, "Operation not permitted")
    def killed(path, args, passfds):  # the interpreter starts and is killed at once
        return real(b"/bin/sh", [b"sh", b"-c", b"kill -KILL $$"], passfds)
    multiprocessing.util.spawnv_passfds = {"refused": refused, "killed": killed}[mode]
    sys.argv[0] = "admitcheck"
    from admitcheck.cli import main
    main()
    """
)


@pytest.mark.slow  # subprocesses
@pytest.mark.parametrize("mode", ["refused", "killed"])
def test_a_pool_that_cannot_start_falls_back_to_one_process_and_loses_nothing(
    tmp_path: Path, mode: str
) -> None:
    source = write_jsonl(tmp_path / "big.jsonl", 2000)
    sandbox = tmp_path / "sandbox.py"
    sandbox.write_text(_SANDBOX, encoding="utf-8")
    result = subprocess.run(
        [PYTHON, str(sandbox), mode, "batch", str(source), "-p", PROGRAM_ID, "-j", "2"],
        capture_output=True,
        env=environment(),
        timeout=300,
        check=False,
    )
    stderr = result.stderr.decode()
    out = lines_of(result.stdout)
    assert [r["applicant"]["id"] for r in out] == [f"A-{n}" for n in range(2000)]
    assert result.returncode == 0
    assert "Traceback" not in stderr and "resource_tracker" not in stderr, stderr
    [warning] = stderr.splitlines()
    assert warning.startswith("admitcheck: warning: worker processes cannot start (")
    assert warning.endswith("checking every record in this one process instead (as --jobs 1 does)")


@pytest.mark.slow  # subprocesses
def test_workers_that_die_in_the_middle_of_a_run_exit_71_saying_how_far(tmp_path: Path) -> None:
    """Once the pool has delivered, a dead worker is not a pool that cannot start: the
    run stops with its own code and says exactly how many records were written."""
    source = write_jsonl(tmp_path / "big.jsonl", 30_000)
    with subprocess.Popen(
        [PYTHON, "-m", "admitcheck", "batch", str(source), "-p", PROGRAM_ID, "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        try:
            first = process.stdout.readline()  # the pool has delivered
            workers = _workers_of(process.pid)
            assert workers, "no worker found"
            os.kill(workers[0], signal.SIGKILL)
            rest = process.stdout.read()  # (communicate would skip what readline buffered)
            stderr = process.stderr.read()
            process.wait(timeout=300)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 71, stderr
    [line] = stderr.decode().splitlines()
    assert line.startswith("admitcheck: the worker processes stopped in the middle of the run (")
    written = len(lines_of(first + rest))
    assert 0 < written < 30_000
    assert line.endswith(
        f"run again, or with --jobs 1; after {written:,} output record(s) were written"
    )


def _workers_of(pid: int) -> list[int]:
    """The pool's workers: the fork server's children (the run's grandchildren)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        parent = int(next(x for x in status.splitlines() if x.startswith("PPid:")).split()[1])
        if parent == pid or (parent != 1 and parent in _children(pid)):
            found.append(int(entry.name))
    helpers = _children(pid)
    return [p for p in found if p not in helpers]


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in text.split()}


# --------------------------------------------------------------------------- pipes


@pytest.mark.slow  # subprocesses
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_closed_pipe_stops_the_run_quietly_with_status_141(tmp_path: Path, fmt: str) -> None:
    source = write_jsonl(tmp_path / "big.jsonl", 5000)
    command = f"{PYTHON} -m admitcheck batch {source} -p {PROGRAM_ID} -f {fmt} | head -c 100"
    result = subprocess.run(
        ["bash", "-c", f'{command}; echo "${{PIPESTATUS[0]}}" >&2'],
        capture_output=True,
        env=environment(),
        timeout=300,
        check=False,
    )
    assert len(result.stdout) == 100
    assert result.stderr.decode() == "141\n"


def test_an_output_onto_a_folder_is_exit_74_as_the_readme_says(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "outdir").mkdir()
    source = write_jsonl(tmp_path / "in.jsonl", 1)
    run = cli("batch", str(source), "-p", PROGRAM_ID, "-o", str(tmp_path / "outdir"))
    assert run.exit_code == 74
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| 74 |"))
    assert "a folder" in row


def test_the_new_exit_codes_are_in_the_readme_and_the_help() -> None:
    from admitcheck.cli.app import EXIT_CODES_HELP

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for code in (70, 71, 74, 141):
        assert f"\n| {code} | " in readme, code
        assert f" {code} " in EXIT_CODES_HELP, code
