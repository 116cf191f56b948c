"""English proficiency: any one valid accepted score, for the applicants it applies to.

Scores past their validity window, dated after the evaluation date, or of a test the
program does not accept do not count, and never make the check worse than having no score
(`missing`). A TOEFL band alone is judged through ETS's concordance of bands to 0-120
totals. A waiver written in the rules (usually the institution's: a bachelor's degree
from an English-speaking country) makes the check `waived`; countries are matched as
countries ("UK", "England" and "United Kingdom" are one).

Section minimums (`sections`, `section_minimum`) need the sections: a total, an overall
band or a 1-6 band that meets the overall minimum without them is `missing`, asking for
them (`review` where the figures are `recommended` or `none`; never a reason for anything
under `placement`).

The rule has the forms every rule has (`case_by_case`, `preferred`, `when`: see
`requirements/base.py`). Its own forms (each a key of the rule; docs/rules.md has the
table):

Accepted, no minimum published: a test listed with no figure at all,
`tests = [{ test = "ielts" }]` (add `threshold = "none"` where the page says there is no
minimum). A valid score of it is `review` ("accepted; no minimum published"), never
`missing` and never ignored; a score of another test that meets its minimum still makes
the check `met`. The required text reads "IELTS (accepted; no minimum published)".

TOEFL 1-6 band scale: `band = { minimum = 4.5, sections = { reading = 4, listening = 4,
writing = 4, speaking = 3.5 }, source = ..., quote = ... }` (TOEFL only; `section_minimum`
sets every section; `band_minimum = 4.5` beside `minimum` is the short form of the
overall band alone). The band figures stand beside or instead of the 0-120 ones and
carry their own citation where a page states them apart. A profile gives `reading_band`
... (1-6) or the 0-30 `reading` ... Each section is compared like with like where it can
be (a 0-30 score with a 0-30 minimum first, as a total decides over a band; a band with
a band minimum), else through ETS's section comparison (`data/tests.toml`,
`[toefl_bands] sections`): a 0-30 score meets a band minimum when every band whose range
holds it is at or above the minimum (below the band's lowest score: short; in two
overlapping bands either side of it: `review`); a band meets a 0-30 minimum when its
whole range does (wholly below: short; straddling: `review`). A section on neither scale
is absent (`missing`).

Two levels of one minimum (full, and limited or conditional admission), as GPA writes
them: `{ test = "toefl", minimum = 100, conditional_minimum = 80, conditional_note =
"conditional admission with English courses" }`; for TOEFL `conditional_band_minimum`
lowers `band.minimum` (or `band_minimum`) the same way. Each lower figure lies below the
full one, which must be stated. The main score at or above the full minimum is met;
below it but at or above the lower one `review`, naming the condition (`conditional_note`,
default "conditional admission"); below both short (`not_met`), naming both. Section
minimums apply at both levels. The comparison of the two levels is
`score_outcomes.two_levels`, for any numeric score.

Scope by the degree's country: `applies_to = "international_or_degree_outside"`
(international applicants, and anyone, citizens included, whose degree is from outside
the list) or `"degree_outside"` (by the degree alone), with
`english_degree_countries = ["United States", "Canada", ...]` (matched as countries). A
degree from outside the list brings the requirement whatever the citizenship, and the
detail says so; a domestic applicant with a degree from a listed country is
`not_applicable`. A degree country not given, or not a country, is never
`not_applicable`: a score that meets is `met`, anything else `missing`, asking for
`degree.country`. Waivers apply after the scope.

Waivers with a degree level, a time window or exclusions (keys of a waiver with
`degree_countries`): `degree_levels = ["bachelor", "master"]`; `within_years = 5` (the
degree completed within five years of the evaluation date; `graduation = "2021-06"`
reads as the month's first day, the earliest it can be); `except_institutions =
["Example College"]` (whole words in `degree.institution`, case and accents aside: the
page asks its graduates for proof); `except_regions = ["Québec"]` (a region of the listed
countries, found in `degree.institution` or `degree.country`). A waiver is `waived` only
where the profile shows every condition it states: a level or graduation date not
given, a named institution or region, a degree too old, is not waived; the check goes on
to the scores (`missing` without one) and the detail says why. A degree from a country
with an excluded region, the region not named, is `review` unless a score meets: the
waiver may apply, so neither `waived` nor `not_met`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, model_validator

from admitcheck.models.base import Cited, Input, Threshold
from admitcheck.models.profile import DegreeLevel, Profile
from admitcheck.models.report import Check
from admitcheck.models.scores import (
    ENGLISH_TESTS,
    SECTIONS,
    TESTS,
    EnglishTestName,
    OtherTest,
    TestSpec,
    Toefl,
)
from admitcheck.reference import Reference
from admitcheck.requirements.base import Context, Kind, Loc, Requirement, Rule, residency
from admitcheck.requirements.matching import normalize
from admitcheck.requirements.score_outcomes import (
    COUNTED,
    Outcome,
    ScoreOutcome,
    add_years,
    dated,
    describe_score,
    notes_of,
    settled,
    two_levels,
    undated,
)
from admitcheck.taxonomy import fold
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import join_words, num, plural

SectionName = Literal["reading", "listening", "speaking", "writing"]
BandFigure = Annotated[float, Field(ge=1, le=6, multiple_of=0.5)]


class BandScale(Cited):
    """A TOEFL requirement on the 1-6 band scale of tests from 21 January 2026: the overall
    band and section bands, cited apart where a page states them apart from the 0-120
    figures."""

    minimum: BandFigure | None = Field(default=None, description="The overall band.")
    sections: dict[SectionName, BandFigure] = Field(
        default_factory=dict, description="A band minimum per section (reading, listening, ...)."
    )
    section_minimum: BandFigure | None = Field(
        default=None, description="The same band minimum for every section."
    )


@dataclass(frozen=True)
class ConditionalLevel:
    """The lower level of a two-level minimum: at or above it (and below the full
    minimum) the program admits under a condition, which a person must weigh."""

    minimum: float | None
    band_minimum: float | None
    condition: str


class EnglishTestRule(Cited):
    """One accepted test and its minimums; it may quote its own source where the page
    states that test's figures apart from the others (else the rule's quote covers it)."""

    test: EnglishTestName
    minimum: float | None = Field(default=None, ge=0)
    band_minimum: float | None = Field(default=None, ge=1, le=6, multiple_of=0.5)
    sections: dict[SectionName, float] = Field(
        default_factory=dict, description="A minimum per section (reading, listening, ...)."
    )
    section_minimum: float | None = Field(
        default=None, ge=0, description="The same minimum for every section."
    )
    band: BandScale | None = Field(
        default=None,
        description="TOEFL only: the figures on the 1-6 band scale (tests from 21 January "
        "2026), with their own source where a page states them apart.",
    )
    conditional_minimum: float | None = Field(
        default=None,
        ge=0,
        description="A lower level of `minimum` (conditional or limited admission): between "
        "it and `minimum` is review.",
    )
    conditional_band_minimum: BandFigure | None = Field(
        default=None, description="TOEFL only: the lower level of the overall band minimum."
    )
    conditional_note: Annotated[str, Field(min_length=1, max_length=300)] | None = Field(
        default=None,
        description="What admission between the two levels means, in the source's words "
        "(default 'conditional admission').",
    )
    threshold: Threshold | None = Field(
        default=None, description="What the source means by these numbers (default: the rule's)."
    )

    def section_minimums(self) -> dict[str, float]:
        return self._section_minimums

    def band_section_minimums(self) -> dict[str, float]:
        return self._band_section_minimums

    @cached_property
    def accepted_only(self) -> bool:
        """Accepted with no figure at all: a page names the test but publishes no minimum."""
        return (
            self.minimum is None
            and self.overall_band_minimum is None
            and not self.section_minimums()
            and not self.band_section_minimums()
        )

    @cached_property
    def conditional(self) -> ConditionalLevel | None:
        """The lower level, where the rule gives one."""
        if self.conditional_minimum is None and self.conditional_band_minimum is None:
            return None
        return ConditionalLevel(
            self.conditional_minimum,
            self.conditional_band_minimum,
            self.conditional_note or "conditional admission",
        )

    @property
    def overall_band_minimum(self) -> float | None:
        if self.band is not None and self.band.minimum is not None:
            return self.band.minimum
        return self.band_minimum

    @cached_property
    def _band_section_minimums(self) -> dict[str, float]:
        every: dict[str, float] = {}
        if self.band is None:
            return every
        if self.band.section_minimum is not None:
            every = dict.fromkeys(SECTIONS, self.band.section_minimum)
        for section, minimum in self.band.sections.items():
            every[section] = minimum
        return every

    @cached_property
    def shown_minimum(self) -> str:
        """'TOEFL iBT 90 (each section 20)'."""
        return _minimum_text(self)

    @cached_property
    def _section_minimums(self) -> dict[str, float]:  # read for every score of every record
        every: dict[str, float] = {}
        if self.section_minimum is not None:
            every = dict.fromkeys(SECTIONS, self.section_minimum)
        for section, minimum in self.sections.items():
            every[section] = minimum
        return every


class EnglishWaiver(Cited):
    """Who need not give a score: a degree from one of `degree_countries` (matched as
    countries), of one of `degree_levels` if given, completed within `within_years` if
    given, not from an excluded institution or region, taught in English; or citizens of
    one of `citizenship`."""

    degree_countries: list[str] = Field(default_factory=list)
    degree_levels: list[DegreeLevel] = Field(default_factory=list)
    citizenship: list[str] = Field(default_factory=list)
    conditions: str | None = Field(
        default=None, description="What else the source requires (shown with the waiver)."
    )
    within_years: int | None = Field(
        default=None,
        ge=1,
        le=50,
        description="The degree completed within this many years of the evaluation date.",
    )
    except_regions: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list,
        description="Regions of the listed countries the waiver excludes ('Québec').",
    )
    except_institutions: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list,
        description="Institutions whose graduates must still give proof (whole words).",
    )

    @model_validator(mode="after")
    def _qualifies_a_degree(self) -> EnglishWaiver:
        qualifiers = ("within_years", "except_regions", "except_institutions", "degree_levels")
        given = [k for k in qualifiers if getattr(self, k)]
        if given and not self.degree_countries:
            raise ValueError(
                f"{join_words(given, 'and')} qualify a degree waiver: give degree_countries"
            )
        return self


AppliesTo = Literal[
    "international", "everyone", "degree_outside", "international_or_degree_outside"
]


class EnglishRule(Rule):
    applies_to: AppliesTo = "international"
    english_degree_countries: list[str] = Field(
        default_factory=list,
        description="With applies_to 'degree_outside' or 'international_or_degree_outside': "
        "the countries whose degrees do not bring the requirement (matched as countries).",
    )
    threshold: Threshold = "minimum"
    tests: list[EnglishTestRule] = Field(min_length=1)
    waivers: list[EnglishWaiver] = Field(default_factory=list)


class EnglishInstitutionRule(Input):
    waivers: list[EnglishWaiver] = Field(default_factory=list)


def minimum_text(test: EnglishTestRule) -> str:
    return test.shown_minimum


def _minimum_text(test: EnglishTestRule) -> str:
    spec = TESTS[test.test]
    if test.accepted_only:
        return f"{spec.title} (accepted; no minimum published)"
    text = f"{spec.title} {_figures(spec, test)}".rstrip()
    if test.conditional is not None:
        text += f" (from {_figures(spec, test.conditional)}: {test.conditional.condition})"
    sections = test.section_minimums()
    if sections:
        text += f" ({_each(sections, spec.shown)})"
    bands = test.band_section_minimums()
    if bands:
        text += f" (section bands: {_each(bands, num)})"
    return text


def _figures(spec: TestSpec, level: EnglishTestRule | ConditionalLevel) -> str:
    """'90', 'band 4.5', '90 / band 4.5'."""
    band = level.overall_band_minimum if isinstance(level, EnglishTestRule) else level.band_minimum
    parts = []
    if level.minimum is not None:
        parts.append(spec.shown(level.minimum))
    if band is not None:
        parts.append(f"band {num(band)}")
    return " / ".join(parts)


def _each(minimums: dict[str, float], shown: Callable[[float], str]) -> str:
    """'each section 20', or 'reading 22, listening 22, speaking 18, writing 22'."""
    values = set(minimums.values())
    if len(values) == 1 and len(minimums) == len(SECTIONS):
        return f"each section {shown(values.pop())}"
    return ", ".join(f"{k} {shown(v)}" for k, v in minimums.items())


@dataclass(frozen=True)
class _Prepared:
    required: str
    tests: dict[str, EnglishTestRule]


@dataclass(frozen=True)
class _Facts:
    international: bool | None
    citizenship: str | None
    permanent_resident: bool | None
    degree_country: str | None
    degree_level: str | None
    taught_in_english: bool | None
    scores: tuple[tuple[str, Any], ...]  # (test name, score model), in ENGLISH_TESTS order
    others: tuple[OtherTest, ...]
    degree_institution: str | None = None
    degree_graduation: str | None = None  # "YYYY-MM" or "YYYY-MM-DD"


def _threshold(test: EnglishTestRule, rule: EnglishRule) -> Threshold:
    return test.threshold or rule.threshold


def _judge(
    name: str, score: Any, test: EnglishTestRule, rule: EnglishRule, ctx: Context
) -> ScoreOutcome:
    spec = TESTS[name]
    if isinstance(score, Toefl):
        shown = " / ".join(
            p
            for p in (
                str(score.total) if score.total is not None else "",
                f"band {num(score.band)}" if score.band is not None else "",
            )
            if p
        )
    else:
        shown = spec.shown(score.overall)
    actual, stale, note = dated(name, shown, score.date, ctx)
    if stale is not None:
        return stale
    if test.accepted_only:
        none = _threshold(test, rule) == "none"
        stated = "states that there is none" if none else "publishes none"
        return ScoreOutcome(
            name,
            Outcome.unclear,
            actual,
            f"{spec.title} is accepted; no minimum published: the program {stated}, so a "
            f"person must judge the score. {note}".strip(),
        )
    outcome = _combined(_main_levels(name, score, test, ctx), _sections(name, score, test, ctx))
    if outcome is None:
        return ScoreOutcome(name, Outcome.meets, actual, note)
    kind, words = outcome
    threshold = _threshold(test, rule)
    if kind is Outcome.short:
        if threshold == "placement":
            return ScoreOutcome(
                name,
                Outcome.meets,
                actual,
                f"{words}: below the program's placement threshold, which does not decide "
                f"admission (it decides a placement exam). {note}".strip(),
            )
        if threshold in ("recommended", "none"):
            return ScoreOutcome(
                name,
                Outcome.unclear,
                actual,
                f"{words}: below the program's {_FIGURE[threshold]}, which is not a minimum: a "
                f"person must judge. {note}".strip(),
            )
        return ScoreOutcome(name, Outcome.short, actual, note, words)
    if kind is Outcome.meets:
        return ScoreOutcome(name, Outcome.meets, actual, f"{words} {note}".strip())
    if kind is Outcome.lacking and threshold == "placement":
        # Missing sections matter only to a placement exam, never to admission.
        return ScoreOutcome(
            name,
            Outcome.meets,
            actual,
            f"{words} The program's thresholds decide a placement exam, not admission. {note}",
        )
    if kind is Outcome.lacking and threshold in ("recommended", "none"):
        # Sections not given against figures that are not minimums: a person judges.
        return ScoreOutcome(
            name,
            Outcome.unclear,
            actual,
            f"{words} The program's section figures are {_FIGURE[threshold]}s, not minimums: "
            f"a person must judge. {note}".strip(),
        )
    return ScoreOutcome(name, kind, actual, f"{words} {note}".strip())


# How a figure that is not a minimum is named, by its threshold.
_FIGURE = {"recommended": "recommended score", "none": "stated figure"}


def _combined(
    main: tuple[Outcome, str] | None, sections: tuple[Outcome, str] | None
) -> tuple[Outcome, str] | None:
    """The main score's outcome and the sections' as one: a short main score decides alone;
    otherwise a short section, then an absent one, then an unclear part decides, and the
    main score's words (an equivalence used) come first."""
    if main is not None and main[0] is Outcome.short:
        return main
    if sections is None:
        return main
    if main is None or sections[0] is Outcome.short:
        return sections
    kind = min((main[0], sections[0]), key=_ORDER.index)
    return kind, f"{main[1]} {sections[1]}"


