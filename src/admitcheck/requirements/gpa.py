"""GPA: at or above the minimum, on the program's scale or a scale it states a minimum for.

A GPA on any other scale is for a person to judge. A proportional conversion is shown only
for scales that run upward from zero (`proportional_scales`), always marked approximate,
and never turned into a claim that the GPA is "below" anything; percentages and inverted
scales (German 1.0 best, 5.0 worst) are never converted.

Two levels of one minimum (full and conditional admission)
    `conditional_minimum` (below `minimum`; on the same scale) with `conditional_note`
    (what the band between them means, in the source's words: "limited status admission,
    with the program's support"). At or above `minimum`: `met`. At or above
    `conditional_minimum` but below `minimum`: `review`, the detail naming both levels and
    the condition. Below `conditional_minimum`: `not_met`, the shortfall measured from it.
    A minimum for another scale may carry its own (`scale_minimums = [{ scale = 10,
    minimum = 7.5, conditional_minimum = 7.0 }]`; on an inverted scale the conditional
    level is the worse grade). Only with `threshold = "minimum"`: a recommended or
    placement figure has no second level.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

from pydantic import Field

from admitcheck.models.base import Input, Threshold
from admitcheck.models.profile import Profile
from admitcheck.models.report import Check
from admitcheck.reference import Reference
from admitcheck.requirements.base import Context, Kind, Loc, Requirement, Rule
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import num

# How `actual` shows a proportional conversion, "8.4 / 10 (~3.36 / 4)"; read back as a
# number by `Check.converted`.
CONVERTED_MARK = "(~"


# Sub-cent differences are float noise (2.9999999 is 3.0 as written in a profile).
_EPSILON = 1e-9


class ScaleMinimum(Input):
    scale: float = Field(gt=0, le=100)
    minimum: float = Field(ge=0)
    conditional_minimum: float | None = Field(
        default=None, ge=0, description="The lower level, for conditional admission."
    )
    best: float | None = Field(
        default=None, ge=0, description="The scale's best end when it is not the top (German 1)."
    )


class GpaRule(Rule):
    minimum: float | None = Field(
        default=None, ge=0, description='Required unless threshold = "none".'
    )
    scale: float = Field(default=4.0, gt=0, le=100)
    scale_minimums: list[ScaleMinimum] = Field(default_factory=list)
    threshold: Threshold = "minimum"
    conditional_minimum: float | None = Field(
        default=None,
        ge=0,
        description="A lower level on `scale` (conditional or limited admission): between it "
        "and `minimum` is review.",
    )
    conditional_note: str | None = Field(
        default=None, description="What admission between the two levels means (shown)."
    )
    basis: Literal["overall", "last_two_years"] = "overall"
    # Scales that run upward from zero, where a proportional conversion means something.
    proportional_scales: list[float] = Field(default_factory=lambda: [4.3, 4.33, 4.5, 5.0, 10.0])


def _on_scale(minimum: float, scale: float, best: float | None = None) -> str:
    if best is not None and best < scale:
        return f"{num(minimum)} or better on {num(best)}-{num(scale)} ({num(best)} best)"
    return f"{num(minimum)} / {num(scale)}"


def _condition(rule: GpaRule) -> str:
    return rule.conditional_note or "conditional admission"


def _levels(
    minimum: float, conditional: float | None, scale: float, best: float | None, rule: GpaRule
) -> str:
    """'3.0 / 4.0 (2.75 for conditional admission)'."""
    text = _on_scale(minimum, scale, best)
    if conditional is not None:
        text += f" ({num(conditional)} for {_condition(rule)})"
    return text


def gap_text(gap: float) -> str:
    """A shortfall never reads '0.0': 0.001 below is shown as such."""
    return num(gap) if round(gap, 2) else f"{gap:.3g}"


def _same(a: float, b: float) -> bool:
    return abs(a - b) < _EPSILON


class GpaKind(Kind[GpaRule]):
    key = "gpa"
    category = Category.gpa
    applicant_facts = True
    rule_model = GpaRule
    title = "Minimum GPA"

    def requirements(
        self, rule: GpaRule, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        if rule.threshold == "none":
            text = "no minimum stated"
        else:
            text = "; ".join(
                [_levels(rule.minimum or 0, rule.conditional_minimum, rule.scale, None, rule)]
                + [
                    _levels(p.minimum, p.conditional_minimum, p.scale, p.best, rule)
                    for p in rule.scale_minimums
                ]
            )
            if rule.threshold == "recommended":
                text += " (recommended, not a minimum)"
        if rule.basis == "last_two_years":
            text += ", over the last two years of study"
        return [Requirement("gpa", self.title, text, at, rule)]

    def facts(self, profile: Profile, rule: GpaRule) -> Hashable:
        gpa = profile.gpa
        if gpa is None:
            return None
        return (gpa.value, gpa.scale, gpa.best, gpa.last_two_years)

    def check(self, facts: Any, rule: GpaRule, ctx: Context) -> Sequence[Check]:
        def result(
            status: Status, actual: str | None, detail: str, short: str | None = None, req: str = ""
        ) -> list[Check]:
            required = req or (
                "no minimum stated"
                if rule.minimum is None
                else _levels(rule.minimum, rule.conditional_minimum, rule.scale, None, rule)
            )
            return [Check("gpa", Category.gpa, self.title, status, required, actual, detail, short)]

        if facts is None:
            if rule.threshold == "none":
                return result(Status.not_applicable, None, "The program states no minimum GPA.")
            return result(
                Status.missing,
                None,
                'No GPA given: add gpa (a number on a 4.0 scale, or {"value": ..., "scale": ...}).',
            )
        overall, scale, best, last_two = facts
        inverted = best is not None and best < scale
        actual = f"{num(overall)} / {num(scale)}" + (f" ({num(best)} best)" if inverted else "")
        value = overall
        if rule.basis == "last_two_years":
            if last_two is None:
                return result(
                    Status.missing,
                    actual,
                    "The program reads the GPA of the last two years of study: add "
                    "gpa.last_two_years (on the same scale).",
                )
            value = last_two
            actual = f"{num(last_two)} / {num(scale)} over the last two years"
        if rule.threshold == "none":
            return result(
                Status.met, actual, "The program states no minimum GPA.", req="no minimum stated"
            )

        minimum, conditional, on, on_best = self._minimum_for(rule, scale, best)
        if minimum is not None:
            required = _levels(minimum, conditional, on, on_best, rule)

            def reaches(level: float) -> bool:
                return bool(value <= level + _EPSILON if inverted else value + _EPSILON >= level)

            if reaches(minimum):
                return result(Status.met, actual, "", req=required)
            side = "worse than" if inverted else "below"
            if conditional is not None and rule.threshold == "minimum":
                if reaches(conditional):
                    return result(
                        Status.review,
                        actual,
                        f"GPA {num(value)} is {side} the {num(minimum)} for full admission but "
                        f"reaches the {num(conditional)} for {_condition(rule)}: a person must "
                        "judge whether that admission applies.",
                        req=required,
                    )
                gap = gap_text(abs(value - conditional))
                return result(
                    Status.not_met,
                    actual,
                    f"GPA {num(value)} is {gap} {side} {num(conditional)}, the lower of the "
                    f"program's two levels ({num(minimum)} for full admission, "
                    f"{num(conditional)} for {_condition(rule)}).",
                    f"{gap} {side} {num(conditional)}",
                    req=required,
                )
            gap = gap_text(abs(value - minimum))
            if rule.threshold == "recommended":
                return result(
                    Status.review,
                    actual,
                    f"GPA {num(value)} is {gap} {side} the recommended {num(minimum)}; the "
                    "program states it as a recommendation, not a minimum: a person must judge.",
                    req=required,
                )
            if rule.threshold == "placement":
                return result(
                    Status.met,
                    actual,
                    f"Below the {num(minimum)} the program states "
                    "for placement, which does not decide admission.",
                    req=required,
                )
            return result(
                Status.not_met,
                actual,
                f"GPA {num(value)} is {gap} {side} {num(minimum)}.",
                f"{gap} {side} {num(minimum)}",
                req=required,
            )
        if inverted:
            return result(
                Status.review,
                actual,
                f"On this scale {num(best or 0)} is best. No minimum is stated for it, and a "
                "grade on an inverted scale is never converted: a person must judge.",
            )
        if _same(scale, 100):
            return result(
                Status.review,
                actual,
                "No minimum is stated for a percentage, and percentages are not converted "
                "to a GPA: a person must judge.",
            )
        if any(_same(scale, s) for s in rule.proportional_scales):
            converted = value / scale * rule.scale
            actual += f" {CONVERTED_MARK}{num(converted)} / {num(rule.scale)})"
            return result(
                Status.review,
                actual,
                f"No minimum is stated for a {scale:g}-point scale. Converted proportionally it "
                f"would be about {num(converted)} / {num(rule.scale)}, but conversions between "
                "grading systems are approximate: a person must judge.",
            )
        return result(
            Status.review,
            actual,
            f"No minimum is stated for a {scale:g}-point scale, and it is not converted: a "
            "person must judge.",
        )

    @staticmethod
    def _minimum_for(
        rule: GpaRule, scale: float, best: float | None
    ) -> tuple[float | None, float | None, float, float | None]:
        """(minimum, conditional minimum, scale, best end) the rule states for a scale."""
        inverted = best is not None and best < scale
        if not inverted and _same(scale, rule.scale):
            return rule.minimum, rule.conditional_minimum, rule.scale, None
        for per_scale in rule.scale_minimums:
            same_best = (per_scale.best is None and not inverted) or (
                per_scale.best is not None and best is not None and _same(per_scale.best, best)
            )
            if _same(per_scale.scale, scale) and same_best:
                return (
                    per_scale.minimum,
                    per_scale.conditional_minimum,
                    per_scale.scale,
                    per_scale.best,
                )
        return None, None, scale, None

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        rule: GpaRule = value
        found: list[tuple[Loc, str]] = []
        if rule.minimum is None:
            if rule.threshold != "none":
                found.append((("minimum",), 'a minimum is required unless threshold = "none"'))
        elif rule.minimum > rule.scale:
            found.append(
                (("minimum",), f"minimum {rule.minimum:g} is above the scale {rule.scale:g}")
            )
        for j, per_scale in enumerate(rule.scale_minimums):
            if per_scale.minimum > per_scale.scale:
                found.append(
                    (
                        ("scale_minimums", j, "minimum"),
                        f"minimum {per_scale.minimum:g} is above the scale {per_scale.scale:g}",
                    )
                )
            found += [
                (("scale_minimums", j, *loc), message)
                for loc, message in _conditional_problems(
                    per_scale.minimum,
                    per_scale.conditional_minimum,
                    per_scale.scale,
                    per_scale.best,
                    rule,
                )
            ]
        if rule.minimum is not None:
            found += _conditional_problems(
                rule.minimum, rule.conditional_minimum, rule.scale, None, rule
            )
        elif rule.conditional_minimum is not None:
            found.append((("conditional_minimum",), "a conditional_minimum needs a minimum"))
        if rule.conditional_note is not None and not (
            rule.conditional_minimum is not None
            or any(p.conditional_minimum is not None for p in rule.scale_minimums)
        ):
            found.append((("conditional_note",), "a conditional_note needs a conditional_minimum"))
        return found


def _conditional_problems(
    minimum: float, conditional: float | None, scale: float, best: float | None, rule: GpaRule
) -> list[tuple[Loc, str]]:
    """A conditional level lies on the scale, on the worse side of the minimum, and only
    beside a hard minimum."""
    if conditional is None:
        return []
    at: Loc = ("conditional_minimum",)
    if rule.threshold != "minimum":
        return [(at, f'a conditional_minimum needs threshold = "minimum", not "{rule.threshold}"')]
    low, high = (best, scale) if best is not None and best < scale else (0.0, scale)
    if not low <= conditional <= high:
        return [(at, f"conditional_minimum {conditional:g} is off the scale {low:g}-{high:g}")]
    inverted = best is not None and best < scale
    worse = conditional > minimum if inverted else conditional < minimum
    if not worse:
        side = "worse than" if inverted else "below"
        return [(at, f"conditional_minimum {conditional:g} must be {side} minimum {minimum:g}")]
    return []


KIND = GpaKind()
