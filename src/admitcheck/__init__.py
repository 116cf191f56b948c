"""admitcheck: does this applicant meet this program's requirements, and what is missing?

The Python API (`check`, `check_many`, `load_catalog`) is documented in docs/api.md; it is
imported on first use, so `import admitcheck` stays as light as the CLI's `--help`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from admitcheck.api import check, check_many, check_rows, from_flat, load_catalog
    from admitcheck.errors import AdmitcheckError, ProfileError, RulesError, UsageError
    from admitcheck.models.profile import Profile
    from admitcheck.models.report import Check, ErrorRecord, Report

__all__ = [
    "AdmitcheckError",
    "Check",
    "ErrorRecord",
    "Profile",
    "ProfileError",
    "Report",
    "RulesError",
    "UsageError",
    "check",
    "check_many",
    "check_rows",
    "from_flat",
    "load_catalog",
]

_HOMES = {
    "check": "admitcheck.api",
    "check_many": "admitcheck.api",
    "check_rows": "admitcheck.api",
    "from_flat": "admitcheck.api",
    "load_catalog": "admitcheck.api",
    "AdmitcheckError": "admitcheck.errors",
    "ProfileError": "admitcheck.errors",
    "RulesError": "admitcheck.errors",
    "UsageError": "admitcheck.errors",
    "Profile": "admitcheck.models.profile",
    "Check": "admitcheck.models.report",
    "ErrorRecord": "admitcheck.models.report",
    "Report": "admitcheck.models.report",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'admitcheck' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home), name)
