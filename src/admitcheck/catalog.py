"""Rules files -> a catalogue of loaded programs: the built-in one and users' files.

The rules file is data: parsed with tomllib and validated with pydantic, never evaluated,
and it cannot include other files. Validation reports every problem of every program in
one pass, each with its TOML line and key path: a program's common keys and each of its
requirements are validated on their own, so one broken table hides nothing else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, TypeAdapter, ValidationError

from admitcheck.errors import RulesError, UsageError
from admitcheck.inputs.toml_text import Loc, line_of, locate_keys, quoted_date_hint, read_toml
from admitcheck.models.program import (
    Catalog,
    CatalogBase,
    LoadedProgram,
    ProgramBase,
    catalog_model,
    program_model,
    rule_of,
)
from admitcheck.models.report import ProgramRef
from admitcheck.problems import describe as describe_validation
from admitcheck.problems import format_path
from admitcheck.requirements import KINDS
from admitcheck.requirements.base import BandPoint, Kind

BUILTIN_NAME = "programs.toml"
BUILTIN_DISPLAY = "built-in data/programs.toml"  # where --explain says a rule is written

Kinds = tuple[Kind[Any], ...]


@dataclass(frozen=True, slots=True)
class RulesProblem:
    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


def data_path(name: str) -> Path:
    """A shipped data file: inside the installed package, or data/ of a checkout."""
    packaged = resources.files("admitcheck") / "data" / name
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / name


def builtin_path() -> Path:
    return data_path(BUILTIN_NAME)


# --------------------------------------------------------------------------- validation


def _described(exc: ValidationError, root: type[BaseModel], at: Loc) -> list[tuple[Loc, str]]:
    return [((*at, *p.loc), p.message) for p in describe_validation(exc, root)]


def _rule_problems(kind: Kind[Any], raw: Any, where: Loc) -> list[tuple[Loc, str]]:
    """A kind's rule on its own: its schema, then its consistency. A kind with many rules
    has each item validated apart, and the consistency of the valid ones checked."""
    if kind.many and isinstance(raw, list):
        problems: list[tuple[Loc, str]] = []
        valid: list[tuple[int, Any]] = []
        for index, item in enumerate(raw):
            try:
                valid.append((index, kind.rule_model.model_validate(item)))
            except ValidationError as exc:
                problems += _described(exc, kind.rule_model, (*where, index))
        positions = [index for index, _ in valid]
        for loc, message in kind.problems([rule for _, rule in valid]):
            if loc and isinstance(loc[0], int):  # back to the item's place in the file
                loc = (positions[loc[0]], *loc[1:])
            problems.append(((*where, *loc), message))
        return problems
    try:
        rule = TypeAdapter(kind.annotation()).validate_python(raw)
    except ValidationError as exc:
        return _described(exc, kind.rule_model, where)
    if rule is None:
        return []
    return [((*where, *loc), message) for loc, message in kind.problems(rule)]


def _validate_program(
    raw: Any, at: Loc, kinds: Kinds
) -> tuple[ProgramBase | None, list[tuple[Loc, str]]]:
    """One program: its common keys, then each requirement on its own."""
    model = program_model(kinds)
    if not isinstance(raw, dict):
        try:
            return model.model_validate(raw), []
        except ValidationError as exc:
            return None, _described(exc, model, at)
    keys = {kind.key for kind in kinds}
    problems: list[tuple[Loc, str]] = []
    try:
        ProgramBase.model_validate({k: v for k, v in raw.items() if k not in keys})
    except ValidationError as exc:
        problems += _described(exc, model, at)  # unknown keys get hints from every key
    for kind in kinds:
        if kind.key in raw:
            problems += _rule_problems(kind, raw[kind.key], (*at, kind.key))
    if problems:
        return None, problems
    return model.model_validate(raw), []


def _validate(data: Any, kinds: Kinds) -> tuple[CatalogBase | None, list[tuple[Loc, str]]]:
    """The file's top level and each program on its own, then what spans programs."""
    full = catalog_model(kinds)
    if not isinstance(data, dict) or not isinstance(data.get("programs", []), list):
        try:
            return full.model_validate(data), []
        except ValidationError as exc:
            return None, _described(exc, full, ())
    problems: list[tuple[Loc, str]] = []
    try:
        CatalogBase.model_validate({k: v for k, v in data.items() if k != "programs"})
    except ValidationError as exc:
        problems += _described(exc, full, ())
    seen: dict[str, int] = {}
    for index, raw in enumerate(data.get("programs", [])):
        program, found = _validate_program(raw, ("programs", index), kinds)
        problems += found
        program_id = program.id if program else raw.get("id") if isinstance(raw, dict) else None
        if isinstance(program_id, str):
            if program_id in seen:
                problems.append(
                    (
                        ("programs", index, "id"),
                        f"program id '{program_id}' is used twice "
                        f"(first at programs[{seen[program_id]}])",
                    )
                )
            seen.setdefault(program_id, index)
    if problems:
        return None, problems
    return full.model_validate(data), []


