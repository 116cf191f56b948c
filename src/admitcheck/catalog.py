"""Rules files -> a catalogue of loaded programs: the built-in one and users' files.

The rules file is data: parsed with tomllib and validated with pydantic, never evaluated,
and it cannot include other files. Validation reports every problem of every institution
and program in one pass, each with its TOML line and key path: their common keys and each
of their requirements are validated on their own, so one broken table hides nothing else.

The reference data every check reads (taxonomies, grade notations, country names, test
facts) is read from `data/` here too, once per process; a rules file may add taxonomy names.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from pydantic import BaseModel, TypeAdapter, ValidationError

from admitcheck.cache import cached
from admitcheck.coverage import pages as dated_pages
from admitcheck.coverage import problems as coverage_problems
from admitcheck.coverage import resolve as resolve_coverage
from admitcheck.coverage import strict_problems
from admitcheck.coverage import unchecked as unchecked_areas
from admitcheck.cycles import Cycle, parse_cycle
from admitcheck.errors import RulesError, UsageError
from admitcheck.inputs.toml_text import Loc, line_of, locate_keys, quoted_date_hint, read_toml
from admitcheck.models.program import (
    Catalog,
    CatalogBase,
    InstitutionBase,
    LoadedProgram,
    ProgramBase,
    Taxonomies,
    catalog_model,
    cycle_model,
    institution_model,
    program_model,
    rule_of,
)
from admitcheck.models.report import ProgramRef
from admitcheck.models.scores import SECTIONS
from admitcheck.problems import describe as describe_validation
from admitcheck.problems import format_path
from admitcheck.reference import Countries, GradeNotations, Reference, ToeflBands
from admitcheck.requirements import KINDS
from admitcheck.requirements.base import Kind
from admitcheck.rules_ids import id_problems
from admitcheck.taxonomy import Taxonomy, WordList

BUILTIN_NAME = "programs.toml"
BUILTIN_DISPLAY = "built-in data/programs.toml"  # where --explain says a rule is written

Kinds = tuple[Kind[Any], ...]


@dataclass(frozen=True, slots=True)
class RulesProblem:
    file: str
    line: int | None
    path: str
    message: str
    warning: bool = False  # a case-only difference in an id, normalised

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.warning:
            where += ": warning"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


def data_path(name: str) -> Path:
    """A shipped data file: inside the installed package, or data/ of a checkout."""
    packaged = _packaged_data() / name
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / name


@functools.cache
def _packaged_data() -> Any:
    """The package's data folder, found once. A package on disk holds it beside this
    file, where importlib.resources would find it (its import costs ~3 ms of each run)."""
    here = Path(__file__)
    if here.is_file():
        return here.parent / "data"
    from importlib import resources

    return resources.files("admitcheck") / "data"


def builtin_path() -> Path:
    return data_path(BUILTIN_NAME)


def builtin_files() -> list[Path]:
    """The shipped files whose facts cite sources: the programs and the test facts."""
    return [*with_includes(builtin_path()), data_path("tests.toml")]


def included(path: Path, document: Mapping[str, Any]) -> list[Path]:
    """The files a rules file takes in (`include`), relative to its folder."""
    names = document.get("include", [])
    if not isinstance(names, list):
        return []
    return [path.parent / name for name in names if isinstance(name, str)]


def with_includes(path: Path) -> list[Path]:
    """A rules file and the files it includes (not validated; see `check_rules_files`)."""
    try:
        document = read_rules_document(path)
    except RulesError:
        return [path]
    return [path, *included(path, document)]


def read_rules_document(path: Path) -> dict[str, Any]:
    """A rules file as parsed TOML (not validated), or one RulesError."""
    return read_toml(path)[1]


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
        rule = _adapter(kind).validate_python(raw)
    except ValidationError as exc:
        return _described(exc, kind.rule_model, where)
    if rule is None:
        return []
    return [((*where, *loc), message) for loc, message in kind.problems(rule)]


@functools.cache
def _adapter(kind: Kind[Any]) -> TypeAdapter[Any]:
    """One validator per kind, built once: building one costs more than using it."""
    return TypeAdapter(kind.annotation())


def _validate_entity(
    raw: Any, at: Loc, kinds: Kinds, institution: bool
) -> tuple[Any, list[tuple[Loc, str]]]:
    """One program (or institution): its common keys, then each requirement on its own."""
    model: type[BaseModel] = institution_model(kinds) if institution else program_model(kinds)
    base: type[BaseModel] = InstitutionBase if institution else ProgramBase
    if not isinstance(raw, dict):
        try:
            return model.model_validate(raw), []
        except ValidationError as exc:
            return None, _described(exc, model, at)
    own = [k for k in kinds if not institution or k.institution_model is not None]
    keys = {kind.key for kind in own} | ({"cycles"} if not institution else set())
    problems: list[tuple[Loc, str]] = []
    try:
        base.model_validate({k: v for k, v in raw.items() if k not in keys})
    except ValidationError as exc:
        problems += _described(exc, model, at)  # unknown keys get hints from every key
    if not institution and "cycles" in raw:
        problems += _cycle_problems(raw, at, kinds)
    for kind in own:
        if kind.key not in raw:
            continue
        where = (*at, kind.key)
        if institution:
            assert kind.institution_model is not None
            try:
                kind.institution_model.model_validate(raw[kind.key])
            except ValidationError as exc:
                problems += _described(exc, kind.institution_model, where)
        else:
            problems += _rule_problems(kind, raw[kind.key], where)
    if problems:
        return None, problems
    entity = model.model_validate(raw)
    if not institution:
        problems += [((*at, *loc), message) for loc, message in coverage_problems(entity, kinds)]
        problems += [((*at, *loc), message) for loc, message in _dispute_problems(entity, kinds)]
        if problems:
            return None, problems
    return entity, []


def _cycle_problems(raw: dict[str, Any], at: Loc, kinds: Kinds) -> list[tuple[Loc, str]]:
    """Each later cycle on its own: its keys, its requirements, and its order."""
    changes = raw["cycles"]
    model = cycle_model(kinds)
    if not isinstance(changes, list):
        try:
            model.model_validate(changes)
        except ValidationError as exc:
            return _described(exc, model, (*at, "cycles"))
        return []
    problems: list[tuple[Loc, str]] = []
    keys = {kind.key for kind in kinds}
    seen: list[Cycle] = []
    base = raw.get("cycle")
    if base is None:
        problems.append(
            ((*at, "cycles"), "later cycles need the program's own `cycle` (the first one)")
        )
    for j, change in enumerate(changes):
        where = (*at, "cycles", j)
        if not isinstance(change, dict):
            problems.append((where, "expected a table"))
            continue
        try:
            model.model_validate({k: v for k, v in change.items() if k not in keys})
        except ValidationError as exc:
            problems += _described(exc, model, where)
        for kind in kinds:
            if kind.key in change:
                problems += _rule_problems(kind, change[kind.key], (*where, kind.key))
        try:
            cycle = parse_cycle(str(change.get("cycle", "")))
        except ValueError:
            continue
        earlier = [parse_cycle(str(base))] if isinstance(base, str) else []
        for other in [*earlier, *seen]:
            if cycle is not None and other is not None and other.start >= cycle.start:
                problems.append(
                    ((*where, "cycle"), f"{cycle.label} is not later than {other.label}")
                )
                break
        if cycle is not None:
            seen.append(cycle)
    return problems


def _dispute_problems(program: Any, kinds: Kinds) -> list[tuple[Loc, str]]:
    """A disputed reading must be a valid rule of the same kind."""
    found: list[tuple[Loc, str]] = []
    for kind in kinds:
        for rule, at in kind.rules(rule_of(program, kind)):
            if getattr(rule, "disputed", None) is None:
                continue
            try:
                lenient_rule(kind, rule)
            except ValidationError as exc:
                found += _described(exc, kind.rule_model, (*at, "disputed"))
    return found


def lenient_rule(kind: Kind[Any], rule: Any) -> Any:
    """The rule as its disputed page reads it: the rule's keys with the page's own."""
    data = rule.model_dump(exclude={"disputed"}, exclude_unset=True)
    data.update(rule.disputed.reading())
    data.update(source=rule.disputed.source, quote=rule.disputed.quote)
    return kind.rule_model.model_validate(data)


def _validate(data: Any, kinds: Kinds) -> tuple[CatalogBase | None, list[tuple[Loc, str]]]:
    """The file's top level, each institution and program on its own, then what spans
    them (an id used twice, a program naming an institution id that is not there)."""
    full = catalog_model(kinds)
    lists = ("institutions", "programs")
    if not isinstance(data, dict) or not all(isinstance(data.get(k, []), list) for k in lists):
        try:
            return full.model_validate(data), []
        except ValidationError as exc:
            return None, _described(exc, full, ())
    problems: list[tuple[Loc, str]] = []
    try:
        CatalogBase.model_validate({k: v for k, v in data.items() if k not in lists})
    except ValidationError as exc:
        problems += _described(exc, full, ())
    for key, institution in (("institutions", True), ("programs", False)):
        seen: dict[str, int] = {}
        for index, raw in enumerate(data.get(key, [])):
            entity, found = _validate_entity(raw, (key, index), kinds, institution)
            problems += found
            entity_id = entity.id if entity else raw.get("id") if isinstance(raw, dict) else None
            if isinstance(entity_id, str):
                if entity_id in seen:
                    what = "institution" if institution else "program"
                    problems.append(
                        (
                            (key, index, "id"),
                            f"{what} id '{entity_id}' is used twice "
                            f"(first at {key}[{seen[entity_id]}])",
                        )
                    )
                seen.setdefault(entity_id, index)
    if problems:
        return None, problems
    return full.model_validate(data), []


def check_rules_file(
    path: Path, kinds: Kinds = KINDS, *, strict: bool = False, nested: bool = False
) -> tuple[CatalogBase | None, str, list[RulesProblem]]:
    """Parse and validate one rules file; every problem comes back, none is raised.

    `strict` holds it to the built-in catalogue's standard (coverage of every area, every
    page dated); `nested` marks a file taken in by another's `include` (it may not include
    more)."""
    name = str(path)
    try:
        text, data = read_toml(path)
    except RulesError as exc:
        return None, "", [RulesProblem(name, None, "", exc.message.removeprefix(f"{name}: "))]
    lines = locate_keys(text)
    ids = id_problems(data, kinds, _file_reference(data))
    catalog, problems = _validate(data, kinds)
    problems += _include_problems(path, data, nested)
    if strict:
        problems += strict_problems(data)
    errors = {p.loc: p.message for p in ids if not p.warning}
    # An id problem says more than the schema's "expected one of" at the same key.
    problems = [(loc, m) for loc, m in problems if loc not in errors] + list(errors.items())
    if problems:
        catalog = None
    found = []
    for loc, message in sorted(problems, key=lambda item: line_of(lines, item[0]) or 0):
        line = line_of(lines, loc)
        found.append(
            RulesProblem(name, line, format_path(loc), message + quoted_date_hint(text, line))
        )
    found += [
        RulesProblem(name, line_of(lines, p.loc), format_path(p.loc), p.message, warning=True)
        for p in ids
        if p.warning
    ]
    return catalog, text, found


def _include_problems(path: Path, data: Any, nested: bool) -> list[tuple[Loc, str]]:
    if not isinstance(data, dict) or not isinstance(data.get("include"), list):
        return []
    found: list[tuple[Loc, str]] = []
    for index, name in enumerate(data["include"]):
        if not isinstance(name, str):
            continue  # the schema says so
        where: Loc = ("include", index)
        if nested:
            found.append((where, "an included file may not include others"))
        elif ".." in Path(name).parts or Path(name).is_absolute():
            found.append((where, f"'{name}': an included file must be inside this folder"))
        elif not (path.parent / name).is_file():
            found.append((where, f"'{name}': no such file beside {path.name}"))
    return found


def check_rules_files(
    path: Path, kinds: Kinds = KINDS, *, strict: bool = False
) -> list[tuple[Path, CatalogBase | None, str, list[RulesProblem]]]:
    """A rules file and each file it includes, each validated on its own."""
    catalog, text, problems = check_rules_file(path, kinds, strict=strict)
    found = [(path, catalog, text, problems)]
    if catalog is not None:
        for child in included(path, {"include": catalog.include}):
            found.append((child, *check_rules_file(child, kinds, strict=strict, nested=True)))
    return found


def _file_reference(data: Any) -> Reference:
    """The reference data a rules file's ids are held to: the shipped taxonomies and
    countries, with the file's own taxonomy additions where they are valid."""
    taxonomy = data.get("taxonomy") if isinstance(data, dict) else None
    if taxonomy is None:
        return build_reference()
    try:
        return build_reference([Taxonomies.model_validate(taxonomy).model_dump()])
    except (ValidationError, ValueError, TypeError, KeyError):
        return build_reference()  # the schema reports what is wrong with it


