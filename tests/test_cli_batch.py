"""`admitcheck batch`: every input kind, one output per input record, order, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from admitcheck.catalog import load_catalog
from admitcheck.vocabulary import BatchFormat
from tests.conftest import (
    AS_OF,
    EXAMPLES,
    PROGRAM_ID,
    SHARED,
    Run,
    eligible_profile,
    golden,
    write_json,
)

Cli = Callable[..., Run]
GRAD_CSV = SHARED / "data" / "graduate-admissions" / "Admission_Predict.csv"
GRAD_MAP = Path(__file__).resolve().parents[1] / "examples" / "columns" / "graduate-admissions.toml"


def jsonl(path: Path, records: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_jsonl_in_jsonl_out_keeps_input_order(cli: Cli, tmp_path: Path) -> None:
    records = [eligible_profile(id=f"R{i}", gpa=2.5 if i % 2 else 3.5) for i in range(7)]
    run = cli(
        "batch", "-p", PROGRAM_ID, str(jsonl(tmp_path / "in.jsonl", records)), "--as-of", AS_OF
    )
    out = run.jsonl()
    assert [r["applicant"]["id"] for r in out] == [f"R{i}" for i in range(7)]
    assert [r["verdict"] for r in out] == ["eligible", "ineligible"] * 3 + ["eligible"]
    assert out[2]["applicant"]["source"] == f"{tmp_path / 'in.jsonl'}:3"
    assert run.exit_code == 1


def test_a_bad_record_becomes_an_error_record_and_the_run_goes_on(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps(eligible_profile(id="good"))
        + "\n"
        + '{"gpa": 3.1,,}\n'
        + "\n"
        + json.dumps({"tests": {"tofel": {"total": 100}}})
        + "\n"
        + "[1, 2]\n"
        + json.dumps(eligible_profile(id="last"))
        + "\n",
        encoding="utf-8",
    )
    run = cli("batch", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF)
    out = run.jsonl()
    assert [r["verdict"] for r in out] == ["eligible", "error", "error", "error", "eligible"]
    assert out[1]["error"]["line"] == 2
    assert "invalid JSON" in out[1]["error"]["message"] or "json" in out[1]["error"]["message"]
    assert out[2]["error"] == {
        "source": str(path),
        "line": 4,
        "index": None,
        "message": "tests.tofel: unknown field 'tofel'; did you mean 'toefl'?",
    }
    assert run.exit_code == 3


def test_exit_code_is_the_most_serious_3_then_1_then_4(cli: Cli, tmp_path: Path) -> None:
    review = eligible_profile(degree={"level": "bachelor", "field": "Physics"})
    ineligible = eligible_profile(gpa=2.0)
    assert (
        cli(
            "batch",
            "-p",
            PROGRAM_ID,
            str(jsonl(tmp_path / "a.jsonl", [eligible_profile()])),
            "--as-of",
            AS_OF,
        ).exit_code
        == 0
    )
    assert (
        cli(
            "batch",
            "-p",
            PROGRAM_ID,
            str(jsonl(tmp_path / "b.jsonl", [review, eligible_profile()])),
            "--as-of",
            AS_OF,
        ).exit_code
        == 4
    )
    assert (
        cli(
            "batch",
            "-p",
            PROGRAM_ID,
            str(jsonl(tmp_path / "c.jsonl", [review, ineligible])),
            "--as-of",
            AS_OF,
        ).exit_code
        == 1
    )
    bad = jsonl(tmp_path / "d.jsonl", [ineligible, {"gpa": 9}])
    assert cli("batch", "-p", PROGRAM_ID, str(bad), "--as-of", AS_OF).exit_code == 3
    assert cli("batch", "-p", PROGRAM_ID, str(bad), "--as-of", AS_OF, "--exit-zero").exit_code == 0


def test_json_array_and_object_files_and_folders(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "students"
    folder.mkdir()
    write_json(folder / "b-array.json", [eligible_profile(id="B0"), 42, eligible_profile(id="B2")])
    write_json(folder / "a-one.json", eligible_profile(id="A"))
    (folder / "notes.txt").write_text("not a profile", encoding="utf-8")
    run = cli("batch", "-p", PROGRAM_ID, str(folder), "--as-of", AS_OF)
    out = run.jsonl()
    assert [r["applicant"]["id"] for r in out] == ["A", "B0", None, "B2"]
    assert out[2]["error"]["index"] == 1
    assert "got int" in out[2]["error"]["message"]


def test_standard_input_jsonl_json_array_and_csv(cli: Cli) -> None:
    lines = "\n".join(json.dumps(eligible_profile(id=f"S{i}")) for i in range(3))
    assert len(cli("batch", "-p", PROGRAM_ID, "-", "--as-of", AS_OF, stdin=lines).jsonl()) == 3
    array = json.dumps([eligible_profile(id="X"), eligible_profile(id="Y")], indent=2)
    assert [
        r["applicant"]["id"]
        for r in cli("batch", "-p", PROGRAM_ID, "-", "--as-of", AS_OF, stdin=array).jsonl()
    ] == ["X", "Y"]
    pretty = json.dumps(eligible_profile(id="P"), indent=2)
    assert [
        r["applicant"]["id"]
        for r in cli("batch", "-p", PROGRAM_ID, "-", "--as-of", AS_OF, stdin=pretty).jsonl()
    ] == ["P"]
    table = "id,gpa,international\nC1,3.4,false\nC2,2.1,false\n"
    out = cli("batch", "-p", PROGRAM_ID, "-", "--as-of", AS_OF, stdin=table).jsonl()
    assert [(r["applicant"]["id"], r["verdict"]) for r in out] == [
        ("C1", "incomplete"),
        ("C2", "ineligible"),
    ]


def test_csv_with_the_documented_flat_columns(cli: Cli) -> None:
    run = cli(
        "batch",
        "-p",
        PROGRAM_ID,
        str(Path("tests/data/applicants.csv")),
        "--as-of",
        AS_OF,
        "-f",
        "json",
    )
    out = run.json()
    assert [r["verdict"] for r in out] == ["eligible", "ineligible", "error", "review"]
    assert out[2]["error"]["line"] == 4
    assert "toefl" in out[2]["error"]["message"]


def test_a_latin1_csv_row_is_one_error_record_and_the_rest_are_read(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("id,name,gpa\n1,Ana,3.5\n2,José,3.1\n3,Bo,2.0\n".encode("latin-1"))
    out = cli("batch", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF).jsonl()
    assert [r["verdict"] for r in out] == ["incomplete", "error", "ineligible"]
    assert out[1]["error"] == {
        "source": str(path),
        "line": 3,
        "index": None,
        "message": "not UTF-8 text in column(s) name; save the file as UTF-8",
    }


def test_csv_unknown_column_fails_every_row_with_a_hint(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,GPA Score\n1,3.5\n2,3.9\n", encoding="utf-8")
    out = cli("batch", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF).jsonl()
    assert len(out) == 2
    assert all("unknown column 'GPA Score'" in r["error"]["message"] for r in out)
    assert "--columns" in out[0]["error"]["message"]


@pytest.mark.skipif(not GRAD_CSV.exists(), reason="../shared/data is not beside the project")
def test_the_real_graduate_admissions_export_checks_all_400_rows(cli: Cli) -> None:
    run = cli(
        "batch", "-p", PROGRAM_ID, str(GRAD_CSV), "--columns", str(GRAD_MAP), "--as-of", AS_OF
    )
    out = run.jsonl()
    assert len(out) == 400
    assert all(r["verdict"] != "error" for r in out)
    first = {c["id"]: c for c in out[0]["checks"]}
    assert first["gpa"]["actual"] == "9.65 / 10 (~3.86 / 4.0)"
    assert first["tests"]["actual"] == "GRE total 337"
    assert first["english"]["status"] == "met"
    # No degree or coursework columns: honestly undecided, never eligible.
    assert {r["verdict"] for r in out} == {"incomplete"}
    assert run.exit_code == 4


def test_csv_output_has_a_status_column_per_check_and_neutralises_formulas(
    cli: Cli, tmp_path: Path
) -> None:
    evil = eligible_profile(id='=HYPERLINK("http://x")', name="@SUM(A1)", gpa=2.0)
    run = cli(
        "batch",
        "-p",
        PROGRAM_ID,
        str(jsonl(tmp_path / "in.jsonl", [evil, {"gpa": 9}])),
        "--as-of",
        AS_OF,
        "-f",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert len(rows) == 2
    assert rows[0]["id"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["name"] == "'@SUM(A1)"
    assert rows[0]["gpa"] == "not_met"
    assert rows[0]["coursework.physics"] == "met"
    assert rows[0]["blocking"] == "gpa (not_met)"
    assert rows[1]["verdict"] == "error"
    assert rows[1]["error"].startswith("gpa: GPA 9 is above its scale 4")


@pytest.mark.parametrize("fmt", list(BatchFormat))
def test_every_output_format_writes_one_record_per_input(
    cli: Cli, tmp_path: Path, fmt: BatchFormat, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [eligible_profile(id="F1"), {"gpa": "x"}, eligible_profile(id="F3", gpa=1.0)]
    jsonl(tmp_path / "in.jsonl", records)
    monkeypatch.chdir(tmp_path)
    run = cli("batch", "-p", PROGRAM_ID, "in.jsonl", "--as-of", AS_OF, "-f", fmt.value)
    assert run.exit_code == 3
    text = run.stdout
    if fmt is BatchFormat.jsonl:
        assert len(run.jsonl()) == 3
    elif fmt is BatchFormat.json:
        assert len(run.json()) == 3
    elif fmt is BatchFormat.csv:
        assert len(list(csv.DictReader(io.StringIO(text)))) == 3
    elif fmt is BatchFormat.markdown:
        assert len([line for line in text.splitlines() if line.startswith("| ")]) == 4
    else:
        assert sum(verdict in text for verdict in ("eligible", "error", "ineligible")) == 3
    golden(f"batch.{fmt.value}", text)


def test_empty_input_writes_an_empty_json_array(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    run = cli("batch", "-p", PROGRAM_ID, str(path), "-f", "json")
    assert run.json() == []
    assert run.exit_code == 0
    assert "no records" in run.stderr


def test_all_programs_gives_one_record_per_applicant_and_program(cli: Cli, tmp_path: Path) -> None:
    rules = Path("tests/data/extra-program.toml")
    run = cli(
        "batch",
        str(jsonl(tmp_path / "in.jsonl", [eligible_profile(), {"gpa": 9}])),
        "--rules",
        str(rules),
        "--all-programs",
        "--as-of",
        AS_OF,
    )
    out = run.jsonl()
    # Every built-in program in catalogue order, then the rules file's; then the bad record,
    # once per program too: counts stay applicants x programs.
    programs = [*load_catalog().programs, "example-ms-data"]
    assert [(r["applicant"]["id"], (r.get("program") or {}).get("id")) for r in out] == [
        *[("T-1", program) for program in programs],
        *[(None, program) for program in programs],
    ]


def test_output_file_is_written_whole(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    run = cli("batch", "-p", PROGRAM_ID, str(EXAMPLES), "--as-of", AS_OF, "-o", str(target))
    assert run.stdout == ""
    assert len(target.read_text(encoding="utf-8").splitlines()) == 4
    assert not list(tmp_path.glob(".out.jsonl.*"))


def test_a_failed_run_leaves_the_old_output_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    run = cli("batch", "-p", PROGRAM_ID, str(tmp_path / "nope.jsonl"), "-o", str(target))
    assert run.exit_code == 2
    assert target.read_text(encoding="utf-8") == "old\n"


def test_two_jobs_keep_order_across_chunks(cli: Cli, tmp_path: Path) -> None:
    records = [eligible_profile(id=f"J{i}", gpa=2.0 if i % 3 == 0 else 3.5) for i in range(4500)]
    run = cli(
        "batch",
        "-p",
        PROGRAM_ID,
        str(jsonl(tmp_path / "many.jsonl", records)),
        "--jobs",
        "2",
        "--as-of",
        AS_OF,
    )
    out = run.jsonl()
    assert [r["applicant"]["id"] for r in out] == [f"J{i}" for i in range(4500)]
    assert run.exit_code == 1


def test_missing_input_and_empty_folder_are_usage_errors(cli: Cli, tmp_path: Path) -> None:
    assert cli("batch", "-p", PROGRAM_ID, str(tmp_path / "nope.csv")).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    run = cli("batch", "-p", PROGRAM_ID, str(empty))
    assert run.exit_code == 2
    assert "holds no *.json, *.jsonl or *.csv files" in run.stderr


def test_column_map_with_an_unknown_target_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "map.toml"
    bad.write_text('[columns]\n"GRE" = "gre_totl"\n', encoding="utf-8")
    run = cli("batch", "-p", PROGRAM_ID, "tests/data/applicants.csv", "--columns", str(bad))
    assert run.exit_code == 2
    assert "did you mean 'gre_total'" in run.stderr


FOUR = ["Calculus I", "Linear Algebra", "Data Structures", "Organic Chemistry"]


def _statistics(run: Run) -> list[str]:
    return [
        next(c["status"] for c in r["checks"] if c["id"] == "coursework.statistics")
        for r in run.jsonl()
    ]


def test_batch_courses_complete_takes_every_list_as_a_transcript_unless_it_says(
    cli: Cli, tmp_path: Path
) -> None:
    records = [
        eligible_profile(id="silent", courses=FOUR),
        eligible_profile(id="partial", courses=FOUR, courses_complete=False),
        eligible_profile(id="whole", courses=FOUR, courses_complete=True),
    ]
    path = jsonl(tmp_path / "in.jsonl", records)
    base = ("batch", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF, "--jobs", "1")
    assert _statistics(cli(*base)) == ["missing", "missing", "not_met"]
    assert _statistics(cli(*base, "--courses-complete")) == ["not_met", "missing", "not_met"]


def test_a_csv_column_declares_a_course_list_complete(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    rows = [
        "id,international,degree_level,degree_field,gpa,gre_verbal,gre_quant,courses,courses_complete",
        "A,false,bachelor,Electrical Engineering,3.5,150,160," + ";".join(FOUR) + ",",
        "B,false,bachelor,Electrical Engineering,3.5,150,160," + ";".join(FOUR) + ",yes",
        "C,false,bachelor,Electrical Engineering,3.5,150,160," + ";".join(FOUR) + ",false",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = cli("batch", "-p", PROGRAM_ID, str(path), "--as-of", AS_OF, "--jobs", "1")
    assert _statistics(run) == ["missing", "not_met", "missing"]


_FAULTS_OF_REALLOCATION = """
import resource, sys
if sys.argv[1] == "keep":
    from admitcheck.batch.pipeline import reuse_freed_memory
    reuse_freed_memory()
block = b"x" * (8 << 20)
del block
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    block = b"x" * (8 << 20)  # a chunk's output, freed when written
    del block
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.slow  # subprocesses
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_batch_reuses_the_memory_of_a_written_chunk_instead_of_faulting_it_in_again() -> None:
    def faults(mode: str) -> int:
        found = subprocess.run(
            [sys.executable, "-c", _FAULTS_OF_REALLOCATION, mode],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(found.stdout)

    pages = 10 * (8 << 20) // 4096
    assert faults("default") > pages // 20  # glibc returns such blocks to the kernel
    assert faults("keep") < pages // 100
