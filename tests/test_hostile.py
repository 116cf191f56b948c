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
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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

# A sandbox may forbid starting the interpreter again (multiprocessing's helpers: the fork
# server, the resource tracker) or starting a process at all (fork fails with EAGAIN
# under a process limit), or kill what starts. These wrappers make that happen in the
# shell only, then run the real command line. Workers are forked where no other thread
# runs; a thread that waits, as a progress bar's does, makes the run use the fork server.
_SANDBOX = textwrap.dedent(
    """
    import multiprocessing.util, os, signal, sys, threading
    method, mode = sys.argv.pop(1).split("-")
    if method == "forkserver":
        threading.Thread(target=threading.Event().wait, daemon=True).start()
        real = multiprocessing.util.spawnv_passfds
        def refused(path, args, passfds):
            raise PermissionError(1, "Operation not permitted")
        def killed(path, args, passfds):  # the interpreter starts and is killed at once
            return real(b"/bin/sh", [b"sh", b"-c", b"kill -KILL $$"], passfds)
        multiprocessing.util.spawnv_passfds = {"refused": refused, "killed": killed}[mode]
    else:
        real_fork = os.fork
        def refused():
            raise BlockingIOError(11, "Resource temporarily unavailable")
        def killed():
            pid = real_fork()
            if pid == 0:
                os.kill(os.getpid(), signal.SIGKILL)
            return pid
        os.fork = {"refused": refused, "killed": killed}[mode]
    sys.argv[0] = "admitcheck"
    from admitcheck.cli import main
    main()
    """
)


@pytest.mark.slow  # subprocesses
@pytest.mark.parametrize(
    "mode", ["fork-refused", "fork-killed", "forkserver-refused", "forkserver-killed"]
)
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
    """The pool's workers: the run's children forked from it, or the fork server's
    children (the run's grandchildren); never the helpers themselves."""
    children = _children(pid)
    helpers = {c for c in children if b"multiprocessing" in _cmdline(c)}
    return sorted((children - helpers) | {w for h in helpers for w in _children(h)})


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


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


# --------------------------------------------------------------------------- helpers

MIB = 1024 * 1024
GOOD = b'{"id": "G", "gpa": 3.5}'


def batch(cli: Cli, *paths: Path | str, stdin: bytes | None = None) -> tuple[list[Any], int]:
    run = cli(
        "batch",
        *map(str, paths),
        "-p",
        PROGRAM_ID,
        "-f",
        "jsonl-compact",
        "--as-of",
        "2026-11-24",
        stdin=stdin,
    )
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    return run.jsonl(), run.exit_code


def outcome(records: list[Any]) -> list[tuple[str, str]]:
    """(where, verdict or the error message) of each output record."""
    return [
        (
            r["applicant"]["source"],
            r["error"]["message"] if r["verdict"] == "error" else r["verdict"],
        )
        for r in records
    ]


def jsonl_line(body: int) -> bytes:
    """A JSON Lines record whose line holds exactly `body` bytes (its ending not counted)."""
    head, tail = b'{"id": "L", "name": "', b'"}'
    return head + b"x" * (body - len(head) - len(tail)) + tail


# --------------------------------------------------------------------------- item 2: no internal errors


