"""What every input document shares: strict validation, and citations of sources."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from admitcheck.cycles import FORMS, check_page_date


class Input(BaseModel):
    """Base of every input document: unknown keys are errors, types are strict."""

    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, frozen=True, defer_build=True
    )


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
