"""The command line: each command parses its options, calls the core, picks a renderer
and maps errors to exit codes. People's messages go to stderr, data to stdout."""

from __future__ import annotations

import copy
import importlib
import os
import sys
import types
from typing import TYPE_CHECKING, Any

from admitcheck.cli import app as _app_module
from admitcheck.vocabulary import ExitCode

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main"]

# Each command's module, in the order `--help` lists the commands. `app` (the Typer
# application, every command registered) imports them all; `main()` only the one it runs.
_MODULES = {
    "batch": "batch",
    "check": "check",
    "match": "match",
    "schema": "other",
    "init": "other",
    "test": "other",
    "programs": "programs",
}
# Arguments that need every command's name and help, none of their options.
_ROOT_ONLY = frozenset({"--help", "-h", "--version"})

# Importing the module `admitcheck.cli.app` made `app` name it here; `app` is the Typer
# application, with every command registered, found by `__getattr__` on first use.
del globals()["app"]


def __getattr__(name: str) -> Any:
    if name == "app":
        return _whole()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _whole() -> typer.Typer:
    """The application with every command registered, in `_MODULES`' order."""
    for module in dict.fromkeys(_MODULES.values()):
        importlib.import_module(f"admitcheck.cli.{module}")
    whole = _app_module.app
    order = {name: index for index, name in enumerate(_MODULES)}
    whole.registered_commands.sort(key=lambda info: order.get(_name(info), len(order)))
    globals()["app"] = whole
    return whole


def _name(info: Any) -> str:
    return str(info.name or info.callback.__name__.lower().replace("_", "-"))


def _for(args: list[str]) -> typer.Typer:
    """The application `main()` runs for `args`: a command named first gets only its own
    command built (its module alone imported); help and version get every command's name
    and help without their options; anything else (an unknown command, completion, the
    completion installers) the whole application."""
    completing = any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)
    first = args[0] if args else None
    if completing or (first is not None and first not in _MODULES and first not in _ROOT_ONLY):
        return _whole()
    if first in _MODULES:
        importlib.import_module(f"admitcheck.cli.{_MODULES[first]}")
        runs = copy.copy(_app_module.app)
        runs.registered_commands = [
            info for info in runs.registered_commands if _name(info) == first
        ]
        runs.registered_groups = [info for info in runs.registered_groups if info.name == first]
        return runs
    if not set(args) <= _ROOT_ONLY:
        return _whole()
    listed = copy.copy(_whole())
    listed.registered_commands = [_without_options(info) for info in listed.registered_commands]
    listed.registered_groups = [_without_commands(info) for info in listed.registered_groups]
    return listed


def _without_options(info: Any) -> Any:
    """A command's registration as `--help` lists it: its name and help, no options."""
    callback = info.callback

    def listed() -> None:
        raise AssertionError("only listed")  # pragma: no cover

    listed.__name__ = callback.__name__
    listed.__doc__ = callback.__doc__
    light = copy.copy(info)
    light.callback = listed
    return light


def _without_commands(info: Any) -> Any:
    """A group's registration as `--help` lists it: its name and help, no commands."""
    light = copy.copy(info)
    light.typer_instance = copy.copy(info.typer_instance)
    light.typer_instance.registered_commands = []
    light.typer_instance.registered_groups = []
    return light


_PLUGINS_OFF = ("__all__", "1", "true")  # the values pydantic reads as "no plugins"
_LOADER = "pydantic.plugin._loader"


def _no_plugin_loader() -> None:
    """With plugins off, pydantic still imports its plugin loader the first time a model
    validates, and the loader imports `importlib.metadata` (~15 ms). Until then, a module
    stands in for it that says "no plugins" while they are off, and otherwise hands over
    to the real loader."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in _PLUGINS_OFF or _LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_LOADER)

    def real() -> Any:
        if sys.modules.get(_LOADER) is stand_in:
            del sys.modules[_LOADER]
        return importlib.import_module(_LOADER)

    def get_plugins() -> Any:
        if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _PLUGINS_OFF:
            return ()
        return real().get_plugins()

    def attribute(name: str) -> Any:
        if name.startswith("__"):  # the import system asking (`__path__`): not the loader's
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = attribute  # type: ignore[method-assign]
    sys.modules[_LOADER] = stand_in


def main() -> None:
    # pydantic looks for plugins (third-party validation hooks) in every installed
    # package's metadata the first time a model validates: 25-40 ms of each `check`, for
    # hooks the command line has no use for (Typer turns them off for its own adapters
    # too). `PYDANTIC_DISABLE_PLUGINS=` (empty) in the environment turns them back on.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _no_plugin_loader()
    try:
        _for(sys.argv[1:])()
    except KeyboardInterrupt:  # Ctrl-C before a command started: still no traceback
        sys.stderr.write("admitcheck: interrupted\n")
        raise SystemExit(int(ExitCode.INTERRUPTED)) from None