# --------------------------------------------------------------------------- reference data


def _read_data(name: str) -> dict[str, Any]:
    path = data_path(name)
    try:
        return read_toml(path, "data file")[1]
    except RulesError as exc:  # a broken install, not a user error; still no traceback
        raise RulesError(f"built-in data is unreadable: {exc.message}") from None


BUILTIN_DATA = (
    "taxonomy/fields.toml",
    "taxonomy/subjects.toml",
    "tests.toml",
    "grades.toml",
    "countries.toml",
)


# English words a typing slip is never read as: a header, a blank line, one word a line.
WORDS_DATA = "taxonomy/words.txt"


@functools.cache
def _builtin_documents() -> dict[str, dict[str, Any]]:
    return {name: _read_data(name) for name in BUILTIN_DATA}


@functools.cache
def _builtin_words() -> WordList:
    path = data_path(WORDS_DATA)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:  # a broken install, not a user error
        raise RulesError(f"built-in data is unreadable: {path}: {exc}") from None
    return WordList(text.partition("\n\n")[2])


def _iso_countries() -> list[tuple[str, str, str, list[str]]]:
    import pycountry  # a few ms; only when a catalogue is loaded

    found = []
    for country in pycountry.countries:
        others = [
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
        ]
        found.append((country.alpha_2, country.alpha_3, country.name, [o for o in others if o]))
    return found


