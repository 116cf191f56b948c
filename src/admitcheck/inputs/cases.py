"""Rule case files (TOML or JSON): a list of cases under `cases`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from admitcheck.errors import ProfileError, UsageError
from admitcheck.inputs import json_text
from admitcheck.inputs.toml_text import read_toml


def load_cases(path: Path) -> list[dict[str, Any]]:
    if path.suffix.lower() == ".json":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise UsageError(f"{path}: no such case file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: cannot read ({exc})") from None
        try:
            data: Any = json_text.parse(text, str(path))
        except ProfileError as exc:
            raise UsageError(exc.message) from None
    else:
        _, data = read_toml(path, "case file", UsageError)
    cases = data.get("cases") if isinstance(data, dict) else data
    if not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
        raise UsageError(f"{path}: expected a list of cases under 'cases'")
    return cases
