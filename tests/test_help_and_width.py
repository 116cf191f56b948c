"""--help: every option and argument of every command says what it is, in words; and
narrow terminals wrap data, never cut it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import typer

from admitcheck.cli import app
from admitcheck.models.program import Catalog
from tests.conftest import AS_OF, EXAMPLES, PROGRAM_ID, Run

Cli = Callable[..., Run]


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command under a group, by its path of names (Typer's click-like objects)."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = [p for p, _ in _commands(typer.main.get_command(app)) if p]


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_option_and_argument_has_help(path: tuple[str, ...]) -> None:
    command = dict(_commands(typer.main.get_command(app)))[path]
    undocumented = [
        p.name
        for p in command.params
        if not getattr(p, "help", None) and p.name not in ("help", "install_completion")
    ]
    assert not undocumented


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_help_shows_metavars_in_words_not_python_types(cli: Cli, path: tuple[str, ...]) -> None:
    run = cli(*path, "--help")
    assert run.exit_code == 0
    assert not re.search(r"<(str|int|float|list\[str\]|[a-z|]+)>", run.stdout), run.stdout
    assert "[[" not in run.stdout and "...]..." not in run.stdout
    assert "{" not in run.stdout.split("\n\n")[0]  # the usage line


NARROW_COMMANDS = [
    ("check", str(EXAMPLES / "priya-review.json"), "-p", PROGRAM_ID, "--explain"),
    ("check", str(EXAMPLES / "kenji-ineligible.json"), "-p", PROGRAM_ID),
    ("programs", "show", PROGRAM_ID),
    ("programs", "list"),
    ("match", str(EXAMPLES / "priya-review.json")),
    ("batch", str(EXAMPLES), "-p", PROGRAM_ID, "-f", "table"),
]


@pytest.mark.parametrize("width", ["60", "80"])
@pytest.mark.parametrize("args", NARROW_COMMANDS, ids=[" ".join(a[:2]) for a in NARROW_COMMANDS])
def test_narrow_terminals_wrap_data_and_never_cut_it(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, width: str, args: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    run = cli(*args, "--as-of", AS_OF) if args[0] in ("check", "batch", "match") else cli(*args)
    assert run.stdout.strip()
    assert "…" not in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= int(width)


@pytest.mark.parametrize(
    "args",
    [
        ("programs", "list"),
        ("match", str(EXAMPLES / "priya-review.json")),
        ("batch", str(EXAMPLES / "priya-review.json"), "--all-programs", "-f", "table"),
    ],
)
def test_program_ids_stay_whole_at_80_columns(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, catalog: Catalog, args: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    run = cli(*args)
    for program_id in catalog.programs:
        assert program_id in run.stdout
