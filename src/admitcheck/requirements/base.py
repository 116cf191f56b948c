"""What a requirement kind is, and the context every check gets.

A kind is one object that knows everything about one sort of requirement: the rule it
reads from a program (`rule_model`), the facts it reads from a profile (`facts`), how it
decides (`check`), how it words what is required (`requirements`), and what makes its
rule inconsistent (`problems`). `evaluate`, the catalogue validator, `programs show`,
`--explain` and the batch CSV columns loop over the kinds in `requirements.KINDS`; none
of them names a kind.

Forms every rule has (a rule model that subclasses `Rule`), applied here once, around a
kind's own check (`Kind.part_facts`, `Kind.part_check`), so no kind writes them:

`case_by_case`
    The program decides this rule case by case: where the kind's check says `not_met`, the
    check is `review` instead, quoting the words that say so; `missing` stays `missing`
    (the facts are still needed). `case_by_case = true` quotes the rule's own `quote`; a
    string is a note shown with it; a table `{ source, quote, read, note }` cites a page of
    its own. Kinds have narrower forms of the same for one part of a rule (the degree's
    `three_year.case_by_case`, `bar.case_by_case`).

`preferred = true`
    A qualification the program prefers but does not require: the kind's check decides as
    usual, and anything but `met`, `waived` or `not_applicable` becomes `not_applicable`,
    with a note saying what was not shown and that it is preferred, not required. Never
    `not_met`, `missing` or `review`: it never changes the verdict. (`met` needs evidence,
    so a preferred course not listed is `not_applicable`, not `met`.)

`when = { ... }`
    The rule applies only to some applicants (`Condition`): every key given must hold.
    `degree_areas` (the degree's field is in one of these field-taxonomy areas),
    `degree_outside_areas` (it is recognised as outside all of them), `international`
    (true: international applicants only; false: domestic only, read as the English check
    reads residency). Condition false: every check of the rule is `not_applicable`, with a
    note naming the condition and how the profile was read. Condition undecided (no degree
    field, a field the taxonomy cannot read, residency not given): a check that is settled
    anyway stays so; otherwise `missing` when a fact is absent (saying which to add) and
    `review` when a fact is there but unrecognised.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated, Any, ClassVar, Generic, NamedTuple, TypeVar

from pydantic import BaseModel, BeforeValidator, Field, model_validator

from admitcheck.models.base import Cited, Input
from admitcheck.models.profile import Profile
from admitcheck.models.report import Check
from admitcheck.reference import Reference
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import join_words

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


# --------------------------------------------------------------------------- rule forms


class CaseByCase(Cited):
    """Words saying the program decides a rule (or part of one) case by case. Its own
    `quote` (with `source`) where another page says so; else the rule's quote is shown."""

    note: str | None = Field(
        default=None, description="What the page says happens (shown with the quote)."
    )


def _case_by_case(value: Any) -> Any:
    if value is True:
        return {}
    if value is False:
        return None
    if isinstance(value, str):
        return {"note": value}
    return value


# `case_by_case = true`, a note, or a table with its own citation.
CaseByCaseField = Annotated[
    CaseByCase | None,
    BeforeValidator(_case_by_case, json_schema_input_type=bool | str | CaseByCase | None),
]


def case_by_case_words(case: CaseByCase, rule: Cited | None = None) -> str:
    """'The program decides this case by case ("..."). NOTE A person must judge.'"""
    quote = case.quote or (rule.quote if rule is not None else None)
    text = "The program decides this case by case"
    text += f' ("{quote}").' if quote else "."
    if case.note:
        text += f" {case.note.rstrip('.')}."
    return text + " A person must judge."


class Condition(Input):
    """When a rule applies: every key given must hold (see the module's docstring)."""

    degree_areas: list[str] = Field(
        default_factory=list, description="The degree's field is in one of these areas."
    )
    degree_outside_areas: list[str] = Field(
        default_factory=list, description="The degree's field is outside all of these areas."
    )
    international: bool | None = Field(
        default=None, description="true: international applicants only; false: domestic only."
    )

    @model_validator(mode="after")
    def _something(self) -> Condition:
        if not (self.degree_areas or self.degree_outside_areas) and self.international is None:
            raise ValueError(
                "a condition names degree_areas, degree_outside_areas or international"
            )
        return self


