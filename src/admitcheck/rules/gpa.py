"""GPA: at or above the minimum, on the program's scale or a scale it maps."""

from __future__ import annotations

from collections.abc import Hashable

from admitcheck.models import Check, Gpa, GpaRule
from admitcheck.rules.common import memo_by_facts, num
from admitcheck.vocabulary import Category, Status

TITLE = "Minimum GPA"

# Sub-cent differences are float noise (2.9999999 is 3.0 as written in a profile).
_EPSILON = 1e-9


def _gpa_facts(gpa: Gpa | None) -> Hashable:
    return None if gpa is None else (gpa.value, gpa.scale)


@memo_by_facts(_gpa_facts)
def check_gpa(gpa: Gpa | None, rule: GpaRule) -> Check:
    required = f"{num(rule.minimum)} / {num(rule.scale)}"

    def result(status: Status, actual: str | None, detail: str, short: str | None = None) -> Check:
        return Check("gpa", Category.gpa, TITLE, status, required, actual, detail, short)

    if gpa is None:
        return result(
            Status.missing,
            None,
            'No GPA given: add gpa (a number on a 4.0 scale, or {"value": ..., "scale": ...}).',
        )
    actual = f"{num(gpa.value)} / {num(gpa.scale)}"
    minimum = scale = None
    if abs(gpa.scale - rule.scale) < _EPSILON:
        minimum, scale = rule.minimum, rule.scale
    else:
        for per_scale in rule.scale_minimums:
            if abs(gpa.scale - per_scale.scale) < _EPSILON:
                minimum, scale = per_scale.minimum, per_scale.scale
                break
    if minimum is not None and scale is not None:
        if gpa.value + _EPSILON >= minimum:
            return result(Status.met, actual, "")
        gap = round(minimum - gpa.value, 2)
        return result(
            Status.not_met,
            actual,
            f"GPA {num(gpa.value)} is {num(gap)} below {num(minimum)}.",
            f"{num(gap)} below {num(minimum)}",
        )
    converted = gpa.value / gpa.scale * rule.scale
    actual += f" (~{num(round(converted, 2))} / {num(rule.scale)})"
    side = "at or above" if converted + _EPSILON >= rule.minimum else "below"
    return result(
        Status.review,
        actual,
        f"No minimum is stated for a {gpa.scale:g}-point scale. Converted proportionally "
        f"it is about {num(round(converted, 2))} / {num(rule.scale)} ({side} "
        f"{num(rule.minimum)}), but conversions are approximate: a person must judge.",
    )