_ORDER = (Outcome.short, Outcome.lacking, Outcome.unclear, Outcome.meets)


def _main_levels(
    name: str, score: Any, test: EnglishTestRule, ctx: Context
) -> tuple[Outcome, str] | None:
    """The main score against its minimum, and against the lower (conditional) minimum
    where the rule gives one and the score falls short of the full one."""
    full = _main_score(name, score, test.minimum, test.overall_band_minimum, ctx)
    lower = test.conditional
    if lower is None or full is None or full[0] is not Outcome.short:
        return full
    at_lower = _main_score(name, score, lower.minimum, lower.band_minimum, ctx)
    return two_levels(full, at_lower, _figures(TESTS[name], lower), lower.condition)


def _main_score(
    name: str, score: Any, minimum: float | None, band_minimum: float | None, ctx: Context
) -> tuple[Outcome, str] | None:
    """The main score against a minimum: None when it meets, else (outcome, words)."""
    spec = TESTS[name]
    if not isinstance(score, Toefl):
        if minimum is None or score.overall >= minimum:
            return None
        gap = spec.shown(minimum - score.overall)
        return Outcome.short, (
            f"{spec.title} {spec.shown(score.overall)} is {gap} below {spec.shown(minimum)}"
        )
    title = spec.title
    bands = ctx.reference.toefl_bands
    if score.total is not None and minimum is not None:
        if score.total >= minimum:
            return None
        return Outcome.short, (
            f"{title} {score.total} is {int(minimum - score.total)} below {int(minimum)}"
        )
    if score.band is not None and band_minimum is not None:
        if score.band >= band_minimum:
            return None
        return Outcome.short, (f"{title} band {num(score.band)} is below band {num(band_minimum)}")
    if score.band is not None and minimum is not None:
        equal = bands.band_of(minimum)
        if equal is None:
            return Outcome.unclear, (
                f"{title} gives only band {num(score.band)}, and no band corresponds to the "
                f"program's {int(minimum)}: a person must judge."
            )
        equivalence = (
            f"ETS's concordance puts a total of {int(minimum)} in band "
            f"{num(equal.band)} ({equal.low}-{equal.high})"
        )
        if score.band >= equal.band:
            return Outcome.meets, f"{equivalence}; band {num(score.band)} is at or above it."
        return Outcome.short, (
            f"{title} band {num(score.band)} is below band {num(equal.band)} ({equivalence})"
        )
    if score.total is not None and band_minimum is not None:
        found = bands.band_of(score.total)
        if found is None:
            return Outcome.unclear, f"{title} {score.total} has no band: a person must judge."
        if found.band >= band_minimum:
            return Outcome.meets, (
                f"ETS's concordance puts a total of {score.total} in band {num(found.band)}."
            )
        return Outcome.short, (
            f"{title} {score.total} is in band {num(found.band)} by ETS's concordance, below "
            f"band {num(band_minimum)}"
        )
    return None


