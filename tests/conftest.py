"""Shared fixtures: the real CLI through CliRunner, with a fixed width and no colour."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from admitcheck.catalog import load_catalog
from admitcheck.cli import app
from admitcheck.models.program import Catalog, LoadedProgram

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = ROOT.parent / "shared"
ENGINE_RULES = DATA / "engine-program.toml"
AS_OF = "2026-11-24"
AS_OF_DATE = date(2026, 11, 24)
# The built-in program the CLI tests check and batch against: the catalogue holds several
# programs, so the tests name it.
PROGRAM_ID = "usc-msece-mlds"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def jsonl(self) -> list[Any]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The built-in catalogue's cache in a folder of the run's own, never the user's."""
    os.environ["ADMITCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich output of a fixed width with no colour, whatever terminal runs the tests."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "dumb")


@pytest.fixture
def cli() -> Callable[..., Run]:
    runner = CliRunner()

    def invoke(*args: str, stdin: str | bytes | None = None) -> Run:
        result = runner.invoke(app, list(args), input=stdin, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def program() -> LoadedProgram:
    """The engine tests' program: a fixture shaped like the built-in one, so that engine
    tests do not change when the real catalogue does."""
    return load_catalog([ENGINE_RULES], builtin=False).get("engine-fixture")


def eligible_profile(**changes: Any) -> dict[str, Any]:
    """A profile that meets every requirement of usc-msece-mlds on AS_OF; change parts."""
    profile: dict[str, Any] = {
        "id": "T-1",
        "name": "Test Applicant",
        "international": True,
        "degree": {"level": "bachelor", "field": "Electrical Engineering", "status": "completed"},
        "gpa": 3.5,
        "tests": {
            "toefl": {"total": 100, "date": "2025-06-01"},
            "gre": {"verbal": 155, "quant": 165, "writing": 4.0, "date": "2024-06-01"},
        },
        "courses": [
            "Linear Algebra",
            "Probability and Statistics",
            "Data Structures",
            "Electromagnetics",
        ],
        "materials": {
            "statement_of_purpose": True,
            "resume": True,
            "transcripts": True,
            "recommendation_letters": 3,
            "application_fee_paid": True,
        },
    }
    profile.update(changes)
    return profile


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; UPDATE_GOLDEN=1 rewrites the file (never under CI)."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        if os.environ.get("CI"):
            pytest.fail("UPDATE_GOLDEN=1 rewrites golden files; it is refused under CI")
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")