class Rule(Cited):
    """A kind's rule: cited, with the forms every rule has (see the module's docstring)."""

    case_by_case: CaseByCaseField = Field(
        default=None, description="The program decides this rule case by case: review, quoted."
    )
    preferred: bool = Field(
        default=False, description="Preferred, not required: never not_met, missing or review."
    )
    when: Condition | None = Field(
        default=None, description="The rule applies only to applicants meeting this condition."
    )


def residency(
    international: bool | None,
    citizenship: str | None,
    permanent_resident: bool | None,
    ctx: Context,
) -> tuple[bool | None, str]:
    """Whether the applicant is international, and why when it is inferred: `international`
    when given; else a citizen of the institution's country or a permanent resident is
    domestic; else unknown."""
    if international is not None or ctx.home_country is None:
        return international, ""
    if citizenship and ctx.reference.countries.code(citizenship) == ctx.home_country:
        return False, f"Taken as domestic: citizenship {citizenship} (international was not given)."
    if permanent_resident:
        return False, "Taken as domestic: a permanent resident (international was not given)."
    return None, ""


class ConditionFacts(NamedTuple):
    """What a condition reads of a profile."""

    international: bool | None
    citizenship: str | None
    permanent_resident: bool | None
    degree_field: str | None


class Conditioned(NamedTuple):
    """A conditional rule's facts: the condition's and the kind's own."""

    condition: ConditionFacts
    inner: Hashable


class Applies(NamedTuple):
    """Whether a condition holds (None: undecided), and how the profile was read."""

    holds: bool | None
    why: str
    absent: bool = False  # undecided because a fact is absent (not unrecognised)


def condition_text(condition: Condition, reference: Reference | None = None) -> str:
    """'applicants whose degree is outside computing'."""
    fields = reference.fields if reference is not None else None

    def named(areas: list[str]) -> str:
        return join_words(
            [fields.label(a).lower() if fields else a.replace("_", " ") for a in areas]
        )

    parts = []
    if condition.international is not None:
        parts.append("international" if condition.international else "domestic")
    who = " ".join([*parts, "applicants"])
    clauses = []
    if condition.degree_areas:
        clauses.append(f"whose degree is in {named(condition.degree_areas)}")
    if condition.degree_outside_areas:
        clauses.append(f"whose degree is outside {named(condition.degree_outside_areas)}")
    return " ".join([who, " and ".join(clauses)]).strip()


def applies(condition: Condition, facts: ConditionFacts, ctx: Context) -> Applies:
    """Whether the applicant meets the condition: False if any key fails, else None if any
    cannot be decided, else True."""
    found: list[Applies] = []
    if condition.international is not None:
        international, why = residency(
            facts.international, facts.citizenship, facts.permanent_resident, ctx
        )
        if international is None:
            found.append(
                Applies(
                    None,
                    "the profile does not say whether the applicant is "
                    "international (set international)",
                    absent=True,
                )
            )
        else:
            who = "international" if international else "domestic"
            found.append(
                Applies(
                    international is condition.international,
                    f"a {who} applicant{f' ({why})' if why else ''}",
                )
            )
    if condition.degree_areas or condition.degree_outside_areas:
        found.append(_degree_areas(condition, facts.degree_field, ctx))
    if any(a.holds is False for a in found):
        return next(a for a in found if a.holds is False)
    undecided = [a for a in found if a.holds is None]
    if undecided:
        return Applies(
            None, "; ".join(a.why for a in undecided), absent=all(a.absent for a in undecided)
        )
    return Applies(True, "; ".join(a.why for a in found))