def build_reference(additions: Sequence[Any] = ()) -> Reference:
    """The reference data, with any rules files' taxonomy additions."""
    return _reference(tuple(orjson.dumps(a, option=orjson.OPT_SORT_KEYS) for a in additions))


@functools.cache
def _reference(additions: tuple[bytes, ...]) -> Reference:
    docs = _builtin_documents()
    extra = [orjson.loads(a) for a in additions]
    tests = docs["tests.toml"]
    bands = tests.get("toefl_bands", {})
    validity = tests.get("validity", {})
    fields = Taxonomy.build(
        "fields", [docs["taxonomy/fields.toml"], *[e["fields"] for e in extra if e.get("fields")]]
    )
    subjects = Taxonomy.build(
        "subjects",
        [docs["taxonomy/subjects.toml"], *[e["subjects"] for e in extra if e.get("subjects")]],
    )
    # A word of either taxonomy is a word: neither reads it as a slip for one of its own.
    fields.words = subjects.words = _builtin_words().adding(
        fields.vocabulary() | subjects.vocabulary()
    )
    return Reference(
        fields=fields,
        subjects=subjects,
        grades=GradeNotations.build(docs["grades.toml"]),
        countries=Countries.build(
            _iso_countries(),
            docs["countries.toml"].get("aliases", {}),
            {k: g["members"] for k, g in docs["countries.toml"].get("groups", {}).items()},
        ),
        toefl_bands=ToeflBands.build(
            {float(p["band"]): int(p["total"]) for p in bands.get("lowest_total", [])},
            str(bands.get("source", "")),
            {
                section: {
                    float(row["band"]): (int(row[section][0]), int(row[section][-1]))
                    for row in bands.get("sections", [])
                }
                for section in SECTIONS
            },
        ),
        validity_years={test: int(v["years"]) for test, v in validity.items()},
        validity_sources={test: str(v.get("source", "")) for test, v in validity.items()},
    )


