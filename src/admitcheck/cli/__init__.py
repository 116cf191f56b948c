"""The command line: each command parses its options, calls the core, picks a renderer
and maps errors to exit codes. People's messages go to stderr, data to stdout."""

from __future__ import annotations

import os
import sys

from admitcheck.cli import batch, check, match, other, programs
from admitcheck.cli.app import app
from admitcheck.vocabulary import ExitCode

__all__ = ["app", "main"]
_COMMANDS = (batch, check, match, other, programs)  # imported for their registrations


def main() -> None:
    # pydantic looks for plugins (third-party validation hooks) in every installed
    # package's metadata the first time a model validates: 25-40 ms of each `check`, for
    # hooks the command line has no use for (Typer turns them off for its own adapters
    # too). `PYDANTIC_DISABLE_PLUGINS=` (empty) in the environment turns them back on.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except KeyboardInterrupt:  # Ctrl-C before a command started: still no traceback
        sys.stderr.write("admitcheck: interrupted\n")
        raise SystemExit(int(ExitCode.INTERRUPTED)) from None
