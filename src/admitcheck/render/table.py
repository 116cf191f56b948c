"""Report -> Rich renderable: the checklist people read in a terminal."""

from __future__ import annotations

from collections.abc import Mapping

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from admitcheck.models.report import Check, Explanation, Report
from admitcheck.render.advice import (
    application_line,
    coverage_lines,
    deadline_checks,
    eligibility_checks,
    next_steps,
    rules_line,
    verdict_line,
)
from admitcheck.render.text import (
    STATUS_LABELS,
    STATUS_STYLES,
    VERDICT_STYLES,
    explained,
    one_line,
    printable,
)
from admitcheck.vocabulary import Category


def _checks_table(
    title: str, checks: list[Check], explain: Mapping[str, Explanation] | None
) -> Table:
    # Titles and headers as Text, as rich would make them of a str: with no markup or emoji
    # codes to read (which would import rich's emoji table, ~3 ms of each `check`).
    table = Table(
        title=Text(title, style="table.title"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        expand=False,
        show_edge=False,
        pad_edge=False,
    )
    table.add_column(Text("status"), overflow="fold")
    table.add_column(Text("check"), overflow="fold")
    table.add_column(Text("required"), overflow="fold")
    table.add_column(Text("actual"), overflow="fold")
    table.add_column(Text("detail"), ratio=1, overflow="fold")
    if explain is not None:
        table.add_column(Text("rule applied"), overflow="fold")
    for check in checks:
        status = check.status.value
        row: list[RenderableType] = [
            Text(STATUS_LABELS[status], style=STATUS_STYLES[status]),
            Text(check.title),
            Text(printable(check.required)),
            Text(printable(check.actual or "—")),
            Text(printable(check.detail)),
        ]
        if explain is not None:
            row.append(Text(printable(explained(explain.get(check.id))), style="dim"))
        table.add_row(*row)
    return table


def render_table(
    report: Report, explain: Mapping[str, Explanation] | None = None
) -> RenderableType:
    applicant = report.applicant
    who = one_line(applicant.name or applicant.id or applicant.source or "applicant")
    if applicant.name and applicant.id:
        who += f" ({one_line(applicant.id)})"
    program = report.program
    header = Text.assemble(
        (who, "bold"),
        " · ",
        (program.name, "bold"),
        f" ({program.id})\n",
        (rules_line(report), "dim"),
    )
    eligibility = eligibility_checks(report)
    materials = [c for c in report.checks if c.category is Category.materials]
    parts: list[RenderableType] = [header]
    if eligibility:
        parts.append(_checks_table("Eligibility", eligibility, explain))
    if materials:
        parts.append(_checks_table("Application materials", materials, explain))
    for line in coverage_lines(report):
        parts.append(Text(line, style="yellow"))
    for check in deadline_checks(report):
        parts.append(Text(f"Deadline: {printable(check.detail)}"))
    verdict = report.verdict.value
    parts.append(Text.assemble("Verdict: ", (verdict_line(report), VERDICT_STYLES[verdict])))
    parts.append(Text(application_line(report)))
    for note in report.notes:
        parts.append(Text(f"Note: {note}", style="yellow"))
    steps = next_steps(report)
    if steps:
        parts.append(_bullets("Next steps:", "•", [f"{c.title}: {printable(a)}" for c, a in steps]))
    if program.caveats:
        parts.append(_bullets("Caveats:", "!", program.caveats))
    return Group(*parts)


def _bullets(title: str, mark: str, items: list[str]) -> Table:
    """A titled list whose wrapped lines stay indented under their bullet."""
    table = Table(
        title=Text(title, style="table.title"),
        title_justify="left",
        box=None,
        show_header=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    table.add_column(overflow="fold")
    table.add_column(ratio=1, overflow="fold")
    for item in items:
        table.add_row(Text(f"  {mark}"), Text(item))
    return table
