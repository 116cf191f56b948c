"""Classification of free text (degree fields, course titles) through taxonomies that are data.

A taxonomy maps entries (areas of study, course subjects) to the names people write for
them: full names, stems (`statist*`), compound endings (`*physik`), abbreviations,
course-code prefixes, names in other languages. `Taxonomy.classify` reads a text the way
`data/taxonomy/README.md` describes: normalise (case, accents, punctuation, plurals),
find every name as a run of whole tokens, keep the longest (the rightmost between equals),
let modifiers ("history of", "for poets", "non-") absorb what they govern. Every match
says which entry and which name matched which words, so reports can show their reasons.

Pure: no I/O. `catalog.py` reads the TOML and builds taxonomies with `Taxonomy.build`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

MEMO_LIMIT = 8192
TYPO_MIN_LETTERS = 7  # shorter words are never read as a typing slip of another
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8"}
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_MIN_AFFIX = 4  # letters a stem (`statist*`) or an ending (`*physik`) must have


# Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "þ": "th",
    }
)


def fold(text: str) -> str:
    """Case and accents folded: 'Ingeniería Eléctrica' -> 'ingenieria electrica'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str, replacements: Mapping[str, str] = {}) -> tuple[str, ...]:
    """Normalised tokens: folded, replacements applied, punctuation gone, letters and digits
    split, Roman numerals after the first token as digits, a final 's' dropped from words
    of five letters or more (plurals)."""
    folded = fold(text)
    for old, new in replacements.items():
        folded = folded.replace(old, new)
    words = _LETTER_DIGIT.sub(" ", _NOT_WORD.sub(" ", folded)).split()
    out = []
    for position, word in enumerate(words):
        if position and word in _ROMAN:
            word = _ROMAN[word]
        elif len(word) >= 5 and word.endswith("s"):
            word = word[:-1]
        out.append(word)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Name:
    """One name of an entry, as tokens; `*` marks a stem or a compound ending."""

    entry: str
    written: str  # as the data writes it, for explanations
    parts: tuple[str, ...]

    def matches(self, token: str, part: str, abbreviations: Mapping[str, frozenset[str]]) -> bool:
        if part.endswith("*"):
            return token.startswith(part[:-1])
        if part.startswith("*"):
            return token.endswith(part[1:])
        if token == part:
            return True
        expansions = abbreviations.get(token)
        if expansions is None or part not in expansions:
            return False
        # A one-word name stands for an abbreviation only when the abbreviation is not
        # ambiguous ("engg" is engineering; "eng" alone could be English).
        return len(self.parts) > 1 or len(expansions) == 1

    def __reduce__(self) -> tuple[Any, ...]:
        # Unpickled through __init__: for the thousands in the cached catalogue, several
        # times faster than the __setstate__ slotted dataclasses get.
        return (type(self), (self.entry, self.written, self.parts))


@dataclass(frozen=True, slots=True)
class Modifier:
    """Words that change what surrounds them: 'history of' X is not X."""

    written: str
    parts: tuple[str, ...]
    # following: every match after it; preceding: every match before it; next / previous:
    # the adjacent match after / before it; applied_to: every match after it, when a
    # match comes before it ("Statistics in Computer Science" is statistics)
    absorbs: Literal["following", "preceding", "next", "previous", "applied_to"]
    entry: str | None  # what the text then is, or None: the absorbed match is dropped

    def __reduce__(self) -> tuple[Any, ...]:
        # as Name.__reduce__
        return (type(self), (self.written, self.parts, self.absorbs, self.entry))


@dataclass(frozen=True, slots=True)
class Title:
    """A degree title ('B.Tech', 'Bachelor of Science'): its area and level, if it names any."""

    written: str
    parts: tuple[str, ...]
    entry: str | None
    level: str | None

    def __reduce__(self) -> tuple[Any, ...]:
        # as Name.__reduce__
        return (type(self), (self.written, self.parts, self.entry, self.level))


