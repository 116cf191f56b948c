"""Small pure helpers shared by the requirement checks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from admitcheck.models import BandGuidance

_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Context:
    """What a check needs besides the profile and its rule."""

    as_of: date
    validity_years: Mapping[str, int] = field(default_factory=dict)
    band_guidance: BandGuidance | None = None


def num(value: float) -> str:
    """3.0 -> '3.0', 10 -> '10', 8.4 -> '8.4', 3.3571 -> '3.36'."""
    if value == int(value):
        return f"{value:.1f}" if abs(value) < 10 else str(int(value))
    return f"{value:.2f}".rstrip("0")


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces, padded so ' word ' finds whole words."""
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {}


def phrases(words: Sequence[str]) -> tuple[str, ...]:
    """Normalised match phrases for a rule's keyword list (cached: rules are few)."""
    key = tuple(words)
    found = _PHRASES.get(key)
    if found is None:
        found = _PHRASES[key] = tuple(normalize(w) for w in key if w.strip())
    return found


def first_match(text_normalized: str, candidates: tuple[str, ...]) -> str | None:
    for phrase in candidates:
        if phrase in text_normalized:
            return phrase.strip()
    return None


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def valid_until(test_date: date, test: str, ctx: Context) -> date | None:
    """The last day a score counts, or None when the test has no validity window."""
    years = ctx.validity_years.get(test)
    return add_years(test_date, years) if years else None


TEST_TITLES: dict[str, str] = {
    "toefl": "TOEFL iBT",
    "ielts": "IELTS",
    "pte": "PTE Academic",
    "gre": "GRE",
    "gmat": "GMAT",
}


def join_words(items: Sequence[str], last: str = "or") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]
