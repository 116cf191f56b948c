"""One exception base for everything a user can get wrong; the CLI maps it to an exit code."""

from __future__ import annotations

from admitcheck.vocabulary import ExitCode


class AdmitcheckError(Exception):
    """A problem the user can fix. `str()` is the message shown on stderr."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        """The message and every problem listed under it, on one line."""
        if not self.details:
            return self.message
        return f"{self.message}: {'; '.join(self.details)}"


class UsageError(AdmitcheckError):
    """Bad flags, unknown program id, unreadable inputs: exit 2."""

    exit_code = ExitCode.USAGE


class RulesError(AdmitcheckError):
    """The rules file cannot be read or is invalid: exit 2."""

    exit_code = ExitCode.USAGE


class ProfileError(AdmitcheckError):
    """The applicant data cannot be read or is invalid: exit 3."""

    exit_code = ExitCode.INVALID_INPUT


class OutputError(AdmitcheckError):
    """The output cannot be written (disk full, permission, a folder): exit 74."""

    exit_code = ExitCode.IO_ERROR


class Interrupted(AdmitcheckError):
    """Ctrl-C, SIGTERM or SIGHUP: the message says how far the run got; exit 128 + signal."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, message: str, *, code: int = ExitCode.INTERRUPTED) -> None:
        super().__init__(message)
        self.exit_code = code  # type: ignore[assignment]


class WorkersFailed(AdmitcheckError):
    """The worker processes stopped in the middle of a run: exit 71 (EX_OSERR)."""

    exit_code = ExitCode.WORKERS