@dataclass(frozen=True, slots=True)
class Match:
    """One reason for a classification: which entry, which name, which words of the text."""

    entry: str
    name: str  # the taxonomy's name that matched
    words: str  # the text's words it matched
    how: Literal["name", "code", "title", "modifier"] = "name"

    def explain(self, label: str) -> str:
        """'mathematics by the name "calculus"', 'engineering by the degree title "b tech"'."""
        how = {"name": "name", "code": "course code", "title": "degree title"}.get(
            self.how, "modifier"
        )
        return f"{label.lower()} by the {how} '{self.name}'"


@dataclass(frozen=True, slots=True)
class Classification:
    text: str
    matches: tuple[Match, ...]
    absorbed: tuple[Match, ...] = ()  # matches a modifier took away, for explanations
    leftover: tuple[str, ...] = ()  # content words nothing matched
    level: str | None = None  # the degree level a title implies
    corrected: tuple[tuple[str, str], ...] = ()  # (typed word, the known word it was read as)
    entries: frozenset[str] = field(init=False)  # read for every course of every record
    recognised: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", frozenset(m.entry for m in self.matches))
        object.__setattr__(self, "recognised", bool(self.matches))


class WordList:
    """Words that are words already, so never a typing slip of another: the English words
    of `data/taxonomy/words.txt` (one a line) and the taxonomies' own vocabulary.

    The list is large and most runs look up no word in it, so it is kept as one text and
    searched; after a few look-ups (a batch) it becomes a set. It pickles as that one text
    (the catalogue cache, batch workers): a single string loads in well under a
    millisecond, where a set of 80,000 words would take tens.
    """

    __slots__ = ("_extra", "_lookups", "_set", "_text")
    _SEARCHES = 16  # look-ups answered by searching the text before it becomes a set

    def __init__(self, lines: str = "", extra: Iterable[str] = ()) -> None:
        self._text = "\n" + lines.strip("\n") + "\n"
        self._extra = frozenset(extra)
        self._set: frozenset[str] | None = None
        self._lookups = 0

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        if word in self._extra:
            return True
        if "\n" in word:
            return False
        if self._set is None:
            self._lookups += 1
            if self._lookups <= self._SEARCHES:
                return f"\n{word}\n" in self._text
            self._set = frozenset(self._text.split())
        return word in self._set

    def adding(self, words: Iterable[str]) -> WordList:
        """This list with more words (a taxonomy's vocabulary)."""
        found = WordList(extra=self._extra | frozenset(words))
        found._text = self._text  # shared, not copied
        return found

    def __reduce__(self) -> tuple[Any, ...]:
        return (WordList, (self._text, self._extra))

    def __repr__(self) -> str:
        return f"WordList({self._text.count(chr(10)) - 1} words + {len(self._extra)})"


@dataclass(frozen=True)
class Entry:
    id: str
    label: str
    cip: str | None = None
    code_alone: bool = True  # a course code alone ("MATH 125") recognises the subject
    # Other entries this one also sits within, beyond its id's dotted prefix: electronics
    # engineering is a kind of electrical engineering (both CIP 14.10).
    part_of: tuple[str, ...] = ()
    # Entries a text read as this one may also be, for a person to judge: an antennas
    # course may be physics. Never evidence that they are absent.
    may_be: tuple[str, ...] = ()


