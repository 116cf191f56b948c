"""Issue 20.2: a real export is read as it is written: its delimiter (sniffed or given),
decimal mark, date order, month-only dates and its own words for values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import admitcheck
from admitcheck.errors import UsageError
from admitcheck.inputs.flat import ValueProblem, load_column_map, read_date, read_number
from tests.conftest import AS_OF, EXAMPLES, PROGRAM_ID, Run, eligible_profile

Cli = Callable[..., Run]
EXPORT = EXAMPLES / "exports" / "semicolon-export.csv"
EXPORT_MAP = EXAMPLES / "columns" / "semicolon-export.toml"


def batch(cli: Cli, *args: str, stdin: str | None = None) -> Run:
    return cli(
        "batch", *args, "--program", PROGRAM_ID, "--as-of", AS_OF, "--jobs", "1", stdin=stdin
    )


def by_id(run: Run) -> dict[str, Any]:
    return {r["applicant"]["id"]: r for r in run.jsonl()}


def check(record: dict[str, Any], check_id: str) -> dict[str, Any]:
    return next(c for c in record["checks"] if c["id"] == check_id)


def test_a_semicolon_export_with_mixed_dates_decimal_commas_and_value_maps_reads_with_one_map(
    cli: Cli,
) -> None:
    run = batch(cli, str(EXPORT), "--columns", str(EXPORT_MAP))
    records = by_id(run)
    assert list(records) == [f"A-{n}" for n in range(1, 9)]
    assert [r for r in records.values() if r["verdict"] == "error"] == []
    assert check(records["A-1"], "gpa")["actual"].startswith("8.1 / 10")  # "8,1"
    assert check(records["A-4"], "gpa")["actual"] == "3.85 / 4.0"  # "3,85" on "4,0"
    assert check(records["A-1"], "degree")["actual"] == "bachelor's degree, Elektrotechnik"
    assert check(records["A-3"], "degree")["status"] == "met"  # "BACHELOR"
    assert check(records["A-1"], "english")["actual"] == "TOEFL iBT 101 (2025-03-15)"
    assert check(records["A-4"], "english")["actual"] == "TOEFL iBT 98 (2025-03-05)"  # dayfirst
    assert check(records["A-7"], "english")["actual"] == "TOEFL iBT 110 (2025-01-20)"
    assert check(records["A-3"], "english")["actual"] == "IELTS 7.0 (2025-03)"  # "Mar 2025"
    assert check(records["A-2"], "english")["status"] == "not_applicable"  # "N" = false
    assert check(records["A-1"], "materials.resume")["status"] == "met"  # "ja" = true
    assert check(records["A-3"], "materials.resume")["status"] == "missing"  # "nein"
    assert check(records["A-8"], "materials.resume")["actual"] is None  # "n/a" = blank


def test_the_delimiter_is_sniffed_from_the_header(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "flat.csv"
    path.write_text(
        "id;gpa;degree_level;international\nX1;3.5;Bachelor;false\nX2;3.1;master;false\n",
        encoding="utf-8",
    )
    records = by_id(batch(cli, str(path)))
    assert [r["verdict"] for r in records.values()] != ["error", "error"]
    assert check(records["X1"], "gpa")["actual"] == "3.5 / 4.0"
    tabbed = tmp_path / "tabbed.csv"
    tabbed.write_text("id\tgpa\nX1\t3.5\n", encoding="utf-8")
    assert check(by_id(batch(cli, str(tabbed)))["X1"], "gpa")["actual"] == "3.5 / 4.0"


def test_delimiter_flag_wins_over_the_sniffer(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "pipes.csv"
    path.write_text("id|gpa|name\nX1|3.5|Li, Wei\n", encoding="utf-8")
    records = by_id(batch(cli, str(path), "--delimiter", "|"))
    assert records["X1"]["applicant"]["name"] == "Li, Wei"
    run = batch(cli, str(path), "--delimiter", "ab")
    assert run.exit_code == 2
    assert "--delimiter: expected one character" in run.stderr


def test_a_file_that_is_not_a_table_of_profiles_is_one_error_not_one_per_row(
    cli: Cli,
) -> None:
    semicolons = EXPORT.read_text(encoding="utf-8")
    run = batch(cli, "-", "--delimiter", ",", stdin=semicolons)
    assert run.exit_code == 3
    [record] = run.jsonl()
    message = record["error"]["message"]
    assert "no header names a profile column (the header reads as one column" in message
    assert "map its headers with --columns MAP.toml" in message
    assert "none of the 8 line(s) after it was read" in message
    # Sniffed, the same file is a table: each row is an error naming the unknown columns
    # and keeping what identifies the applicant.
    run = batch(cli, str(EXPORT))
    records = run.jsonl()
    assert len(records) == 8
    assert "unknown columns 'Bewerber-ID', 'Abschluss'" in records[0]["error"]["message"]
    assert records[0]["applicant"]["name"] == "Anna Müller"
    run = batch(cli, str(EXPORT), "--columns", str(EXPORT_MAP), "--delimiter", ",")
    [record] = run.jsonl()
    message = record["error"]["message"]
    assert "no header names a profile column (the header reads as one column" in message
    assert "give --delimiter if it is not ','" in message
    assert "--columns MAP" not in message  # it was given: the advice names the map
    assert str(EXPORT_MAP) in message


def test_an_unknown_column_with_a_map_given_names_the_map_not_the_flag(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("id,gpa,Hobby\nX1,3.5,chess\n", encoding="utf-8")
    cmap = tmp_path / "map.toml"
    cmap.write_text("[columns]\n", encoding="utf-8")
    [record] = batch(cli, str(path), "--columns", str(cmap)).jsonl()
    assert (
        f"unknown column 'Hobby': map it in [columns] or list it in ignore in {cmap}"
        in (record["error"]["message"])
    )


def test_value_cells_that_cannot_be_read_name_their_column_and_the_fix(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('id,gpa,toefl,toefl_date\nX1,"3,5",100,03/04/2025\n', encoding="utf-8")
    [record] = batch(cli, str(path)).jsonl()
    message = record["error"]["message"]
    assert "gpa: '3,5' has a decimal comma: set decimal = \",\"" in message
    assert "toefl_date: '03/04/2025' could be 3/4 or 4/3: set dayfirst" in message
    assert record["applicant"]["id"] == "X1"


def test_headers_and_choices_are_read_in_any_case(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "cased.csv"
    path.write_text(
        "ID,Degree Level,Degree Status,GMAT,GMAT_Edition\nX1,Bachelor,In Progress,655,Focus\n",
        encoding="utf-8",
    )
    [record] = batch(cli, str(path)).jsonl()
    assert record["verdict"] != "error", record
    assert check(record, "degree")["actual"].startswith("bachelor's degree")


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("2025-03-15", None, "2025-03-15"),
        ("2025-3-5", None, "2025-03-05"),
        ("2025-03-15T00:00:00", None, "2025-03-15"),
        ("2025-03-15 00:00:00", None, "2025-03-15"),
        ("15/03/2025", None, "2025-03-15"),  # day > 12: unambiguous
        ("03/15/2025", None, "2025-03-15"),
        ("05/03/2025", True, "2025-03-05"),
        ("05/03/2025", False, "2025-05-03"),
        ("05.03.2025", True, "2025-03-05"),
        ("04/04/2025", None, "2025-04-04"),
        ("Mar 2025", None, "2025-03"),
        ("March 2025", None, "2025-03"),
        ("2025-03", None, "2025-03"),
        ("03/2025", None, "2025-03"),
        ("15 Mar 2025", None, "2025-03-15"),
        ("Mar 15, 2025", None, "2025-03-15"),
        ("15-Sep-2024", None, "2024-09-15"),
    ],
)
def test_dates_as_exports_write_them(text: str, dayfirst: bool | None, expected: str) -> None:
    assert read_date(text, dayfirst) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("05/03/2025", "could be 5/3 or 3/5"),
        ("31/02/2025", "not a date of the calendar"),
        ("Mar 25", "not a date admitcheck reads"),
        ("soon", "not a date admitcheck reads"),
    ],
)
def test_dates_that_cannot_be_read_say_why(text: str, words: str) -> None:
    with pytest.raises(ValueProblem, match=words):
        read_date(text)


def test_numbers_in_the_exports_decimal_mark() -> None:
    assert read_number("8,1", ",") == "8.1"
    assert read_number("1.234,5", ",") == "1234.5"
    assert read_number("8.1", ",") == "8.1"  # a dot in a decimal-comma file stays a dot
    assert read_number("8.1", ".") == "8.1"
    with pytest.raises(ValueProblem, match="decimal comma"):
        read_number("8,1", ".")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('delimiter = "ab"\n', "delimiter: expected one character"),
        ('decimal = ";"\n', "decimal: expected"),
        ('dayfirst = "yes"\n', "dayfirst: expected true or false"),
        ('[values.degree_levl]\n"Bachelors" = "bachelor"\n', "did you mean 'degree_level'"),
        ("delimeter = ';'\n", "did you mean 'delimiter'"),
    ],
)
def test_a_bad_column_map_is_one_usage_error(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "map.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=words):
        load_column_map(path)


def test_tab_is_a_delimiter_by_name(tmp_path: Path) -> None:
    path = tmp_path / "map.toml"
    path.write_text('delimiter = "tab"\n', encoding="utf-8")
    assert load_column_map(path).delimiter == "\t"


def test_a_test_dated_by_month_only_expires_from_the_months_first_day() -> None:
    profile = eligible_profile(tests={"toefl": {"total": 100, "date": "2024-11"}})
    before = admitcheck.check(profile, PROGRAM_ID, as_of="2026-11-01", checks=["english"])
    english = before.checks[0]
    assert english.status.value == "met"
    assert english.actual == "TOEFL iBT 100 (2024-11)"
    assert "counted from 2024-11-01, the earliest it could be" in (english.detail or "")
    after = admitcheck.check(profile, PROGRAM_ID, as_of="2026-11-02", checks=["english"])
    assert after.checks[0].status.value == "missing"
    assert "expired after 2026-11-01" in (after.checks[0].detail or "")


def test_a_month_only_test_date_is_in_the_profile_schema() -> None:
    import jsonschema

    from admitcheck.schemas import schema

    found = schema("profile")
    jsonschema.validate({"tests": {"toefl": {"total": 100, "date": "2025-03"}}}, found)
