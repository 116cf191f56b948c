"""Batch records -> rows: CSV, Markdown and table lines, one per applicant and program."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

from rich.bar import Bar
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from admitcheck.batch.summary import ProgramSummary, Summary
from admitcheck.evaluate import blocking
from admitcheck.models.report import ErrorRecord, Report
from admitcheck.render.advice import verdict_word
from admitcheck.render.markdown import md
from admitcheck.render.text import VERDICT_STYLES, one_line
from admitcheck.vocabulary import Verdict
from admitcheck.wording import num

BASE_COLUMNS = (
    "source",
    "id",
    "name",
    "program",
    "verdict",
    "unchecked_areas",
    "application_complete",
    "blocking",
    "missing_materials",
    "error",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (OWASP CSV injection)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def summary_cells(record: Report | ErrorRecord) -> list[str]:
    """The columns every row format shares, as plain text."""
    applicant = record.applicant
    if isinstance(record, ErrorRecord):
        return [
            applicant.source or "",
            applicant.id or "",
            applicant.name or "",
            record.program.id if record.program is not None else "",
            "error",
            "",
            "",
            "",
            "",
            record.error.message,
        ]
    return [
        applicant.source or "",
        applicant.id or "",
        applicant.name or "",
        record.program.id,
        record.verdict.value,
        ";".join(record.unchecked_areas),
        _complete_cell(record.application_complete),
        "; ".join(f"{c.id} ({c.status.value})" for c in blocking(record)),
        "; ".join(record.missing_materials),
        "",
    ]


def _complete_cell(complete: bool | None) -> str:
    """true, false, or empty where the program's document list is not known."""
    return "" if complete is None else "true" if complete else "false"


def _shown_cells(record: Report | ErrorRecord) -> list[str]:
    """source, id, name, program, the verdict as people read it, blocking or error."""
    cells = summary_cells(record)
    verdict = (
        verdict_word(cells[4], record.unchecked_areas) if isinstance(record, Report) else "error"
    )
    return [*cells[:4], verdict, cells[9] or cells[7]]


def check_columns(check_ids: Sequence[str], detail: bool = False) -> list[str]:
    """A status column per check; with `detail`, its actual value, shortfall and detail
    text beside it (and after the GPA's, the GPA converted to the program's scale: a
    number, an approximation)."""
    if not detail:
        return list(check_ids)
    found = []
    for check_id in check_ids:
        found += [check_id, f"{check_id}.actual", f"{check_id}.shortfall", f"{check_id}.detail"]
        if check_id == "gpa":
            found.append("gpa.converted")
    return found


def csv_header(check_ids: Sequence[str], detail: bool = False) -> str:
    buffer = io.StringIO()
    columns = [*BASE_COLUMNS, *check_columns(check_ids, detail)]
    csv.writer(buffer, lineterminator="\n").writerow(columns)
    return buffer.getvalue()


def _check_cells(record: Report | ErrorRecord, check_ids: Sequence[str], detail: bool) -> list[str]:
    checks = {c.id: c for c in record.checks} if isinstance(record, Report) else {}
    cells = []
    for check_id in check_ids:
        found = checks.get(check_id)
        cells.append(found.status.value if found else "")
        if detail:
            if found is None:
                cells += ["", "", ""]
            else:
                cells += [found.actual or "", found.shortfall or "", found.detail or ""]
            if check_id == "gpa":
                converted = found.converted if found else None
                cells.append(num(converted.value) if converted else "")
    return cells


