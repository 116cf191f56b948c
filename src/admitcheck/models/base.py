"""What every input document shares: strict validation, and citations of sources."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from admitcheck.cycles import FORMS, check_page_date


class Input(BaseModel):
    """Base of every input document: unknown keys are errors, types are strict."""

    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, frozen=True, defer_build=True
    )


def no_items() -> list[Any]:
    """[] as a `default_factory`: pydantic reads a factory's signature, and reading a
    builtin's (`list`, `dict`) costs a profile's first validation ~4 ms."""
    return []


def no_entries() -> dict[Any, Any]:
    """{} as a `default_factory` (see `no_items`)."""
    return {}


Text = Annotated[str, Field(max_length=500)]
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


# What a source means by a number (SPEC "Institutions and sources"): a hard `minimum`; a
# `placement` threshold (for something else, such as an English placement exam: never a
# reason for not_met); a `recommended` or competitive figure (review below it, never
# not_met); `none` where the source says there is no minimum.
Threshold = Literal["minimum", "placement", "recommended", "none"]
# Whether a test is asked for: optional or not required tests are reported when given,
# and not_applicable when not.
Policy = Literal["required", "optional", "recommended", "not_required"]


# The date or admission cycle a page itself shows (cycles.py): what its age is measured from.
PageDate = Annotated[
    str,
    Field(max_length=40, description=f"The page's own date or cycle: {FORMS}."),
    AfterValidator(check_page_date),
]


class Disputed(Input):
    """Another page that reads the same rule differently, neither known to be newer (SPEC v3:
    an applicant who falls short only under the stricter reading is `review`, naming both).

    Beside its citation it holds the keys of the rule that the other page reads otherwise
    (`policy = "optional"` under `[programs.tests]`); they are checked against the rule's
    own schema when the catalogue is loaded.
    """

    model_config = ConfigDict(extra="allow")

    source: str = Field(description="URL (or title) of the other page.")
    quote: str = Field(description="The other page's exact words.")
    page_date: PageDate | None = None
    read: date | None = None

    def reading(self) -> dict[str, Any]:
        """The rule's keys as the other page reads them."""
        return dict(self.model_extra or {})


class Cited(Input):
    """A rule that rests on a source: where it is written, the words, when they were read,
    and the date or cycle the page itself shows."""

    source: str | None = Field(default=None, description="URL (or title) of the source.")
    quote: str | None = Field(
        default=None, description="The exact words of the source this rule rests on."
    )
    read: date | None = Field(default=None, description="When the source was read.")
    page_date: PageDate | None = None
    disputed: Disputed | None = Field(
        default=None,
        description="Another page reading this rule differently, neither known to be newer.",
    )


class MonthDate(date):
    """A date known to its month only ("2025-03", as many documents give a test date):
    held as the month's first day, the earliest it could be, and shown as the month."""

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __reduce__(self) -> tuple[Any, ...]:
        return (MonthDate, (self.year, self.month, 1))


_MONTH = re.compile(r"\d{4}-\d{2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _month_or_day(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        try:
            if _MONTH.fullmatch(text):
                return MonthDate(int(text[:4]), int(text[5:]), 1)
            if _DAY.fullmatch(text):
                return date.fromisoformat(text)
        except ValueError:
            return value  # the schema's own message: a date like 2025-06-14
    return value


# A date that may be given to its month only: "2025-03-14" or "2025-03".
MonthOrDay = Annotated[
    date,
    BeforeValidator(_month_or_day),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
            "description": "A date, YYYY-MM-DD, or YYYY-MM where only the month is known "
            "(counted from the month's first day).",
        }
    ),
]
