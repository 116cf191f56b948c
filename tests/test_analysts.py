"""Batch for analysts: compact output, detailed CSV, a subset of checks, a JSON summary,
repeated ids, compressed inputs, and the Python API as a user imports it."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import AS_OF, EXAMPLES, PROGRAM_ID, ROOT, SHARED, Run, eligible_profile

Cli = Callable[..., Run]
GRAD_CSV = SHARED / "data" / "graduate-admissions" / "Admission_Predict.csv"
GRAD_MAP = EXAMPLES / "columns" / "graduate-admissions.toml"


def _jsonl(path: Path, profiles: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(p) + "\n" for p in profiles))
    return path


def _schema(cli: Cli, document: str) -> dict[str, object]:
    run = cli("schema", document)
    assert run.exit_code == 0, run.stderr
    found: dict[str, object] = run.json()
    return found


def test_compact_records_hold_verdict_statuses_and_shortfalls_and_match_their_schema(
    cli: Cli, tmp_path: Path
) -> None:
    low = eligible_profile(id="A-2", gpa=2.5)
    source = _jsonl(tmp_path / "in.jsonl", [eligible_profile(id="A-1"), low, {"gpa": "x"}])
    run = cli("batch", str(source), "-p", PROGRAM_ID, "-f", "jsonl-compact", "--as-of", AS_OF)
    records = run.jsonl()
    assert [r["verdict"] for r in records] == ["eligible", "ineligible", "error"]
    first, second, _ = records
    assert first["program"]["id"] == PROGRAM_ID
    assert first["program"]["rules_hash"].startswith("sha256:")
    assert first["checks"]["degree"] == "met" and first["shortfalls"] == {}
    assert second["checks"]["gpa"] == "not_met"
    assert second["shortfalls"] == {"gpa": "0.5 below 3.0"}
    schema = _schema(cli, "report-compact")
    for record in records:
        jsonschema.validate(record, schema)


def test_a_compact_record_is_a_small_fraction_of_a_full_report(cli: Cli, tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [eligible_profile(id=f"A-{i}") for i in range(20)])
    full = cli("batch", str(source), "-p", PROGRAM_ID, "--as-of", AS_OF).stdout
    compact = cli(
        "batch", str(source), "-p", PROGRAM_ID, "-f", "jsonl-compact", "--as-of", AS_OF
    ).stdout
    assert len(compact) * 5 < len(full)


def test_full_reports_validate_against_the_report_schema(cli: Cli, tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [eligible_profile(), {"gpa": "x"}])
    run = cli("batch", str(source), "-p", PROGRAM_ID, "--as-of", AS_OF, "--checks", "gpa")
    schema = _schema(cli, "report")
    for record in run.jsonl():
        jsonschema.validate(record, schema)


def test_csv_detail_puts_actual_and_shortfall_beside_each_status(cli: Cli, tmp_path: Path) -> None:
    profile = eligible_profile(id="A-1", gpa={"value": 8.4, "scale": 10})
    short = eligible_profile(id="A-2", gpa=2.5)
    source = _jsonl(tmp_path / "in.jsonl", [profile, short])
    run = cli("batch", str(source), "-p", PROGRAM_ID, "-f", "csv", "--csv-detail", "--as-of", AS_OF)
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    header = run.stdout.splitlines()[0].split(",")
    at = header.index("gpa")
    assert header[at : at + 5] == [
        "gpa",
        "gpa.actual",
        "gpa.shortfall",
        "gpa.detail",
        "gpa.converted",
    ]
    assert header[at + 5 : at + 9] == [
        "english",
        "english.actual",
        "english.shortfall",
        "english.detail",
    ]
    converted, low = rows
    assert converted["gpa"] == "review"
    assert converted["gpa.actual"].startswith("8.4 / 10")
    assert converted["gpa.converted"] == "3.36"  # a number: no '~', no scale
    assert low["gpa"] == "not_met" and low["gpa.shortfall"] == "0.5 below 3.0"
    assert low["gpa.converted"] == ""


def test_csv_detail_is_refused_for_other_formats(cli: Cli, tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [eligible_profile()])
    run = cli("batch", str(source), "-p", PROGRAM_ID, "--csv-detail")
    assert run.exit_code == 2
    assert "--csv-detail is for CSV output, not jsonl" in run.stderr


def test_checks_limits_the_verdict_to_the_checks_named_and_lists_those_left_out(
    cli: Cli, tmp_path: Path
) -> None:
    scores_only = {"id": "S-1", "gpa": 3.5, "tests": {"gre": {"verbal": 155, "quant": 165}}}
    source = _jsonl(tmp_path / "in.jsonl", [scores_only])
    everything = cli("batch", str(source), "-p", PROGRAM_ID, "--as-of", AS_OF).jsonl()[0]
    assert everything["verdict"] == "incomplete"
    run = cli("batch", str(source), "-p", PROGRAM_ID, "--as-of", AS_OF, "--checks", "gpa,tests")
    report = run.jsonl()[0]
    assert report["verdict"] == "eligible"
    assert [c["id"] for c in report["checks"]] == ["gpa", "tests"]
    assert "degree" in report["checks_left_out"]
    assert "materials.resume" in report["checks_left_out"]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("coursework", ["coursework.mathematics", "coursework.statistics"]),
        ("coursework.physics", ["coursework.physics"]),
        ("materials.resume", ["materials.resume"]),
    ],
)
def test_checks_take_categories_ids_and_id_prefixes(
    cli: Cli, tmp_path: Path, selector: str, expected: list[str]
) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [eligible_profile()])
    run = cli("batch", str(source), "-p", PROGRAM_ID, "--as-of", AS_OF, "--checks", selector)
    ids = [c["id"] for c in run.jsonl()[0]["checks"]]
    assert ids[: len(expected)] == expected


def test_an_unknown_check_is_a_usage_error_listing_the_known_ones(cli: Cli, tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [eligible_profile()])
    run = cli("batch", str(source), "-p", PROGRAM_ID, "--checks", "gpa,toefl")
    assert run.exit_code == 2
    assert "--checks: 'toefl' names no check" in run.stderr
    assert "english" in run.stderr and "coursework.physics" in run.stderr


def test_check_command_takes_checks_too(cli: Cli) -> None:
    run = cli(
        "check",
        str(EXAMPLES / "kenji-ineligible.json"),
        "-p",
        PROGRAM_ID,
        "--checks",
        "materials",
        "-f",
        "json",
        "--as-of",
        AS_OF,
    )
    report = run.json()
    assert {c["category"] for c in report["checks"]} == {"materials"}
    assert report["verdict"] == "eligible"  # materials alone never decide eligibility


def test_summary_file_counts_verdicts_statuses_blocking_checks_errors_and_repeats(
    cli: Cli, tmp_path: Path
) -> None:
    profiles = [eligible_profile(id="A-1"), eligible_profile(id="A-1", gpa=2.0), {"gpa": "x"}]
    source = _jsonl(tmp_path / "in.jsonl", profiles)
    summary = tmp_path / "s.json"
    run = cli("batch", str(source), "-p", PROGRAM_ID, "--as-of", AS_OF, "--summary", str(summary))
    assert run.exit_code == 3  # the unreadable record
    found = json.loads(summary.read_text())
    jsonschema.validate(found, _schema(cli, "summary"))
    assert found["records"] == 3 and found["outputs"] == 3 and found["errors"] == 1
    assert found["verdicts"] == {"eligible": 1, "ineligible": 1, "error": 1}
    assert found["checks"]["gpa"] == {"met": 1, "not_met": 1}
    assert found["blocking"] == [{"check": "gpa", "count": 1}]
    assert found["repeated_ids"] == 1
    assert found["repeats"][0]["id"] == "A-1"
    assert found["repeats"][0]["first"].endswith("in.jsonl:1")
    assert "applicant id 'A-1' repeats" in run.stderr


def test_summary_is_refused_on_standard_output_and_on_the_output_file(
    cli: Cli, tmp_path: Path
) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [eligible_profile()])
    out = tmp_path / "out.jsonl"
    stdout = cli("batch", str(source), "-p", PROGRAM_ID, "--summary", "-")
    same = cli("batch", str(source), "-p", PROGRAM_ID, "-o", str(out), "--summary", str(out))
    assert stdout.exit_code == same.exit_code == 2
    assert "--summary needs a file name" in stdout.stderr
    assert "--summary and --output name the same file" in same.stderr
    assert not out.exists()


def test_many_repeated_ids_are_named_up_to_a_limit_and_counted(cli: Cli, tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [eligible_profile(id="SAME") for _ in range(30)])
    run = cli("batch", str(source), "-p", PROGRAM_ID, "--as-of", AS_OF)
    assert run.stderr.count("repeats (") == 20
    assert "29 records repeat an earlier applicant id" in run.stderr
    assert len(run.jsonl()) == 30  # warned about, never dropped


def test_gzip_inputs_are_read_as_their_inner_format(cli: Cli, tmp_path: Path) -> None:
    lines = "".join(json.dumps(eligible_profile(id=f"G-{i}")) + "\n" for i in range(3))
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    csv_text = "id,gpa\nC-1,3.5\n"
    (tmp_path / "b.csv.gz").write_bytes(gzip.compress(csv_text.encode()))
    run = cli("batch", str(tmp_path), "-p", PROGRAM_ID, "--as-of", AS_OF)
    assert [r["applicant"]["id"] for r in run.jsonl()] == ["G-0", "G-1", "G-2", "C-1"]
    piped = cli(
        "batch", "-", "-p", PROGRAM_ID, "--as-of", AS_OF, stdin=gzip.compress(lines.encode())
    )
    assert len(piped.jsonl()) == 3


def test_a_truncated_gzip_file_ends_in_one_error_record_not_a_traceback(
    cli: Cli, tmp_path: Path
) -> None:
    data = gzip.compress(
        b"".join(json.dumps(eligible_profile()).encode() + b"\n" for _ in range(50))
    )
    broken = tmp_path / "cut.jsonl.gz"
    broken.write_bytes(data[: len(data) // 2])
    run = cli("batch", str(broken), "-p", PROGRAM_ID, "--as-of", AS_OF)
    records = run.jsonl()
    assert records[-1]["verdict"] == "error"
    assert "the file ends inside its gzip data (cut short" in records[-1]["error"]["message"]
    assert [r["verdict"] for r in records[:-1]] == ["eligible"] * (len(records) - 1)
    assert run.exit_code == 3


@pytest.mark.skipif(not GRAD_CSV.exists(), reason="../shared/data is not beside the project")
def test_the_real_export_screened_on_scores_gives_an_analyst_numbers_to_act_on(
    cli: Cli, tmp_path: Path
) -> None:
    out, summary = tmp_path / "k.csv", tmp_path / "s.json"
    run = cli(
        "batch",
        str(GRAD_CSV),
        "-p",
        PROGRAM_ID,
        "--columns",
        str(GRAD_MAP),
        "--checks",
        "gpa,english,tests",
        "--csv-detail",
        "--summary",
        str(summary),
        "-o",
        str(out),
        "--as-of",
        AS_OF,
    )
    assert run.exit_code == 4, run.stderr  # every 10-point CGPA needs a person: review
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 400
    first = rows[0]
    assert (first["english"], first["english.actual"]) == ("met", "TOEFL iBT 118")
    assert (first["tests"], first["tests.actual"]) == ("met", "GRE total 337")
    assert first["gpa.converted"] == "3.86"  # 9.65 / 10, a number an analyst can sort by
    assert "degree" not in first  # left out, not reported as missing
    found = json.loads(summary.read_text())
    assert found["records"] == 400 and found["errors"] == 0
    assert found["checks"]["english"] == {"met": 400}
    assert found["checks"]["gpa"] == {"review": 400}
    assert "degree" in found["checks_left_out"]


# --------------------------------------------------------------------------- the API


def test_the_api_example_in_the_docs_runs_as_written(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "api.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S)
    assert code is not None
    script = tmp_path / "example.py"
    script.write_text(code[1])
    run = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "incomplete"
    assert "input[1] error: gpa:" in run.stdout


def test_importing_admitcheck_does_not_import_the_checker() -> None:
    code = "import admitcheck, sys; print('admitcheck.evaluate' in sys.modules)"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    assert run.stdout.strip() == "False"


def test_api_check_gives_the_report_the_cli_prints(cli: Cli) -> None:
    import admitcheck

    profile_path = EXAMPLES / "priya-review.json"
    report = admitcheck.check(json.loads(profile_path.read_text()), PROGRAM_ID, as_of=AS_OF)
    printed = cli("check", str(profile_path), "-p", PROGRAM_ID, "-f", "json", "--as-of", AS_OF)
    expected = printed.json()
    found = report.to_dict()
    expected["applicant"]["source"] = found["applicant"]["source"] = None
    assert found == expected


def test_api_check_many_streams_one_result_per_profile_and_never_stops() -> None:
    import admitcheck

    def profiles():  # type: ignore[no-untyped-def]
        yield eligible_profile(id="A")
        yield {"gpa": -1}
        yield eligible_profile(id="C")

    results = list(admitcheck.check_many(profiles(), PROGRAM_ID, as_of=AS_OF))
    assert [type(r).__name__ for r in results] == ["Report", "ErrorRecord", "Report"]
    error = results[1]
    assert isinstance(error, admitcheck.ErrorRecord)
    assert error.to_dict()["error"]["index"] == 1


def test_api_errors_are_the_cli_errors() -> None:
    import admitcheck

    with pytest.raises(admitcheck.ProfileError, match="gpa"):
        admitcheck.check({"gpa": "high"}, PROGRAM_ID)
    with pytest.raises(admitcheck.UsageError, match="no-such"):
        admitcheck.check(eligible_profile(), "no-such")
    with pytest.raises(admitcheck.UsageError, match="toefl"):
        admitcheck.check(eligible_profile(), PROGRAM_ID, checks=["toefl"])
    with pytest.raises(admitcheck.AdmitcheckError, match="as_of"):
        admitcheck.check(eligible_profile(), PROGRAM_ID, as_of="25/11/2026")
