"""Test scores: one model per test, and one table that says what each test is.

`TESTS` is the single home of a test's name, title, scale, step and model: the profile's
`tests` object, the flat CSV columns, the rules validator and the wording of reports all
read it. Validity windows are data (`data/tests.toml`), with their sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from admitcheck.models.base import Input, MonthOrDay, no_items
from admitcheck.wording import join_words

# A field named `date` must not shadow its own type; a test date may be a month only.
Day = MonthOrDay

# TOEFL iBT reports a 1-6 band for tests from this date on (ETS's score scale update).
TOEFL_BAND_SINCE = date(2026, 1, 21)


ToeflBand = Annotated[float, Field(ge=1, le=6, multiple_of=0.5)]


class Toefl(Input):
    total: int | None = Field(default=None, ge=0, le=120)
    band: ToeflBand | None = None
    reading: int | None = Field(default=None, ge=0, le=30)
    listening: int | None = Field(default=None, ge=0, le=30)
    speaking: int | None = Field(default=None, ge=0, le=30)
    writing: int | None = Field(default=None, ge=0, le=30)
    # The 1-6 section bands of a score report from 21 January 2026 on.
    reading_band: ToeflBand | None = None
    listening_band: ToeflBand | None = None
    speaking_band: ToeflBand | None = None
    writing_band: ToeflBand | None = None
    date: Day | None = None

    @model_validator(mode="after")
    def _has_a_score(self) -> Toefl:
        if self.total is None and self.band is None:
            raise ValueError("a TOEFL score needs its 0-120 'total' or its 1-6 'band'")
        sections = (self.reading, self.listening, self.speaking, self.writing)
        if self.total is not None and None not in sections:
            added = sum(s for s in sections if s is not None)
            if added != self.total:
                raise ValueError(
                    f"TOEFL total {self.total} is not the sum of its sections "
                    f"(reading + listening + speaking + writing = {added})"
                )
        banded = [n for n in ("band", *BAND_SECTIONS.values()) if getattr(self, n) is not None]
        if banded and self.date is not None and self.date < TOEFL_BAND_SINCE:
            day, since = self.date.isoformat(), TOEFL_BAND_SINCE.isoformat()
            if banded == ["band"]:
                raise ValueError(
                    f"a TOEFL test of {day} has no 1-6 band: the band is reported for tests "
                    f"from {since}; give its 'total'"
                )
            raise ValueError(
                f"a TOEFL test of {day} has no 1-6 bands "
                f"({join_words([f'{n!r}' for n in banded], 'and')}): bands are reported for "
                f"tests from {since}; give its 'total' and 0-30 sections"
            )
        return self

    def section_band(self, section: str) -> float | None:
        band: float | None = getattr(self, BAND_SECTIONS[section])
        return band


# A TOEFL section's 1-6 band field, by section.
BAND_SECTIONS: dict[str, str] = {
    s: f"{s}_band" for s in ("reading", "listening", "speaking", "writing")
}


IeltsBand = Annotated[float, Field(ge=0, le=9, multiple_of=0.5)]
PteScore = Annotated[int, Field(ge=10, le=90)]


class Ielts(Input):
    overall: IeltsBand
    reading: IeltsBand | None = None
    listening: IeltsBand | None = None
    speaking: IeltsBand | None = None
    writing: IeltsBand | None = None
    date: Day | None = None


class Pte(Input):
    overall: PteScore
    reading: PteScore | None = None
    listening: PteScore | None = None
    speaking: PteScore | None = None
    writing: PteScore | None = None
    date: Day | None = None


class Duolingo(Input):
    overall: int = Field(ge=10, le=160)
    date: Day | None = None


class Cambridge(Input):
    """A Cambridge English qualification, on the Cambridge English Scale (80-230)."""

    overall: int = Field(ge=80, le=230)
    exam: Annotated[str, Field(max_length=60)] | None = None  # "C1 Advanced", "C2 Proficiency"
    date: Day | None = None


class OtherTest(Input):
    """Any other test a profile carries: reported, never counted by a program that does not
    name it."""

    test: Annotated[str, Field(min_length=1, max_length=60)]
    score: Annotated[str, Field(max_length=30)] | None = None
    date: Day | None = None


class Gre(Input):
    verbal: int | None = Field(default=None, ge=130, le=170)
    quant: int | None = Field(default=None, ge=130, le=170)
    writing: float | None = Field(default=None, ge=0, le=6, multiple_of=0.5)
    total: int | None = Field(default=None, ge=260, le=340)
    date: Day | None = None

    @model_validator(mode="after")
    def _sections_agree_with_total(self) -> Gre:
        if self.verbal is None and self.quant is None and self.total is None:
            raise ValueError("a GRE score needs 'verbal' and 'quant', or their combined 'total'")
        if self.total is not None and self.verbal is not None and self.quant is not None:
            if self.verbal + self.quant != self.total:
                raise ValueError(
                    f"GRE total {self.total} does not equal verbal {self.verbal} "
                    f"+ quant {self.quant} = {self.verbal + self.quant}"
                )
        elif self.total is not None:
            known = self.verbal if self.verbal is not None else self.quant
            if known is not None and not 130 <= self.total - known <= 170:
                raise ValueError(
                    f"GRE total {self.total} cannot contain a section of {known}: "
                    "the other section would be outside 130-170"
                )
        return self

    @property
    def combined(self) -> int | None:
        if self.total is not None:
            return self.total
        if self.verbal is not None and self.quant is not None:
            return self.verbal + self.quant
        return None


GMAT_RANGES: dict[str, tuple[int, int]] = {"classic": (200, 800), "focus": (205, 805)}


class Gmat(Input):
    total: int
    edition: Literal["classic", "focus"] | None = None
    date: Day | None = None

    @model_validator(mode="after")
    def _total_fits_edition(self) -> Gmat:
        edition = self.edition or gmat_edition(self.total)
        low, high = GMAT_RANGES[edition]
        if not low <= self.total <= high or self.total % 5:
            raise ValueError(
                f"GMAT total {self.total} is not a valid {edition} score ({low}-{high})"
            )
        return self


def gmat_edition(total: int) -> Literal["classic", "focus"]:
    """Classic totals end in 0, Focus Edition totals end in 5."""
    return "focus" if total % 10 == 5 else "classic"


TestName = Literal["toefl", "ielts", "pte", "duolingo", "cambridge", "gre", "gmat"]
EnglishTestName = Literal["toefl", "ielts", "pte", "duolingo", "cambridge"]
AdmissionTestName = Literal["gre", "gmat"]


@dataclass(frozen=True, slots=True)
class TestSpec:
    """What a test is: its name in profiles and rules, its title, its main score's scale."""

    name: str
    title: str
    purpose: Literal["english", "admission"]
    model: type[BaseModel]
    score: str  # the main score's field: "total", "overall"
    low: float
    high: float
    step: float  # 1 for whole numbers
    section_high: float = 0  # the scale of its sections (0: no sections)

    def shown(self, value: float) -> str:
        """A score as its publisher writes it: 98, 6.5."""
        return str(int(value)) if self.step >= 1 else f"{value:.1f}"


