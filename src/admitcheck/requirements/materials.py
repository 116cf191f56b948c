"""Application materials: documents, recommendation letters, the fee.

Materials never make an applicant ineligible: a document not yet provided is `missing`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, ClassVar

from pydantic import Field

from admitcheck.models.base import Cited, Key
from admitcheck.models.profile import Materials, Profile
from admitcheck.models.report import Check
from admitcheck.reference import Reference
from admitcheck.requirements.base import Context, Kind, Loc, Requirement
from admitcheck.vocabulary import Category, Status
from admitcheck.wording import num, plural

# Documents with a field of their own in the profile; any other key reads materials.other.
PROFILE_DOCUMENTS: tuple[str, ...] = ("statement_of_purpose", "resume", "transcripts")
# Profile fields that are not documents: a document rule may not use their keys.
_NOT_DOCUMENTS = frozenset(Materials.model_fields) - set(PROFILE_DOCUMENTS)


class DocumentRule(Cited):
    key: Key
    title: str


class LettersRule(Cited):
    min: int = Field(ge=0, le=50)
    max: int | None = Field(default=None, ge=0, le=50)


class FeeRule(Cited):
    amount: float = Field(ge=0)
    currency: str = Field(default="USD", min_length=3, max_length=3, description="ISO 4217 code")


class MaterialsRule(Cited):
    documents: list[DocumentRule] = Field(default_factory=list)
    letters: LettersRule | None = None
    fee: FeeRule | None = None


LETTERS_ID = "materials.recommendation_letters"
FEE_ID = "materials.application_fee"


def _letters_span(rule: LettersRule) -> str:
    return f"{rule.min}-{rule.max}" if rule.max is not None else f"at least {rule.min}"


class MaterialsKind(Kind[MaterialsRule]):
    key = "materials"
    vocabulary: ClassVar[Mapping[str, str]] = {"currency": "currency"}
    category = Category.materials
    rule_model = MaterialsRule
    title = "Application materials"

    def requirements(
        self, rule: MaterialsRule, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        found = [
            Requirement(
                f"materials.{doc.key}",
                doc.title,
                "required",
                (*at, "documents", j),
                _cited(doc, rule),
            )
            for j, doc in enumerate(rule.documents)
        ]
        if rule.letters is not None:
            found.append(
                Requirement(
                    LETTERS_ID,
                    "Recommendation letters",
                    f"{_letters_span(rule.letters)} letters",
                    (*at, "letters"),
                    _cited(rule.letters, rule),
                )
            )
        if rule.fee is not None:
            found.append(
                Requirement(
                    FEE_ID,
                    "Application fee",
                    f"{rule.fee.currency} {num(rule.fee.amount)}",
                    (*at, "fee"),
                    _cited(rule.fee, rule),
                )
            )
        return found

    def facts(self, profile: Profile, rule: MaterialsRule) -> Hashable:
        m = profile.materials
        if m is None:
            return None
        return (
            m.statement_of_purpose,
            m.resume,
            m.transcripts,
            m.recommendation_letters,
            m.application_fee_paid,
            m.fee_waiver,
            tuple(sorted(m.other.items())),
        )

    def check(self, facts: Any, rule: MaterialsRule, ctx: Context) -> Sequence[Check]:
        if facts is None:
            documents: dict[str, bool | None] = {}
            letters = paid = waiver = None
        else:
            sop, resume, transcripts, letters, paid, waiver, other = facts
            documents = {
                **dict(other),
                "statement_of_purpose": sop,
                "resume": resume,
                "transcripts": transcripts,
            }
        checks = [
            _document(req, documents.get(req.check_id.removeprefix("materials.")))
            for req in self.prepared(rule)
            if req.check_id not in (LETTERS_ID, FEE_ID)
        ]
        if rule.letters is not None:
            checks.append(_letters(letters, rule.letters))
        if rule.fee is not None:
            checks.append(_fee(paid, waiver, rule.fee))
        return checks

    def prepare(self, rule: MaterialsRule) -> list[Requirement]:
        return self.requirements(rule, (self.key,))

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        rule: MaterialsRule = value
        found: list[tuple[Loc, str]] = []
        letters = rule.letters
        if letters is not None and letters.max is not None and letters.max < letters.min:
            found.append((("letters",), f"max {letters.max} is below min {letters.min}"))
        keys = [d.key for d in rule.documents]
        for j, key in enumerate(keys):
            where: Loc = ("documents", j, "key")
            if key in keys[:j]:
                found.append((where, f"document '{key}' is listed twice"))
            if key in _NOT_DOCUMENTS:
                found.append(
                    (
                        where,
                        f"'{key}' is not a document key: letters and the fee have tables "
                        "of their own (letters, fee); 'other' holds the profile's extra "
                        "documents",
                    )
                )
        return found


def _cited(part: Cited, rule: MaterialsRule) -> Cited:
    """A part's own citation, or the materials rule's; the source and date carry over."""
    if part.quote is None:
        return rule
    return part.model_copy(
        update={"source": part.source or rule.source, "read": part.read or rule.read}
    )


def _document(requirement: Requirement, provided: bool | None) -> Check:
    actual: str | None
    if provided:
        status, actual, detail = Status.met, "provided", ""
    else:
        status = Status.missing
        actual = "not provided" if provided is False else None
        detail = "Not yet provided."
    return Check(
        requirement.check_id,
        Category.materials,
        requirement.title,
        status,
        requirement.required,
        actual,
        detail,
    )


def _letters(count: int | None, rule: LettersRule) -> Check:
    span = _letters_span(rule)
    required = f"{span} letters"

    def result(status: Status, detail: str, short: str | None = None) -> Check:
        actual = None if count is None else str(count)
        return Check(
            LETTERS_ID,
            Category.materials,
            "Recommendation letters",
            status,
            required,
            actual,
            detail,
            short,
        )

    if count is None:
        return result(Status.missing, f"Number of recommendation letters not given ({span}).")
    if count < rule.min:
        return result(
            Status.missing,
            f"{count} of at least {rule.min} letters provided.",
            f"{rule.min - count} more letter{'s' * (rule.min - count > 1)}",
        )
    if rule.max is not None and count > rule.max:
        return result(
            Status.met,
            f"{count} letters: the program asks for at most {rule.max}, so the extra "
            f"{plural(count - rule.max, 'letter')} may not be read.",
        )
    return result(Status.met, "")


def _fee(paid: bool | None, waiver: bool | None, rule: FeeRule) -> Check:
    required = f"{rule.currency} {num(rule.amount)}"
    title = "Application fee"
    if paid:
        return Check(FEE_ID, Category.materials, title, Status.met, required, "paid", "")
    if waiver:
        return Check(
            FEE_ID,
            Category.materials,
            title,
            Status.waived,
            required,
            "fee waiver",
            "A fee waiver applies.",
        )
    return Check(
        FEE_ID,
        Category.materials,
        title,
        Status.missing,
        required,
        "not paid" if paid is False else None,
        "Not paid yet (record fee_waiver if a waiver was granted).",
    )


KIND = MaterialsKind()
