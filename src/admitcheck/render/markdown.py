"""Report -> Markdown, for pasting into an email, a ticket or a wiki."""

from __future__ import annotations

import re
from collections.abc import Mapping

from admitcheck.models.report import Explanation, Report
from admitcheck.render.advice import (
    application_line,
    coverage_lines,
    next_steps,
    rules_line,
    verdict_line,
)
from admitcheck.render.text import STATUS_LABELS, explained, one_line

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")


def md(text: str | None) -> str:
    """Escape profile text so Markdown shows it literally (a cell or a line)."""
    if not text:
        return "—"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))


def render_markdown(report: Report, explain: Mapping[str, Explanation] | None = None) -> str:
    applicant = report.applicant
    who = applicant.name or applicant.id or applicant.source or "applicant"
    program = report.program
    out = [
        f"## {md(who)} · {md(program.name)} ({md(program.id)})",
        "",
        md(rules_line(report)[0].upper() + rules_line(report)[1:]) + ".",
        "",
        f"**Verdict: {md(verdict_line(report))}**",
        "",
        "| status | check | required | actual | detail |" + (" rule |" if explain else ""),
        "|---|---|---|---|---|" + ("---|" if explain else ""),
    ]
    for check in report.checks:
        row = (
            f"| {STATUS_LABELS[check.status.value]} | {md(check.title)} | "
            f"{md(check.required)} | {md(check.actual)} | {md(check.detail)} |"
        )
        if explain is not None:
            row += f" {md(explained(explain.get(check.id)))} |"
        out.append(row)
    out.append("")
    for line in coverage_lines(report):
        out += [md(line), ""]
    out.append(md(application_line(report)))
    if report.notes:
        out += ["", *[f"**Note:** {md(note)}" for note in report.notes]]
    steps = next_steps(report)
    if steps:
        out += ["", "Next steps:", ""]
        out += [f"- {md(check.title)}: {md(advice)}" for check, advice in steps]
    if program.caveats:
        out += ["", "Caveats:", ""]
        out += [f"- {md(caveat)}" for caveat in program.caveats]
    return "\n".join(out) + "\n"