# --------------------------------------------------------------------------- resolving


def rules_hash(program: ProgramBase, validity_years: Mapping[str, int]) -> str:
    canonical = orjson.dumps(
        {"program": program.model_dump(mode="json"), "validity": validity_years},
        option=orjson.OPT_SORT_KEYS,
    )
    return "sha256:" + hashlib.sha256(canonical).hexdigest()[:16]


@dataclass(frozen=True)
class _Source:
    """One validated rules file, ready to resolve."""

    catalog: CatalogBase
    lines: dict[Loc, int]
    file: str
    warnings: tuple[str, ...] = ()  # ids normalised (case only), for the shell to show


def _institutions(sources: Sequence[_Source]) -> dict[str, tuple[Any, _Source, int]]:
    found: dict[str, tuple[Any, _Source, int]] = {}
    for source in sources:
        for index, institution in enumerate(getattr(source.catalog, "institutions", [])):
            found[institution.id] = (institution, source, index)
    return found


Resolved = tuple[LoadedProgram, tuple[tuple[Cycle, LoadedProgram], ...]]


def _resolve(
    source: _Source,
    defaults: Mapping[str, int],
    institutions: Mapping[str, tuple[Any, _Source, int]],
    reference: Reference,
    kinds: Kinds,
) -> list[Resolved]:
    """Each program of a rules file, loaded: its newest version and, where it declares
    admission cycles, every version by its cycle."""
    base_validity: dict[str, int] = dict(defaults)
    base_validity.update({k: v.years for k, v in source.catalog.validity.items()})
    loaded: list[Resolved] = []
    for index, program in enumerate(getattr(source.catalog, "programs", [])):
        versions = [
            (
                cycle,
                _resolve_one(
                    version, origin, index, source, base_validity, institutions, reference, kinds
                ),
            )
            for cycle, version, origin in program_versions(program, index, kinds)
        ]
        if program.cycle is None:
            loaded.append((versions[0][1], ()))
        else:
            dated = tuple((c, v) for c, v in versions if c is not None)
            loaded.append((dated[-1][1], dated))
    return loaded


