"""`programs verify`: the catalogue checks itself against saved copies of its sources.

Every table of a rules file that carries a `quote` is a citation: the quote must appear in
the saved copy of its `source` page (case and runs of whitespace ignored), and every number
the table states must appear inside its quote. A quote missing from its page means the
page changed (re-read it) or the quote was mistyped; a number missing from its quote is a
typo or an invention. Pure: the caller reads the pages (`page_file` names them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]")
_SPACE = re.compile(r"\s+")
_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}
# Keys whose numbers are not facts of the source (file format, our own settings).
_NOT_FACTS = frozenset({"format", "proportional_scales", "cited"})


def page_file(url: str) -> str:
    """The saved page's file name: the URL without its scheme and one trailing '/', every
    character but letters, digits, '.', '-' and '_' as '_', then '.txt'."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", url)
    bare = bare[:-1] if bare.endswith("/") else bare
    return _NOT_NAME.sub("_", bare) + ".txt"


@dataclass(frozen=True)
class Citation:
    path: str  # where in the rules file: programs[0].english
    source: str
    quote: str
    numbers: tuple[float, ...]


@dataclass(frozen=True)
class Finding:
    path: str
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def citations(document: Mapping[str, Any]) -> Iterator[Citation]:
    """Every table with a quote, with the source it rests on (its own, or the nearest
    table around it that names one) and the numbers it states."""
    yield from _walk(document, "", None)


def _walk(node: Any, path: str, source: str | None) -> Iterator[Citation]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}[{index}]", source)
        return
    if not isinstance(node, Mapping):
        return
    own = node.get("source")
    if isinstance(own, str):
        source = own
    quote = node.get("quote")
    if isinstance(quote, str) and source is not None:
        yield Citation(path or "(top)", source, quote, tuple(_numbers(node)))
    for key, value in node.items():
        if key in _NOT_FACTS or key in ("quote", "source"):
            continue
        if isinstance(value, (Mapping, list)):
            yield from _walk(value, f"{path}.{key}" if path else key, source)


def _numbers(node: Mapping[str, Any]) -> Iterator[float]:
    """The numbers a table states: its own and those of nested tables without a quote."""
    for key, value in node.items():
        if key in _NOT_FACTS:
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            yield float(value)
        elif isinstance(value, Mapping) and "quote" not in value:
            yield from _numbers(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, (int, float)) and not isinstance(item, bool):
                    yield float(item)
                elif isinstance(item, Mapping) and "quote" not in item:
                    yield from _numbers(item)


def normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def states(quote: str, number: float) -> bool:
    """Whether a quote contains a number: 90 as '90', 6.5 as '6.5', 3.0 as '3.0' or '3',
    2 as '2' or 'two'."""
    forms = {f"{number:g}"}
    if number == int(number):
        forms |= {str(int(number)), f"{number:.1f}", f"{number:.2f}"}  # $155.00
        if int(number) in _WORDS:
            forms.add(_WORDS[int(number)])
    for form in forms:
        word = rf"\b{form}\b"
        digits = rf"(?<![\d.]){re.escape(form)}(?![\d]|\.\d)"
        if re.search(word if form.isalpha() else digits, quote, flags=re.IGNORECASE):
            return True
    return False


def verify(citations_: list[Citation], pages: Mapping[str, str | None]) -> list[Finding]:
    """Findings for citations whose source is a URL; `pages` maps a page file name to its
    text, or None when no copy was saved."""
    found: list[Finding] = []
    for item in citations_:
        if not item.source.startswith(("http://", "https://")):
            continue
        page = pages.get(page_file(item.source))
        if page is None:
            found.append(Finding(item.path, item.source, f"no saved page {page_file(item.source)}"))
        elif normal(item.quote) not in normal(page):
            found.append(
                Finding(
                    item.path,
                    item.source,
                    "the quote is not on its saved page (the page changed, or the quote was "
                    "mistyped): re-read it",
                )
            )
        for number in item.numbers:
            if not states(item.quote, number):
                found.append(
                    Finding(
                        item.path,
                        item.source,
                        f"{number:g} is not in its quote (a typo or an invention)",
                    )
                )
    return found
