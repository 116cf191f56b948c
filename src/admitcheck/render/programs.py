"""`programs list` and `programs show`: the catalogue, for people and for scripts."""

from __future__ import annotations

from collections.abc import Sequence

import orjson
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from admitcheck.models.program import LoadedProgram
from admitcheck.render.markdown import md


def requirement_lines(loaded: LoadedProgram) -> list[tuple[str, str]]:
    """(check id, what it requires, with any waivers and exceptions the rule states)."""
    return [(r.check_id, "; ".join((r.required, *r.notes))) for r in loaded.requirements]


def source_host(url: str) -> str:
    """'https://ece.cmu.edu/admissions/' -> 'ece.cmu.edu'; text that is not a URL as it is."""
    if "://" not in url:
        return url
    return url.split("://", 1)[1].split("/", 1)[0].removeprefix("www.")


_MARKS = {"checked": "✔", "stated": "~", "none": "–", "unknown": "?"}


def coverage_text(loaded: LoadedProgram) -> str:
    """One line: each area with its coverage ('✔ degree ~ gpa ? tests ...')."""
    return " ".join(f"{_MARKS[c.value]}{area}" for area, c in loaded.coverage.items())


COVERAGE_KEY = "coverage: ✔ checked, ~ stated (by hand), – not required, ? not stated"


def list_table(programs: Sequence[LoadedProgram]) -> Table:
    # Three columns, so that ids and dates (read whole, copied into commands) keep their
    # width on a narrow terminal; the program's name, institution and source share one.
    table = Table(title_justify="left", show_edge=False)
    table.add_column("id", overflow="fold")
    table.add_column("program, institution, source", overflow="fold", ratio=1)
    table.add_column("read", overflow="fold")
    for loaded in programs:
        ref = loaded.ref
        program = Text(ref.name)
        program.append(f"\n{ref.institution or '—'}", style="dim")
        program.append(f"\n{source_host(ref.source)}", style="dim")
        program.append(f"\n{coverage_text(loaded)}")
        table.add_row(ref.id, program, ref.as_of)
    table.caption = COVERAGE_KEY
    table.caption_justify = "left"
    return table


def list_markdown(programs: Sequence[LoadedProgram]) -> str:
    lines = [
        "| id | name | institution | read | source | coverage |",
        "|---|---|---|---|---|---|",
    ]
    for loaded in programs:
        ref = loaded.ref
        lines.append(
            f"| {md(ref.id)} | {md(ref.name)} | {md(ref.institution)} | {ref.as_of} "
            f"| {md(ref.source)} | {md(coverage_text(loaded))} |"
        )
    return "\n".join(lines) + "\n\n" + md(COVERAGE_KEY) + "\n"


def list_json(programs: Sequence[LoadedProgram]) -> bytes:
    return orjson.dumps(
        [
            {
                **orjson.loads(orjson.dumps(p.ref)),
                "coverage": p.coverage,
                "unchecked_areas": p.unchecked,
            }
            for p in programs
        ],
        option=orjson.OPT_INDENT_2,
    )


def show_table(loaded: LoadedProgram) -> RenderableType:
    ref = loaded.ref
    header = Text.assemble(
        (ref.name, "bold"),
        f" ({ref.id})\n",
        f"{ref.institution or ''}\nsource: {ref.source}\nas of {ref.as_of}"
        f"{'; version ' + ref.version if ref.version else ''}; rules {ref.rules_hash}",
    )
    table = Table(show_edge=False)
    table.add_column("check", overflow="fold")
    table.add_column("requires", overflow="fold")
    table.add_column("rule and source", style="dim", overflow="fold")
    for check_id, text in requirement_lines(loaded):
        table.add_row(check_id, Text(text), Text(loaded.explanations.get(check_id, "")))
    parts: list[RenderableType] = [header, table]
    if loaded.validity_years:
        windows = ", ".join(f"{k} {v} years" for k, v in loaded.validity_years.items())
        parts.append(Text(f"Score validity: {windows}"))
    coverage = Table(title="Coverage", title_justify="left", show_edge=False)
    coverage.add_column("area", overflow="fold")
    coverage.add_column("coverage", overflow="fold")
    coverage.add_column("page", style="dim", overflow="fold", ratio=1)
    for area, entry in loaded.coverage.items():
        page = f'"{entry.quote}" ({entry.source})' if entry.quote else (entry.source or "")
        coverage.add_row(area, _COVERAGE_WORDS[entry.value], Text(page))
    parts.append(coverage)
    for caveat in ref.caveats:
        parts.append(Text(f"! {caveat}"))
    return Group(*parts)


_COVERAGE_WORDS = {
    "checked": "checked",
    "stated": "stated: checked by hand",
    "none": "not required",
    "unknown": "not stated by the pages",
}


def show_markdown(loaded: LoadedProgram) -> str:
    ref = loaded.ref
    lines = [
        f"## {md(ref.name)} ({md(ref.id)})",
        "",
        f"Source: {md(ref.source)}; as of {ref.as_of}; rules {ref.rules_hash}",
        "",
        "| check | requires |",
        "|---|---|",
    ]
    lines += [f"| {md(check_id)} | {md(text)} |" for check_id, text in requirement_lines(loaded)]
    lines += ["", "| area | coverage | page |", "|---|---|---|"]
    for area, entry in loaded.coverage.items():
        page = f'"{entry.quote}" ({entry.source})' if entry.quote else (entry.source or "")
        lines.append(f"| {area} | {_COVERAGE_WORDS[entry.value]} | {md(page)} |")
    if ref.caveats:
        lines += ["", "Caveats:", ""] + [f"- {md(c)}" for c in ref.caveats]
    return "\n".join(lines) + "\n"


def show_json(loaded: LoadedProgram) -> bytes:
    document = {
        **loaded.rules.model_dump(mode="json"),
        "rules_hash": loaded.ref.rules_hash,
        "validity_years": loaded.validity_years,
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2)
