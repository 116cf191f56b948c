"""What a requirement kind is, and the context every check gets.

A kind is one object that knows everything about one sort of requirement: the rule it
reads from a program (`rule_model`), the facts it reads from a profile (`facts`), how it
decides (`check`), how it words what is required (`requirements`), and what makes its
rule inconsistent (`problems`). `evaluate`, the catalogue validator, `programs show`,
`--explain` and the batch CSV columns loop over the kinds in `requirements.KINDS`; none
of them names a kind.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from admitcheck.models.base import Cited
from admitcheck.models.profile import Profile
from admitcheck.models.report import Check
from admitcheck.vocabulary import Category

Loc = tuple[str | int, ...]

R = TypeVar("R")  # what a program holds under the kind's key: one rule, or a list of them


@dataclass(frozen=True)
class BandPoint:
    total: int
    band: float


@dataclass(frozen=True)
class Context:
    """What a check needs besides the facts and its rule; the same for every record."""

    as_of: date
    validity_years: Mapping[str, int] = field(default_factory=dict)
    band_guidance: tuple[BandPoint, ...] = ()


@dataclass(frozen=True)
class Requirement:
    """One check a rule yields, described without any applicant: for `programs show`,
    `--explain`, the CSV columns, and the `required` of the check itself."""

    check_id: str
    title: str
    required: str
    loc: Loc  # where the rule is written, below the program ("coursework", 0)
    cited: Cited | None = None
    notes: tuple[str, ...] = ()  # more the rule says: waivers, exceptions


class Kind(ABC, Generic[R]):
    """One sort of requirement. Subclasses set the class attributes and the methods."""

    key: str  # the program's key in the rules file, and the check id (or its prefix)
    category: Category
    rule_model: type[BaseModel]
    many: bool = False  # a list of rules ([[programs.coursework]]) rather than one table
    title: str = ""

    def annotation(self) -> Any:
        """The type of the program's field for this kind."""
        model: Any = self.rule_model
        return list[model] if self.many else model | None

    def present(self, rule: R | None) -> bool:
        return bool(rule) if self.many else rule is not None

    @abstractmethod
    def requirements(self, rule: R) -> list[Requirement]:
        """Every check this rule yields, in report order, with its `required` wording."""

    @abstractmethod
    def facts(self, profile: Profile) -> Hashable:
        """The part of a profile the check reads, as a hashable value (the memo key)."""

    @abstractmethod
    def check(self, facts: Any, rule: R, ctx: Context) -> Sequence[Check]:
        """Pure: facts and rule -> one check per requirement, in `requirements` order."""

    def problems(self, rule: R) -> list[tuple[Loc, str]]:
        """What the schema cannot say: consistency inside the rule (loc below the key)."""
        return []
