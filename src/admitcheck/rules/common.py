"""Small pure helpers shared by the requirement checks."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from admitcheck.models import BandGuidance

_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass
class Context:
    """What a check needs besides the profile and its rule."""

    as_of: date
    validity_years: Mapping[str, int] = field(default_factory=dict)
    band_guidance: BandGuidance | None = None


@functools.lru_cache(maxsize=4096)
def num(value: float) -> str:
    """3.0 -> '3.0', 10 -> '10', 8.4 -> '8.4', 3.3571 -> '3.36'."""
    if value == int(value):
        return f"{value:.1f}" if abs(value) < 10 else str(int(value))
    return f"{value:.2f}".rstrip("0")


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces, padded so ' word ' finds whole words."""
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


def phrases(words: Sequence[str]) -> tuple[str, ...]:
    """Normalised match phrases for a rule's keyword list."""
    return tuple(normalize(w) for w in words if w.strip())


R = TypeVar("R")
V = TypeVar("V")


def per_rule(derive: Callable[[R], V]) -> Callable[[R], V]:
    """Memoise what a check derives from its rule alone (texts, keyword tables).

    Rules are loaded once and used for every record, so deriving once matters on the
    batch hot path. Keyed by identity; the entry keeps the rule alive, so an id is never
    reused while it is cached.
    """
    cache: dict[int, tuple[R, V]] = {}

    @functools.wraps(derive)
    def cached(rule: R) -> V:
        hit = cache.get(id(rule))
        if hit is not None and hit[0] is rule:
            return hit[1]
        value = derive(rule)
        cache[id(rule)] = (rule, value)
        return value

    return cached


class BoundedMemo(dict[Hashable, V]):
    """A per-rule memo of answers by input text (degree fields, course titles).

    Profiles repeat the same few hundred titles; the bound keeps hostile input from
    growing it without limit.
    """

    LIMIT = 4096

    def remember(self, key: Hashable, value: V) -> V:
        if len(self) >= self.LIMIT:
            self.clear()
        self[key] = value
        return value


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


F = TypeVar("F")
C = TypeVar("C")


def memo_by_facts(
    key: Callable[[F], Hashable],
) -> Callable[[Callable[[F, R], C]], Callable[[F, R], C]]:
    """Memoise a pure check by the facts it reads, per rule.

    A check is a pure function of (facts, rule), and batches repeat the same facts
    (a GPA of 3.5, "Electrical Engineering", a list of common courses) many times, so
    the result, an immutable-by-convention Check, is computed once and shared.
    """

    def decorate(check: Callable[[F, R], C]) -> Callable[[F, R], C]:
        memo_of: Callable[[R], BoundedMemo[C]] = per_rule(lambda rule: BoundedMemo())

        @functools.wraps(check)
        def cached(facts: F, rule: R) -> C:
            memo = memo_of(rule)
            facts_key = key(facts)
            hit = memo.get(facts_key)
            if hit is None:
                hit = memo.remember(facts_key, check(facts, rule))
            return hit

        return cached

    return decorate
