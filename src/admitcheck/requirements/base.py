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
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from admitcheck.models.base import Cited
from admitcheck.models.profile import Profile
from admitcheck.models.report import Check
from admitcheck.reference import Reference
from admitcheck.vocabulary import Category

Loc = tuple[str | int, ...]

R = TypeVar("R")  # one rule of the kind


@dataclass(frozen=True)
class Context:
    """What a check needs besides the facts and its rule; the same for every record."""

    as_of: date  # the evaluation date, standing for the date of submission
    reference: Reference
    validity_years: Mapping[str, int] = field(default_factory=dict)
    home_country: str | None = None  # ISO alpha-2 of the institution: who is domestic


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


def _copy_of(cls: type[Kind[Any]], state: dict[str, Any]) -> Kind[Any]:
    kind = cls.__new__(cls)
    kind.__dict__.update(state)
    return kind


class Kind(ABC, Generic[R]):
    """One sort of requirement. Subclasses set the class attributes and the methods.

    A program holds one rule of a kind, or with `many` a list of them
    (`[[programs.coursework]]`); each rule of a list is evaluated on its own, with its
    own facts, so the memo in `evaluate` works per rule.
    """

    key: str  # the program's key in the rules file, and the check id (or its prefix)
    category: Category
    rule_model: type[BaseModel]
    many: bool = False  # a list of rules rather than one table
    # What an institution may state once for all its programs for this kind (its
    # `[institutions.<key>]` table), or None; see `inherit`.
    institution_model: type[BaseModel] | None = None
    title: str = ""
    # Whether evaluate memoises this kind's checks by its facts: worth it where facts
    # repeat across applicants (a degree field, a GPA); not where they carry test dates.
    memoise: bool = True
    # Keys of this kind's table (at any depth) whose values are ids of a vocabulary:
    # key -> vocabulary name in `rules_ids.vocabularies` ("subject", "country", ...).
    vocabulary: ClassVar[Mapping[str, str]] = {}

    def annotation(self) -> Any:
        """The type of the program's field for this kind."""
        model: Any = self.rule_model
        return list[model] if self.many else model | None

    def rules(self, value: Any) -> list[tuple[R, Loc]]:
        """A program's value for this kind -> its rules, each with where it is written."""
        if value is None:
            return []
        if self.many:
            return [(rule, (self.key, index)) for index, rule in enumerate(value)]
        return [(value, (self.key,))]

    @abstractmethod
    def requirements(
        self, rule: R, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        """Every check this rule yields, in report order, with its `required` wording;
        `at` is where the rule is written in the program."""

    @abstractmethod
    def facts(self, profile: Profile, rule: R) -> Hashable:
        """The part of a profile this rule's check reads, as a hashable value (the memo
        key). Only what the check reads: the fewer distinct values, the more memo hits."""

    @abstractmethod
    def check(self, facts: Any, rule: R, ctx: Context) -> Sequence[Check]:
        """Pure: facts and rule -> one check per requirement, in `requirements` order."""

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        """What the schema cannot say: consistency inside the program's value for this kind
        (a rule, or the list of them), with locations below the key."""
        return []

    def inherit(self, rule: R, institution: Any) -> R:
        """The rule with what the program's institution states for every program."""
        return rule

    def explain(self, facts: Any, rule: R, ctx: Context) -> dict[str, list[str]]:
        """For `--explain`: per check id, how the facts were read (taxonomy matches,
        country matches, equivalences), beyond where the rule is written."""
        return {}

    def prepare(self, rule: R) -> Any:
        """What checks derive from the rule alone (wording, tables): see `prepared`."""
        return None

    def __reduce__(self) -> str | tuple[Any, ...]:
        """A shipped kind pickles as a reference to itself (batch workers, the catalogue
        cache), never as a copy of its caches; any other kind as a copy."""
        from admitcheck.requirements import KINDS, shipped_kind

        if self in KINDS:
            return (shipped_kind, (self.key,))
        return (_copy_of, (type(self), dict(self.__dict__)))

    def prepared(self, rule: R) -> Any:
        """`prepare(rule)`, computed once per rule.

        Rules are loaded once and used for every record, so this matters on the batch hot
        path. Keyed by identity; the entry keeps the rule alive, so an id is not reused.
        """
        cache: dict[int, tuple[R, Any]] | None = self.__dict__.get("_prepared")
        if cache is None:
            cache = self.__dict__["_prepared"] = {}
        hit = cache.get(id(rule))
        if hit is None or hit[0] is not rule:
            hit = cache[id(rule)] = (rule, self.prepare(rule))
        return hit[1]
