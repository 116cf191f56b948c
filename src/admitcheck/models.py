"""The documents admitcheck reads and writes: the applicant profile, the rules, the report.

Profile and rules are pydantic models (they are validated input). The report is made of
plain dataclasses: they are built once per check on the hot path of `batch`, where a
dataclass costs a fraction of a pydantic model, and orjson serialises them natively.
Their JSON Schema still comes from pydantic (see `schemas.py`).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from admitcheck.vocabulary import Category, Status, Verdict

# --------------------------------------------------------------------------- profile

DegreeLevel = Literal["none", "diploma", "associate", "bachelor", "master", "doctorate"]
DEGREE_RANK: dict[str, int] = {
    "none": 0,
    "diploma": 1,
    "associate": 2,
    "bachelor": 3,
    "master": 4,
    "doctorate": 5,
}
EnglishTestName = Literal["toefl", "ielts", "pte"]
AdmissionTestName = Literal["gre", "gmat"]
TestName = Literal["toefl", "ielts", "pte", "gre", "gmat"]

# TOEFL iBT reports a 1-6 band for tests from this date on (SPEC.md, "english").
TOEFL_BAND_SINCE = date(2026, 1, 21)

_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


def _id_as_text(value: Any) -> Any:
    # Exports often carry numeric ids; they are identifiers, not numbers.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _number_as_gpa(value: Any) -> Any:
    # A bare number is a GPA on the 4.0 scale (spec: "gpa may also be a bare number").
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"value": value}
    if isinstance(value, str):
        raise ValueError(
            'a GPA is a number (on the 4.0 scale) or {"value": ..., "scale": ...}, not text'
        )
    return value


def _title_as_course(value: Any) -> Any:
    return {"title": value} if isinstance(value, str) else value


class _Input(BaseModel):
    """Base of every input document: unknown keys are errors, types are strict."""

    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, frozen=True, defer_build=True
    )


Text = Annotated[str, Field(max_length=500)]
TestDate = date


class Degree(_Input):
    level: DegreeLevel | None = None
    field: Text | None = None
    institution: Text | None = None
    country: Text | None = None
    status: Literal["completed", "in_progress"] | None = None
    graduation: Annotated[str, Field(pattern=_YEAR_MONTH.pattern)] | None = None


class Gpa(_Input):
    value: float = Field(ge=0)
    scale: float = Field(default=4.0, gt=0, le=100)

    @model_validator(mode="after")
    def _value_within_scale(self) -> "Gpa":
        if self.value > self.scale:
            raise ValueError(
                f"GPA {self.value:g} is above its scale {self.scale:g}; give the scale "
                "the GPA is on (for example a 10-point CGPA needs scale 10)"
            )
        return self


class Toefl(_Input):
    total: int | None = Field(default=None, ge=0, le=120)
    band: float | None = Field(default=None, ge=1, le=6, multiple_of=0.5)
    reading: int | None = Field(default=None, ge=0, le=30)
    listening: int | None = Field(default=None, ge=0, le=30)
    speaking: int | None = Field(default=None, ge=0, le=30)
    writing: int | None = Field(default=None, ge=0, le=30)
    date: TestDate | None = None

    @model_validator(mode="after")
    def _has_a_score(self) -> "Toefl":
        if self.total is None and self.band is None:
            raise ValueError("a TOEFL score needs its 0-120 'total' or its 1-6 'band'")
        if self.band is not None and self.date is not None and self.date < TOEFL_BAND_SINCE:
            raise ValueError(
                f"a TOEFL test of {self.date.isoformat()} has no 1-6 band: the band is "
                f"reported for tests from {TOEFL_BAND_SINCE.isoformat()}; give its 'total'"
            )
        return self


class Ielts(_Input):
    overall: float = Field(ge=0, le=9, multiple_of=0.5)
    date: TestDate | None = None


class Pte(_Input):
    overall: int = Field(ge=10, le=90)
    date: TestDate | None = None


class Gre(_Input):
    verbal: int | None = Field(default=None, ge=130, le=170)
    quant: int | None = Field(default=None, ge=130, le=170)
    writing: float | None = Field(default=None, ge=0, le=6, multiple_of=0.5)
    total: int | None = Field(default=None, ge=260, le=340)
    date: TestDate | None = None

    @model_validator(mode="after")
    def _sections_agree_with_total(self) -> "Gre":
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


GMAT_RANGES: dict[str, tuple[int, int]] = {"classic": (200, 800), "focus": (205, 805)}


class Gmat(_Input):
    total: int
    edition: Literal["classic", "focus"] | None = None
    date: TestDate | None = None

    @model_validator(mode="after")
    def _total_fits_edition(self) -> "Gmat":
        edition = self.edition
        if edition is None:
            # Classic totals end in 0, Focus Edition totals end in 5.
            edition = "focus" if self.total % 10 == 5 else "classic"
        low, high = GMAT_RANGES[edition]
        if not low <= self.total <= high or self.total % 5:
            raise ValueError(
                f"GMAT total {self.total} is not a valid {edition} score ({low}-{high})"
            )
        return self


class Tests(_Input):
    toefl: Toefl | None = None
    ielts: Ielts | None = None
    pte: Pte | None = None
    gre: Gre | None = None
    gmat: Gmat | None = None


class Course(_Input):
    title: Annotated[str, Field(min_length=1, max_length=500)]
    subject: Annotated[str, Field(pattern=r"^[a-z][a-z_]*$", max_length=64)] | None = None
    credits: float | None = Field(default=None, ge=0, le=100)
    grade: Annotated[str, Field(max_length=20)] | None = None


class Materials(_Input):
    statement_of_purpose: bool | None = None
    resume: bool | None = None
    transcripts: bool | None = None
    recommendation_letters: int | None = Field(default=None, ge=0, le=50)
    application_fee_paid: bool | None = None
    fee_waiver: bool | None = None
    # Documents a custom program asks for beyond the usual ones, by the rules' key.
    other: dict[Annotated[str, Field(max_length=64)], bool] = Field(default_factory=dict)


class Profile(_Input):
    id: Annotated[str, BeforeValidator(_id_as_text), Field(max_length=200)] | None = None
    name: Text | None = None
    international: bool | None = None
    citizenship: Text | None = None
    degree: Degree | None = None
    gpa: Annotated[Gpa, BeforeValidator(_number_as_gpa)] | None = None
    tests: Tests | None = None
    courses: list[Annotated[Course, BeforeValidator(_title_as_course)]] | None = Field(
        default=None, max_length=500
    )
    materials: Materials | None = None


# --------------------------------------------------------------------------- rules


class _Rule(_Input):
    quote: str | None = Field(
        default=None, description="The sentence of the source this requirement rests on."
    )


class DegreeRule(_Rule):
    min_level: DegreeLevel = "bachelor"
    fields: list[str] = Field(default_factory=list)
    related_fields: list[str] = Field(default_factory=list)
    allow_in_progress: bool = True


class ScaleMinimum(_Input):
    scale: float = Field(gt=0, le=100)
    minimum: float = Field(ge=0)


class GpaRule(_Rule):
    minimum: float = Field(ge=0)
    scale: float = Field(default=4.0, gt=0, le=100)
    scale_minimums: list[ScaleMinimum] = Field(default_factory=list)


class EnglishTestRule(_Input):
    test: EnglishTestName
    minimum: float | None = Field(default=None, ge=0)
    band_minimum: float | None = Field(default=None, ge=1, le=6, multiple_of=0.5)
    section_minimum: int | None = Field(default=None, ge=0, le=30)


class EnglishWaiver(_Input):
    quote: str | None = None
    degree_country: list[str] = Field(default_factory=list)
    citizenship: list[str] = Field(default_factory=list)


class EnglishRule(_Rule):
    applies_to: Literal["international", "everyone"] = "international"
    tests: list[EnglishTestRule] = Field(min_length=1)
    waivers: list[EnglishWaiver] = Field(default_factory=list)


class GreMinimums(_Input):
    total: int | None = Field(default=None, ge=260, le=340)
    verbal: int | None = Field(default=None, ge=130, le=170)
    quant: int | None = Field(default=None, ge=130, le=170)
    writing: float | None = Field(default=None, ge=0, le=6)


class GmatMinimums(_Input):
    total: int | None = Field(default=None, ge=200, le=805)


class TestsRule(_Rule):
    any_of: list[AdmissionTestName] = Field(min_length=1)
    gre: GreMinimums | None = None
    gmat: GmatMinimums | None = None


class CourseworkRule(_Rule):
    subject: Annotated[str, Field(pattern=r"^[a-z][a-z_]*$", max_length=64)]
    title: str | None = None
    keywords: list[str] = Field(default_factory=list)
    min_courses: int = Field(default=1, ge=1)
    min_credits: float | None = Field(default=None, gt=0)


class DocumentRule(_Input):
    key: Annotated[str, Field(pattern=r"^[a-z][a-z_]*$", max_length=64)]
    title: str


class LettersRule(_Input):
    min: int = Field(ge=0, le=50)
    max: int | None = Field(default=None, ge=0, le=50)


class FeeRule(_Input):
    amount: float = Field(ge=0)
    currency: str = "USD"


class MaterialsRule(_Rule):
    documents: list[DocumentRule] = Field(default_factory=list)
    letters: LettersRule | None = None
    fee: FeeRule | None = None


class Caveat(_Input):
    text: str
    source: str


class Validity(_Input):
    years: int = Field(ge=1, le=50)
    source: str


class BandPoint(_Input):
    total: int = Field(ge=0, le=120)
    band: float = Field(ge=1, le=6, multiple_of=0.5)


class BandGuidance(_Input):
    source: str
    comparable: list[BandPoint] = Field(default_factory=list)


class Program(_Input):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=100)]
    name: str
    institution: str | None = None
    version: str | None = None
    term: str | None = None
    source: str = Field(min_length=1)
    as_of: date
    caveats: list[Caveat] = Field(default_factory=list)
    validity: dict[TestName, Validity] = Field(default_factory=dict)
    degree: DegreeRule | None = None
    gpa: GpaRule | None = None
    english: EnglishRule | None = None
    tests: TestsRule | None = None
    coursework: list[CourseworkRule] = Field(default_factory=list)
    materials: MaterialsRule | None = None


class CatalogFile(_Input):
    format: Literal[1] = 1
    validity: dict[TestName, Validity] = Field(default_factory=dict)
    toefl_band_guidance: BandGuidance | None = None
    programs: list[Program] = Field(default_factory=list)


# --------------------------------------------------------------------------- report
# Plain dataclasses on purpose: frozen or slotted ones cost 4x to build, and orjson
# serialises only dict-backed dataclasses on its fast path (measured: bench/README.md).


@dataclass
class Check:
    id: str
    category: Category
    title: str
    status: Status
    required: str
    actual: str | None
    detail: str
    shortfall: str | None = None


@dataclass
class ApplicantRef:
    id: str | None
    name: str | None
    source: str | None


@dataclass
class ProgramRef:
    id: str
    name: str
    institution: str | None
    version: str | None
    as_of: str
    source: str
    rules_hash: str
    caveats: list[str] = field(default_factory=list)


@dataclass
class Report:
    applicant: ApplicantRef
    program: ProgramRef
    evaluated_on: str
    verdict: Verdict
    application_complete: bool
    missing_materials: list[str]
    checks: list[Check]


@dataclass
class ErrorInfo:
    source: str
    line: int | None
    index: int | None
    message: str


@dataclass
class ErrorRecord:
    """Stands in a batch's output for an input record that could not be read."""

    applicant: ApplicantRef
    verdict: Literal["error"]
    error: ErrorInfo