@dataclass
class Taxonomy:
    """A taxonomy ready to classify; build it with `Taxonomy.build` from parsed TOML."""

    kind: str
    entries: dict[str, Entry]
    names: list[Name]
    codes: dict[str, str]  # course-code prefix -> entry
    whole: dict[tuple[str, ...], str]  # acronyms that name an entry only as the whole text
    abbreviations: dict[str, frozenset[str]]
    replacements: dict[str, str]
    modifiers: list[Modifier]
    titles: list[Title]
    ignore: frozenset[str]
    sources: tuple[str, ...] = ()
    # Words a typing slip is never read as (words.txt and both taxonomies' vocabulary).
    words: WordList = field(default_factory=WordList)
    _by_first: dict[str, list[Name]] = field(default_factory=dict, repr=False)
    _vocabulary: dict[int, dict[str, set[str]]] = field(default_factory=dict, repr=False)
    _wild: list[Name] = field(default_factory=list, repr=False)
    _memo: dict[str, Classification] = field(default_factory=dict, repr=False)
    _memo_as_typed: dict[str, Classification] = field(default_factory=dict, repr=False)
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"Taxonomy({self.kind!r}, {len(self.entries)} entries, {len(self.names)} names)"

    def __post_init__(self) -> None:
        known = {p for n in self.names for p in n.parts if "*" not in p}
        known |= {p for t in self.titles for p in t.parts} | {
            p for m in self.modifiers for p in m.parts
        }
        known |= set(self.abbreviations) | self.ignore
        for word in known:
            if word.isalpha():
                self._vocabulary.setdefault(len(word), {}).setdefault(word[0], set()).add(word)
        for name in sorted(self.names, key=lambda n: -len(n.parts)):
            first = name.parts[0]
            if first.startswith("*") or first.endswith("*"):
                self._wild.append(name)
            else:
                self._by_first.setdefault(first, []).append(name)
                for short, long in self.abbreviations.items():
                    if first in long:
                        self._by_first.setdefault(short, []).append(name)

    # ----------------------------------------------------------------------- building

    @classmethod
    def build(cls, kind: str, documents: Sequence[Mapping[str, Any]]) -> Taxonomy:
        """From parsed taxonomy documents (the shipped one first, then additions)."""
        entries: dict[str, Entry] = {}
        written_names: dict[str, list[str]] = {}
        codes: dict[str, str] = {}
        whole_written: list[tuple[str, str]] = []
        abbreviations: dict[str, set[str]] = {}
        replacements: dict[str, str] = {}
        modifiers: list[tuple[str, str, str | None]] = []
        titles: list[tuple[str, str | None, str | None]] = []
        ignore: set[str] = set()
        sources: list[str] = []
        for document in documents:
            if document.get("source"):
                sources.append(str(document["source"]))
            replacements.update(document.get("replacements", {}))
            for short, expansions in document.get("abbreviations", {}).items():
                key = tokens(short)
                if len(key) == 1:
                    abbreviations.setdefault(key[0], set()).update(
                        t for e in expansions for t in tokens(e)[:1]
                    )
            ignore.update(fold(w) for w in document.get("ignore", []))
            for item in document.get("areas", []) + document.get("subjects", []):
                entry_id = item["id"]
                if entry_id not in entries or item.get("label"):
                    entries[entry_id] = Entry(
                        entry_id,
                        item.get("label") or _label(entry_id),
                        item.get("cip"),
                        item.get("code_alone", True),
                        tuple(item.get("part_of", ())),
                        tuple(item.get("may_be", ())),
                    )
                written_names.setdefault(entry_id, []).extend(item.get("names", []))
                whole_written += [(w, entry_id) for w in item.get("whole", [])]
                for code in item.get("codes", []):
                    codes[fold(code)] = entry_id
            for item in document.get("modifiers", []):
                entry = item.get("area") or item.get("subject")
                modifiers.append((item["phrase"], item["absorbs"], entry))
            for item in document.get("titles", []):
                for written in item.get("names", []):
                    titles.append((written, item.get("area"), item.get("level")))
        names = []
        for entry_id, writtens in written_names.items():
            for written in dict.fromkeys(writtens):
                parts = _pattern(written, replacements)
                if parts:
                    names.append(Name(entry_id, written, parts))
        return cls(
            kind=kind,
            entries=entries,
            names=names,
            codes=codes,
            whole={
                parts: entry for w, entry in whole_written if (parts := tokens(w, replacements))
            },
            abbreviations={k: frozenset(v) for k, v in abbreviations.items()},
            replacements=replacements,
            modifiers=[
                Modifier(w, parts, absorbs, entry)  # type: ignore[arg-type]
                for w, absorbs, entry in modifiers
                if (parts := tokens(w, replacements))
            ],
            titles=sorted(
                (
                    Title(w, parts, a, lv)
                    for w, a, lv in titles
                    if (parts := tokens(w, replacements))
                ),
                key=lambda t: -len(t.parts),
            ),
            ignore=frozenset(ignore),
            sources=tuple(sources),
        )

    # ----------------------------------------------------------------------- reading

    def label(self, entry: str) -> str:
        found = self.entries.get(entry)
        return found.label if found else _label(entry)

    def within(self, entry: str, ancestor: str) -> bool:
        """'engineering.electrical' is within 'engineering'; 'engineering.electronics' is
        also within 'engineering.electrical' (its `part_of`)."""
        if entry == ancestor or entry.startswith(ancestor + "."):
            return True
        found = self.entries.get(entry)
        return found is not None and any(self.within(p, ancestor) for p in found.part_of)

    def vocabulary(self) -> frozenset[str]:
        """Every whole word of the taxonomy's names, titles, modifiers, abbreviations and
        ignored words."""
        return frozenset(
            w for by_letter in self._vocabulary.values() for ws in by_letter.values() for w in ws
        )

    def ancestors(self, entry: str) -> tuple[str, ...]:
        """The entry and every entry it is within: 'electrical_engineering.electromagnetics'
        -> itself and 'electrical_engineering' (its id's prefixes and its `part_of`)."""
        found = self._ancestors.get(entry)
        if found is None:
            parts = entry.split(".")
            chain = [".".join(parts[:n]) for n in range(len(parts), 0, -1)]
            known = self.entries.get(entry)
            for parent in known.part_of if known else ():
                chain += self.ancestors(parent)
            found = self._ancestors[entry] = tuple(dict.fromkeys(chain))
        return found

    def classify(self, text: str, *, correct: bool = True) -> Classification:
        """How a text reads; with `correct=False`, as typed: no word is read as a typing
        slip (a course whose subject is declared is not re-read through a guess)."""
        memo = self._memo if correct else self._memo_as_typed
        found = memo.get(text)
        if found is None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            found = memo[text] = self._classify(text, correct)
        return found

    def _classify(self, text: str, correct: bool = True) -> Classification:
        words = tokens(text, self.replacements)
        corrected: tuple[tuple[str, str], ...] = ()
        if correct:
            words, corrected = self._correct(words)
        spans: list[tuple[int, int, Match]] = []
        level = None
        covered: set[int] = set()
        # degree titles, longest first, each at most once
        for title in self.titles:
            at = _find(words, title.parts)
            if at is None or any(i in covered for i in range(at, at + len(title.parts))):
                continue
            covered.update(range(at, at + len(title.parts)))
            level = level or title.level
            if title.entry is not None:
                phrase = " ".join(words[at : at + len(title.parts)])
                spans.append(
                    (at, at + len(title.parts), Match(title.entry, title.written, phrase, "title"))
                )
        candidates = self._candidates(words, covered)
        chosen = _choose(candidates)
        modifier_spans = self._modifier_spans(words)
        matches, absorbed = _apply_modifiers(chosen, modifier_spans)
        if not matches and not spans:
            # The words name nothing: an acronym that is the whole title ("DBMS", "FLAT"),
            # or else a course code ("CS 101"), says what the course is.
            matches = self._whole(words) or self._codes(words)
        spans += matches
        for start, end, _ in spans:
            covered.update(range(start, end))
        for start, end, _ in absorbed:
            covered.update(range(start, end))
        for start, end, _ in modifier_spans:
            covered.update(range(start, end))
        leftover = tuple(
            w
            for i, w in enumerate(words)
            if i not in covered and w not in self.ignore and not w.isdigit()
        )
        spans.sort(key=lambda s: s[0])
        return Classification(
            text,
            tuple(m for _, _, m in spans),
            tuple(m for _, _, m in absorbed),
            leftover,
            level,
            corrected,
        )

    def _correct(
        self, words: tuple[str, ...]
    ) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        """Common typing slips ("Scinece", "Diffrential") read as the one known word they
        are a letter away from: words of seven letters or more, one edit (two from ten
        letters), only when exactly one known word is that close, and never a word that is
        a word already ("Multivariable" is not a slip for "multivariate")."""
        out = list(words)
        corrected = []
        for i, word in enumerate(words):
            if len(word) < TYPO_MIN_LETTERS or not word.isalpha() or self._known(word):
                continue
            reach = 2 if len(word) >= 10 else 1
            distances: dict[int, list[str]] = {}
            for size in range(len(word) - reach, len(word) + reach + 1):
                for known in self._vocabulary.get(size, {}).get(word[0], ()):
                    distance = _edits(word, known, reach)
                    if distance <= reach:
                        distances.setdefault(distance, []).append(known)
            nearest = distances[min(distances)] if distances else []
            if len(nearest) == 1 and word not in self.words:
                out[i] = nearest[0]
                corrected.append((word, out[i]))
        return tuple(out), tuple(corrected)

    def _known(self, word: str) -> bool:
        if word in self._vocabulary.get(len(word), {}).get(word[0], ()):
            return True
        return any(
            (p.endswith("*") and word.startswith(p[:-1]))
            or (p.startswith("*") and word.endswith(p[1:]))
            for n in self._wild
            for p in n.parts
        )

    def _codes(self, words: tuple[str, ...]) -> list[tuple[int, int, Match]]:
        """Course codes ("MATH 125", "CS101"): a prefix followed by a number. Used only when
        the title's words name nothing: they say more than the department does."""
        found = []
        for i, word in enumerate(words[:-1]):
            entry = self.codes.get(word)
            if entry is not None and _course_number(words[i + 1]):
                found.append(
                    (i, i + 2, Match(entry, word.upper(), f"{word} {words[i + 1]}", "code"))
                )
        if found and not any(words[i].isalpha() for i in self._uncoded(words, found)):
            # A code and nothing else: only departments whose courses are all of a subject
            # tell it (an "ECE 201" may be circuits or probability).
            found = [f for f in found if self.entries.get(f[2].entry, Entry("", "")).code_alone]
        return found

    @staticmethod
    def _uncoded(words: tuple[str, ...], codes: list[tuple[int, int, Match]]) -> list[int]:
        inside = {i for start, end, _ in codes for i in range(start, end)}
        return [i for i in range(len(words)) if i not in inside]

    def _whole(self, words: tuple[str, ...]) -> list[tuple[int, int, Match]]:
        content = tuple(w for w in words if not w.isdigit() and w not in self.codes)
        entry = self.whole.get(content)
        if entry is None:
            return []
        return [(0, len(words), Match(entry, " ".join(content), " ".join(content), "name"))]

    def _candidates(
        self, words: tuple[str, ...], covered: set[int]
    ) -> list[tuple[int, int, Match]]:
        found: list[tuple[int, int, Match]] = []
        # "MATH 1342 Statistical Methods": the code is a code, not the word "math"
        codes = {
            i for i, w in enumerate(words[:-1]) if w in self.codes and _course_number(words[i + 1])
        }
        for i, word in enumerate(words):
            if i in covered or i in codes:
                continue
            # A wild name whose first part does not match this word cannot match here:
            # tested first, before the slower tests below that would refuse it too.
            wild = [n for n in self._wild if n.matches(word, n.parts[0], self.abbreviations)]
            for name in (*self._by_first.get(word, ()), *wild):
                end = i + len(name.parts)
                if end > len(words) or any(j in covered for j in range(i, end)):
                    continue
                if all(
                    name.matches(words[i + k], part, self.abbreviations)
                    for k, part in enumerate(name.parts)
                ):
                    found.append((i, end, Match(name.entry, name.written, " ".join(words[i:end]))))
        return found

    def _modifier_spans(self, words: tuple[str, ...]) -> list[tuple[int, int, Modifier]]:
        spans = []
        for modifier in self.modifiers:
            start = 0
            while (at := _find(words, modifier.parts, start)) is not None:
                spans.append((at, at + len(modifier.parts), modifier))
                start = at + 1
        return spans


