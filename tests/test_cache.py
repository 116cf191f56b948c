"""The built-in catalogue's cache: the same catalogue, faster; never a wrong or a broken one."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from admitcheck import cache
from admitcheck.catalog import load_catalog


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("catalog-*.pickle"))


def test_the_cached_catalogue_is_the_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(tmp_path))
    built = load_catalog()
    assert len(_entries(tmp_path)) == 1
    again = load_catalog()
    assert again is not built
    assert sorted(again.programs) == sorted(built.programs)
    for program_id, program in built.programs.items():
        cached = again.programs[program_id]
        assert cached.ref == program.ref
        assert cached.check_ids == program.check_ids
        assert [k for k, _ in cached.parts] == [k for k, _ in program.parts]  # the same kinds


def test_a_corrupt_cache_entry_is_rebuilt_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(tmp_path))
    load_catalog()
    (entry,) = _entries(tmp_path)
    entry.write_bytes(b"not a pickle")
    assert "usc-msece-mlds" in load_catalog().programs
    (entry,) = _entries(tmp_path)
    assert pickle.loads(entry.read_bytes()).programs  # rewritten whole


def test_the_key_changes_with_the_data(tmp_path: Path) -> None:
    data = tmp_path / "programs.toml"
    data.write_text("format = 1\n")
    first = cache.key_of([data])
    data.write_text("format = 1\n# changed\n")
    assert cache.key_of([data]) != first


def test_off_builds_every_time_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert load_catalog().programs
    assert not list(tmp_path.rglob("*.pickle"))


def test_an_unwritable_cache_folder_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(blocked / "cache"))
    assert "usc-msece-mlds" in load_catalog().programs
