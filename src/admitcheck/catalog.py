"""Read programs from TOML: the built-in catalogue and users' rules files.

The rules file is data: it is parsed with tomllib and validated with pydantic, never
evaluated, and it cannot include other files. Every problem found is reported with its
TOML line and key path.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from admitcheck._toml import tomllib
from admitcheck.errors import RulesError, UsageError
from admitcheck.models import (
    BandGuidance,
    CatalogFile,
    Program,
    ProgramRef,
)
from admitcheck.problems import describe as describe_validation
from admitcheck.problems import format_path

MAX_RULES_BYTES = 5 * 1024 * 1024
BUILTIN_NAME = "programs.toml"
BUILTIN_DISPLAY = "built-in data/programs.toml"  # where --explain says a rule is written

TEST_SCALES: dict[str, tuple[float, float]] = {"toefl": (0, 120), "ielts": (0, 9), "pte": (10, 90)}


@dataclass(frozen=True, slots=True)
class RulesProblem:
    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class LoadedProgram:
    """A validated program with what evaluation needs resolved once, at load time."""

    rules: Program
    ref: ProgramRef
    validity_years: dict[str, int]
    band_guidance: BandGuidance | None
    # check id -> the rule's place in the TOML and the source sentence, for `--explain`
    explanations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Catalog:
    programs: dict[str, LoadedProgram]

    def get(self, program_id: str) -> LoadedProgram:
        try:
            return self.programs[program_id]
        except KeyError:
            close = difflib.get_close_matches(program_id, list(self.programs), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see `admitcheck programs list`"
            raise UsageError(f"unknown program id '{program_id}'; {hint}") from None

    def select(self, program_id: str | None) -> LoadedProgram:
        """The named program, or the only one when none is named."""
        if program_id is not None:
            return self.get(program_id)
        if len(self.programs) == 1:
            return next(iter(self.programs.values()))
        ids = ", ".join(self.programs) or "none"
        raise UsageError(f"name a program with --program (the catalogue holds: {ids})")


# --------------------------------------------------------------------------- locating keys

_HEADER = re.compile(r"^\s*(\[\[|\[)\s*([^\[\]#]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


def locate_keys(text: str) -> dict[tuple[str | int, ...], int]:
    """Map TOML key paths (with array-of-table indices) to the line that defines them.

    tomllib keeps no positions; this scan of table headers and `key =` lines is enough
    to point a rules author at the right line in ordinary, hand-written TOML.
    """
    lines: dict[tuple[str | int, ...], int] = {}
    array_index: dict[tuple[str | int, ...], int] = {}
    table: tuple[str | int, ...] = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(raw)
        if header:
            keys = [k.strip().strip('"') for k in header.group(2).split(".")]
            path: tuple[str | int, ...] = ()
            for position, key in enumerate(keys):
                path += (key,)
                last = position == len(keys) - 1
                if last and header.group(1) == "[[":
                    array_index[path] = array_index.get(path, -1) + 1
                    path += (array_index[path],)
                elif path in array_index:
                    path += (array_index[path],)
            table = path
            lines.setdefault(table, number)
            continue
        key = _KEY.match(raw)
        if key:
            lines.setdefault((*table, key.group(1)), number)
    return lines


def line_of(lines: dict[tuple[str | int, ...], int], loc: Sequence[str | int]) -> int | None:
    for end in range(len(loc), 0, -1):
        found = lines.get(tuple(loc[:end]))
        if found is not None:
            return found
    return None


# --------------------------------------------------------------------------- loading


def builtin_path() -> Path:
    """The shipped catalogue: inside the installed package, or data/ of a checkout."""
    packaged = resources.files("admitcheck") / "data" / BUILTIN_NAME
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / BUILTIN_NAME


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise RulesError(f"{name}: is a folder, expected a TOML rules file")
        if size > MAX_RULES_BYTES:
            raise RulesError(
                f"{name}: rules file is {size:,} bytes; the limit is {MAX_RULES_BYTES:,}"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise RulesError(f"{name}: no such rules file") from None
    except OSError as exc:
        raise RulesError(f"{name}: cannot read rules file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RulesError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{name}: invalid TOML: {exc}") from None
    except RecursionError:
        raise RulesError(f"{name}: TOML is nested too deeply to be a rules file") from None


def _semantic_problems(
    programs: list[tuple[int, Program]],
) -> list[tuple[tuple[str | int, ...], str]]:
    """What the schema cannot say: consistency between keys, over the valid programs."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    seen: dict[str, int] = {}
    for index, program in programs:
        at: tuple[str | int, ...] = ("programs", index)
        if program.id in seen:
            found.append(
                (
                    (*at, "id"),
                    f"program id '{program.id}' is used twice "
                    f"(first at programs[{seen[program.id]}])",
                )
            )
        seen.setdefault(program.id, index)
        if program.gpa is not None:
            gpa = program.gpa
            if gpa.minimum > gpa.scale:
                found.append(
                    (
                        (*at, "gpa", "minimum"),
                        f"minimum {gpa.minimum:g} is above the scale {gpa.scale:g}",
                    )
                )
            for j, per_scale in enumerate(gpa.scale_minimums):
                if per_scale.minimum > per_scale.scale:
                    found.append(
                        (
                            (*at, "gpa", "scale_minimums", j, "minimum"),
                            f"minimum {per_scale.minimum:g} is above the scale {per_scale.scale:g}",
                        )
                    )
        if program.english is not None:
            tests_seen: set[str] = set()
            for j, test in enumerate(program.english.tests):
                where = (*at, "english", "tests", j)
                if test.test in tests_seen:
                    found.append(((*where, "test"), f"test '{test.test}' is listed twice"))
                tests_seen.add(test.test)
                low, high = TEST_SCALES[test.test]
                if test.minimum is not None and not low <= test.minimum <= high:
                    found.append(
                        (
                            (*where, "minimum"),
                            f"{test.test} minimum {test.minimum:g} is outside the "
                            f"test's scale {low:g}-{high:g}",
                        )
                    )
                if test.test != "toefl" and (
                    test.band_minimum is not None or test.section_minimum is not None
                ):
                    found.append((where, "band_minimum and section_minimum apply to toefl only"))
                if test.minimum is None and test.band_minimum is None:
                    found.append((where, "give a minimum (or, for toefl, a band_minimum)"))
        if program.tests is not None and len(set(program.tests.any_of)) != len(
            program.tests.any_of
        ):
            found.append(((*at, "tests", "any_of"), "a test is listed twice"))
        subjects: set[str] = set()
        for j, course_rule in enumerate(program.coursework):
            if course_rule.subject in subjects:
                found.append(
                    (
                        (*at, "coursework", j, "subject"),
                        f"subject '{course_rule.subject}' is listed twice",
                    )
                )
            subjects.add(course_rule.subject)
        if program.materials is not None:
            letters = program.materials.letters
            if letters is not None and letters.max is not None and letters.max < letters.min:
                found.append(
                    ((*at, "materials", "letters"), f"max {letters.max} is below min {letters.min}")
                )
            keys = [d.key for d in program.materials.documents]
            for j, key in enumerate(keys):
                if key in keys[:j]:
                    found.append(
                        (
                            (*at, "materials", "documents", j, "key"),
                            f"document '{key}' is listed twice",
                        )
                    )
    return found


