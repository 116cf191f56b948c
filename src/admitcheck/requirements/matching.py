"""A program's own words: whole-word, case-blind phrase matching for rules that list them."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

_NON_WORD = re.compile(r"[^a-z0-9]+")
_MEMO_LIMIT = 4096


def normalize(text: str) -> str:
    """Lower-case words separated by single spaces, padded so ' word ' finds whole words."""
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


@dataclass(frozen=True)
class Phrases:
    """Phrases to find as whole words; answers are remembered per text (bounded)."""

    phrases: tuple[str, ...]
    _seen: dict[str, str | None] = field(default_factory=dict, compare=False, hash=False)

    @staticmethod
    @functools.lru_cache(maxsize=256)
    def of(words: tuple[str, ...]) -> Phrases:
        return Phrases(tuple(normalize(w) for w in words if w.strip()))

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def first_in(self, text: str) -> str | None:
        """The first phrase (as written, trimmed) found in `text`, or None."""
        if text in self._seen:
            return self._seen[text]
        words = normalize(text)
        found = next((p.strip() for p in self.phrases if p in words), None)
        if len(self._seen) >= _MEMO_LIMIT:
            self._seen.clear()
        self._seen[text] = found
        return found
