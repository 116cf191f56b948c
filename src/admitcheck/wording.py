"""How numbers and lists read in reports: one home for the wording helpers."""

from __future__ import annotations

import functools
from collections.abc import Sequence


@functools.lru_cache(maxsize=4096)
def num(value: float) -> str:
    """3.0 -> '3.0', 10 -> '10', 8.4 -> '8.4', 3.3571 -> '3.36', 2.995 -> '3.0'."""
    rounded = round(value, 2)
    if rounded == int(rounded):
        whole = int(rounded)
        return f"{whole}.0" if abs(whole) < 10 else str(whole)
    return f"{rounded:.2f}".rstrip("0")


def join_words(items: Sequence[str], last: str = "or") -> str:
    """['a'] -> 'a'; ['a', 'b'] -> 'a or b'; ['a', 'b', 'c'] -> 'a, b or c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def plural(count: int, word: str, many: str | None = None) -> str:
    """1 course, 2 courses."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def article(noun_phrase: str) -> str:
    """'an associate degree', 'a bachelor's degree'."""
    return ("an " if noun_phrase[:1].lower() in "aeiou" else "a ") + noun_phrase