Loc = tuple[str | int, ...]


def _validate(data: Any) -> tuple[CatalogFile | None, list[tuple[Loc, str]]]:
    """Validate the file's top level and each program on its own, so that one broken
    program does not hide the problems (or the consistency checks) of the others."""
    if not isinstance(data, dict) or not isinstance(data.get("programs", []), list):
        try:
            return CatalogFile.model_validate(data), []
        except ValidationError as exc:
            return None, [(p.loc, p.message) for p in describe_validation(exc, CatalogFile)]
    problems: list[tuple[Loc, str]] = []
    top: CatalogFile | None = None
    try:
        top = CatalogFile.model_validate({k: v for k, v in data.items() if k != "programs"})
    except ValidationError as exc:
        problems += [(p.loc, p.message) for p in describe_validation(exc, CatalogFile)]
    programs: list[tuple[int, Program]] = []
    for index, raw in enumerate(data.get("programs", [])):
        try:
            programs.append((index, Program.model_validate(raw)))
        except ValidationError as exc:
            problems += [
                (("programs", index, *p.loc), p.message) for p in describe_validation(exc, Program)
            ]
    problems += _semantic_problems(programs)
    if problems or top is None:
        return None, problems
    return top.model_copy(update={"programs": [p for _, p in programs]}), []