def _sections(
    name: str, score: Any, test: EnglishTestRule, ctx: Context
) -> tuple[Outcome, str] | None:
    minimums = test.section_minimums()
    bands = test.band_section_minimums()
    if not minimums and not bands:
        return None
    spec = TESTS[name]
    low: list[str] = []
    absent: list[str] = []
    unclear: list[str] = []
    notes: list[str] = []
    for section in SECTIONS:
        if section not in minimums and section not in bands:
            continue
        if isinstance(score, Toefl):
            judged = _toefl_section(section, score, minimums.get(section), bands.get(section), ctx)
        else:
            value, minimum = getattr(score, section, None), minimums[section]
            if value is None:
                judged = None
            elif value < minimum:
                judged = (
                    Outcome.short,
                    f"{section} {spec.shown(value)} (needs {spec.shown(minimum)})",
                )
            else:
                judged = Outcome.meets, ""
        if judged is None:
            absent.append(section)
            continue
        kind, words = judged
        {Outcome.short: low, Outcome.unclear: unclear, Outcome.meets: notes}[kind].append(words)
    if low:
        return Outcome.short, f"{spec.title} sections below their minimums: {', '.join(low)}"
    if absent:
        one = len(absent) == 1
        scale = (
            " (0-30 section scores, or for a test from 21 January 2026 its 1-6 section bands)"
            if isinstance(score, Toefl)
            else ""
        )
        return Outcome.lacking, (
            f"The program sets {spec.title} section minimums and {join_words(absent, 'and')} "
            f"{'is' if one else 'are'} not given: add {'it' if one else 'them'} from the score "
            f"report{scale}."
        )
    if unclear:
        return Outcome.unclear, (
            f"ETS's section comparison cannot settle {'; '.join(unclear)}: a person must judge."
        )
    said = [n for n in notes if n]
    return (Outcome.meets, f"ETS's section comparison: {'; '.join(said)}.") if said else None