def check_rules_file(
    path: Path, kinds: Kinds = KINDS
) -> tuple[CatalogBase | None, str, list[RulesProblem]]:
    """Parse and validate one rules file; every problem comes back, none is raised."""
    name = str(path)
    try:
        text, data = read_toml(path)
    except RulesError as exc:
        return None, "", [RulesProblem(name, None, "", exc.message.removeprefix(f"{name}: "))]
    lines = locate_keys(text)
    catalog, problems = _validate(data, kinds)
    found = []
    for loc, message in sorted(problems, key=lambda item: line_of(lines, item[0]) or 0):
        line = line_of(lines, loc)
        found.append(
            RulesProblem(name, line, format_path(loc), message + quoted_date_hint(text, line))
        )
    return catalog, text, found


# --------------------------------------------------------------------------- resolving


def rules_hash(program: ProgramBase, validity_years: Mapping[str, int]) -> str:
    canonical = orjson.dumps(
        {"program": program.model_dump(mode="json"), "validity": validity_years},
        option=orjson.OPT_SORT_KEYS,
    )
    return "sha256:" + hashlib.sha256(canonical).hexdigest()[:16]


def _resolve(
    catalog: CatalogBase,
    defaults: CatalogBase | None,
    lines: dict[Loc, int],
    file: str,
    kinds: Kinds,
) -> list[LoadedProgram]:
    base_validity: dict[str, int] = {
        k: v.years for k, v in (defaults.validity if defaults else {}).items()
    }
    base_validity.update({k: v.years for k, v in catalog.validity.items()})
    guidance = catalog.toefl_band_guidance or (defaults.toefl_band_guidance if defaults else None)
    band_points = tuple(BandPoint(p.total, p.band) for p in guidance.comparable) if guidance else ()
    loaded = []
    for index, program in enumerate(getattr(catalog, "programs", [])):
        validity = {**base_validity, **{k: v.years for k, v in program.validity.items()}}
        units = [
            (kind, rule, at) for kind in kinds for rule, at in kind.rules(rule_of(program, kind))
        ]
        parts = tuple((kind, rule) for kind, rule, _ in units)
        requirements = tuple(req for kind, rule, at in units for req in kind.requirements(rule, at))
        ref = ProgramRef(
            id=program.id,
            name=program.name,
            institution=program.institution,
            version=program.version or program.term,
            as_of=program.as_of.isoformat(),
            source=program.source,
            rules_hash=rules_hash(program, validity),
            caveats=[f"{c.text} (Source: {c.source})" for c in program.caveats],
        )
        explanations = {}
        for requirement in requirements:
            full = ("programs", index, *requirement.loc)
            line = line_of(lines, full)
            text = f"{file}:{line}" if line else file
            text += f" [{format_path(full)}]"
            quote = requirement.cited.quote if requirement.cited is not None else None
            explanations[requirement.check_id] = f'{text}; source: "{quote}"' if quote else text
        loaded.append(
            LoadedProgram(program, ref, validity, band_points, parts, requirements, explanations)
        )
    return loaded


def load_rules_file(
    path: Path, defaults: CatalogBase | None = None, kinds: Kinds = KINDS
) -> list[LoadedProgram]:
    catalog, text, problems = check_rules_file(path, kinds)
    if catalog is None and len(problems) == 1:
        raise RulesError(str(problems[0]))
    if catalog is None:
        raise RulesError(
            f"{path}: invalid rules file ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''})",
            details=[str(p) for p in problems],
        )
    return _resolve(catalog, defaults, locate_keys(text), str(path), kinds)


def load_catalog(
    rules: Iterable[Path] = (), *, builtin: bool = True, kinds: Kinds = KINDS
) -> Catalog:
    """The built-in catalogue (unless `builtin` is false) plus each rules file in order.

    A later file's program replaces an earlier one with the same id.
    """
    builtin_file = builtin_path()
    built_in, text, problems = check_rules_file(builtin_file, kinds)
    if built_in is None:  # a broken install, not a user error; still no traceback
        raise RulesError(f"built-in catalogue is invalid: {problems[0] if problems else ''}")
    programs: dict[str, LoadedProgram] = {}
    if builtin:
        for loaded in _resolve(built_in, None, locate_keys(text), BUILTIN_DISPLAY, kinds):
            programs[loaded.ref.id] = loaded
    for path in rules:
        for loaded in load_rules_file(path, built_in, kinds):
            programs[loaded.ref.id] = loaded
    if not programs:
        raise UsageError("the catalogue is empty: give a rules file with at least one program")
    return Catalog(programs)


def check_ids(programs: Sequence[LoadedProgram]) -> tuple[str, ...]:
    """The union of the programs' check ids, in first-seen order (CSV status columns)."""
    seen: dict[str, None] = {}
    for program in programs:
        seen.update(dict.fromkeys(program.check_ids))
    return tuple(seen)
