"""The rules: a program's requirements, the catalogue file that holds programs, and a
program as loaded (resolved once, ready to evaluate).

A program's requirement keys (`degree`, `gpa`, ...) are not written here: the `Program`
model is built from the requirement kinds (`requirements.KINDS`), so a new kind adds its
key, its schema and its validation by being listed there.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import Field, create_model

from admitcheck.errors import UsageError
from admitcheck.models.base import Input
from admitcheck.models.report import ProgramRef
from admitcheck.models.scores import TestName
from admitcheck.requirements import KINDS
from admitcheck.requirements.base import BandPoint, Context, Kind, Requirement


class Caveat(Input):
    text: str
    source: str


class Validity(Input):
    years: int = Field(ge=1, le=50)
    source: str


class BandGuidancePoint(Input):
    total: int = Field(ge=0, le=120)
    band: float = Field(ge=1, le=6, multiple_of=0.5)


class BandGuidance(Input):
    source: str
    comparable: list[BandGuidancePoint] = Field(default_factory=list)


ProgramId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=100)]


class ProgramBase(Input):
    """What every program has, whatever its requirements."""

    id: ProgramId
    name: str
    institution: str | None = None
    version: str | None = None
    term: str | None = None
    source: str = Field(min_length=1)
    as_of: date
    caveats: list[Caveat] = Field(default_factory=list)
    validity: dict[TestName, Validity] = Field(default_factory=dict)


def rule_of(program: ProgramBase, kind: Kind[Any]) -> Any:
    """The program's rule for a kind (a list for kinds with many rules), or None."""
    return getattr(program, kind.key, None)


def program_model(kinds: tuple[Kind[Any], ...] = KINDS) -> type[ProgramBase]:
    """The program model with one field per kind (built once per tuple of kinds)."""
    return _program_model(tuple(kinds))


def catalog_model(kinds: tuple[Kind[Any], ...] = KINDS) -> type[CatalogBase]:
    """The rules-file model whose programs have those kinds."""
    return _catalog_model(tuple(kinds))


@functools.cache
def _program_model(kinds: tuple[Kind[Any], ...]) -> type[ProgramBase]:
    taken = set(ProgramBase.model_fields)
    fields: dict[str, Any] = {}
    for kind in kinds:
        if kind.key in taken or kind.key in fields:
            raise ValueError(f"requirement kind key '{kind.key}' is already a program key")
        default: Any = Field(default_factory=list) if kind.many else None
        fields[kind.key] = (kind.annotation(), default)
    model: type[ProgramBase] = create_model(
        "Program",
        __base__=ProgramBase,
        __module__=__name__,
        __doc__="One program and its requirements.",
        **fields,
    )
    return model


class CatalogBase(Input):
    format: int = Field(default=1, ge=1, le=1)
    validity: dict[TestName, Validity] = Field(default_factory=dict)
    toefl_band_guidance: BandGuidance | None = None


@functools.cache
def _catalog_model(kinds: tuple[Kind[Any], ...]) -> type[CatalogBase]:
    program = _program_model(kinds)
    model: type[CatalogBase] = create_model(
        "CatalogFile",
        __base__=CatalogBase,
        __module__=__name__,
        __doc__="A rules file: shared settings and its programs.",
        programs=(list[program], Field(default_factory=list)),  # type: ignore[valid-type]
    )
    return model


# The models of the shipped kinds, under their own names so that they can be pickled (the
# batch workers receive loaded programs).
Program = program_model()
CatalogFile = catalog_model()


@dataclass(frozen=True, eq=False)
class LoadedProgram:
    """A validated program with what evaluation needs resolved once, at load time.

    Compared by identity: evaluation memoises per loaded program.
    """

    rules: ProgramBase
    ref: ProgramRef
    validity_years: Mapping[str, int]
    band_guidance: tuple[BandPoint, ...]
    # Each rule of the program with its kind, in report order (a kind with many rules,
    # such as coursework, has one part per rule).
    parts: tuple[tuple[Kind[Any], Any], ...]
    requirements: tuple[Requirement, ...]
    # check id -> where its rule is written and the source's words, for `--explain`
    explanations: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"LoadedProgram({self.ref.id!r})"

    def context(self, as_of: date) -> Context:
        return Context(as_of, self.validity_years, self.band_guidance)

    @property
    def check_ids(self) -> tuple[str, ...]:
        return tuple(r.check_id for r in self.requirements)


@dataclass(frozen=True)
class Catalog:
    programs: Mapping[str, LoadedProgram]

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

    def all(self) -> Sequence[LoadedProgram]:
        return list(self.programs.values())
