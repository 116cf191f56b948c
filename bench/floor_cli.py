"""The floor under `check`'s start-up: the least a command on the same stack does for the
same kind of work. It parses `check`'s options with Typer, validates the same example
profile with two small pydantic models (constraints through `Field`), and prints a
five-column Rich table of 25 rows, as `check` prints its checklist. No rules, no
reference data, no requirement kinds.

`bench.py` times it beside the stack's import and `check` (`--startup-only`,
`--targets`): `check / floor` is what admitcheck's own work costs at start-up.

    python -m floor_cli examples/maria-eligible.json -p usc-msece-mlds --as-of 2026-11-24
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)


class Degree(BaseModel):
    level: Annotated[str, Field(max_length=64)]
    field: Annotated[str, Field(max_length=500)]


class Profile(BaseModel):
    name: Annotated[str, Field(max_length=500)]
    degree: Degree
    gpa: Annotated[float, Field(ge=0, le=10)]
    courses: list[Annotated[str, Field(max_length=500)]] = []


@app.command()
def check(
    profile: Path,
    program: Annotated[str, typer.Option("--program", "-p")] = "",
    as_of: Annotated[str, typer.Option("--as-of")] = "",
) -> None:
    found = Profile.model_validate_json(profile.read_bytes())
    table = Table(title=f"{found.name}: {program} on {as_of}", title_justify="left")
    for column in ("status", "check", "required", "actual", "detail"):
        table.add_column(column, overflow="fold")
    for number in range(25):
        table.add_row(
            "met",
            f"check {number}",
            "a requirement as a program states it",
            found.degree.field,
            "what was read and why, in a sentence",
        )
    buffer = io.StringIO()
    Console(file=buffer, width=100, highlight=False, color_system=None).print(table)
    print(buffer.getvalue(), end="")


if __name__ == "__main__":
    app()
