"""Issue 20.4: the counsellor's sheet: per-program summary, the wide output, error records
per program, detail text in CSV, and HTML files parsed back."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from admitcheck.catalog import load_catalog
from tests.conftest import AS_OF, DATA, EXAMPLES, PROGRAM_ID, Run, eligible_profile

Cli = Callable[..., Run]
CSV_INPUT = DATA / "applicants.csv"


def jsonl(path: Path, documents: list[Any]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    return path


def all_programs(cli: Cli, *args: str) -> Run:
    return cli("batch", *args, "--all-programs", "--as-of", AS_OF, "--jobs", "1")


def test_an_unreadable_record_gives_one_error_record_per_program(cli: Cli, tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", [eligible_profile(id="ok"), {"id": "bad", "gpa": 9}])
    out = all_programs(cli, str(source)).jsonl()
    programs = list(load_catalog().programs)
    assert len(out) == 2 * len(programs)  # applicants x programs
    errors = [r for r in out if r["verdict"] == "error"]
    assert [r["program"]["id"] for r in errors] == programs
    assert {r["applicant"]["id"] for r in errors} == {"bad"}
    run = all_programs(cli, str(source), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [r["program"] for r in rows if r["verdict"] == "error"] == programs


def test_the_summary_breaks_the_counts_down_per_program(cli: Cli, tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    all_programs(cli, str(EXAMPLES), str(CSV_INPUT), "--summary", str(summary))
    found = json.loads(summary.read_text(encoding="utf-8"))
    per_program = found["per_program"]
    assert [p["program"] for p in per_program] == found["programs"]
    assert all(p["outputs"] == found["records"] for p in per_program)
    usc = per_program[0]
    assert sum(usc["verdicts"].values()) == found["records"]
    assert usc["blocking"] and {"check", "count"} <= set(usc["blocking"][0])
    total: dict[str, int] = {}
    for program in per_program:
        for verdict, count in program["verdicts"].items():
            total[verdict] = total.get(verdict, 0) + count
    assert total == found["verdicts"]


def test_the_wide_sheet_has_one_row_per_applicant_and_a_column_per_program(
    cli: Cli, tmp_path: Path
) -> None:
    sheet = tmp_path / "sheet.csv"
    run = all_programs(cli, str(EXAMPLES), str(CSV_INPUT), "-f", "wide", "-o", str(sheet))
    assert run.exit_code in (1, 3, 4)
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    programs = list(load_catalog().programs)
    assert list(rows[0]) == ["source", "id", "name", *programs, "blocking", "error"]
    assert len(rows) == 4 + 4  # four example profiles, four CSV rows
    kenji = next(r for r in rows if r["id"] == "A-3107")
    assert kenji[PROGRAM_ID] == "ineligible"
    assert f"{PROGRAM_ID}: gpa (not_met), english (not_met)" in kenji["blocking"]
    bad = next(r for r in rows if r["error"])
    assert {bad[p] for p in programs} == {"error"}
    single = cli("batch", str(EXAMPLES), "-p", PROGRAM_ID, "-f", "wide", "--as-of", AS_OF)
    header = single.stdout.splitlines()[0]
    assert header == f"source,id,name,{PROGRAM_ID},blocking,error"


def test_csv_detail_carries_each_checks_detail_text(cli: Cli) -> None:
    run = cli(
        "batch",
        str(EXAMPLES / "kenji-ineligible.json"),
        "-p",
        PROGRAM_ID,
        "-f",
        "csv",
        "--csv-detail",
        "--as-of",
        AS_OF,
    )
    [row] = list(csv.DictReader(io.StringIO(run.stdout)))
    assert row["english.detail"].startswith("No score meets the minimum")
    assert row["gpa.detail"]


class Page(HTMLParser):
    """What a browser would see: tags, text, and anything that could run."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.active: list[str] = []  # scripts, event handlers, remote resources

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("script", "iframe", "object", "embed", "link", "img"):
            self.active.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value and "javascript:" in value.lower()):
                self.active.append(f"{tag}[{name}]")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(data: str) -> Page:
    page = Page()
    page.feed(data)
    page.close()
    return page


HOSTILE = "<script>alert('x')</script> & <b onclick=steal()>Bold</b>"


def test_check_writes_one_self_contained_html_file_with_values_escaped(
    cli: Cli, tmp_path: Path
) -> None:
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(eligible_profile(name=HOSTILE)), encoding="utf-8")
    target = tmp_path / "report.html"
    run = cli(
        "check", str(profile), "-p", PROGRAM_ID, "--as-of", AS_OF, "-f", "html", "-o", str(target)
    )
    assert run.exit_code == 0
    page = parse(target.read_text(encoding="utf-8"))
    assert page.tags[:2] == ["html", "head"] and "body" in page.tags
    assert page.active == []
    text = "".join(page.text)
    assert HOSTILE in text  # shown as the text it is, never run
    assert "Minimum GPA" in text and "eligible" in text.lower()


def test_match_writes_html(cli: Cli) -> None:
    run = cli("match", str(EXAMPLES / "priya-review.json"), "--as-of", AS_OF, "-f", "html")
    page = parse(run.stdout)
    assert page.active == []
    text = "".join(page.text)
    assert PROGRAM_ID in text and "cmu-msece" in text


def test_the_batch_summary_is_an_html_file_when_named_so(cli: Cli, tmp_path: Path) -> None:
    summary = tmp_path / "summary.html"
    all_programs(cli, str(EXAMPLES), str(CSV_INPUT), "--summary", str(summary))
    page = parse(summary.read_text(encoding="utf-8"))
    assert page.active == []
    text = "".join(page.text)
    assert "per program" in text and "most often blocking" in text
    for program in load_catalog().programs:
        assert program in text
