"""The catalogue's data: each shipped program's decisions, pinned as case files in
tests/programs/<program-id>/ and run through `admitcheck test`, as a rules author would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from admitcheck.catalog import load_catalog
from admitcheck.inputs.cases import load_cases
from tests.conftest import Run

Cli = Callable[..., Run]
PROGRAMS = Path(__file__).resolve().parent / "programs"
FOLDERS = sorted(p for p in PROGRAMS.iterdir() if p.is_dir())


def test_every_shipped_program_has_a_folder_of_cases() -> None:
    assert sorted(p.name for p in FOLDERS) == sorted(load_catalog().programs)


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_the_programs_cases_pass(cli: Cli, folder: Path) -> None:
    files = sorted(folder.glob("*.toml"))
    run = cli("test", *map(str, files))
    assert run.exit_code == 0, run.stdout
    cases = [case for path in files for case in load_cases(path)]
    assert len(cases) >= 5
    assert all(case.get("program") == folder.name for case in cases)