def _toefl_section(
    section: str, score: Toefl, minimum: float | None, band_minimum: float | None, ctx: Context
) -> tuple[Outcome, str] | None:
    """One TOEFL section against its 0-30 and/or 1-6 band minimum: like with like where the
    profile gives it (a 0-30 score first, as a total decides over a band), else through
    ETS's section comparison. None when the profile gives neither."""
    value, band = getattr(score, section), score.section_band(section)
    bands = ctx.reference.toefl_bands
    if value is not None and minimum is not None:
        if value >= minimum:
            return Outcome.meets, ""
        return Outcome.short, f"{section} {value} (needs {int(minimum)})"
    if band is not None and band_minimum is not None:
        if band >= band_minimum:
            return Outcome.meets, ""
        return Outcome.short, f"{section} band {num(band)} (needs band {num(band_minimum)})"
    if value is not None and band_minimum is not None:
        wanted = bands.section_range(section, band_minimum)
        if wanted is None:
            return Outcome.unclear, f"{section} {value} against band {num(band_minimum)}"
        if value < wanted.low:
            return Outcome.short, (
                f"{section} {value} (needs band {num(band_minimum)}: {wanted.low}-{wanted.high} "
                "by ETS's section comparison)"
            )
        found = bands.section_bands(section, value)
        named = " and ".join(f"band {num(r.band)} ({r.low}-{r.high})" for r in found)
        if all(r.band >= band_minimum for r in found):
            where = f"in {named}" if found else f"above band {num(band_minimum)}'s lowest score"
            return (
                Outcome.meets,
                f"{section} {value} is {where}, at or above band {num(band_minimum)}",
            )
        return Outcome.unclear, (
            f"{section} {value}, which lies in {named}, either side of the band "
            f"{num(band_minimum)} minimum"
        )
    if band is not None and minimum is not None:
        covered = bands.section_range(section, band)
        if covered is None:
            return Outcome.unclear, f"{section} band {num(band)} against {int(minimum)}"
        compared = f"{section} band {num(band)} ({covered.low}-{covered.high})"
        if covered.low >= minimum:
            return Outcome.meets, f"{compared} is at or above {int(minimum)}"
        if covered.high < minimum:
            return Outcome.short, f"{compared} (needs {int(minimum)})"
        return Outcome.unclear, f"{compared}, whose range straddles the minimum {int(minimum)}"
    return None


