"""Reference data the checks read besides the rules: taxonomies, grade notations, country
names, the TOEFL band concordance. Pure lookups; `catalog.py` builds them from `data/`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from admitcheck.taxonomy import Taxonomy, fold

_SPACES = re.compile(r"[^a-z0-9]+")


_SAINT = re.compile(r"\bst\b")
_LEADING_THE = re.compile(r"^the ")


# Checks look the same few names up for every record (a rule's waiver countries, the
# applicant's citizenship): the key of each is computed once.
@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """'U.S.A.' -> 'usa'; 'The  Bahamas' -> 'bahamas'; 'St Kitts & Nevis' -> 'saint kitts
    and nevis'."""
    folded = fold(text).replace(".", "").replace("&", " and ")
    spaced = _SPACES.sub(" ", folded).strip()
    return _LEADING_THE.sub("", _SAINT.sub("saint", spaced))


@dataclass(frozen=True)
class Countries:
    """Country names matched as countries: 'UK', 'England', 'GB' and 'United Kingdom' are
    one (its ISO 3166 alpha-2 code). Built from ISO names (pycountry) and aliases (data)."""

    codes: Mapping[str, str]  # normalised name -> alpha-2
    names: Mapping[str, str]  # alpha-2 -> the name to show
    # Named groups of countries rules refer to (`bologna`: the European Higher Education
    # Area), each a set of alpha-2 codes.
    groups: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def code(self, text: str | None) -> str | None:
        if not text:
            return None
        return self.codes.get(_key(text))

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def in_group(self, code: str | None, group: str) -> bool:
        return code is not None and code in self.groups.get(group, frozenset())

    @classmethod
    def build(
        cls,
        iso: Iterable[tuple[str, str, str, Iterable[str]]],
        aliases: Mapping[str, str],
        groups: Mapping[str, Iterable[str]] | None = None,
    ) -> Countries:
        """`iso`: (alpha-2, alpha-3, name, other names); `aliases`: text -> alpha-2;
        `groups`: group name -> alpha-2 codes of its members."""
        codes: dict[str, str] = {}
        names: dict[str, str] = {}
        for alpha2, alpha3, name, others in iso:
            names[alpha2] = name
            for text in (alpha2, alpha3, name, *others):
                codes.setdefault(_key(text), alpha2)
        for text, alpha2 in aliases.items():
            codes[_key(text)] = alpha2
        found = {name: frozenset(members) for name, members in (groups or {}).items()}
        return cls(codes, names, found)


@dataclass(frozen=True)
class GradeNotations:
    """Which course grade notations mean the course does not count, or is in progress.

    A notation not in the table counts, with the grade shown: never a guessed failure.
    """

    failing: frozenset[str]
    not_completed: frozenset[str]  # withdrawn, incomplete, absent, audit
    in_progress: frozenset[str]
    passing: frozenset[str]  # known notations that count, so nothing needs saying

    def kind(self, grade: str | None) -> str:
        """'none', 'failing', 'not_completed', 'in_progress', 'passing' or 'unknown'."""
        if grade is None or not grade.strip():
            return "none"
        key = _key(grade) or grade.strip()
        for name, table in (
            ("failing", self.failing),
            ("not_completed", self.not_completed),
            ("in_progress", self.in_progress),
            ("passing", self.passing),
        ):
            if key in table:
                return name
        try:
            value = float(grade.strip().replace(",", "."))
        except ValueError:
            return "unknown"
        return "failing" if value == 0 else "passing"

    @classmethod
    def build(cls, data: Mapping[str, Iterable[str]]) -> GradeNotations:
        def table(name: str) -> frozenset[str]:
            return frozenset(_key(g) or g for g in data.get(name, []))

        return cls(table("failing"), table("not_completed"), table("in_progress"), table("passing"))


@dataclass(frozen=True)
class BandRange:
    band: float
    low: int  # the lowest comparable 0-120 total (or 0-30 section score) of the band
    high: int


@dataclass(frozen=True)
class ToeflBands:
    """ETS's concordance of the 1-6 TOEFL iBT bands to comparable 0-120 totals, and its
    section comparison: the 0-30 section scores each section band is compared with."""

    ranges: tuple[BandRange, ...]  # best band first
    source: str = ""
    # section -> its bands' ranges of 0-30 scores, best band first. ETS's ranges may
    # overlap (writing 5-6 is in bands 1.5 and 2) or leave gaps (speaking 3-4).
    sections: Mapping[str, tuple[BandRange, ...]] = field(default_factory=dict, hash=False)

    def band_of(self, total: float) -> BandRange | None:
        """The band whose range of comparable totals contains `total`."""
        return next((r for r in self.ranges if r.low <= total <= r.high), None)

    def range_of(self, band: float) -> BandRange | None:
        return next((r for r in self.ranges if r.band == band), None)

    def section_range(self, section: str, band: float) -> BandRange | None:
        """The 0-30 scores of `section` that ETS compares with `band`."""
        return next((r for r in self.sections.get(section, ()) if r.band == band), None)

    def section_bands(self, section: str, score: float) -> tuple[BandRange, ...]:
        """The bands whose range of 0-30 `section` scores contains `score` (none, one, or
        two where ETS's ranges overlap)."""
        return tuple(r for r in self.sections.get(section, ()) if r.low <= score <= r.high)

    @classmethod
    def build(
        cls,
        lows: Mapping[float, int],
        source: str = "",
        sections: Mapping[str, Mapping[float, tuple[int, int]]] | None = None,
    ) -> ToeflBands:
        """`lows`: band -> its lowest comparable total; `sections`: section -> band ->
        (lowest, highest) 0-30 score."""
        ordered = sorted(lows.items(), reverse=True)
        ranges = []
        high = 120
        for band, low in ordered:
            ranges.append(BandRange(band, low, high))
            high = low - 1
        by_section = {
            section: tuple(
                BandRange(band, low, high)
                for band, (low, high) in sorted(bands.items(), reverse=True)
            )
            for section, bands in (sections or {}).items()
        }
        return cls(tuple(ranges), source, by_section)


@dataclass(frozen=True)
class Reference:
    """Everything the checks look up that is not a program's rule."""

    fields: Taxonomy
    subjects: Taxonomy
    grades: GradeNotations
    countries: Countries
    toefl_bands: ToeflBands
    validity_years: Mapping[str, int] = field(default_factory=dict)
    validity_sources: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Reference({self.fields!r}, {self.subjects!r})"
