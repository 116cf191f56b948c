"""The rules: institutions, programs, the catalogue file that holds them, and a program as
loaded (resolved once, ready to evaluate).

A program's requirement keys (`degree`, `gpa`, ...) are not written here: the `Program`
model is built from the requirement kinds (`requirements.KINDS`), and so is the
`Institution` model (the keys a kind lets an institution state once for all its programs).
A new kind adds its key, its schema and its validation by being listed there.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, create_model, model_validator

from admitcheck.cycles import Cycle, check_page_date, parse_cycle
from admitcheck.errors import UsageError
from admitcheck.models.base import Input, PageDate
from admitcheck.models.report import Check, CoverageOf, ProgramRef
from admitcheck.models.scores import TestName
from admitcheck.reference import Reference
from admitcheck.requirements import KINDS
from admitcheck.requirements.base import Context, Kind, Requirement


class Caveat(Input):
    text: str
    source: str
    quote: str | None = None
    read: date | None = None
    page_date: PageDate | None = None


class Validity(Input):
    years: int = Field(ge=1, le=50)
    source: str
    quote: str | None = None
    read: date | None = None
    page_date: PageDate | None = None
    cited: bool = True
    note: str | None = None


def _a_cycle(text: str) -> str:
    if parse_cycle(text) is None:
        raise ValueError("a cycle, not 'undated'")
    return text.strip()


CycleLabel = Annotated[
    str, Field(max_length=40), AfterValidator(check_page_date), AfterValidator(_a_cycle)
]

# What a later cycle may restate besides requirements (a requirement key replaces the
# program's whole table; `coverage` replaces the areas it names).
CYCLE_KEYS = ("source", "as_of", "page_date", "term", "version", "caveats", "validity", "coverage")


class CycleBase(Input):
    """A later admission cycle of a program: what changed, everything else inherited."""

    cycle: CycleLabel
    source: str | None = None
    as_of: date | None = None
    page_date: PageDate | None = None
    term: str | None = None
    version: str | None = None
    caveats: list[Caveat] | None = None
    validity: dict[TestName, Validity] | None = None
    coverage: Coverage | None = None


# The seven areas of a program's requirements whose coverage a program declares (SPEC v3).
AREAS = ("degree", "gpa", "english", "tests", "coursework", "materials", "deadline")
CoverageValue = Literal["checked", "stated", "none", "unknown"]


class CoverageEntry(Input):
    """What a program's pages say of one area, and whether admitcheck checks it:
    `checked` (the rules encode it), `stated` (a page states a requirement the rules cannot
    check: one `review` check), `none` (a page says there is no such requirement),
    `unknown` (no page found says either way)."""

    value: CoverageValue
    source: str | None = None
    quote: str | None = None
    read: date | None = None
    page_date: PageDate | None = None
    by_hand: Annotated[str, Field(max_length=500)] | None = Field(
        default=None, description="For `stated`: what a person must check by hand."
    )

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, data: Any) -> Any:
        """`gpa = "checked"` is short for `gpa = { value = "checked" }`."""
        return {"value": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _cited(self) -> CoverageEntry:
        if self.value in ("stated", "none") and not (self.source and self.quote):
            raise ValueError(f"a '{self.value}' area needs the source and quote that say so")
        if self.value == "unknown" and (self.source or self.quote or self.by_hand):
            raise ValueError("an 'unknown' area has no source: no page found says either way")
        return self


Coverage = Annotated[
    dict[
        Literal["degree", "gpa", "english", "tests", "coursework", "materials", "deadline"],
        CoverageEntry,
    ],
    Field(
        description="Per area: checked, stated, none or unknown (a bare string for checked "
        "or unknown; a table with source and quote otherwise)."
    ),
]


Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=100)]


class InstitutionBase(Input):
    """What an institution states once for all its programs."""

    id: Id
    name: str
    country: str | None = Field(
        default=None, description="Where it is (a country name or code): who is domestic."
    )
    source: str | None = None
    read: date | None = None
    page_date: PageDate | None = None
    caveats: list[Caveat] = Field(default_factory=list)
    validity: dict[TestName, Validity] = Field(default_factory=dict)


class ProgramBase(Input):
    """What every program has, whatever its requirements."""

    id: Id
    name: str
    institution: str | None = Field(
        default=None, description="An institution's id (its rules apply) or its name."
    )
    version: str | None = None
    term: str | None = None
    source: str = Field(min_length=1)
    as_of: date = Field(description="When the source was read.")
    page_date: PageDate | None = None
    caveats: list[Caveat] = Field(default_factory=list)
    validity: dict[TestName, Validity] = Field(default_factory=dict)
    coverage: Coverage = Field(default_factory=dict)
    cycle: CycleLabel | None = Field(
        default=None,
        description="The admission cycle these rules are for ('Fall 2026'); later cycles "
        "in `cycles` state only what changed.",
    )


class TaxonomyAdditions(Input):
    """Names a rules file adds to a shipped taxonomy (the format of data/taxonomy/)."""

    areas: list[dict[str, Any]] = Field(default_factory=list)
    subjects: list[dict[str, Any]] = Field(default_factory=list)
    titles: list[dict[str, Any]] = Field(default_factory=list)
    modifiers: list[dict[str, Any]] = Field(default_factory=list)
    abbreviations: dict[str, list[str]] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)


class Taxonomies(Input):
    fields: TaxonomyAdditions | None = None
    subjects: TaxonomyAdditions | None = None


def rule_of(program: Any, kind: Kind[Any]) -> Any:
    """A program's (or institution's) value for a kind, or None."""
    return getattr(program, kind.key, None)


def program_model(kinds: tuple[Kind[Any], ...] = KINDS) -> type[ProgramBase]:
    """The program model with one field per kind (built once per tuple of kinds)."""
    return _program_model(tuple(kinds))


def institution_model(kinds: tuple[Kind[Any], ...] = KINDS) -> type[InstitutionBase]:
    """The institution model with a field per kind that lets institutions state rules."""
    return _institution_model(tuple(kinds))


def catalog_model(kinds: tuple[Kind[Any], ...] = KINDS) -> type[CatalogBase]:
    """The rules-file model whose programs have those kinds."""
    return _catalog_model(tuple(kinds))


def _kind_fields(
    kinds: tuple[Kind[Any], ...], taken: set[str], institution: bool
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for kind in kinds:
        if kind.key in taken or kind.key in fields:
            raise ValueError(f"requirement kind key '{kind.key}' is already a program key")
        if institution:
            if kind.institution_model is not None:
                model: Any = kind.institution_model
                fields[kind.key] = (model | None, None)
        else:
            default: Any = Field(default_factory=list) if kind.many else None
            fields[kind.key] = (kind.annotation(), default)
    return fields


def cycle_model(kinds: tuple[Kind[Any], ...] = KINDS) -> type[CycleBase]:
    """The model of one later cycle of a program with those kinds."""
    return _cycle_model(tuple(kinds))


@functools.cache
def _cycle_model(kinds: tuple[Kind[Any], ...]) -> type[CycleBase]:
    fields: dict[str, Any] = {
        key: (annotation, None)
        for key, (annotation, _) in _kind_fields(
            kinds, set(CycleBase.model_fields), institution=False
        ).items()
    }
    model: type[CycleBase] = create_model(
        "ProgramCycle",
        __base__=CycleBase,
        __module__=__name__,
        __doc__="A later admission cycle of a program: only what changed.",
        **fields,
    )
    return model


@functools.cache
def _program_model(kinds: tuple[Kind[Any], ...]) -> type[ProgramBase]:
    cycle: Any = _cycle_model(kinds)
    model: type[ProgramBase] = create_model(
        "Program",
        __base__=ProgramBase,
        __module__=__name__,
        __doc__="One program and its requirements.",
        cycles=(
            list[cycle],
            Field(default_factory=list, description="Later admission cycles, oldest first."),
        ),
        **_kind_fields(kinds, {*ProgramBase.model_fields, "cycles"}, institution=False),
    )
    return model


@functools.cache
def _institution_model(kinds: tuple[Kind[Any], ...]) -> type[InstitutionBase]:
    model: type[InstitutionBase] = create_model(
        "Institution",
        __base__=InstitutionBase,
        __module__=__name__,
        __doc__="An institution and the rules every one of its programs inherits.",
        **_kind_fields(kinds, set(InstitutionBase.model_fields), institution=True),
    )
    return model


IncludePath = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_./-]*\.toml$", max_length=200)]


class CatalogBase(Input):
    format: int = Field(default=1, ge=1, le=1)
    include: list[IncludePath] = Field(
        default_factory=list,
        description="Rules files taken in, relative to this one (one institution each).",
    )
    validity: dict[TestName, Validity] = Field(default_factory=dict)
    taxonomy: Taxonomies | None = None


@functools.cache
def _catalog_model(kinds: tuple[Kind[Any], ...]) -> type[CatalogBase]:
    program: Any = _program_model(kinds)
    institution: Any = _institution_model(kinds)
    model: type[CatalogBase] = create_model(
        "CatalogFile",
        __base__=CatalogBase,
        __module__=__name__,
        __doc__="A rules file: shared settings, institutions and programs.",
        institutions=(list[institution], Field(default_factory=list)),
        programs=(list[program], Field(default_factory=list)),
    )
    return model


# The models of the shipped kinds, under their own names so that they can be pickled (the
# batch workers receive loaded programs).
Program = program_model()
Institution = institution_model()
CatalogFile = catalog_model()


@dataclass(frozen=True, eq=False)
class LoadedProgram:
    """A validated program with what evaluation needs resolved once, at load time: its
    institution's rules merged in, validity windows, reference data.

    Compared by identity: evaluation memoises per loaded program.
    """

    rules: ProgramBase
    ref: ProgramRef
    validity_years: Mapping[str, int]
    reference: Reference
    # Each rule of the program with its kind, in report order (a kind with many rules,
    # such as coursework, has one part per rule).
    parts: tuple[tuple[Kind[Any], Any], ...]
    requirements: tuple[Requirement, ...]
    # check id -> where its rule is written and the source's words, for `--explain`
    explanations: Mapping[str, str] = field(default_factory=dict)
    home_country: str | None = None
    institution_id: str | None = None
    # With --checks: the check ids evaluated (None: all) and those left out, in order.
    selected: frozenset[str] | None = None
    left_out: tuple[str, ...] = ()
    # Coverage (coverage.py): per area; the `review` checks of `stated` areas; the areas
    # no page speaks of; the dated pages the requirements rest on (oldest first).
    coverage: Mapping[str, CoverageOf] = field(default_factory=dict)
    stated: tuple[Check, ...] = ()
    unchecked: tuple[str, ...] = ()
    pages: tuple[Any, ...] = ()
    # (rule, the rule as a disputed page reads it) for each disputed rule of `parts` (see
    # models.base.Disputed); found by identity, which pickling keeps within one program.
    lenient: tuple[tuple[Any, Any], ...] = ()
    # A cycle older than every version of the rules: (cycle asked for, oldest held).
    no_rules_for: tuple[str, str] | None = None
    # One context per evaluation date: a batch asks for the same one for every record.
    _contexts: dict[date, Context] = field(default_factory=dict, repr=False)
    _notes: dict[date, list[str]] = field(default_factory=dict, repr=False)

    def lenient_rule(self, rule: Any) -> Any:
        """The disputed page's reading of one of the program's rules, or None."""
        for strict, lenient in self.lenient:
            if strict is rule:
                return lenient
        return None

    @property
    def materials_known(self) -> bool:
        """Whether the program's document list is known (materials checked or none)."""
        found = self.coverage.get("materials")
        return found is None or found.value in ("checked", "none")

    def notes(self, as_of: date) -> list[str]:
        """The report's notes on this date: pages dated long before it."""
        found = self._notes.get(as_of)
        if found is None:
            from admitcheck.coverage import stale_notes

            if len(self._notes) >= 64:
                self._notes.clear()
            found = self._notes[as_of] = stale_notes(self.pages, as_of)
        return found

    def __repr__(self) -> str:
        return f"LoadedProgram({self.ref.id!r})"

    def context(self, as_of: date) -> Context:
        found = self._contexts.get(as_of)
        if found is None:
            if len(self._contexts) >= 64:
                self._contexts.clear()
            found = self._contexts[as_of] = Context(
                as_of, self.reference, self.validity_years, self.home_country
            )
        return found

    @property
    def check_ids(self) -> tuple[str, ...]:
        return tuple(r.check_id for r in self.requirements)

    def selected_by(self, selector: str) -> list[str]:
        """The check ids a `--checks` selector names: a check id (`gpa`,
        `coursework.mathematics`), a category (`english`, `tests`, `coursework`), or an id
        prefix before a dot (`materials`)."""
        found = [
            r.check_id
            for kind, rule in self.parts
            for r in kind.requirements(rule, (), self.reference)
            if selector in (r.check_id, kind.category.value)
            or r.check_id.startswith(selector + ".")
        ]
        found += [c.id for c in self.stated if selector in (c.id, c.category.value)]
        return found

    def only(self, selectors: Sequence[str]) -> LoadedProgram:
        """The program with only the checks the selectors name (see `selected_by`)."""
        chosen: dict[str, None] = {}
        for selector in selectors:
            chosen.update(dict.fromkeys(self.selected_by(selector)))
        kept = []
        for kind, rule in self.parts:
            ids = [r.check_id for r in kind.requirements(rule, (), self.reference)]
            if any(i in chosen for i in ids):
                kept.append((kind, rule))
        return replace(
            self,
            parts=tuple(kept),
            requirements=tuple(r for r in self.requirements if r.check_id in chosen),
            selected=frozenset(chosen),
            left_out=tuple(r.check_id for r in self.requirements if r.check_id not in chosen),
            _contexts={},
            _notes={},
        )