class EnglishKind(Kind[EnglishRule]):
    key = "english"
    category = Category.english
    applicant_facts = True
    rule_model = EnglishRule
    institution_model = EnglishInstitutionRule
    vocabulary: ClassVar[Mapping[str, str]] = {
        "test": "english_test",
        "degree_countries": "country",
        "citizenship": "country",
    }
    memoise = False  # scores carry dates: facts rarely repeat
    title = "English proficiency"

    def required(self, rule: EnglishRule) -> str:
        outside = f"anyone whose degree is from outside {join_words(rule.english_degree_countries)}"
        who = {
            "international": " (international applicants)",
            "degree_outside": f" ({outside})",
            "international_or_degree_outside": f" (international applicants, and {outside})",
        }.get(rule.applies_to, "")
        kind = {"placement": " (placement, not admission)", "recommended": " (recommended)"}
        return (
            join_words([minimum_text(t) for t in rule.tests]) + kind.get(rule.threshold, "") + who
        )

    def inherit(self, rule: EnglishRule, institution: Any) -> EnglishRule:
        waivers = [*rule.waivers, *institution.waivers]
        return rule.model_copy(update={"waivers": waivers}) if institution.waivers else rule

    def prepare(self, rule: EnglishRule) -> _Prepared:
        return _Prepared(self.required(rule), {t.test: t for t in rule.tests})

    def requirements(
        self, rule: EnglishRule, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        notes = tuple(_waiver_text(w) for w in rule.waivers)
        return [Requirement("english", self.title, self.required(rule), at, rule, notes)]

    def facts(self, profile: Profile, rule: EnglishRule) -> Hashable:
        tests = profile.tests
        degree = profile.degree
        scores: tuple[tuple[str, Any], ...] = ()
        others: tuple[OtherTest, ...] = ()
        if tests is not None:
            scores = tuple(
                (name, score)
                for name in ENGLISH_TESTS
                if (score := getattr(tests, name)) is not None
            )
            others = tuple(tests.other)
        return _Facts(
            profile.international,
            profile.citizenship,
            profile.permanent_resident,
            degree.country if degree else None,
            degree.level if degree else None,
            degree.taught_in_english if degree else None,
            scores,
            others,
            degree.institution if degree else None,
            degree.graduation if degree else None,
        )

    def screen_key(self, profile: Profile, rule: EnglishRule, ctx: Context) -> Hashable:
        """The facts with each score's date reduced to how it stands on the evaluation
        date (`date_class`): only the words naming the date depend on more."""
        as_of = ctx.as_of
        tests = profile.tests
        degree = profile.degree
        scores: tuple[Hashable, ...] = ()
        others: tuple[Hashable, ...] = ()
        if tests is not None:
            scores = tuple(
                (name, undated(score, as_of))
                for name in ENGLISH_TESTS
                if (score := getattr(tests, name)) is not None
            )
            if tests.other:
                others = tuple(undated(other, as_of) for other in tests.other)
        applicant = (profile.international, profile.citizenship, profile.permanent_resident)
        if degree is None:
            return (applicant, scores, others)
        return (
            applicant,
            scores,
            others,
            degree.country,
            degree.level,
            degree.taught_in_english,
            degree.institution,
            degree.graduation,
        )

    def check(self, facts: Any, rule: EnglishRule, ctx: Context) -> Sequence[Check]:
        f: _Facts = facts
        prepared: _Prepared = self.prepared(rule)
        required = prepared.required

        def result(
            status: Status, actual: str | None, detail: str, short: str | None = None
        ) -> list[Check]:
            return [
                Check(
                    "english", Category.english, self.title, status, required, actual, detail, short
                )
            ]

        international, why_domestic = _residency(f, ctx)
        applies, why = _scope(f, rule, international, why_domestic, ctx)
        if applies is False:
            return result(Status.not_applicable, None, why)
        scope = f" {why}" if why else ""
        reading = _waiver(f, rule, ctx)
        if reading.waived is not None:
            return result(Status.waived, None, reading.waived)
        near_miss = reading.hint

        outcomes: list[ScoreOutcome] = []
        for name, score in f.scores:
            test = prepared.tests.get(name)
            if test is None:
                shown = describe_score(name, _score_text(name, score), score.date)
                outcomes.append(
                    ScoreOutcome(
                        name,
                        Outcome.not_accepted,
                        shown,
                        f"{TESTS[name].title} is not accepted by this program.",
                    )
                )
            else:
                outcomes.append(_judge(name, score, test, rule, ctx))
        for other in f.others:
            shown = f"{other.test} {other.score or ''}".strip()
            outcomes.append(
                ScoreOutcome(
                    "other",
                    Outcome.not_accepted,
                    shown,
                    f"{other.test} is not accepted by this program.",
                )
            )
        decided = settled(outcomes)
        if decided is not None:
            status, scores, detail = decided
            if applies is None and status is Status.met:
                scope = ""  # met whether or not the rule applies: nothing to ask
            if reading.unsure is not None and status is not Status.met:
                return result(Status.review, scores, f"{reading.unsure} {detail}{scope}".strip())
            return result(status, scores, f"{detail}{scope}".strip())
        if reading.unsure is not None:
            scores_given = "; ".join(o.actual for o in outcomes) or None
            short = "; ".join(o.shortfall for o in outcomes if o.shortfall)
            fell = f" Scores given fall short: {short}." if short else ""
            aside = notes_of(outcomes, Outcome.expired, Outcome.later, Outcome.not_accepted)
            detail = f"{reading.unsure}{fell} {aside}{scope}".strip()
            return result(Status.review, scores_given, detail, short or None)
        actual = "; ".join(o.actual for o in outcomes) or None
        counted = [o for o in outcomes if o.outcome in COUNTED]
        given = {o.test for o in counted}
        others = [minimum_text(t) for t in rule.tests if t.test not in given]
        alternatives = f" Alternatives: {join_words(others)}." if others else ""
        aside = notes_of(outcomes, Outcome.expired, Outcome.later, Outcome.not_accepted)
        aside = f" {aside}" if aside else ""
        shortfall = "; ".join(o.shortfall for o in counted if o.shortfall) or None
        if counted and applies is None:
            return result(
                Status.missing,
                actual,
                f"{why} Scores given fall short: {shortfall}.{aside}",
                shortfall,
            )
        if counted:
            return result(
                Status.not_met,
                actual,
                f"No score meets the minimum: {shortfall}.{aside}{alternatives}",
                shortfall,
            )
        ask = "No valid English test score" if outcomes else "No English test score given"
        return result(
            Status.missing,
            actual,
            f"{ask}: add one of {join_words([minimum_text(t) for t in rule.tests])}.{aside}"
            f"{near_miss}{scope}",
        )

    def explain(self, facts: Any, rule: EnglishRule, ctx: Context) -> dict[str, list[str]]:
        f: _Facts = facts
        lines = []
        countries = ctx.reference.countries
        for label, text in (("citizenship", f.citizenship), ("degree country", f.degree_country)):
            if text:
                code = countries.code(text)
                lines.append(
                    f"{label} '{text}' -> {countries.name(code)} ({code})"
                    if code
                    else f"{label} '{text}': not a country admitcheck recognises"
                )
        _, why = _residency(f, ctx)
        if why:
            lines.append(why)
        return {"english": lines} if lines else {}

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        rule: EnglishRule = value
        found: list[tuple[Loc, str]] = []
        seen: set[str] = set()
        by_degree = rule.applies_to in ("degree_outside", "international_or_degree_outside")
        if by_degree and not rule.english_degree_countries:
            found.append(
                (
                    ("english_degree_countries",),
                    f"applies_to '{rule.applies_to}' needs english_degree_countries: the "
                    "countries whose degrees do not bring the requirement",
                )
            )
        if rule.english_degree_countries and not by_degree:
            found.append(
                (
                    ("english_degree_countries",),
                    "english_degree_countries is read only with applies_to 'degree_outside' or "
                    "'international_or_degree_outside'",
                )
            )
        for j, test in enumerate(rule.tests):
            where: Loc = ("tests", j)
            spec = TESTS[test.test]
            if test.test in seen:
                found.append(((*where, "test"), f"test '{test.test}' is listed twice"))
            seen.add(test.test)
            found.extend(_scale_problems(test.test, test.minimum, (*where, "minimum")))
            if test.conditional is not None:
                found.extend(_level_problems(test, test.conditional, where))
            elif test.conditional_note is not None:
                found.append(
                    (
                        (*where, "conditional_note"),
                        "conditional_note describes a lower level: give conditional_minimum",
                    )
                )
            if test.test != "toefl":
                for key in ("band_minimum", "band"):
                    if getattr(test, key) is not None:
                        found.append(((*where, key), f"{key} applies to toefl only"))
            if test.band is not None:
                if test.band.minimum is not None and test.band_minimum is not None:
                    found.append(
                        ((*where, "band_minimum"), "give the overall band once: band.minimum")
                    )
                if test.band.minimum is None and not test.band_section_minimums():
                    found.append(((*where, "band"), "give band.minimum or section band minimums"))
            sections = test.section_minimums()
            if sections and not spec.section_high:
                found.append((where, f"{test.test} has no section scores in a profile"))
            for section, minimum in sections.items():
                if spec.section_high and not 0 <= minimum <= spec.section_high:
                    found.append(
                        (
                            (*where, "sections", section),
                            f"{section} minimum {minimum:g} is outside {test.test}'s section "
                            f"scale 0-{spec.section_high:g}",
                        )
                    )
        return found


def _scale_problems(name: str, minimum: float | None, at: Loc) -> list[tuple[Loc, str]]:
    spec = TESTS[name]
    if minimum is None:
        return []
    if not spec.low <= minimum <= spec.high:
        return [
            (
                at,
                f"{name} minimum {minimum:g} is outside the test's scale "
                f"{spec.low:g}-{spec.high:g}",
            )
        ]
    if (minimum / spec.step) % 1:
        return [(at, f"{name} minimum {minimum:g} is not on the test's steps of {spec.step:g}")]
    return []


def _level_problems(
    test: EnglishTestRule, lower: ConditionalLevel, at: Loc
) -> list[tuple[Loc, str]]:
    """A lower level must lower a figure the full level states."""
    found = _scale_problems(test.test, lower.minimum, (*at, "conditional_minimum"))
    if lower.band_minimum is not None and test.test != "toefl":
        found.append(
            ((*at, "conditional_band_minimum"), "conditional_band_minimum applies to toefl only")
        )
    for key, full_key, full, low in (
        ("conditional_minimum", "minimum", test.minimum, lower.minimum),
        ("conditional_band_minimum", "band minimum", test.overall_band_minimum, lower.band_minimum),
    ):
        if low is None:
            continue
        if full is None:
            found.append(((*at, key), f"{key} needs the full level's {full_key} beside it"))
        elif low >= full:
            found.append(((*at, key), f"{key} {low:g} must be below the {full_key} {full:g}"))
    return found


def _score_text(name: str, score: Any) -> str:
    if isinstance(score, Toefl):
        return str(score.total) if score.total is not None else f"band {num(score.band or 0)}"
    return TESTS[name].shown(score.overall)


def _residency(f: _Facts, ctx: Context) -> tuple[bool | None, str]:
    """Whether the applicant is international, and why when it is inferred."""
    return residency(f.international, f.citizenship, f.permanent_resident, ctx)


def _scope(
    f: _Facts, rule: EnglishRule, international: bool | None, why_domestic: str, ctx: Context
) -> tuple[bool | None, str]:
    """Whether the rule applies to this applicant (None: the profile cannot say), and in
    words why, or what to give when it cannot say."""
    if rule.applies_to == "everyone":
        return True, ""
    if rule.applies_to == "international":
        if international is False:
            detail = "Domestic applicant: no English test is required."
            return False, f"{detail} {why_domestic}".strip()
        if international is None:
            return None, (
                "The profile does not say whether the applicant is international: set "
                "international (true or false)."
            )
        return True, ""
    countries = ctx.reference.countries
    listed = join_words(rule.english_degree_countries)
    place = countries.code(f.degree_country)
    inside = place is not None and place in {
        countries.code(c) for c in rule.english_degree_countries
    }
    by_degree = rule.applies_to == "degree_outside"
    if place is not None and not inside:
        where = countries.name(place)
        if by_degree or international is not True:
            return True, (
                f"The degree is from {where}, outside {listed}: the program asks English "
                "scores of such applicants whatever their citizenship."
            )
        return True, ""
    if international is True and not by_degree:
        return True, ""
    if inside:
        if by_degree or international is False:
            where = countries.name(place or "")
            start = "A degree" if by_degree else "Domestic applicant with a degree"
            return (
                False,
                f"{start} from {where}: no English test is required. {why_domestic}".strip(),
            )
        return None, (
            "The profile does not say whether the applicant is international: set "
            "international (true or false)."
        )
    # The degree's country is not given, or not recognised.
    if f.degree_country:
        country = (
            f"degree.country '{f.degree_country}' is not a country admitcheck recognises: "
            "write the country's name"
        )
    else:
        country = "give degree.country"
    either = " (or set international)" if not by_degree and international is None else ""
    return None, (
        f"The program asks English scores of anyone whose degree is from outside {listed}: "
        f"{country}{either}."
    )


def _waiver_text(waiver: EnglishWaiver) -> str:
    parts = []
    if waiver.degree_countries:
        levels = (
            join_words(
                [f"{lv}'s" if lv in ("bachelor", "master") else lv for lv in waiver.degree_levels]
            )
            or "a"
        )
        degree = f"{levels} degree" if waiver.degree_levels else "a degree"
        text = f"{degree} from {join_words(waiver.degree_countries)}"
        if waiver.except_regions:
            text += f" except {join_words(waiver.except_regions)}"
        if waiver.within_years:
            text += f", completed within {plural(waiver.within_years, 'year')}"
        if waiver.except_institutions:
            text += f" (not {join_words(waiver.except_institutions)})"
        parts.append(text)
    if waiver.citizenship:
        parts.append(f"citizens of {join_words(waiver.citizenship)}")
    text = "waived for " + join_words(parts)
    return text + (f" ({waiver.conditions})" if waiver.conditions else "")


@dataclass(frozen=True)
class _WaiverReading:
    """What the rules' waivers make of this applicant."""

    waived: str | None = None  # the note of a waiver that applies
    unsure: str | None = None  # a waiver may apply: a person must confirm (never waived)
    hint: str = ""  # why a waiver that nearly applies does not


def _waiver(f: _Facts, rule: EnglishRule, ctx: Context) -> _WaiverReading:
    """A waiver applies only where a rule grants it to this applicant: every condition it
    states is shown by the profile."""
    countries = ctx.reference.countries
    citizen = countries.code(f.citizenship)
    place = countries.code(f.degree_country)
    hint = ""
    unsure: str | None = None
    for waiver in rule.waivers:
        if citizen and citizen in {countries.code(c) for c in waiver.citizenship}:
            return _WaiverReading(f"Waived for citizens of {countries.name(citizen)}.")
        if not place or place not in {countries.code(c) for c in waiver.degree_countries}:
            continue
        where = countries.name(place)
        if f.taught_in_english is False:
            hint = f" A degree from {where} waives it only when taught in English."
            continue
        if waiver.degree_levels and f.degree_level not in waiver.degree_levels:
            levels = join_words(list(waiver.degree_levels))
            if f.degree_level is None:
                hint = f" A {levels} degree from {where} would waive it: give degree.level."
            else:
                hint = (
                    f" A {levels} degree from {where} would waive it; a {f.degree_level} alone "
                    "does not, unless the bachelor's was completed there too."
                )
            continue
        institution = f.degree_institution or ""
        barred = _named(waiver.except_institutions, institution)
        if barred:
            hint = (
                f" A degree from {where} waives it, but not from {barred}: the program asks "
                "its graduates for proof of English."
            )
            continue
        region = _named(waiver.except_regions, f"{institution} {f.degree_country or ''}")
        if region:
            hint = f" A degree from {where} waives it, but not one from {region}."
            continue
        if waiver.within_years:
            recent = _within(f.degree_graduation, waiver.within_years, ctx)
            if recent is None:
                hint = (
                    f" A degree from {where} completed within "
                    f"{plural(waiver.within_years, 'year')} waives it: give degree.graduation "
                    "(YYYY-MM)."
                )
                continue
            if not recent:
                hint = (
                    f" A degree from {where} waives it only when completed within "
                    f"{plural(waiver.within_years, 'year')} of {ctx.as_of.isoformat()}; this "
                    f"one was completed in {f.degree_graduation}."
                )
                continue
        conditions = f" ({waiver.conditions})" if waiver.conditions else ""
        if waiver.except_regions:
            unsure = unsure or (
                f"A degree from {where} waives English{conditions}, except one from "
                f"{join_words(waiver.except_regions)}: the profile does not show where in "
                f"{where} the degree was earned, so a person must confirm the waiver."
            )
            continue
        return _WaiverReading(f"Waived: a degree from {where}{conditions}.")
    return _WaiverReading(None, unsure, hint)


def _named(names: Sequence[str], text: str) -> str | None:
    """The first of `names` (as the rule writes it) found in `text` as whole words, case
    and accents aside: 'Québec' is found in 'Universite Laval, Quebec'."""
    if not names or not text:
        return None
    words = normalize(fold(text))
    return next((n for n in names if normalize(fold(n)) in words), None)


def _within(graduation: str | None, years: int, ctx: Context) -> bool | None:
    """Whether a degree completed on `graduation` ('YYYY-MM' reads as the month's first
    day, the earliest it can be) falls within `years` of the evaluation date."""
    if not graduation:
        return None
    year, month, *day = (int(part) for part in graduation.split("-"))
    completed = date(year, month, day[0] if day else 1)
    return ctx.as_of <= add_years(completed, years)


KIND = EnglishKind()
