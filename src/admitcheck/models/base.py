"""What every input document shares: strict validation, and citations of sources."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


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


class Cited(Input):
    """A rule that rests on a source: where it is written, the words, when they were read."""

    source: str | None = Field(default=None, description="URL (or title) of the source.")
    quote: str | None = Field(
        default=None, description="The exact words of the source this rule rests on."
    )
    read: date | None = Field(default=None, description="When the source was read.")