def program_versions(
    program: Any, index: int, kinds: Kinds
) -> list[tuple[Cycle | None, Any, dict[str | int, Loc]]]:
    """A program as its rules stand in each cycle it declares, oldest first: the program's
    own tables, then each later cycle's changes on top (a requirement key replaces the
    whole table; `coverage` the areas it names). With each, where each key is written."""
    base = program.model_copy(update={"cycles": []})
    if program.cycle is None:
        return [(None, base, {})]
    found: list[tuple[Cycle | None, Any, dict[str | int, Loc]]] = [
        (parse_cycle(program.cycle), base, {})
    ]
    data = base.model_dump(exclude_unset=True)
    origin: dict[str | int, Loc] = {}
    model = type(program)
    for j, change in sorted(
        enumerate(program.cycles),
        key=lambda item: parse_cycle(item[1].cycle),  # type: ignore[arg-type,return-value]
    ):
        update = change.model_dump(exclude_unset=True)
        label = update.pop("cycle")
        coverage = update.pop("coverage", None)
        if coverage:
            data["coverage"] = {**data.get("coverage", {}), **coverage}
        data.update(update)
        data["cycle"] = label
        origin = {**origin, **dict.fromkeys(update, ("programs", index, "cycles", j))}
        found.append((parse_cycle(label), model.model_validate(data), dict(origin)))
    return found


