"""Make profile text safe to show: no terminal control sequences, no markup."""

from __future__ import annotations

import re

from admitcheck.inputs.decoding import escaped
from admitcheck.models.report import Explanation

# C0 controls (but tab and newline), DEL and C1 controls, bidi embeddings, overrides and
# isolates, line and paragraph separators, lone surrogates: shown escaped, never sent raw.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    """Text from a profile with control characters written as visible escapes."""
    return _CONTROL.sub(escaped, text) if _CONTROL.search(text) else text


def explained(found: Explanation | None) -> str:
    """An explanation as one cell: the rule, then how each fact was read."""
    if found is None:
        return ""
    return "; ".join((found.rule, *found.evidence))


def one_line(text: str) -> str:
    return printable(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


STATUS_LABELS: dict[str, str] = {
    "met": "✔ met",
    "not_met": "✘ not met",
    "missing": "? missing",
    "review": "◐ review",
    "waived": "~ waived",
    "not_applicable": "– n/a",
}

STATUS_STYLES: dict[str, str] = {
    "met": "green",
    "not_met": "bold red",
    "missing": "yellow",
    "review": "magenta",
    "waived": "cyan",
    "not_applicable": "dim",
}

VERDICT_STYLES: dict[str, str] = {
    "eligible": "bold green",
    "ineligible": "bold red",
    "incomplete": "bold yellow",
    "review": "bold magenta",
    "error": "bold red",
}

VERDICT_MEANING: dict[str, str] = {
    "eligible": "meets every academic requirement",
    "ineligible": "falls short of at least one requirement",
    "incomplete": "the profile lacks facts needed to decide",
    "review": "a person must judge at least one requirement",
}