def _degree_areas(condition: Condition, text: str | None, ctx: Context) -> Applies:
    if not text or not text.strip():
        return Applies(None, "no degree field is given (add degree.field)", absent=True)
    fields = ctx.reference.fields
    found = fields.classify(text)

    def among(areas: list[str]) -> str | None:
        return next(
            (m.entry for m in found.matches if any(fields.within(m.entry, a) for a in areas)),
            None,
        )

    outside = among(condition.degree_outside_areas)
    if outside is not None:
        return Applies(False, f"'{text}' reads as {fields.label(outside).lower()}")
    recognised = bool(found.entries) and not found.leftover
    labels = join_words(sorted({fields.label(e).lower() for e in found.entries}), "and")
    if condition.degree_areas:
        inside = among(condition.degree_areas)
        if inside is not None:
            return Applies(True, f"'{text}' reads as {fields.label(inside).lower()}")
        if recognised:
            return Applies(False, f"'{text}' reads as {labels}")
    elif recognised:
        return Applies(True, f"'{text}' reads as {labels}")
    return Applies(None, f"'{text}' is not a field the taxonomy recognises")


def _form(rule: Any, name: str) -> Any:
    """A rule's generic form (`when`, `case_by_case`, `preferred`), None where its model has
    none. Read from the model's field values directly: this runs for every rule of every
    record, and a missing attribute on a pydantic model costs an exception. A kind whose
    rule is not one model (all of a program's deadlines, a tuple) has no forms."""
    fields = getattr(rule, "__dict__", None)
    return fields.get(name) if fields is not None else None


_SETTLED = frozenset({Status.met, Status.waived, Status.not_applicable})


def _with(check: Check, status: Status, detail: str, shortfall: str | None) -> Check:
    return Check(
        check.id,
        check.category,
        check.title,
        status,
        check.required,
        check.actual,
        detail.strip(),
        shortfall,
    )


def _case_by_case_of(check: Check, case: CaseByCase, rule: Cited) -> Check:
    if check.status is not Status.not_met:
        return check
    return _with(
        check, Status.review, f"{check.detail} {case_by_case_words(case, rule)}", check.shortfall
    )


def _preferred(check: Check) -> Check:
    if check.status in _SETTLED:
        return check
    shown = check.detail or (f"Not shown: {check.shortfall}." if check.shortfall else "")
    return _with(
        check,
        Status.not_applicable,
        f"Preferred, not required: this never counts against an applicant. {shown}",
        None,
    )


def _conditioned(check: Check, condition: Condition, found: Applies, ctx: Context) -> Check:
    who = condition_text(condition, ctx.reference)
    if found.holds is False:
        return _with(
            check,
            Status.not_applicable,
            f"Applies only to {who}: {found.why}.",
            None,
        )
    if found.holds is True or check.status in _SETTLED:
        return check
    status = Status.missing if found.absent or check.status is Status.missing else Status.review
    return _with(
        check,
        status,
        f"{check.detail} This applies only to {who}, and {found.why}: "
        + ("add it to decide." if found.absent else "a person must judge whether it applies."),
        check.shortfall,
    )


def _copy_of(cls: type[Kind[Any]], state: dict[str, Any]) -> Kind[Any]:
    kind = cls.__new__(cls)
    kind.__dict__.update(state)
    return kind


# (rule class, form name) -> whether the class can have it at all: a pydantic model
# answers a missing attribute through its `__getattr__`, which costs a raised and caught
# error each time (about 1 us; three forms per rule, per program, per record).
_HAS_FORM: dict[tuple[type, str], bool] = {}


def form(rule: Any, name: str, default: Any) -> Any:
    """`getattr(rule, name, default)` for the forms every rule may have (`when`,
    `case_by_case`, `preferred`), fast where the rule's model has no such field."""
    cls = type(rule)
    known = _HAS_FORM.get((cls, name))
    if known is None:
        fields = getattr(cls, "model_fields", None)
        closed = getattr(cls, "model_config", {}).get("extra") != "allow"
        known = _HAS_FORM[(cls, name)] = not (
            isinstance(fields, dict) and closed and name not in fields
        )
    return getattr(rule, name, default) if known else default


