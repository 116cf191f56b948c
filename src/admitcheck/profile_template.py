"""`init`: a blank profile to fill in, or one built from answers to prompts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_origin

import orjson
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.prompt import Confirm, FloatPrompt, IntPrompt, Prompt

from admitcheck.models.profile import Profile


def _blank(model: type[BaseModel]) -> dict[str, Any]:
    """Every field of a model, empty: nested models that are valid empty are opened up
    (degree, tests, materials), anything else is null or an empty list."""
    blank: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        inner = _model_of(info.annotation)
        if inner is not None and _valid_empty(inner):
            blank[name] = _blank(inner)
        elif info.default_factory is list or _is_list(info.annotation):
            blank[name] = []
        elif info.default_factory is not None:
            continue  # e.g. materials.other: for custom programs, not in a starter file
        else:
            blank[name] = None
    return blank


def _valid_empty(model: type[BaseModel]) -> bool:
    try:
        model.model_validate({})
    except ValidationError:
        return False
    return True


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for arg in (annotation, *get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _is_list(annotation: Any) -> bool:
    return any(get_origin(a) is list for a in (annotation, *get_args(annotation)))


def blank_profile() -> dict[str, Any]:
    """Every field of a profile, empty (null is 'not known yet' and is valid)."""
    return _blank(Profile)


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
