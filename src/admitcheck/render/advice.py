"""What to do next, from a report: shared by the table and Markdown renderers."""

from __future__ import annotations

from admitcheck.evaluate import blocking
from admitcheck.models.report import Check, Report
from admitcheck.render.text import VERDICT_MEANING
from admitcheck.vocabulary import ELIGIBILITY, Category, Status, Verdict


def missing_titles(report: Report) -> list[str]:
    """The human titles of the materials still missing (the report lists their ids)."""
    missing = set(report.missing_materials)
    return [c.title for c in report.checks if c.id in missing]


def verdict_word(verdict: Verdict | str, unchecked: list[str] | tuple[str, ...]) -> str:
    """The verdict as people read it: `eligible` with areas no page speaks of is eligible
    only on what the pages state (SPEC v3), wherever a verdict is shown."""
    value = verdict if isinstance(verdict, str) else verdict.value
    if value == "eligible" and unchecked:
        return "eligible on what the pages state"
    return value


def verdict_line(report: Report) -> str:
    if report.eligible_on_pages:
        return (
            "ELIGIBLE ON WHAT THE PAGES STATE: meets every requirement the program's pages "
            f"state; they say nothing of {', '.join(report.unchecked_areas)}"
        )
    return f"{report.verdict.value.upper()}: {VERDICT_MEANING[report.verdict.value]}"


def rules_line(report: Report) -> str:
    """When the rules were read and, where they are kept by cycle, for which cycle."""
    program = report.program
    text = f"evaluated on {report.evaluated_on}; rules as of {program.as_of}"
    if program.cycle:
        text += f", for {program.cycle}"
    if program.cycle_requested:
        text += f" (asked for {program.cycle_requested})"
    if program.version:
        text += f", version {program.version}"
    return text


def application_line(report: Report) -> str:
    """Whether the application is complete: unknown where the document list is not."""
    if report.application_complete is None:
        return "Application: unknown (the program's pages found do not list its documents)"
    if report.application_complete:
        return "Application: complete"
    still = missing_titles(report)
    return "Application: incomplete" + (f" (still missing: {', '.join(still)})" if still else "")


def coverage_lines(report: Report) -> list[str]:
    """What the pages do not state, and what they say is not required (under the checks)."""
    lines = []
    if report.unchecked_areas:
        lines.append(
            "Not stated by the program's pages, so not checked: "
            + ", ".join(report.unchecked_areas)
            + "."
        )
    for area, entry in report.coverage.items():
        if entry.value == "none" and entry.quote:  # a declared none, with its page
            lines.append(f'Not required ({area}): "{entry.quote}" ({entry.source})')
    return lines


def eligibility_checks(report: Report) -> list[Check]:
    return [c for c in report.checks if c.category in ELIGIBILITY]


def deadline_checks(report: Report) -> list[Check]:
    return [c for c in report.checks if c.category is Category.deadline]


def next_steps(report: Report) -> list[tuple[Check, str]]:
    """One line per blocking check, most serious first, then the missing materials."""
    steps = [(check, check.shortfall or check.detail) for check in blocking(report)]
    steps += [
        (check, check.detail)
        for check in report.checks
        if check.category is Category.materials and check.status in (Status.missing, Status.review)
    ]
    return steps
