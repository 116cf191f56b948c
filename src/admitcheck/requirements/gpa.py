"""GPA: at or above the minimum, on the program's scale or a scale it states a minimum for."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from pydantic import Field

from admitcheck.models.base import Cited, Input
from admitcheck.models.profile import Profile
from admitcheck.models.report import Check
from admitcheck.requirements.base import Context, Kind, Loc, Requirement
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import num

# Sub-cent differences are float noise (2.9999999 is 3.0 as written in a profile).
_EPSILON = 1e-9


class ScaleMinimum(Input):
    scale: float = Field(gt=0, le=100)
    minimum: float = Field(ge=0)


class GpaRule(Cited):
    minimum: float = Field(ge=0)
    scale: float = Field(default=4.0, gt=0, le=100)
    scale_minimums: list[ScaleMinimum] = Field(default_factory=list)


def _on_scale(minimum: float, scale: float) -> str:
    return f"{num(minimum)} / {num(scale)}"


def gap_text(gap: float) -> str:
    """A shortfall never reads '0.0': 0.001 below is shown as such."""
    return num(gap) if round(gap, 2) else f"{gap:.3g}"


class GpaKind(Kind[GpaRule]):
    key = "gpa"
    category = Category.gpa
    rule_model = GpaRule
    title = "Minimum GPA"

    def requirements(self, rule: GpaRule, at: Loc) -> list[Requirement]:
        text = "; ".join(
            _on_scale(m, s)
            for m, s in [(rule.minimum, rule.scale)]
            + [(p.minimum, p.scale) for p in rule.scale_minimums]
        )
        return [Requirement("gpa", self.title, text, at, rule)]

    def facts(self, profile: Profile, rule: GpaRule) -> Hashable:
        gpa = profile.gpa
        return None if gpa is None else (gpa.value, gpa.scale)

    def check(self, facts: Any, rule: GpaRule, ctx: Context) -> Sequence[Check]:
        minimum, scale = rule.minimum, rule.scale
        if facts is not None and abs(facts[1] - rule.scale) >= _EPSILON:
            for per_scale in rule.scale_minimums:
                if abs(facts[1] - per_scale.scale) < _EPSILON:
                    minimum, scale = per_scale.minimum, per_scale.scale
                    break
        required = _on_scale(minimum, scale)

        def result(
            status: Status, actual: str | None, detail: str, short: str | None = None
        ) -> list[Check]:
            return [Check("gpa", Category.gpa, self.title, status, required, actual, detail, short)]

        if facts is None:
            return result(
                Status.missing,
                None,
                'No GPA given: add gpa (a number on a 4.0 scale, or {"value": ..., "scale": ...}).',
            )
        value, given_scale = facts
        actual = f"{num(value)} / {num(given_scale)}"
        if abs(given_scale - scale) < _EPSILON:
            if value + _EPSILON >= minimum:
                return result(Status.met, actual, "")
            gap = gap_text(minimum - value)
            return result(
                Status.not_met,
                actual,
                f"GPA {num(value)} is {gap} below {num(minimum)}.",
                f"{gap} below {num(minimum)}",
            )
        converted = value / given_scale * rule.scale
        actual += f" (~{num(converted)} / {num(rule.scale)})"
        side = "at or above" if converted + _EPSILON >= rule.minimum else "below"
        return result(
            Status.review,
            actual,
            f"No minimum is stated for a {given_scale:g}-point scale. Converted proportionally "
            f"it is about {num(converted)} / {num(rule.scale)} ({side} "
            f"{num(rule.minimum)}), but conversions are approximate: a person must judge.",
        )

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        rule: GpaRule = value
        found: list[tuple[Loc, str]] = []
        if rule.minimum > rule.scale:
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
        return found


KIND = GpaKind()
