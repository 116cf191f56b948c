"""Issue 20.3: the Python API takes ordinary DataFrames: numpy and pandas values, missing
values, flat rows, worker processes; errors that name their problems; numbers beside
the words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

import admitcheck
from admitcheck.models.report import Check, Shortfall
from admitcheck.vocabulary import Category, Status
from tests.conftest import AS_OF, EXAMPLES, PROGRAM_ID, eligible_profile


def test_numpy_and_pandas_values_are_read_as_python_values() -> None:
    profile = eligible_profile(
        international=np.bool_(True),
        gpa={"value": np.float64(3.5), "scale": np.int64(4)},
        tests={
            "toefl": {"total": np.int64(100), "date": pd.Timestamp("2025-06-01")},
            "gre": {"verbal": np.int32(155), "quant": np.int16(165), "writing": np.float16(4)},
        },
        name=pd.NA,
        citizenship=np.nan,
    )
    report = admitcheck.check(profile, PROGRAM_ID, as_of=AS_OF)
    assert report.verdict.value == "eligible"
    english = next(c for c in report.checks if c.id == "english")
    assert english.actual == "TOEFL iBT 100 (2025-06-01)"
    assert report.applicant.name is None  # pd.NA is an absent name


def test_a_score_whose_values_are_all_missing_is_no_score() -> None:
    profile = eligible_profile(tests={"toefl": {"total": pd.NA, "date": pd.NaT}})
    report = admitcheck.check(profile, PROGRAM_ID, as_of=AS_OF, checks=["english"])
    assert report.checks[0].status.value == "missing"


def test_check_many_never_stops_at_a_bad_record_whatever_it_holds() -> None:
    items: list[Any] = [
        eligible_profile(id="ok-1"),
        {"id": "bad-1", "gpa": {1, 2}},  # a set: no JSON value
        "not a mapping",
        {"id": np.int64(7), "gpa": np.float64(9.5)},
        eligible_profile(id="ok-2", gpa=np.float32(3.25)),
    ]
    results = list(admitcheck.check_many(items, PROGRAM_ID, as_of=AS_OF))
    assert len(results) == 5
    kinds = [r.verdict if isinstance(r, admitcheck.ErrorRecord) else "report" for r in results]
    assert kinds == ["report", "error", "error", "error", "report"]
    assert results[1].applicant.id == "bad-1"
    assert results[3].applicant.id == "7"
    assert "above its scale" in results[3].error.message  # type: ignore[union-attr]


def test_profile_error_str_names_every_problem() -> None:
    with pytest.raises(admitcheck.ProfileError) as caught:
        admitcheck.check({"gpa": 5.2, "tests": {"toefl": {"total": 130}}}, PROGRAM_ID)
    text = str(caught.value)
    assert "2 problems" in text
    assert "gpa" in text and "above its scale" in text
    assert "tests.toefl.total" in text and "at most 120" in text


def frame(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    no_test = np.arange(n) % 4 == 0
    return pd.DataFrame(
        {
            "Applicant": [f"R-{i}" for i in range(n)],
            "International": np.arange(n) % 2 == 0,
            "GPA": np.where(np.arange(n) % 5 == 0, np.nan, rng.uniform(2.5, 4.0, n).round(2)),
            "TOEFL": pd.array(np.where(no_test, None, 60 + np.arange(n)), dtype="Int64"),
            "TOEFL date": pd.Series(pd.to_datetime(["2025-05-01"] * n)).mask(no_test),
            "Degree": np.where(np.arange(n) % 3 == 0, "Bachelor", "MASTER"),
            "Notes": "ignored",
        }
    )


COLUMNS: dict[str, str | None] = {
    "Applicant": "id",
    "International": "international",
    "GPA": "gpa",
    "TOEFL": "toefl",
    "TOEFL date": "toefl_date",
    "Degree": "degree_level",
    "Notes": None,
}


def test_check_rows_takes_a_pandas_frame_with_missing_values() -> None:
    rows = frame()
    results = list(admitcheck.check_rows(rows, PROGRAM_ID, columns=COLUMNS, as_of=AS_OF))
    assert len(results) == len(rows)
    assert all(isinstance(r, admitcheck.Report) for r in results), [
        r.error.message for r in results if isinstance(r, admitcheck.ErrorRecord)
    ]
    first = results[0]
    assert isinstance(first, admitcheck.Report)
    assert first.applicant.id == "R-0"
    assert next(c for c in first.checks if c.id == "gpa").status.value == "missing"  # NaN
    assert next(c for c in first.checks if c.id == "degree").actual.startswith("bachelor's")


def test_check_rows_takes_a_polars_frame_and_gives_the_same_results() -> None:
    rows = frame()
    pandas_rows = list(admitcheck.check_rows(rows, PROGRAM_ID, columns=COLUMNS, as_of=AS_OF))
    polars_frame = pl.DataFrame(
        {
            "Applicant": rows["Applicant"].tolist(),
            "International": rows["International"].tolist(),
            "GPA": pl.Series(rows["GPA"].tolist()).fill_nan(None),
            "TOEFL": [None if v is pd.NA else int(v) for v in rows["TOEFL"]],
            "TOEFL date": [None if pd.isna(v) else v.date() for v in rows["TOEFL date"]],
            "Degree": rows["Degree"].tolist(),
            "Notes": "ignored",
        }
    )
    polars_rows = list(
        admitcheck.check_rows(polars_frame, PROGRAM_ID, columns=COLUMNS, as_of=AS_OF)
    )
    assert [r.to_row() for r in polars_rows] == [r.to_row() for r in pandas_rows]


def test_jobs_runs_in_worker_processes_with_the_same_results_in_order() -> None:
    rows = frame(1200)
    one = [
        r.to_row() for r in admitcheck.check_rows(rows, PROGRAM_ID, columns=COLUMNS, as_of=AS_OF)
    ]
    two = [
        r.to_row()
        for r in admitcheck.check_rows(rows, PROGRAM_ID, columns=COLUMNS, as_of=AS_OF, jobs=2)
    ]
    assert one == two
    with pytest.raises(admitcheck.UsageError, match="jobs"):
        list(admitcheck.check_many([], PROGRAM_ID, jobs=0))


def test_a_bad_row_is_an_error_record_naming_the_column() -> None:
    rows = [{"id": "X1", "gpa": "8,1"}, {"id": "X2", "gpa": 3.2, "Hobby": "chess"}]
    first, second = admitcheck.check_rows(rows, PROGRAM_ID, as_of=AS_OF)
    assert isinstance(first, admitcheck.ErrorRecord)
    assert "gpa: '8,1' has a decimal comma" in first.error.message
    assert first.applicant.id == "X1"
    assert isinstance(second, admitcheck.ErrorRecord)
    assert "unknown column 'Hobby'" in second.error.message and "columns=" in second.error.message


def test_check_rows_reads_a_column_map_file() -> None:
    rows = [
        {"Bewerber-ID": "E-1", "Abschluss": "Bachelors", "Note": "8,1", "Skala": "10"},
    ]
    cmap = EXAMPLES / "columns" / "semicolon-export.toml"
    [result] = admitcheck.check_rows(rows, PROGRAM_ID, columns=cmap, as_of=AS_OF)
    assert isinstance(result, admitcheck.Report), result
    gpa = next(c for c in result.checks if c.id == "gpa")
    assert gpa.actual is not None and gpa.actual.startswith("8.1 / 10")


def test_from_flat_reads_one_row_or_names_each_problem() -> None:
    profile = admitcheck.from_flat(
        {"ID": np.int64(12), "CGPA": np.float64(8.5), "gpa_scale": 10, "toefl": pd.NA},
        columns={"ID": "id", "CGPA": "gpa"},
    )
    assert profile.id == "12" and profile.gpa is not None and profile.gpa.value == 8.5
    assert profile.tests is None
    with pytest.raises(admitcheck.ProfileError) as caught:
        admitcheck.from_flat({"gpa": 5.2, "toefl": 130})
    assert "gpa: GPA 5.2 is above its scale" in str(caught.value)
    assert "toefl: must be at most 120" in str(caught.value)


def test_results_carry_numbers_beside_their_words() -> None:
    report = admitcheck.check(
        eligible_profile(
            gpa={"value": 8.4, "scale": 10},
            tests={
                "toefl": {"total": 76, "date": "2025-06-01"},
                "ielts": {"overall": 6.0, "date": "2025-06-01"},
            },
        ),
        PROGRAM_ID,
        as_of=AS_OF,
    )
    checks = {c.id: c for c in report.checks}
    converted = checks["gpa"].converted
    assert converted is not None
    assert (converted.value, converted.scale, converted.approximate) == (3.36, 4.0, True)
    assert checks["gpa"].actual == "8.4 / 10 (~3.36 / 4.0)"  # the words stay
    assert checks["english"].shortfalls == (
        Shortfall("toefl", "total", 76.0, 80.0, 4.0),
        Shortfall("ielts", "total", 6.0, 6.5, 0.5),
    )
    row = report.to_row()
    assert row["gpa.converted"] == 3.36 and row["gpa.approximate"] is True
    assert row["english.shortfall.toefl"] == 4.0
    assert row["english.shortfall.ielts"] == 0.5
    assert "shortfalls" not in report.to_dict()["checks"][0]  # the JSON report is unchanged


@pytest.mark.parametrize(
    ("check_id", "words", "expected"),
    [
        ("gpa", "0.15 below 3.0", Shortfall("gpa", "total", 2.85, 3.0, 0.15)),
        ("gpa", "0.3 worse than 2.5", Shortfall("gpa", "total", 2.8, 2.5, 0.3)),
        ("tests", "GRE quant 150 is 5 below 155", Shortfall("gre", "quant", 150, 155, 5)),
        ("tests", "GMAT 600 is 50 below 650", Shortfall("gmat", "total", 600, 650, 50)),
        (
            "english",
            "TOEFL iBT sections below their minimums: reading 18 (needs 20)",
            Shortfall("toefl", "reading", 18, 20, 2),
        ),
        (
            "english",
            "TOEFL iBT band 4 is below band 4.5 (ETS's concordance ...)",
            Shortfall("toefl", "band", 4, 4.5, 0.5),
        ),
        (
            "materials.recommendation_letters",
            "1 more letter",
            Shortfall("letters", "letters", None, None, 1),
        ),
        (
            "coursework.statistics",
            "2 more statistics courses",
            Shortfall("statistics", "courses", None, None, 2),
        ),
    ],
)
def test_every_shortfall_form_reads_as_numbers(
    check_id: str, words: str, expected: Shortfall
) -> None:
    check = Check(check_id, Category.gpa, "t", Status.not_met, "r", None, "d", words)
    assert check.shortfalls == (expected,)


def test_dates_and_datetimes_are_accepted_as_as_of() -> None:
    report = admitcheck.check(eligible_profile(), PROGRAM_ID, as_of=dt.datetime(2026, 11, 24, 9))
    assert report.evaluated_on == AS_OF