def csv_rows(
    records: Sequence[Report | ErrorRecord], check_ids: Sequence[str], detail: bool = False
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for record in records:
        cells = summary_cells(record) + _check_cells(record, check_ids, detail)
        writer.writerow([neutralise(one_line(cell)) for cell in cells])
    return buffer.getvalue()


def wide_header(programs: Sequence[str]) -> str:
    buffer = io.StringIO()
    columns = ["source", "id", "name", *programs, "blocking", "error"]
    csv.writer(buffer, lineterminator="\n").writerow([neutralise(c) for c in columns])
    return buffer.getvalue()


def wide_row(records: Sequence[Report | ErrorRecord]) -> str:
    """One applicant's results (one per program, in program order) as one CSV row: the
    verdict under each program, and what blocks each program that is not eligible."""
    first = records[0].applicant
    verdicts: list[str] = []
    blocked: list[str] = []
    error = ""
    for record in records:
        if isinstance(record, ErrorRecord):
            verdicts.append("error")
            error = record.error.message
            continue
        verdicts.append(record.verdict.value)
        found = blocking(record)
        if found:
            checks = ", ".join(f"{c.id} ({c.status.value})" for c in found)
            blocked.append(f"{record.program.id}: {checks}")
    cells = [first.source or "", first.id or "", first.name or "", *verdicts]
    cells += ["; ".join(blocked), error]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([neutralise(one_line(c)) for c in cells])
    return buffer.getvalue()


MARKDOWN_COLUMNS = ("source", "id", "name", "program", "verdict", "blocking or error")


def markdown_header() -> str:
    return (
        "| " + " | ".join(MARKDOWN_COLUMNS) + " |\n" + "|" + "---|" * len(MARKDOWN_COLUMNS) + "\n"
    )


def markdown_rows(records: Sequence[Report | ErrorRecord]) -> str:
    lines = []
    for record in records:
        lines.append("| " + " | ".join(md(c) for c in _shown_cells(record)) + " |\n")
    return "".join(lines)


def table_rows(records: Sequence[Report | ErrorRecord]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for record in records:
        out.append(tuple(one_line(c) for c in _shown_cells(record)))
    return out


def rows_table(rows: Sequence[tuple[str, ...]], *, header: bool) -> Table:
    """One chunk of `table_rows` as a borderless table (the header on the first only)."""
    table = Table(show_header=header, show_edge=False, box=None, pad_edge=False)
    # A program id is never folded: it is what a reader looks for (and copies).
    widest = max((len(row[3]) for row in rows), default=7)
    for name in ("source", "id", "name", "program", "verdict", "blocking or error"):
        if name == "program":
            table.add_column(name, overflow="fold", min_width=min(widest, 40))
        else:
            table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(
            *[Text(cell) for cell in row[:4]],
            Text(row[4], style=VERDICT_STYLES.get(row[4].split()[0], "")),
            Text(row[5]),
        )
    return table


def summary_table(
    verdicts: Counter[str], blocking_checks: Counter[str], records: int, on_pages: int = 0
) -> Table:
    """Counts per verdict and a bar chart of the most common blocking checks, for the end
    of a run. Eligible records whose programs' pages are silent on some areas are counted
    apart, as eligible on what the pages state."""
    if on_pages:
        verdicts = Counter(verdicts)
        verdicts["eligible"] -= on_pages
        verdicts["eligible on what the pages state"] = on_pages
        verdicts = +verdicts  # drop a zero count
    table = Table(title=f"{records:,} record(s)", title_justify="left", show_edge=False)
    table.add_column("verdict", overflow="fold")
    table.add_column("count", justify="right")
    table.add_column("", width=BAR_WIDTH)
    outputs = sum(verdicts.values()) or 1
    for verdict, count in verdicts.most_common():
        style = VERDICT_STYLES.get(verdict.split()[0], "")
        table.add_row(
            Text(verdict, style=style), f"{count:,}", Bar(outputs, 0, count, color=_color(style))
        )
    if blocking_checks:
        table.add_row("", "", "")
        table.add_row(Text("blocking checks", style="bold"), "", "")
        for check_id, count in blocking_checks.most_common(8):
            table.add_row(check_id, f"{count:,}", Bar(outputs, 0, count, color="red"))
    return table


BAR_WIDTH = 30


def programs_table(per_program: Sequence[ProgramSummary]) -> Table:
    """The summary's per-program breakdown: each program's verdicts and what most often
    blocks it."""
    verdicts = list(
        dict.fromkeys([v.value for v in Verdict] + [v for p in per_program for v in p.verdicts])
    )
    shown = [v for v in verdicts if any(p.verdicts.get(v) for p in per_program)]
    table = Table(title="per program", title_justify="left", show_edge=False)
    table.add_column("program", overflow="fold", no_wrap=True)
    for verdict in shown:
        table.add_column(
            Text(verdict, style=VERDICT_STYLES.get(verdict, "")), justify="right", no_wrap=True
        )
    table.add_column("most often blocking", overflow="fold")
    for program in per_program:
        table.add_row(
            program.program,
            *[f"{program.verdicts.get(v, 0):,}" for v in shown],
            ", ".join(f"{b.check} ({b.count:,})" for b in program.blocking[:3]),
        )
    return table


def summary_document(summary: Summary) -> Group:
    """The whole summary of a run, for `--summary FILE.html`."""
    verdicts = Counter(summary.verdicts)
    blocked = Counter({b.check: b.count for b in summary.blocking})
    parts: list[RenderableType] = [
        Text(
            f"admitcheck batch, evaluated on {summary.evaluated_on}: {summary.records:,} "
            f"record(s), {summary.outputs:,} result(s), {len(summary.programs)} program(s)",
            style="bold",
        ),
        Text(""),
        summary_table(verdicts, blocked, summary.records),
    ]
    if summary.per_program:
        parts += [Text(""), programs_table(summary.per_program)]
    if summary.repeated_ids:
        parts += [Text(""), Text(f"{summary.repeated_ids:,} repeated applicant id(s)")]
    if summary.checks_left_out:
        parts.append(Text(f"checks left out (--checks): {', '.join(summary.checks_left_out)}"))
    return Group(*parts)


def _color(style: str) -> str:
    """A verdict's colour for its bar ('bold green' -> 'green')."""
    return style.split()[-1] if style else "white"
