"""The Typer application, its error handling, and the output helpers every command uses.

Heavy modules (pydantic, the rules, the renderers) are imported inside the commands so
that `--help`, `--version` and shell completion stay fast.
"""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import typer.core
from typer.core import TyperGroup

from admitcheck import __version__
from admitcheck.vocabulary import CheckFormat, ExitCode

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

EXIT_CODES_HELP = (
    "Exit codes: 0 eligible or success, 1 ineligible (or failed cases, stale programs, "
    "quotes not verified), 2 usage or rules error, 3 invalid applicant data, 4 undecided "
    "(incomplete or review), 70 internal error, 74 output cannot be written, 129/130/143 "
    "stopped by SIGHUP/Ctrl-C/SIGTERM."
)

# click's exception classes, reached through typer's own (typer vendors click in new
# versions and imports it in old ones): BadParameter < UsageError < ClickException.
_CLICK_ERROR: type[Exception] = typer.BadParameter.__mro__[2]


class _OneLineErrors(TyperGroup):
    """A usage error is one line on stderr ('admitcheck: No such option: --gpa-scal ...'),
    not click's usage block, with exit code 2."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except _CLICK_ERROR as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                exc.show()  # type: ignore[attr-defined]  # the help, as asked
                sys.exit(getattr(exc, "exit_code", int(ExitCode.USAGE)))
            message = " ".join(exc.format_message().split())  # type: ignore[attr-defined]
            message = message.replace("Value error, ", "")
            context = getattr(exc, "ctx", None)
            where = context.command_path if context is not None else "admitcheck"
            sys.stderr.write(f"admitcheck: {message} (see '{where} --help')\n")
            sys.exit(getattr(exc, "exit_code", int(ExitCode.USAGE)))
        except typer.Abort:
            sys.stderr.write("admitcheck: interrupted\n")
            sys.exit(int(ExitCode.INTERRUPTED))
        sys.exit(result if isinstance(result, int) else 0)


def _argument_display() -> None:
    """Arguments with a metavar show it alone in help and usage ('INPUT...', not
    '{INPUT...}... <list[str]>')."""
    argument = getattr(typer.core, "TyperArgument", None)
    if argument is None or not hasattr(argument, "_usage_display_name"):
        return

    def usage(self: Any) -> str:
        name = str(self.metavar or self.name).upper()
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"

    def display_type(self: Any, ctx: Any) -> str | None:
        return None

    argument._usage_display_name = usage
    argument.display_type_rich = display_type


_argument_display()

app = typer.Typer(
    name="admitcheck",
    cls=_OneLineErrors,
    help="Does this applicant meet this program's requirements, and what is missing?",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
programs_app = typer.Typer(help="List, show and validate programs.", no_args_is_help=True)
app.add_typer(programs_app, name="programs")

F = TypeVar("F", bound=Callable[..., Any])


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def stdout() -> Console:
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False)


def fail(message: str, code: ExitCode, details: list[str] | None = None) -> typer.Exit:
    from rich.text import Text

    from admitcheck.render.text import printable

    err = stderr()
    err.print(Text(f"admitcheck: {printable(message)}"))
    for line in details or []:
        err.print(Text(f"  {printable(line)}"))
    return typer.Exit(int(code))


def handle_errors(command: F) -> F:
    """Turn the user's mistakes into one clear message and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from admitcheck.errors import AdmitcheckError

        try:
            return command(*args, **kwargs)
        except AdmitcheckError as exc:
            raise fail(exc.message, exc.exit_code, exc.details) from None
        except KeyboardInterrupt:
            raise fail("interrupted", ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`| head`): not an error of ours, and nothing to say.
            sys.stderr = Path(os.devnull).open("w")  # noqa: SIM115
            raise typer.Exit(int(ExitCode.OK)) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug of ours: one line, and the traceback on request
            if os.environ.get("ADMITCHECK_DEBUG"):
                raise
            raise fail(
                f"internal error ({type(exc).__name__}: {exc}); this is a bug, please "
                "report it (ADMITCHECK_DEBUG=1 shows the traceback)",
                ExitCode.INTERNAL,
            ) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"admitcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Check applicant profiles against admissions requirements.

    Exit codes: 0 eligible/success, 1 ineligible, 2 usage or rules error,
    3 invalid applicant data, 4 undecided (incomplete or review).
    """


def emit(
    fmt: CheckFormat,
    *,
    as_json: Callable[[], bytes],
    as_markdown: Callable[[], str],
    as_table: Callable[[], RenderableType],
    output: str | None = None,
) -> None:
    """Write one document in the chosen format (only that renderer runs) to standard
    output or `output`, through the output module: a failed write is exit 74."""
    from admitcheck.output import open_output, plan, write_all
    from admitcheck.vocabulary import assert_never

    target = plan(output)
    if fmt is CheckFormat.json:
        data = as_json() + b"\n"
    elif fmt is CheckFormat.markdown:
        data = as_markdown().encode()
    elif fmt is CheckFormat.table:
        # A table is laid out for standard output's width and colours when it is a
        # terminal; for a file, plain at the width the terminal (or COLUMNS) gives.
        from rich.console import Console

        shown = stdout()
        terminal = target.kind == "stdout" and shown.is_terminal
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            width=shown.width,
            highlight=False,
            force_terminal=terminal,
            color_system="auto" if terminal else None,
            no_color=not terminal or shown.no_color,
        )
        console.print(as_table())
        data = buffer.getvalue().encode()
    else:
        assert_never(fmt)
    with open_output(target) as sink:
        write_all(sink, data)