def read_as(text: str, taxonomy: Taxonomy, *, correct: bool = True) -> str:
    """How a text was read, for `--explain`: its matches, what modifiers took away, the
    typing slips read as known words, and what no entry recognised."""
    found = taxonomy.classify(text, correct=correct)
    parts = [m.explain(taxonomy.label(m.entry)) for m in found.matches]
    parts += [f"'{m.name}' not counted (governed by a modifier)" for m in found.absorbed]
    parts += [f"'{typed}' read as '{known}'" for typed, known in found.corrected]
    if found.leftover:
        parts.append(f"not recognised: '{' '.join(found.leftover)}'")
    return f"'{text}': " + ("; ".join(parts) or f"no {taxonomy.kind} entry matched")


def _edits(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b, up to limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _course_number(word: str) -> bool:
    """'101', '2413': a course number has two digits or more ('Maths 2' is a sequence)."""
    return word.isdigit() and len(word) >= 2


def _label(entry_id: str) -> str:
    return entry_id.rsplit(".", 1)[-1].replace("_", " ")


def _pattern(written: str, replacements: Mapping[str, str]) -> tuple[str, ...]:
    """A name's tokens, keeping its `*` markers (normalised like any text otherwise)."""
    parts = []
    for raw in written.split():
        prefix = raw.startswith("*")
        suffix = raw.endswith("*")
        inner = tokens(raw.strip("*"), replacements)
        if not inner:
            continue
        if (prefix or suffix) and len(inner) == 1 and len(inner[0]) >= _MIN_AFFIX:
            parts.append(("*" if prefix else "") + inner[0] + ("*" if suffix else ""))
        else:
            parts.extend(inner)
    return tuple(parts)


def _find(words: Sequence[str], parts: Sequence[str], start: int = 0) -> int | None:
    n = len(parts)
    for i in range(start, len(words) - n + 1):
        if tuple(words[i : i + n]) == tuple(parts):
            return i
    return None


def _weight(match: Match) -> int:
    """A name's length in words, numbers not counted: 'structural analysis' outweighs
    'analysis 2' in 'Structural Analysis II'."""
    return sum(1 for word in match.words.split() if not word.isdigit())


def _choose(candidates: Iterable[tuple[int, int, Match]]) -> list[tuple[int, int, Match]]:
    """The longest matches, the rightmost between equals, never overlapping; every entry
    whose name matches the very same words is kept (a title may really be two subjects)."""
    ordered = sorted(candidates, key=lambda s: (-_weight(s[2]), -(s[1] - s[0]), -s[0]))
    chosen: list[tuple[int, int, Match]] = []
    for start, end, match in ordered:
        same = [c for c in chosen if (c[0], c[1]) == (start, end)]
        if same:
            if all(c[2].entry != match.entry for c in same):
                chosen.append((start, end, match))
            continue
        if all(end <= c[0] or start >= c[1] for c in chosen):
            chosen.append((start, end, match))
    return chosen


def _apply_modifiers(
    chosen: list[tuple[int, int, Match]], modifiers: list[tuple[int, int, Modifier]]
) -> tuple[list[tuple[int, int, Match]], list[tuple[int, int, Match]]]:
    kept = list(chosen)
    absorbed: list[tuple[int, int, Match]] = []
    added: list[tuple[int, int, Match]] = []
    for m_start, m_end, modifier in modifiers:
        # A name that holds the modifier's words is that name ("physical education",
        # "analysis fur"): the modifier acts around it, never on it.
        holders = [
            c for c in kept if c[0] <= m_start and m_end <= c[1] and c[1] - c[0] > m_end - m_start
        ]
        outside = [c for c in kept if c not in holders and not (m_start < c[1] and c[0] < m_end)]
        if modifier.absorbs == "following":
            taken = [c for c in outside if c[0] >= m_end]
        elif modifier.absorbs == "applied_to":
            if not any(c[1] <= m_start for c in outside):
                continue  # "Special Topics in Computer Science" is computer science
            taken = [c for c in outside if c[0] >= m_end]
        elif modifier.absorbs == "preceding":
            taken = [c for c in outside if c[1] <= m_start]
        elif modifier.absorbs == "next":  # only the match right after it: "non-engineering"
            taken = [c for c in outside if c[0] == m_end][:1]
        else:  # previous: only the match right before it: "Mathematics Education"
            taken = [c for c in outside if c[1] == m_start][-1:]
        if modifier.absorbs in ("next", "previous") and not taken:
            continue  # "Computer Ethics": nothing to take, the words keep their own sense
        # the modifier's own words no longer name anything else
        kept = [
            c
            for c in kept
            if c not in taken and (c in holders or not (m_start < c[1] and c[0] < m_end))
        ]
        absorbed += taken
        if modifier.entry is not None and not holders:
            added.append(
                (
                    m_start,
                    m_end,
                    Match(modifier.entry, modifier.written, modifier.written, "modifier"),
                )
            )
    return kept + added, absorbed