def _cycle_label(text: str | None) -> str | None:
    found = parse_cycle(text) if text else None
    return found.label if found else None


def _resolve_one(
    program: Any,
    origin: Mapping[str | int, Loc],
    index: int,
    source: _Source,
    base_validity: Mapping[str, int],
    institutions: Mapping[str, tuple[Any, _Source, int]],
    reference: Reference,
    kinds: Kinds,
) -> LoadedProgram:
    held = institutions.get(program.institution or "")
    institution = held[0] if held else None
    validity = dict(base_validity)
    caveats = [f"{c.text} (Source: {c.source})" for c in program.caveats]
    home = None
    if institution is not None:
        validity.update({k: v.years for k, v in institution.validity.items()})
        caveats += [f"{c.text} (Source: {c.source})" for c in institution.caveats]
        home = reference.countries.code(institution.country)
    validity.update({k: v.years for k, v in program.validity.items()})
    units = []
    for kind in kinds:
        inherited = rule_of(institution, kind) if institution is not None else None
        for rule, at in kind.rules(rule_of(program, kind)):
            if inherited is not None:
                rule = kind.inherit(rule, inherited)
            units.append((kind, rule, at))
    parts = tuple((kind, rule) for kind, rule, _ in units)
    coverage, stated, stated_requirements = resolve_coverage(program, kinds)
    requirements = (
        tuple(
            req for kind, rule, at in units for req in kind.part_requirements(rule, at, reference)
        )
        + stated_requirements
    )
    lenient = tuple(
        (rule, lenient_rule(kind, rule))
        for kind, rule in parts
        if getattr(rule, "disputed", None) is not None
    )
    ref = ProgramRef(
        id=program.id,
        name=program.name,
        institution=institution.name if institution is not None else program.institution,
        version=program.version or program.term,
        as_of=program.as_of.isoformat(),
        source=program.source,
        rules_hash=rules_hash(program, validity)
        if institution is None
        else _hash_with(program, institution, validity),
        caveats=caveats,
        cycle=_cycle_label(program.cycle),
    )
    explanations = {}
    for requirement in requirements:
        full = ("programs", index, *requirement.loc)
        line = line_of(source.lines, full)
        text = f"{source.file}:{line}" if line else source.file
        text += f" [{format_path(full)}]"
        cited = requirement.cited
        quote = cited.quote if cited is not None else None
        if cited is not None and cited.source and cited.source.startswith("http"):
            text += f"; {cited.source}"
        explanations[requirement.check_id] = f'{text}; source: "{quote}"' if quote else text
    return LoadedProgram(
        program,
        ref,
        validity,
        reference,
        parts,
        requirements,
        explanations,
        home,
        institution.id if institution is not None else None,
        coverage=coverage,
        stated=stated,
        unchecked=unchecked_areas(coverage),
        pages=dated_pages(
            program,
            parts,
            [
                *source.catalog.validity.values(),
                *(institution.validity.values() if institution is not None else ()),
                *program.validity.values(),
            ],
        ),
        lenient=lenient,
    )


def _hash_with(program: ProgramBase, institution: Any, validity: Mapping[str, int]) -> str:
    canonical = orjson.dumps(
        {
            "program": program.model_dump(mode="json"),
            "institution": institution.model_dump(mode="json"),
            "validity": validity,
        },
        option=orjson.OPT_SORT_KEYS,
    )
    return "sha256:" + hashlib.sha256(canonical).hexdigest()[:16]


