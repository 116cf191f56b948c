"""`match`: one applicant's reports over every program, best first."""

from __future__ import annotations

from collections.abc import Sequence

import orjson
from rich.table import Table
from rich.text import Text

from admitcheck.evaluate import blocking
from admitcheck.models.report import Report
from admitcheck.render.markdown import md
from admitcheck.render.text import VERDICT_STYLES, printable


def _blocking_text(report: Report) -> str:
    return (
        "; ".join(
            f"{c.title}: {c.shortfall or c.status.value.replace('_', ' ')}"
            for c in blocking(report)
        )
        or "—"
    )


def matches_table(reports: Sequence[Report]) -> Table:
    table = Table(title="Programs, best match first", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("program")
    table.add_column("verdict")
    table.add_column("blocking checks", ratio=1)
    for rank, report in enumerate(reports, start=1):
        verdict = report.verdict.value
        table.add_row(
            str(rank),
            Text(f"{report.program.name} ({report.program.id})"),
            Text(verdict, style=VERDICT_STYLES[verdict]),
            Text(printable(_blocking_text(report))),
        )
    return table


def matches_markdown(reports: Sequence[Report]) -> str:
    lines = ["| # | program | verdict | blocking checks |", "|---|---|---|---|"]
    for rank, report in enumerate(reports, start=1):
        lines.append(
            f"| {rank} | {md(report.program.name)} ({md(report.program.id)}) | "
            f"{report.verdict.value} | {md(_blocking_text(report))} |"
        )
    return "\n".join(lines) + "\n"


def matches_json(reports: Sequence[Report]) -> bytes:
    return orjson.dumps(list(reports), option=orjson.OPT_INDENT_2)