ENGLISH_TESTS: tuple[str, ...] = ("toefl", "ielts", "pte", "duolingo", "cambridge")
SECTIONS: tuple[str, ...] = ("reading", "listening", "speaking", "writing")

TESTS: dict[str, TestSpec] = {
    spec.name: spec
    for spec in (
        TestSpec("toefl", "TOEFL iBT", "english", Toefl, "total", 0, 120, 1, 30),
        TestSpec("ielts", "IELTS", "english", Ielts, "overall", 0, 9, 0.5, 9),
        TestSpec("pte", "PTE Academic", "english", Pte, "overall", 10, 90, 1, 90),
        TestSpec("duolingo", "Duolingo English Test", "english", Duolingo, "overall", 10, 160, 1),
        TestSpec("cambridge", "Cambridge English", "english", Cambridge, "overall", 80, 230, 1),
        TestSpec("gre", "GRE", "admission", Gre, "total", 260, 340, 1),
        TestSpec("gmat", "GMAT", "admission", Gmat, "total", 200, 805, 5),
    )
}


class Tests(Input):
    """The profile's scores, one optional field per test of `TESTS` (a test pins this)."""

    toefl: Toefl | None = None
    ielts: Ielts | None = None
    pte: Pte | None = None
    duolingo: Duolingo | None = None
    cambridge: Cambridge | None = None
    gre: Gre | None = None
    gmat: Gmat | None = None
    other: list[OtherTest] = Field(default_factory=no_items, max_length=20)
