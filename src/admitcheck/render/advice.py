"""What to do next, from a report: shared by the table and Markdown renderers."""

from __future__ import annotations

from admitcheck.evaluate import blocking
from admitcheck.models.report import Check, Report
from admitcheck.render.text import VERDICT_MEANING
from admitcheck.vocabulary import Category, Status


def missing_titles(report: Report) -> list[str]:
    """The human titles of the materials still missing (the report lists their ids)."""
    missing = set(report.missing_materials)
    return [c.title for c in report.checks if c.id in missing]


def verdict_line(report: Report) -> str:
    return f"{report.verdict.value.upper()}: {VERDICT_MEANING[report.verdict.value]}"


def next_steps(report: Report) -> list[tuple[Check, str]]:
    """One line per blocking check, most serious first, then the missing materials."""
    steps = [(check, check.shortfall or check.detail) for check in blocking(report)]
    steps += [
        (check, check.detail)
        for check in report.checks
        if check.category is Category.materials and check.status in (Status.missing, Status.review)
    ]
    return steps
