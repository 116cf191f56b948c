"""The Typer application, its error handling, and the output helpers every command uses.

Heavy modules (pydantic, the rules, the renderers) are imported inside the commands so
that `--help`, `--version` and shell completion stay fast.
"""

from __future__ import annotations

import contextlib
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
    "(incomplete or review), 70 internal error, 71 worker processes failed, 74 output cannot "
    "be written, 129/130/143 stopped by SIGHUP/Ctrl-C/SIGTERM, 141 the reader of the output "
    "went away (a closed pipe)."
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


def _adapters_when_needed() -> None:
    """Typer builds a pydantic TypeAdapter for every parameter of the invoked command,
    even one whose value is missing (None) or already what the adapter would return (a
    plain str, an enum default): ~70 adapters for `check`, and the import of pydantic's
    types module for the first. Such values are returned as they are (None, or () for a
    multi-value parameter, by typer's own pass-through); any other value gets typer's
    adapter, built as before. Left as typer has it if its internals are not as expected.

    So do the conversions whose result is plain (`plain`): a choice's text to its enum
    member, digits to an int within the option's bounds, the arguments' tuple of text to a
    list: `batch` otherwise imports typer's adapters and pydantic's types (~60 ms of its
    start-up) to turn `-f jsonl --jobs 2 FILE` into what these give. Anything else, an
    invalid value included, still goes to typer's adapter, which words the error."""
    import enum
    import typing

    param_class = getattr(typer.core, "_TyperParameter", None)
    coercion = getattr(typer.core, "build_runtime_param", None)
    stock = getattr(param_class, "get_runtime_param", None)
    try:
        from typer._coercion import PassThroughRuntimeParam
    except ImportError:
        return
    if param_class is None or coercion is None or stock is None:
        return
    build: Callable[[Any], Any] = stock

    unknown = object()

    def plain(descriptor: Any, value: Any) -> Any:
        """What typer's adapter returns for `value` where no adapter is needed for it (a
        value already of its type; a choice's text, digits within bounds, the arguments'
        text); else `unknown`."""
        annotation, info = descriptor.annotation, descriptor.parameter_info
        if getattr(descriptor, "file_annotation", True) is not None:
            return unknown
        if getattr(info, "parser", True) is not None:
            return unknown
        if annotation is str:
            return value if type(value) is str else unknown
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            if isinstance(value, annotation):
                return value
            member = annotation._value2member_map_.get(value) if type(value) is str else None
            return unknown if member is None else member
        if annotation is int and type(value) is str and value.isascii() and value.isdigit():
            number = int(value)
            low, high = getattr(info, "min", None), getattr(info, "max", None)
            if getattr(info, "clamp", True) or (low is not None and number < low):
                return unknown
            return unknown if high is not None and number > high else number
        if (
            typing.get_origin(annotation) is list
            and typing.get_args(annotation) == (str,)
            and type(value) is tuple
            and all(type(item) is str for item in value)
        ):
            return list(value)
        return unknown

    class Deferred:
        """The parameter's runtime param until a value needs converting."""

        __slots__ = ("param",)

        def __init__(self, param: Any) -> None:
            self.param = param

        def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
            descriptor = getattr(self.param, "type_descriptor", None)
            if descriptor is not None:
                if value is None:  # None, or () for a multi-value parameter: typer's own
                    passing = PassThroughRuntimeParam(
                        parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
                    )
                    return passing.coerce(value, param=param, ctx=ctx)
                multiple = getattr(param, "multiple", True) or getattr(param, "nargs", 1) == -1
                if not (multiple and type(value) is str):  # typer refuses that one: its words
                    found = plain(descriptor, value)
                    if found is not unknown:
                        return found
            return build(self.param).coerce(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if getattr(self, "_runtime_param", None) is not None:
            return self._runtime_param
        return Deferred(self)

    param_class.get_runtime_param = get_runtime_param


_adapters_when_needed()

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
            # The reader went away (`| head`): nothing to say, and the status a SIGPIPE
            # would give, so that a pipeline can tell a cut run from a whole one.
            _quiet_closed_output()
            raise typer.Exit(int(ExitCode.PIPE_CLOSED)) from None
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


def _quiet_closed_output() -> None:
    """Standard output is a pipe its reader closed: point it (and stderr, which may be
    the same pipe) at /dev/null, so that the interpreter's flush at exit cannot fail again
    and print 'Exception ignored' after the run."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    sys.stderr = Path(os.devnull).open("w")  # noqa: SIM115


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
    title: str = "admitcheck",
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
    elif fmt is CheckFormat.html:
        from admitcheck.render.html import document

        data = document(as_table(), title)
    else:
        assert_never(fmt)
    with open_output(target) as sink:
        write_all(sink, data)