# id(rule) -> (the rule, its when, case_by_case, preferred): read once per rule, not once
# per record and program. The entry keeps the rule alive, so an id is not reused.
_FORMS: dict[int, tuple[Any, Condition | None, CaseByCase | None, bool]] = {}


def forms(rule: Any) -> tuple[Condition | None, CaseByCase | None, bool]:
    """The rule's `when`, `case_by_case` and `preferred` (None, None, False if it has none)."""
    found = _FORMS.get(id(rule))
    if found is None or found[0] is not rule:
        if len(_FORMS) >= 4096:  # catalogues loaded again and again: keep none alive
            _FORMS.clear()
        found = _FORMS[id(rule)] = (
            rule,
            form(rule, "when", None),
            form(rule, "case_by_case", None),
            bool(form(rule, "preferred", False)),
        )
    return found[1], found[2], found[3]


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
    # Whether `facts` reads the applicant alone, never the rule: then evaluate computes
    # them once per applicant for all the programs it is checked against (screening).
    applicant_facts: bool = False

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

    # The evaluation of one part (a rule of a program): the kind's own facts and check,
    # with the forms every `Rule` has (module docstring) applied around them. `evaluate`
    # and the catalogue call these, never `facts`, `check` and `requirements` directly.

    def part_facts(self, profile: Profile, rule: R) -> Hashable:
        """`facts`, with what the rule's condition reads (the memo key of `part_check`)."""
        return self.conditioned(profile, rule, self.facts(profile, rule))

    def conditioned(self, profile: Profile, rule: R, facts: Hashable) -> Hashable:
        """The kind's `facts` with what the rule's condition reads, if it has one."""
        if forms(rule)[0] is None:
            return facts
        degree = profile.degree
        return Conditioned(
            ConditionFacts(
                profile.international,
                profile.citizenship,
                profile.permanent_resident,
                degree.field if degree is not None else None,
            ),
            facts,
        )

    def part_check(self, facts: Any, rule: R, ctx: Context) -> Sequence[Check]:
        """`check`, then the rule's `case_by_case`, `preferred` and `when`."""
        when, case, preferred = forms(rule)
        inner = facts.inner if when is not None else facts
        checks = self.check(inner, rule, ctx)
        if when is None and case is None and not preferred:
            return checks
        if case is not None:
            checks = [_case_by_case_of(c, case, rule) for c in checks]  # type: ignore[arg-type]
        if preferred:
            checks = [_preferred(c) for c in checks]
        if when is not None:
            found = applies(when, facts.condition, ctx)
            checks = [_conditioned(c, when, found, ctx) for c in checks]
        return checks

    def part_requirements(
        self, rule: R, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        """`requirements`, with notes for the rule's `case_by_case`, `preferred` and `when`."""
        found = self.requirements(rule, at, reference)
        notes: list[str] = []
        when: Condition | None = _form(rule, "when")
        if when is not None:
            notes.append(f"applies only to {condition_text(when, reference)}")
        if _form(rule, "preferred"):
            notes.append("preferred, not required")
        if _form(rule, "case_by_case") is not None:
            notes.append("decided case by case")
        if not notes:
            return found
        return [replace(r, notes=(*r.notes, *notes)) for r in found]

    # Screening (`screening.py`): compact reports keep only statuses and shortfalls, which
    # depend on fewer distinct facts than a full check's words do.

    def screen_scope(self, rule: R) -> Hashable:
        """What of the rule `screen_key` reads: rules of equal scope (across programs) share
        one key per applicant. None: the key reads the applicant alone."""
        return None if self.applicant_facts else ("rule", id(rule))

    def screen_key(self, profile: Profile, rule: R, ctx: Context) -> Hashable:
        """A key of the applicant such that equal keys give this kind's checks the same
        ids, statuses and shortfalls under every rule of the same `screen_scope` on
        `ctx.as_of` (their wording, `actual` and `detail`, may differ). Never the
        condition of a `when` (the screener keys that itself). Default: the facts."""
        return self.facts(profile, rule)

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
