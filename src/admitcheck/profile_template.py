"""`init`: a blank profile to fill in, or one built from answers to prompts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.prompt import Confirm, FloatPrompt, IntPrompt, Prompt

from admitcheck.models.profile import Profile


def blank_profile() -> dict[str, Any]:
    """Every field of a profile, empty (null is 'not known yet' and is valid)."""
    return {
        "id": None,
        "name": None,
        "international": None,
        "citizenship": None,
        "degree": {
            "level": None,
            "field": None,
            "institution": None,
            "country": None,
            "status": None,
            "graduation": None,
        },
        "gpa": None,
        "tests": {"toefl": None, "ielts": None, "pte": None, "gre": None, "gmat": None},
        "courses": [],
        "materials": {
            "statement_of_purpose": None,
            "resume": None,
            "transcripts": None,
            "recommendation_letters": None,
            "application_fee_paid": None,
            "fee_waiver": None,
        },
    }


def _optional(console: Console, question: str, kind: str = "text") -> Any:
    answer = Prompt.ask(
        f"{question} [dim](Enter to skip)[/dim]", console=console, default="", show_default=False
    )
    if not answer.strip():
        return None
    if kind == "float":
        return FloatPrompt().process_response(answer)
    if kind == "int":
        return IntPrompt().process_response(answer)
    return answer.strip()


def ask_profile(console: Console) -> dict[str, Any]:
    """Ask for each fact; invalid answers are asked again by Rich's prompts."""
    document = blank_profile()
    document["name"] = _optional(console, "Name")
    document["international"] = Confirm.ask("International applicant?", console=console)
    level = Prompt.ask(
        "Degree level",
        console=console,
        choices=["bachelor", "master", "doctorate", "associate", "diploma", "none"],
        default="bachelor",
    )
    document["degree"].update(
        level=level,
        field=_optional(console, "Degree field (e.g. Electrical Engineering)"),
        status=Prompt.ask(
            "Degree status",
            console=console,
            choices=["completed", "in_progress"],
            default="completed",
        ),
    )
    value = _optional(console, "GPA", "float")
    if value is not None:
        scale = FloatPrompt.ask("GPA scale", console=console, default=4.0)
        document["gpa"] = {"value": value, "scale": scale}
    toefl = _optional(console, "TOEFL iBT total (0-120)", "int")
    if toefl is not None:
        document["tests"]["toefl"] = {
            "total": toefl,
            "date": _optional(console, "TOEFL date (YYYY-MM-DD)"),
        }
    ielts = _optional(console, "IELTS overall (0-9)", "float")
    if ielts is not None:
        document["tests"]["ielts"] = {
            "overall": ielts,
            "date": _optional(console, "IELTS date (YYYY-MM-DD)"),
        }
    verbal = _optional(console, "GRE verbal (130-170)", "int")
    if verbal is not None:
        document["tests"]["gre"] = {
            "verbal": verbal,
            "quant": IntPrompt.ask("GRE quant (130-170)", console=console),
            "date": _optional(console, "GRE date (YYYY-MM-DD)"),
        }
    courses = _optional(console, "Courses taken, separated by ';'")
    document["courses"] = [c.strip() for c in (courses or "").split(";") if c.strip()]
    materials = document["materials"]
    for key, question in (
        ("statement_of_purpose", "Statement of purpose ready?"),
        ("resume", "Resume ready?"),
        ("transcripts", "Transcripts ready?"),
        ("application_fee_paid", "Application fee paid?"),
    ):
        materials[key] = Confirm.ask(question, console=console)
    materials["recommendation_letters"] = IntPrompt.ask(
        "Recommendation letters", console=console, default=0
    )
    return document


def write_profile(path: Path, document: dict[str, Any]) -> None:
    data = orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    Profile.model_validate_json(data)  # what we write must be valid
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_bytes(data)
    temporary.replace(path)
