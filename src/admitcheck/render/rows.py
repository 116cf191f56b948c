"""Batch records -> rows: CSV, Markdown and table lines, one per applicant and program."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

from rich.bar import Bar
from rich.table import Table
from rich.text import Text

from admitcheck.evaluate import blocking
from admitcheck.models.report import ErrorRecord, Report
from admitcheck.render.advice import verdict_word
from admitcheck.render.markdown import md
from admitcheck.render.text import VERDICT_STYLES, one_line
from admitcheck.requirements.gpa import converted_gpa

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
            "",
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
    """A status column per check; with `detail`, its actual value and shortfall beside it
    (and the GPA converted to the program's scale after the GPA's)."""
    if not detail:
        return list(check_ids)
    found = []
    for check_id in check_ids:
        found += [check_id, f"{check_id}.actual", f"{check_id}.shortfall"]
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
            cells += [found.actual or "", found.shortfall or ""] if found else ["", ""]
            if check_id == "gpa":
                cells.append((converted_gpa(found) or "") if found else "")
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
    for name in ("source", "id", "name", "program", "verdict", "blocking or error"):
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


def _color(style: str) -> str:
    """A verdict's colour for its bar ('bold green' -> 'green')."""
    return style.split()[-1] if style else "white"
