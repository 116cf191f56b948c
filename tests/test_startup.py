"""What start-up shortcuts must not change: the CLI converts and rejects values as before."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import admitcheck.cli.app  # noqa: F401  (the module, not the Typer it names)
from tests.conftest import AS_OF, EXAMPLES, PROGRAM_ID, Run

Cli = Callable[..., Run]
app_module = sys.modules["admitcheck.cli.app"]

MARIA = str(EXAMPLES / "maria-eligible.json")

# Values of every type the commands' parameters have: str, float, int, bool, list[str],
# an Enum (--format), a Path list (--rules), given well and badly.
COMMAND_LINES = [
    ["check", MARIA, "-p", PROGRAM_ID, "--as-of", AS_OF, "-f", "json"],
    ["check", MARIA, "-p", PROGRAM_ID, "--as-of", AS_OF, "-f", "JSON"],
    ["check", MARIA, "-p", PROGRAM_ID, "--as-of", AS_OF, "-f", "yaml"],
    ["check", MARIA, "-p", PROGRAM_ID, "--as-of", AS_OF, "-f", "json", "--gpa", "3.1"],
    ["check", MARIA, "-p", PROGRAM_ID, "--as-of", AS_OF, "-f", "json", "--gpa", "three"],
    ["check", MARIA, "-p", PROGRAM_ID, "--as-of", AS_OF, "-f", "json", "--toefl", "99"],
    ["check", MARIA, "-p", PROGRAM_ID, "--as-of", AS_OF, "-f", "json", "--toefl", "9.5"],
    ["check", MARIA, "-p", PROGRAM_ID, "-f", "json", "--recommendation-letters", "x"],
    ["check", MARIA, "-p", PROGRAM_ID, "--as-of", AS_OF, "-f", "json", "--domestic"],
    ["check", "-p", PROGRAM_ID, "--as-of", AS_OF, "-f", "json", "--course", "Calculus"],
    ["check", MARIA, "-p", PROGRAM_ID, "--rules", "/nonexistent/rules.toml"],
    ["match", MARIA, "--as-of", AS_OF, "-f", "markdown", "--gpa", "3.9"],
    ["batch", str(EXAMPLES / "maria-eligible.json"), "-p", PROGRAM_ID, "--jobs", "one"],
]


@pytest.mark.parametrize("argv", COMMAND_LINES, ids=lambda argv: " ".join(argv[-4:]))
def test_shared_parameter_adapters_convert_and_reject_as_typer_does(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    shared = cli(*argv)
    monkeypatch.setattr(app_module, "_adapter_key", lambda annotation, info: None)
    afresh = cli(*argv)  # every adapter built for its own parameter, as Typer does
    assert (shared.exit_code, shared.stdout, shared.stderr) == (
        afresh.exit_code,
        afresh.stdout,
        afresh.stderr,
    )


def test_bad_values_are_still_refused(cli: Cli) -> None:
    for flag, value in (("--gpa", "three"), ("--toefl", "9.5"), ("-f", "yaml")):
        run = cli("check", MARIA, "-p", PROGRAM_ID, flag, value)
        assert run.exit_code == 2 and flag.lstrip("-")[:3] in run.stderr


def test_path_like_parameters_are_never_shared() -> None:
    from typer.models import OptionInfo

    info = OptionInfo()
    assert app_module._adapter_key(Path, info) is None
    assert app_module._adapter_key(list[Path], info) is None
    assert app_module._adapter_key(str, info) is not None
    assert app_module._adapter_key(str, info) != app_module._adapter_key(
        str, OptionInfo(case_sensitive=False)
    )