@dataclass(frozen=True)
class Catalog:
    programs: Mapping[str, LoadedProgram]  # each program's newest version
    reference: Reference
    # Per program that declares cycles, every version, oldest first, by its cycle.
    versions: Mapping[str, tuple[tuple[Cycle, LoadedProgram], ...]] = field(default_factory=dict)

    def get(self, program_id: str, cycle: Cycle | None = None) -> LoadedProgram:
        """A program, as its rules stand for the cycle asked for (default: the newest)."""
        try:
            newest = self.programs[program_id]
        except KeyError:
            close = difflib.get_close_matches(program_id, list(self.programs), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see `admitcheck programs list`"
            raise UsageError(f"unknown program id '{program_id}'; {hint}") from None
        if cycle is None:
            return newest
        return for_cycle(newest, self.versions.get(program_id, ()), cycle)

    def select(self, program_id: str | None, cycle: Cycle | None = None) -> LoadedProgram:
        """The named program, or the only one when none is named."""
        if program_id is not None:
            return self.get(program_id, cycle)
        if len(self.programs) == 1:
            return self.get(next(iter(self.programs)), cycle)
        ids = ", ".join(self.programs) or "none"
        raise UsageError(f"name a program with --program (the catalogue holds: {ids})")

    def all(self, cycle: Cycle | None = None) -> Sequence[LoadedProgram]:
        if cycle is None:
            return list(self.programs.values())
        return [self.get(program_id, cycle) for program_id in self.programs]


def for_cycle(
    newest: LoadedProgram, versions: Sequence[tuple[Cycle, LoadedProgram]], cycle: Cycle
) -> LoadedProgram:
    """The version of a program for a cycle: the newest at or before it. A cycle newer than
    every version gets the newest, with a caveat; one older than every version gets rules
    that decide nothing (every check `review`). A program that declares no cycles holds for
    every cycle."""
    if not versions:
        return replace(newest, ref=replace(newest.ref, cycle_requested=cycle.label))
    earlier = [(c, p) for c, p in versions if c.start <= cycle.start]
    if not earlier:
        first_cycle, first = versions[0]
        return replace(
            first,
            ref=replace(first.ref, cycle_requested=cycle.label),
            no_rules_for=(cycle.label, first_cycle.label),
            _contexts={},
            _notes={},
        )
    found_cycle, found = earlier[-1]
    if found_cycle.label == cycle.label:
        return found
    ref = replace(found.ref, cycle_requested=cycle.label)
    if found is versions[-1][1] and cycle.start > found_cycle.start:
        ref.caveats = [
            *ref.caveats,
            f"No rules are transcribed for {cycle.label}: these are the rules for "
            f"{found_cycle.label}, the newest held. Check the program's page for "
            f"{cycle.label}.",
        ]
    return replace(found, ref=ref, _contexts={}, _notes={})
