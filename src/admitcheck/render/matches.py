"""`match`: one applicant's reports over every program, grouped by verdict, best first.

Each program gets one line of what blocks it, nearest gaps first ("TOEFL iBT writing 20
(needs 22)"), so a counsellor sees at a glance what is missing where.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import orjson
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from admitcheck.evaluate import blocking
from admitcheck.models.report import Check, Report
from admitcheck.render.markdown import md
from admitcheck.render.text import VERDICT_STYLES, printable
from admitcheck.vocabulary import Status

GROUPS = (
    ("eligible", "Eligible"),
    ("eligible-on-pages", "Eligible on what the pages state (they are silent on some areas)"),
    ("review", "For a person to judge"),
    ("incomplete", "Incomplete: facts missing"),
    ("ineligible", "Ineligible"),
)


# The fact that would decide an undecided check, read from the words its kind wrote
# ("add degree.years", "section minimums and writing are not given"): what to ask next.
_ADD = re.compile(r"\badd ((?:[a-z_]+\.)+[a-z_]+)\b")
_SECTIONS = re.compile(
    r"^(?:(.+?) meets the overall minimum, but the program sets section minimums"
    r"|The program sets (.+?) section minimums and .* not given)"
)
_NO_SCORE = re.compile(r"^No ((?:[A-Z][A-Za-z]* or )*[A-Z][A-Za-z]*) score given")
_FACTS = {
    "gpa.last_two_years": "the last-two-years GPA",
    "degree.years": "degree.years (the degree's length)",
}


def needs(check: Check) -> str | None:
    """'needs TOEFL iBT section scores', 'needs the last-two-years GPA', 'needs
    degree.years': the fact that would decide a missing or review check, where its words
    name one."""
    if check.status is not Status.missing and check.status is not Status.review:
        return None
    detail = check.detail or ""
    if found := _SECTIONS.search(detail):
        return f"needs {found[1] or found[2]} section scores"
    if found := _ADD.search(detail):
        return f"needs {_FACTS.get(found[1], found[1])}"
    if found := _NO_SCORE.search(detail):
        return f"needs a {found[1]} score"
    if detail.startswith("No valid English test score"):
        return "needs an English test score"
    return None


def _reason(check: Check) -> str:
    if check.shortfall:
        return f"{check.title}: {check.shortfall}"
    wanted = needs(check)
    if wanted:
        return f"{check.title}: {wanted}"
    status = check.status.value.replace("_", " ")
    return f"{check.title}: {status}" + (f" ({check.actual})" if check.actual else "")


def blocking_line(report: Report) -> str:
    """What keeps a program from `eligible`, in one line (nearest gaps first), and the
    areas its pages are silent on."""
    line = "; ".join(_reason(c) for c in blocking(report))
    if not line:
        line = "nothing: every requirement checked is met"
    if report.unchecked_areas:
        line += f" (not stated by its pages: {', '.join(report.unchecked_areas)})"
    return line


def _group_of(report: Report) -> str:
    return "eligible-on-pages" if report.eligible_on_pages else report.verdict.value


def _grouped(reports: Sequence[Report]) -> list[tuple[str, str, list[Report]]]:
    return [
        (verdict, title, [r for r in reports if _group_of(r) == verdict])
        for verdict, title in GROUPS
        if any(_group_of(r) == verdict for r in reports)
    ]


def matches_table(reports: Sequence[Report], notes: Sequence[str] = ()) -> RenderableType:
    parts: list[RenderableType] = []
    for verdict, title, group in _grouped(reports):
        table = Table(
            title=f"{title} ({len(group)})",
            title_justify="left",
            title_style=VERDICT_STYLES[verdict.split("-")[0]],
            show_edge=False,
            show_header=False,
            pad_edge=False,
        )
        table.add_column("program", ratio=2, overflow="fold")
        table.add_column("what blocks it", ratio=3, overflow="fold")
        for report in group:
            program = report.program
            table.add_row(
                Text(
                    f"{program.name} ({program.id})"
                    + (f", {program.institution}" if program.institution else "")
                ),
                Text(printable(blocking_line(report))),
            )
        parts.append(table)
    parts += [Text(f"Note: {note}", style="yellow") for note in notes]
    return Group(*parts)


def matches_markdown(reports: Sequence[Report], notes: Sequence[str] = ()) -> str:
    lines: list[str] = []
    for _, title, group in _grouped(reports):
        lines += [
            f"### {title} ({len(group)})",
            "",
            "| program | institution | what blocks it |",
            "|---|---|---|",
        ]
        for report in group:
            program = report.program
            lines.append(
                f"| {md(program.name)} ({md(program.id)}) | {md(program.institution)} | "
                f"{md(blocking_line(report))} |"
            )
        lines.append("")
    lines += [f"Note: {md(note)}" for note in notes]
    return "\n".join(lines).rstrip() + "\n"


def matches_json(reports: Sequence[Report]) -> bytes:
    return orjson.dumps(list(reports), option=orjson.OPT_INDENT_2)