def check_rules_file(path: Path) -> tuple[CatalogFile | None, str, list[RulesProblem]]:
    """Parse and validate one rules file; every problem comes back, none is raised."""
    name = str(path)
    try:
        text, data = _read_toml(path)
    except RulesError as exc:
        return None, "", [RulesProblem(name, None, "", exc.message.removeprefix(f"{name}: "))]
    lines = locate_keys(text)
    catalog, problems = _validate(data)
    found = [
        RulesProblem(name, line_of(lines, loc), format_path(loc), message)
        for loc, message in sorted(problems, key=lambda item: line_of(lines, item[0]) or 0)
    ]
    return catalog, text, found


def rules_hash(program: Program, validity_years: Mapping[str, int]) -> str:
    canonical = orjson.dumps(
        {"program": program.model_dump(mode="json"), "validity": validity_years},
        option=orjson.OPT_SORT_KEYS,
    )
    return "sha256:" + hashlib.sha256(canonical).hexdigest()[:16]


def _explanations(
    program: Program, index: int, lines: dict[tuple[str | int, ...], int], file: str
) -> dict[str, str]:
    """Where each check's rule is written, and the source sentence it rests on."""
    base: tuple[str | int, ...] = ("programs", index)

    def where(quote: str | None, *loc: str | int) -> str:
        full = (*base, *loc)
        line = line_of(lines, full)
        place = f"{file}:{line}" if line else file
        text = f"{place} [{format_path(full)}]"
        return f'{text}; source: "{quote}"' if quote else text

    found: dict[str, str] = {}
    for key in ("degree", "gpa", "english", "tests"):
        rule = getattr(program, key)
        if rule is not None:
            found[key] = where(rule.quote, key)
    for j, course_rule in enumerate(program.coursework):
        found[f"coursework.{course_rule.subject}"] = where(course_rule.quote, "coursework", j)
    materials = program.materials
    if materials is not None:
        for j, doc in enumerate(materials.documents):
            found[f"materials.{doc.key}"] = where(materials.quote, "materials", "documents", j)
        if materials.letters is not None:
            found["materials.recommendation_letters"] = where(
                materials.quote, "materials", "letters"
            )
        if materials.fee is not None:
            found["materials.application_fee"] = where(materials.quote, "materials", "fee")
    return found


def _resolve(
    catalog: CatalogFile,
    defaults: CatalogFile | None,
    lines: dict[tuple[str | int, ...], int],
    file: str,
) -> list[LoadedProgram]:
    base_validity: dict[str, int] = {
        k: v.years for k, v in (defaults.validity if defaults else {}).items()
    }
    base_validity.update({k: v.years for k, v in catalog.validity.items()})
    guidance = catalog.toefl_band_guidance or (defaults.toefl_band_guidance if defaults else None)
    loaded = []
    for index, program in enumerate(catalog.programs):
        validity: dict[str, int] = {
            **base_validity,
            **{k: v.years for k, v in program.validity.items()},
        }
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
        loaded.append(
            LoadedProgram(
                program, ref, validity, guidance, _explanations(program, index, lines, file)
            )
        )
    return loaded


def load_rules_file(path: Path, defaults: CatalogFile | None = None) -> list[LoadedProgram]:
    catalog, text, problems = check_rules_file(path)
    if catalog is None and len(problems) == 1:
        raise RulesError(str(problems[0]))
    if catalog is None:
        raise RulesError(
            f"{path}: invalid rules file ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''})",
            details=[str(p) for p in problems],
        )
    return _resolve(catalog, defaults, locate_keys(text), str(path))


def load_catalog(rules: Iterable[Path] = (), *, builtin: bool = True) -> Catalog:
    """The built-in catalogue (unless `builtin` is false) plus each rules file in order.

    A later file's program replaces an earlier one with the same id.
    """
    builtin_file = builtin_path()
    built_in_catalog, text, problems = check_rules_file(builtin_file)
    if built_in_catalog is None:  # a broken install, not a user error; still no traceback
        raise RulesError(f"built-in catalogue is invalid: {problems[0] if problems else ''}")
    programs: dict[str, LoadedProgram] = {}
    if builtin:
        for loaded in _resolve(built_in_catalog, None, locate_keys(text), BUILTIN_DISPLAY):
            programs[loaded.ref.id] = loaded
    for path in rules:
        for loaded in load_rules_file(path, built_in_catalog):
            programs[loaded.ref.id] = loaded
    if not programs:
        raise UsageError("the catalogue is empty: give a rules file with at least one program")
    return Catalog(programs)
