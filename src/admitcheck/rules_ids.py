"""The ids a rules file names, held to their vocabularies before the file is validated.

A typo in an id does not fail a schema: `subject = "statistic"` is a string like any other,
and every applicant would then be `not_met`. So each id a rules file names (taxonomy areas
and subjects, countries, currencies, test names) is looked up in its vocabulary: an id
outside it is an error naming the nearest id; one that differs in case only (`usd`) is
normalised in the document, with a warning. Each kind says which of its keys hold ids
(`Kind.vocabulary`); the institution's `country` and the `validity` tables' test names are
common to every file.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from admitcheck.inputs.toml_text import Loc
from admitcheck.models.scores import AdmissionTestName, EnglishTestName, TestName
from admitcheck.reference import Reference
from admitcheck.requirements.base import Kind
from admitcheck.wording import article


@dataclass(frozen=True, slots=True)
class IdProblem:
    loc: Loc
    message: str
    warning: bool = False  # a case-only difference, normalised


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The ids of one vocabulary, and how to find one of them."""

    what: str  # "subject", "field-taxonomy area", ...
    ids: Sequence[str]  # every valid id, as written
    lookup: Callable[[str], str | None]  # a text -> the id it is (exactly), or None
    hint: str  # where the valid ids are listed
    nearest_in: Mapping[str, str] | None = None  # folded text -> shown, when not `ids`

    def problem(self, value: str, loc: Loc) -> tuple[IdProblem | None, str | None]:
        """(problem, the normalised id to write instead) for one id as written."""
        if self.lookup(value) is not None:
            return None, None
        folded = {i.casefold(): i for i in self.ids}.get(value.strip().casefold())
        if folded is not None:
            message = f"'{value}' read as '{folded}' (a difference of case only; write '{folded}')"
            return IdProblem(loc, message, True), folded
        shown = self.nearest_in or {i.casefold(): i for i in self.ids}
        pool = list(shown)
        close = difflib.get_close_matches(value.casefold(), pool, n=1, cutoff=0.5)
        if not close:
            close = difflib.get_close_matches(value.casefold(), pool, n=1, cutoff=0.0)
        near = f"; nearest: '{shown[close[0]]}'" if close else ""
        message = f"'{value}' is not {article(self.what)}{near} ({self.hint})"
        return IdProblem(loc, message), None


def _exact(ids: Sequence[str]) -> Callable[[str], str | None]:
    known = frozenset(ids)
    return lambda text: text if text in known else None


def _one_of(names: Any) -> str:
    return "one of: " + ", ".join(get_args(names))


def vocabularies(reference: Reference) -> dict[str, Vocabulary]:
    """Every vocabulary a rules file's ids are held to."""
    import pycountry  # only when a rules file is checked

    currencies = sorted(c.alpha_3 for c in pycountry.currencies)
    countries = sorted({reference.countries.name(c) for c in reference.countries.names})
    fields = sorted(reference.fields.entries)
    subjects = sorted(reference.subjects.entries)

    def country(text: str) -> str | None:
        return reference.countries.code(text)

    return {
        "field_area": Vocabulary(
            "field-taxonomy area", fields, _exact(fields), "see data/taxonomy/fields.toml"
        ),
        "subject": Vocabulary(
            "subject", subjects, _exact(subjects), "see data/taxonomy/subjects.toml"
        ),
        "country": Vocabulary(
            "known country",
            [],
            country,
            "a country's name or its ISO 3166 code",
            {c.casefold(): c for c in countries},
        ),
        "currency": Vocabulary(
            "currency code", currencies, _exact(currencies), "ISO 4217, e.g. USD, EUR, CAD"
        ),
        "test": Vocabulary(
            "test",
            get_args(TestName),
            _exact(get_args(TestName)),
            "see `admitcheck schema programs`",
        ),
        "english_test": Vocabulary(
            "English test",
            get_args(EnglishTestName),
            _exact(get_args(EnglishTestName)),
            _one_of(EnglishTestName),
        ),
        "admission_test": Vocabulary(
            "admission test",
            get_args(AdmissionTestName),
            _exact(get_args(AdmissionTestName)),
            _one_of(AdmissionTestName),
        ),
    }


# Keys every institution or program may hold, outside the kinds' tables.
_ENTITY_KEYS: Mapping[str, str] = {"country": "country"}


def id_problems(data: Any, kinds: Sequence[Kind[Any]], reference: Reference) -> list[IdProblem]:
    """Every id of a parsed rules file outside its vocabulary (an error) or differing in
    case only (a warning; the document is corrected in place). Values of the wrong type
    are left to the schema."""
    if not isinstance(data, dict):
        return []
    vocab = vocabularies(reference)
    found: list[IdProblem] = []

    def check(holder: Any, key: Any, name: str, loc: Loc) -> None:
        """The id (or list of ids) at holder[key]; a case-only fix is written back."""
        value = holder[key]
        if isinstance(value, str):
            problem, fixed = vocab[name].problem(value, loc)
            if problem is not None:
                found.append(problem)
            if fixed is not None:
                holder[key] = fixed
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    check(value, index, name, (*loc, index))

    def walk(node: Any, keys: Mapping[str, str], loc: Loc) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, keys, (*loc, index))
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in keys:
                    check(node, key, keys[key], (*loc, key))
                else:
                    walk(value, keys, (*loc, key))

    def validity(node: Any, loc: Loc) -> None:
        table = node.get("validity") if isinstance(node, dict) else None
        if not isinstance(table, dict):
            return
        for key in list(table):
            problem, fixed = vocab["test"].problem(key, (*loc, "validity", key))
            if problem is not None:
                found.append(problem)
            if fixed is not None and fixed not in table:
                table[fixed] = table.pop(key)

    validity(data, ())
    for list_key in ("institutions", "programs"):
        entities = data.get(list_key)
        if not isinstance(entities, list):
            continue
        for index, entity in enumerate(entities):
            if not isinstance(entity, dict):
                continue
            at: Loc = (list_key, index)
            validity(entity, at)
            for key, name in _ENTITY_KEYS.items():
                if key in entity:
                    check(entity, key, name, (*at, key))
            for kind in kinds:
                if kind.key in entity and kind.vocabulary:
                    walk(entity[kind.key], kind.vocabulary, (*at, kind.key))
    return found