def test_a_csv_header_that_is_not_utf8_is_an_error_record_per_row_and_the_folder_goes_on(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.csv").write_bytes(b"id,gp\xe9\nA,3.5\nB,3.0\n")
    (folder / "b.csv").write_bytes("id,gpa\nC,3.5\n".encode("utf-16"))
    (folder / "c.csv").write_bytes("id,gpa\nD,3.5\n".encode("utf-32"))
    (folder / "d.csv").write_bytes(b"id,gpa\nE,3.5\n")
    records, code = batch(cli, folder)
    header = (
        "line 1: the header is not UTF-8 text (column(s) gp\\xe9); save the file as UTF-8; "
        "unknown column 'gp\\xe9' (did you mean 'gpa'?): map it in [columns] or list it in "
        "ignore with --columns MAP.toml"
    )
    assert outcome(records) == [
        (f"{folder}/a.csv:2", header),
        (f"{folder}/a.csv:3", header),
        (
            f"{folder}/b.csv",
            "is UTF-16 text, expected UTF-8; save the file as UTF-8: nothing in it was read",
        ),
        (
            f"{folder}/c.csv",
            "is UTF-32 text, expected UTF-8; save the file as UTF-8: nothing in it was read",
        ),
        (f"{folder}/d.csv:2", "incomplete"),
    ]
    assert [r["applicant"]["id"] for r in records] == ["A", "B", None, None, "E"]
    assert code == 3


# --------------------------------------------------------------------------- item 3: records lost at a break


def test_jsonl_on_standard_input_with_a_bad_first_line_keeps_every_record(cli: Cli) -> None:
    data = b'{"id": "x",,}\n' + GOOD + b"\n" + GOOD.replace(b'"G"', b'"H"') + b"\n"
    records, code = batch(cli, "-", stdin=data)
    assert [where for where, _ in outcome(records)] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert records[0]["verdict"] == "error"
    assert [r["applicant"]["id"] for r in records[1:]] == ["G", "H"]
    assert code == 3


def test_a_pretty_printed_object_on_standard_input_is_still_one_document(cli: Cli) -> None:
    data = json.dumps(eligible_profile(id="P"), indent=2).encode()
    records, code = batch(cli, "-", stdin=data)
    assert outcome(records) == [("<stdin>", "eligible")]
    assert code == 0


def _csv_rows(count: int, open_at: int | None) -> bytes:
    rows = ["id,name,gpa"] + [f"A{n},Name {n},3.5" for n in range(1, count + 1)]
    if open_at is not None:
        rows[open_at] = f'A{open_at},"Name {open_at},3.5'
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("row", [1, 500, 1000], ids=["first", "middle", "last"])
def test_a_quote_left_open_writes_every_row_before_it_and_one_error_saying_how_much_was_lost(
    cli: Cli, tmp_path: Path, row: int
) -> None:
    path = tmp_path / "open.csv"
    path.write_bytes(_csv_rows(1000, open_at=row))
    records, code = batch(cli, path)
    assert len(records) == row
    assert {verdict for _, verdict in outcome(records[:-1])} <= {"incomplete"}
    assert [r["applicant"]["id"] for r in records[:-1]] == [f"A{n}" for n in range(1, row)]
    last = records[-1]
    assert last["applicant"] == {"id": f"A{row}", "name": None, "source": f"{path}:{row + 1}"}
    assert last["error"]["message"] == (
        f"a quote opened in column 'name' is never closed: the {1001 - row:,} line(s) from here "
        "to the end of the file could not be read as rows"
    )
    assert code == 3


def test_a_quote_closed_rows_later_names_the_lines_that_could_not_be_told_apart(
    cli: Cli, tmp_path: Path
) -> None:
    rows = _csv_rows(10, open_at=3).decode().splitlines()
    rows[6] = 'A6,Name" 6,3.5'
    path = tmp_path / "stray.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    records, code = batch(cli, path)
    assert [r["applicant"]["id"] for r in records] == ["A1", "A2", "A3", "A7", "A8", "A9", "A10"]
    assert records[2]["error"]["message"] == (
        "lines 4-7 read as one row: the quote opened in column 'name' closes only on line 7, so "
        "the 3 line(s) after this one could not be told apart as rows (a quote left open?)"
    )
    assert code == 3


def _gzipped_jsonl(count: int) -> tuple[bytes, bytes]:
    import gzip
    import random

    random.seed(23)
    plain = b"".join(
        json.dumps(eligible_profile(id=f"Z{n}", name=f"N{random.random()}")).encode() + b"\n"
        for n in range(count)
    )
    return plain, gzip.compress(plain)


@pytest.mark.parametrize("where", ["header", "middle", "trailer"])
def test_a_gzip_cut_short_gives_every_record_zcat_recovers_then_one_error(
    cli: Cli, tmp_path: Path, where: str
) -> None:
    import zlib

    _, packed = _gzipped_jsonl(3000)
    cut = {"header": 5, "middle": len(packed) // 2, "trailer": len(packed) - 4}[where]
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[:cut])
    inflater = zlib.decompressobj(31)
    recovered = inflater.decompress(packed[:cut])  # what zcat writes before it complains
    whole_lines = recovered.count(b"\n")
    records, code = batch(cli, path)
    assert len(records) == whole_lines + 1
    assert [r["applicant"]["id"] for r in records[:-1]] == [f"Z{n}" for n in range(whole_lines)]
    message = records[-1]["error"]["message"]
    assert f"the file ends inside its gzip data (cut short after {cut:,} bytes)" in message
    assert code == 3


def test_damaged_gzip_data_says_where_and_how_many_bytes_were_not_read(
    cli: Cli, tmp_path: Path
) -> None:
    _, packed = _gzipped_jsonl(3000)
    damaged = packed[:100] + b"\xff" * 64 + packed[164:]  # a block no inflater accepts
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(damaged)
    records, code = batch(cli, path)
    message = records[-1]["error"]["message"]
    assert "damaged gzip data (Error -3 while decompressing data" in message
    assert (
        "everything before it was read, the " in message
        and " bytes of the file after it were not" in message
    )
    assert code == 3


# --------------------------------------------------------------------------- item 4: limits, at the boundary


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
def test_a_jsonl_line_at_the_record_limit_is_read_and_one_byte_more_is_an_error(
    cli: Cli, tmp_path: Path, ending: bytes
) -> None:
    path = tmp_path / "long.jsonl"
    path.write_bytes(
        ending.join([GOOD, jsonl_line(MIB), jsonl_line(MIB + 1), jsonl_line(20 * MIB), GOOD, b""])
    )
    records, code = batch(cli, path)
    too_long = "a line of {:,} bytes; one record may hold at most 1,048,576 bytes (1 MiB), so it was not read"
    assert outcome(records) == [
        (f"{path}:1", "incomplete"),
        (f"{path}:2", "name: must be at most 500 characters long"),  # read and validated
        (f"{path}:3", too_long.format(MIB + 1)),
        (f"{path}:4", too_long.format(20 * MIB)),
        (f"{path}:5", "incomplete"),
    ]
    assert code == 3


def test_a_json_array_is_read_an_item_at_a_time_each_bad_item_its_own_error(
    cli: Cli, tmp_path: Path
) -> None:
    good = json.dumps(eligible_profile(id="J"))
    items = [
        good,
        "5",
        '"x"',
        '{"id": "dup", "gpa": 1, "gpa": 2}',
        "[1]",
        '{"name": "' + "x" * MIB + '"}',
        good,
    ]
    path = tmp_path / "array.json"
    path.write_text("[\n" + ",\n".join(items) + "\n]\n", encoding="utf-8")
    records, code = batch(cli, path)
    assert outcome(records) == [
        (f"{path}[0]", "eligible"),
        (f"{path}[1]", "expected a JSON object (a profile), got int"),
        (f"{path}[2]", "expected a JSON object (a profile), got str"),
        (f"{path}[3]", "duplicate key 'gpa' in a JSON object"),
        (f"{path}[4]", "expected a JSON object (a profile), got list"),
        (
            f"{path}[5]",
            f"an item of {MIB + 13:,} bytes; one record may hold at most 1,048,576 bytes (1 MiB), so it was not read",
        ),
        (f"{path}[6]", "eligible"),
    ]
    cut = tmp_path / "cut.json"
    cut.write_bytes(path.read_bytes()[: -len(good) // 2])
    records, code = batch(cli, cut)
    assert [r["verdict"] for r in records[:-1]][:1] == ["eligible"]
    assert records[-1]["error"]["message"].startswith("the data ends inside the JSON array, ")
    assert code == 3


def test_a_csv_cell_and_row_at_their_limits_are_read_and_past_them_are_errors(
    cli: Cli, tmp_path: Path
) -> None:
    cell = 128 * 1024
    rows = [
        b"id,name,gpa",
        b"A,Ann,3.5",
        b"B," + b"y" * cell + b",3.5",
        b"C," + b"y" * (cell + 1) + b",3.5",
    ]
    wide = b"D," + b"z," * ((MIB - 4) // 2) + b"3"
    rows += [wide[:MIB], b"E," + b"z," * (MIB // 2) + b"3", b"F,Fay,3.5", b""]
    path = tmp_path / "cells.csv"
    path.write_bytes(b"\n".join(rows))
    records, code = batch(cli, path)
    assert outcome(records) == [
        (f"{path}:2", "incomplete"),
        (f"{path}:3", "name: must be at most 500 characters long"),
        (
            f"{path}:4",
            "a cell of more than 131,072 characters, the most one cell may hold: the row could not be read",
        ),
        (f"{path}:5", f"expected 3 cells as in the header, got {MIB // 2}"),
        (
            f"{path}:6",
            f"a row of {MIB + 4:,} characters; one record may hold at most 1,048,576 characters: the line could not be read",
        ),
        (f"{path}:7", "incomplete"),
    ]
    assert code == 3


def test_a_gzip_stream_at_the_decompressed_limit_is_read_and_past_it_stops_with_one_error(
    tmp_path: Path,
) -> None:
    import gzip

    from admitcheck.inputs.flat import ColumnMap
    from admitcheck.inputs.records import Limits, iter_work, records_of

    plain = b"".join(GOOD.replace(b'"G"', f'"Q{n}"'.encode()) + b"\n" for n in range(100))
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(plain))
    for limit, expected in ((len(plain), 100), (len(plain) - 1, 99)):
        found = [
            r
            for w in iter_work([str(path)], ColumnMap.identity(), limits=Limits(decompressed=limit))
            for r in records_of(w)
        ]
        assert [r.payload for r in found[:expected]] == plain.splitlines()[:expected]
        if expected == 100:
            assert len(found) == 100
        else:
            assert len(found) == 100  # 99 records and one error where the stream stops
            assert found[-1].kind.value == "error"
            assert (
                f"decompresses to more than {limit:,} bytes, the most one input may expand to"
                in found[-1].payload
            )


def test_a_header_of_100000_unknown_columns_is_one_short_error_in_linear_time(
    cli: Cli, tmp_path: Path
) -> None:
    columns = [f"c{n}" for n in range(100_000)]
    path = tmp_path / "wide.csv"
    path.write_text(
        ",".join(columns) + "\n" + ",".join("1" for _ in columns) + "\n", encoding="utf-8"
    )
    started = time.monotonic()
    records, code = batch(cli, path)
    assert time.monotonic() - started < 30
    [record] = records
    message = record["error"]["message"]
    assert len(message) < 1_000
    assert "the header reads as 100000 columns" in message
    assert len(message) < 1000
    assert code == 3


# --------------------------------------------------------------------------- rules files

EXTRA_RULES = Path(__file__).resolve().parent / "data" / "extra-program.toml"


def rules_with(tmp_path: Path, old: str, new: str) -> Path:
    text = EXTRA_RULES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("day", "code"), [("2999-12-31", 0), ("3000-01-01", 2), ("9999-12-31", 2), ("1899-12-31", 2)]
)
def test_a_date_in_a_rules_file_past_its_range_is_a_rules_error_not_an_internal_one(
    cli: Cli, tmp_path: Path, day: str, code: int
) -> None:
    path = rules_with(tmp_path, "as_of = 2026-01-01", f"as_of = {day}")
    validated = cli("programs", "validate", str(path))
    checked = cli("check", "examples/maria-eligible.json", "--rules", str(path), "--no-builtin")
    assert validated.exit_code == code
    assert checked.exit_code in ((2,) if code else (0, 1, 4)), checked.stderr
    if code:
        expected = (
            f"{path}: programs.0.as_of: the date {day} is out of range; dates run from "
            "1900-01-01 to 2999-12-31"
        )
        assert expected in validated.stdout + validated.stderr
        assert checked.stderr == f"admitcheck: {expected}\n"


@pytest.mark.parametrize(
    ("name", "under", "over", "message"),
    [
        (
            "digits",
            "extra = " + "9" * 64,
            "extra = " + "9" * 65,
            "line 13: a number of 65 digits; a number may have at most 64",
        ),
        (
            "digits-5000",
            "extra = 1",
            "extra = " + "9" * 5000,
            "line 13: a number of 5,000 digits; a number may have at most 64",
        ),
        (
            "key-parts",
            ".".join(f"k{n}" for n in range(16)) + " = 1",
            ".".join(f"k{n}" for n in range(17)) + " = 1",
            "line 13: a key of more than 16 dotted parts; a key may have at most 16",
        ),
        (
            "key-parts-20000",
            "k = 1",
            ".".join(f"k{n}" for n in range(20_000)) + " = 1",
            "line 13: a key of more than 16 dotted parts; a key may have at most 16",
        ),
        (
            "nesting",
            "extra = " + "[" * 16 + "]" * 16,
            "extra = " + "[" * 17 + "]" * 17,
            "line 13: arrays and inline tables nested more than 16 deep; the most a file may nest is 16",
        ),
    ],
)
def test_rules_file_limits_are_checked_before_the_toml_parser_at_their_boundary(
    cli: Cli, tmp_path: Path, name: str, under: str, over: str, message: str
) -> None:
    for line, limit_passed in ((under, False), (over, True)):
        path = rules_with(tmp_path, "minimum = 3.2", f"minimum = 3.2\n{line}")
        started = time.monotonic()
        run = cli("programs", "validate", str(path))
        assert time.monotonic() - started < 20
        shown = run.stdout + run.stderr
        assert run.exit_code == 2, shown  # an unknown key under the limit; the limit over it
        assert "internal error" not in shown
        assert (message in shown) is limit_passed, shown


# --------------------------------------------------------------------------- numbers in cells


def test_numbers_in_cells_are_read_by_the_grammar_a_spreadsheet_writes(
    cli: Cli, tmp_path: Path
) -> None:
    cells = {
        "3.5": "incomplete",
        " 3.5 ": "incomplete",
        "+3": "incomplete",
        ".5": "ineligible",
        "2.": "ineligible",
        "1E0": "ineligible",
        "1_000": "gpa: expected a number (digits, a point for decimals), got '1_000'",
        "inf": "gpa: expected a number (digits, a point for decimals), got 'inf'",
        "nan": "gpa: expected a number (digits, a point for decimals), got 'nan'",
        "0x10": "gpa: expected a number (digits, a point for decimals), got '0x10'",
        "٣": "gpa: expected a number (digits, a point for decimals), got '٣'",
        "3,5": "gpa: '3,5' has a decimal comma: set decimal = \",\" in the column map (--columns)",
    }
    path = tmp_path / "numbers.csv"
    path.write_text(
        "id,gpa,toefl\n"
        + "".join(f'N{n},"{cell}",\n' for n, cell in enumerate(cells))
        + "T,3.5,1_00\n",
        encoding="utf-8",
    )
    records, code = batch(cli, path)
    assert [verdict for _, verdict in outcome(records)] == [
        *cells.values(),
        "toefl: expected a number (digits, a point for decimals), got '1_00'",
    ]
    assert code == 3


# --------------------------------------------------------------------------- item 5: the terminal


def test_a_profile_with_50000_unknown_keys_is_20_lines_and_a_count(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({f"k{n}": 1 for n in range(50_000)}), encoding="utf-8")
    run = cli("check", str(path), "-p", PROGRAM_ID)
    lines = run.stderr.splitlines()
    assert lines[0] == f"admitcheck: {path}: invalid profile (50,000 problems)"
    assert len(lines) == 22
    assert lines[-1] == "  and 49,980 more"
    assert run.exit_code == 3


def test_file_names_are_shown_escaped_in_warnings_tables_and_records(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = "a\x1b[31mred\u202eevil\u2028x\nb.jsonl"
    (folder / hostile).write_text((GOOD + b"\n" + GOOD + b"\n").decode(), encoding="utf-8")
    for fmt in ("table", "markdown", "csv", "jsonl"):
        run = cli("batch", str(folder), "-p", PROGRAM_ID, "-f", fmt)
        for text in (run.stdout, run.stderr):
            for raw in ("\x1b", "\u202e", "\u2028"):
                assert raw not in text, (fmt, text)
        if fmt in ("csv", "jsonl"):  # (a table folds long names; Markdown escapes [)
            assert "a\\x1b[31mred\\u202eevil\\u2028x\\x0ab.jsonl" in run.stdout.replace(
                "\\\\", "\\"
            )
    assert "applicant id 'G' repeats (" in run.stderr
    assert "\\x1b[31mred\\u202e" in run.stderr


# --------------------------------------------------------------------------- the array cutter

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(), max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(
    items=st.lists(st.dictionaries(st.text(max_size=6), _JSON, max_size=4), max_size=6),
    indent=st.sampled_from([None, 1]),
    block=st.integers(min_value=1, max_value=64),
)
@settings(max_examples=300, deadline=None)
def test_cutting_an_array_into_items_agrees_with_parsing_it_whole(
    items: list[dict[str, Any]], indent: int | None, block: int
) -> None:
    import io

    from admitcheck.inputs.json_text import Items

    data = json.dumps(items, indent=indent).encode()
    cutter = Items(io.BytesIO(data).read, 1 << 20, block)
    found = list(cutter)
    assert [json.loads(item) for _, item, _ in found] == items
    assert [index for index, _, _ in found] == list(range(len(items)))
    assert cutter.cut is None and not cutter.trailing


def test_a_gzip_csv_with_one_huge_cell_is_read_past_in_bounded_memory(
    cli: Cli, tmp_path: Path
) -> None:
    import gzip

    path = tmp_path / "cell.csv.gz"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(b"id,name,gpa\nA,Ann,3.5\nB,")
        for _ in range(32):
            handle.write(b"y" * MIB)
        handle.write(b",3.5\nC,Cy,3.5\n")
    assert path.stat().st_size < MIB
    records, code = batch(cli, path)
    assert outcome(records) == [
        (f"{path}:2", "incomplete"),
        (
            f"{path}:3",
            f"a row of {32 * MIB + 7:,} characters; one record may hold at most 1,048,576 "
            "characters: the line could not be read",
        ),
        (f"{path}:4", "incomplete"),
    ]
    assert code == 3