def _checked(
    path: Path, kinds: Kinds, display: str | None = None, *, nested: bool = False
) -> _Source:
    catalog, text, found = check_rules_file(path, kinds, nested=nested)
    problems = [p for p in found if not p.warning]
    if catalog is None and len(problems) == 1:
        raise RulesError(str(problems[0]))
    if catalog is None:
        raise RulesError(
            f"{path}: invalid rules file ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''})",
            details=[str(p) for p in problems],
        )
    warnings = tuple(str(p) for p in found if p.warning)
    return _Source(catalog, locate_keys(text), display or str(path), warnings)


def load_catalog(
    rules: Iterable[Path] = (), *, builtin: bool = True, kinds: Kinds = KINDS
) -> Catalog:
    """The built-in catalogue (unless `builtin` is false) plus each rules file in order.

    A later file's program (or institution) replaces an earlier one with the same id; a
    rules file may use the built-in institutions. The built-in catalogue alone comes from
    the cache (`cache.py`) when it was built before from the same data and code.
    """
    rules = list(rules)
    if not rules and builtin and kinds is KINDS:
        return cached(
            "catalog",
            _builtin_data_files(),
            lambda: _load(rules, builtin, kinds),
            shape=is_catalog,
        )
    return _load(rules, builtin, kinds)


def is_catalog(found: object) -> bool:
    """The shape of the catalogue's cache entry."""
    return isinstance(found, Catalog)


def _builtin_data_files() -> list[Path]:
    # Every institution file there is, not the include list: reading the list would parse
    # data/programs.toml on every start-up, before the cache could answer.
    institutions = sorted(builtin_path().parent.joinpath("programs").glob("*.toml"))
    return [
        builtin_path(),
        *institutions,
        *(data_path(name) for name in (*BUILTIN_DATA, WORDS_DATA)),
    ]


def _checked_all(path: Path, kinds: Kinds, display: str | None = None) -> list[_Source]:
    """A rules file and the files it includes, each validated (or one RulesError)."""
    first = _checked(path, kinds, display)
    found = [first]
    for child in included(path, {"include": first.catalog.include}):
        shown = (
            display.rsplit("/", 1)[0] + "/" + child.relative_to(path.parent).as_posix()
            if display
            else None
        )
        source = _checked(child, kinds, shown, nested=True)
        found.append(source)
    return found


def _load(rules: list[Path], builtin: bool, kinds: Kinds) -> Catalog:
    try:
        built_in = _checked_all(builtin_path(), kinds, BUILTIN_DISPLAY)
    except RulesError as exc:  # a broken install, not a user error; still no traceback
        raise RulesError(f"built-in catalogue is invalid: {exc.message}") from None
    users = [source for path in rules for source in _checked_all(path, kinds)]
    sources = [*built_in, *users]
    additions = [s.catalog.taxonomy.model_dump() for s in sources if s.catalog.taxonomy]
    reference = build_reference(additions)
    institutions = _institutions(sources)
    programs: dict[str, LoadedProgram] = {}
    versions: dict[str, tuple[tuple[Cycle, LoadedProgram], ...]] = {}
    for source in built_in * builtin + users:
        for loaded, dated in _resolve(
            source, reference.validity_years, institutions, reference, kinds
        ):
            programs[loaded.ref.id] = loaded
            versions.pop(loaded.ref.id, None)  # a later file's program replaces it whole
            if dated:
                versions[loaded.ref.id] = dated
    if not programs:
        raise UsageError("the catalogue is empty: give a rules file with at least one program")
    return Catalog(programs, reference, versions, tuple(w for s in users for w in s.warnings))


def check_ids(programs: Sequence[LoadedProgram]) -> tuple[str, ...]:
    """The union of the programs' check ids, in first-seen order (CSV status columns)."""
    seen: dict[str, None] = {}
    for program in programs:
        seen.update(dict.fromkeys(program.check_ids))
    return tuple(seen)
