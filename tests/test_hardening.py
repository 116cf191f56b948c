"""Hostile and broken input: one clear message, the documented exit code, nothing lost."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from admitcheck.api import check
from admitcheck.errors import ProfileError
from admitcheck.evaluate import evaluate
from admitcheck.inputs import json_text
from admitcheck.inputs.profiles import Screen, validate_document
from admitcheck.models.program import LoadedProgram
from admitcheck.render.json import report_json
from admitcheck.vocabulary import Verdict
from tests.conftest import AS_OF, AS_OF_DATE, PROGRAM_ID, ROOT, Run, eligible_profile
from tests.strategies import JSON_VALUES, PROFILE_LIKE, valid_profiles

Cli = Callable[..., Run]

# (name, file content, exit code, message after "admitcheck: FILE: ")
BAD_PROFILES: list[tuple[str, bytes, int, str]] = [
    (
        "malformed",
        b'{\n  "gpa": 3.1,,\n}',
        3,
        "line 2 column 14: invalid JSON: Expecting property name enclosed in double quotes",
    ),
    ("empty", b"", 3, "file is empty, expected a JSON object"),
    ("whitespace", b"  \n\t\n", 3, "file is empty, expected a JSON object"),
    (
        "binary",
        b"\x00\x01\x02PK\x03\x04",
        3,
        "looks like a binary file (it holds zero bytes), expected UTF-8 text",
    ),
    (
        "latin1",
        '{"name": "José"}'.encode("latin-1"),
        3,
        "not UTF-8 text (byte 0xe9 at offset 13); save the file as UTF-8",
    ),
    (
        "array-of-non-objects",
        b"[1, 2]",
        3,
        "holds a JSON array of 2 records; `check` takes one profile (use `admitcheck batch` for many)",
    ),
    ("scalar", b'"just text"', 3, "expected a JSON object (a profile), got str"),
    (
        "deeply-nested",
        b"[" * 100_000 + b"]" * 100_000,
        3,
        "JSON is nested too deeply to be a profile",
    ),
    ("nan", b'{"gpa": NaN}', 3, "invalid JSON: NaN is not a JSON number"),
    ("infinity", b'{"gpa": Infinity}', 3, "invalid JSON: Infinity is not a JSON number"),
    ("duplicate-key", b'{"gpa": 3.5, "gpa": 2.0}', 3, "duplicate key 'gpa' in a JSON object"),
    (
        "number-as-string",
        b'{"tests": {"toefl": {"total": "98"}}}',
        3,
        "tests.toefl.total: expected a whole number, got '98'",
    ),
    (
        "boolean-as-number",
        b'{"materials": {"recommendation_letters": true}}',
        3,
        "materials.recommendation_letters: expected a whole number, got true",
    ),
    (
        "out-of-range",
        b'{"tests": {"pte": {"overall": 95}}}',
        3,
        "tests.pte.overall: must be at most 90, got 95",
    ),
    (
        "off-step",
        b'{"tests": {"ielts": {"overall": 6.7}}}',
        3,
        "tests.ielts.overall: must be a multiple of 0.5, got 6.7",
    ),
    (
        "future-test-date",
        b'{"tests": {"gre": {"total": 320, "date": "2027-01-01"}}}',
        3,
        "tests.gre.date: test date 2027-01-01 is in the future",
    ),
    (
        "unknown-field",
        b'{"citizenshp": "India"}',
        3,
        "citizenshp: unknown field 'citizenshp'; did you mean 'citizenship'?",
    ),
    (
        "gpa-above-scale",
        b'{"gpa": {"value": 8.4}}',
        3,
        "gpa: GPA 8.4 is above its scale 4; give the scale the GPA is on",
    ),
    (
        "huge-text",
        b'{"name": "' + b"x" * 1000 + b'"}',
        3,
        "name: must be at most 500 characters long",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "code", "message"), BAD_PROFILES, ids=[b[0] for b in BAD_PROFILES]
)
def test_bad_profile_gets_one_clear_message_and_its_exit_code(
    cli: Cli, tmp_path: Path, name: str, content: bytes, code: int, message: str
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_bytes(content)
    run = cli("check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF)
    assert run.exit_code == code
    assert run.stderr.startswith(f"admitcheck: {path}: {message}")
    assert run.stdout == ""
    assert "Traceback" not in run.stderr


def test_utf8_with_bom_is_read(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(eligible_profile()).encode())
    assert cli("check", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF).exit_code == 0


def test_a_50_mb_single_line_is_an_input_error_not_a_crash(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(
        b'{"name": "'
        + b"x" * (50 * 1024 * 1024)
        + b'"}\n'
        + json.dumps(eligible_profile()).encode()
        + b"\n"
    )
    out = cli("batch", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF).jsonl()
    assert [r["verdict"] for r in out] == ["error", "eligible"]
    assert out[0]["error"]["message"] == (
        "a line of 52,428,812 bytes; one record may hold at most 1,048,576 bytes (1 MiB), so "
        "it was not read"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["check", "-p", PROGRAM_ID, "nope.json"], 2, "admitcheck: nope.json: no such file"),
        (["check", "-p", PROGRAM_ID, "examples"], 2, "admitcheck: examples: is a folder"),
        (
            ["check", "examples/maria-eligible.json", "-p", "mit-eecs"],
            2,
            "admitcheck: unknown program id 'mit-eecs'",
        ),
        (
            ["check", "examples/maria-eligible.json", "--rules", "nope.toml"],
            2,
            "admitcheck: nope.toml: no such rules file",
        ),
        (
            ["batch", "-p", PROGRAM_ID, "tests"],
            2,
            "admitcheck: tests: folder holds no *.json, *.jsonl or *.csv",
        ),
        (
            ["batch", "-p", PROGRAM_ID, "-", "-"],
            2,
            "admitcheck: standard input (-) can be read only once",
        ),
        (["check", "-p", PROGRAM_ID, "examples/maria-eligible.json", "-f", "yaml"], 2, ""),
    ],
)
def test_usage_errors_exit_2(cli: Cli, args: list[str], code: int, message: str) -> None:
    run = cli(*args)
    assert run.exit_code == code
    assert run.stderr.startswith(message)


def test_a_rules_file_with_a_bad_key_exits_2(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        '[[programs]]\nid = "x"\nname = "x"\nsource = "s"\nas_of = 2026-01-01\ncolour = \'red\'\n',
        encoding="utf-8",
    )
    run = cli("check", "examples/maria-eligible.json", "--rules", str(path))
    assert run.exit_code == 2
    assert f"{path}:6: programs[0].colour: unknown field 'colour'" in run.stderr


@pytest.mark.parametrize("how", ["absolute", "parent"])
def test_a_rules_file_includes_only_files_inside_its_own_folder(
    cli: Cli, tmp_path: Path, how: str
) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_text(
        '[[programs]]\nid = "leak"\nname = "x"\nsource = "s"\nas_of = 2026-01-01\n',
        encoding="utf-8",
    )
    (tmp_path / "rules").mkdir()
    path = tmp_path / "rules" / "r.toml"
    name = str(secret) if how == "absolute" else "sub/../../secret.toml"
    path.write_text(f'include = ["{name}"]\n', encoding="utf-8")
    run = cli("programs", "validate", str(path))
    assert run.exit_code == 2
    assert "include[0]" in run.stderr
    listed = cli("programs", "list", "--rules", str(path), "-f", "json")
    assert listed.exit_code == 2
    assert "leak" not in listed.stdout


def test_batch_reports_duplicate_keys_like_check(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    path.write_bytes(
        b'{"gpa": 3.5, "gpa": 2.0}\n'
        b'{"tests": {"gre": {"total": 300, "total": 310}}}\n'
        b'{"name": "a\\":b", "gpa": 3.5}\n'
        b'{"gpa" \t: 3.5, "gpa" \t: 2.0}\n'
    )
    out = cli("batch", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF).jsonl()
    assert [r.get("error", {}).get("message") for r in out] == [
        "duplicate key 'gpa' in a JSON object",
        "duplicate key 'total' in a JSON object",
        None,
        "duplicate key 'gpa' in a JSON object",
    ]


def test_batch_reads_crlf_and_bom_jsonl(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "crlf.jsonl"
    line = json.dumps(eligible_profile()).encode()
    path.write_bytes(b"\xef\xbb\xbf" + line + b"\r\n" + line + b"\r\n")
    assert [
        r["verdict"] for r in cli("batch", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF).jsonl()
    ] == [
        "eligible",
        "eligible",
    ]


def test_batch_gives_one_record_per_line_for_any_mix(cli: Cli, tmp_path: Path) -> None:
    lines = [
        b'{"gpa": NaN}',
        b"\x00\x01",
        '{"name": "Jos\xe9"}'.encode("latin-1"),
        b"[]",
        b"{",
        b"null",
        b'{"gpa": 3.5, "tests": {"gre": {"total": 300}}}',
        b'"x"',
        b"[" * 10_000 + b"]" * 10_000,
    ]
    path = tmp_path / "mix.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    out = cli("batch", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF).jsonl()
    assert len(out) == len(lines)
    assert [r["verdict"] == "error" for r in out] == [True] * 6 + [False] + [True] * 2
    assert [r["error"]["line"] for r in out if r["verdict"] == "error"] == [1, 2, 3, 4, 5, 6, 8, 9]


def test_control_sequences_and_markup_never_reach_the_terminal(cli: Cli, tmp_path: Path) -> None:
    evil = eligible_profile(
        id="\x1b]0;pwned\x07",
        name="[red]x[/red]\x1b[2J",
        courses=["\x1b[31mCalculus\x1b[0m", "[blink]Stats[/]"],
    )
    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps(evil) + "\n", encoding="utf-8")
    for fmt in ("table", "markdown", "csv"):
        run = cli("batch", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF, "-f", fmt)
        assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    single = tmp_path / "evil.json"
    single.write_text(json.dumps(evil), encoding="utf-8")
    for fmt in ("table", "markdown"):
        run = cli("check", "-p", PROGRAM_ID, str(single), "--as-of", AS_OF, "-f", fmt)
        assert "\x1b" not in run.stdout
        assert "\\x1b" in run.stdout


# --------------------------------------------------------------------------- properties


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=st.one_of(JSON_VALUES, PROFILE_LIKE))
def test_any_json_value_exits_with_a_documented_code(cli: Cli, document: Any) -> None:
    run = cli(
        "check", "-p", PROGRAM_ID, "-", "--as-of", AS_OF, "-f", "json", stdin=json.dumps(document)
    )
    assert run.exit_code in (0, 1, 2, 3, 4)
    assert "Traceback" not in run.stderr
    if run.exit_code == 3:
        assert run.stderr.startswith("admitcheck: <stdin>: ")


@settings(max_examples=300, deadline=None)
@given(document=st.one_of(JSON_VALUES, PROFILE_LIKE))
def test_any_json_value_is_a_report_or_one_profile_error(
    program: LoadedProgram, document: Any
) -> None:
    try:
        parsed = json_text.parse(json.dumps(document), "doc")
        if not isinstance(parsed, dict):
            return
        profile = validate_document(parsed, "doc", Screen(AS_OF_DATE, program.reference))
    except ProfileError as exc:
        assert exc.message.startswith("doc: ")
        return
    assert evaluate(profile, program, AS_OF_DATE).verdict in Verdict


@pytest.fixture(scope="module")
def report_schema() -> dict[str, Any]:
    from admitcheck.schemas import schema

    return {**schema("report")}


@settings(max_examples=150, deadline=None)
@given(profile=valid_profiles(), seed=st.randoms())
def test_valid_profiles_give_schema_valid_reports_independent_of_key_order(
    program: LoadedProgram, report_schema: dict[str, Any], profile: dict[str, Any], seed: Any
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    report = json.loads(report_json(check(profile, program, as_of=AS_OF_DATE)))
    jsonschema.validate(report, report_schema)
    keys = list(profile)
    seed.shuffle(keys)
    shuffled = {k: profile[k] for k in keys}
    assert json.loads(report_json(check(shuffled, program, as_of=AS_OF_DATE))) == report


# --------------------------------------------------------------------------- interrupts


def wait_for_output(folder: Path, pattern: str, process: subprocess.Popen[bytes]) -> None:
    """Until the run has written something (its first chunks), or 60 s have passed."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if any(p.stat().st_size > 0 for p in folder.glob(pattern)):
            return
        time.sleep(0.02)
    raise AssertionError("the run wrote nothing to interrupt")


@pytest.mark.slow
def test_ctrl_c_reports_progress_exits_130_and_keeps_the_old_output(tmp_path: Path) -> None:
    line = json.dumps(eligible_profile()).encode() + b"\n"
    source = tmp_path / "many.jsonl"
    source.write_bytes(line * 400_000)
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "admitcheck",
            "batch",
            "-p",
            PROGRAM_ID,
            str(source),
            "-o",
            str(target),
            "--jobs",
            "2",
            "--as-of",
            AS_OF,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wait_for_output(tmp_path, ".out.jsonl.*.part", process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    message = stderr.decode()
    # Above it: warnings that the one applicant id repeats.
    assert message.splitlines()[-1].startswith("admitcheck: interrupted after ")
    assert f"{target} was left unchanged" in message
    assert "Traceback" not in message
    assert target.read_text(encoding="utf-8") == "old\n"
    assert not list(tmp_path.glob("*.part"))
