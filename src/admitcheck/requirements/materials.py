"""Application materials: documents, recommendation letters, the fee.

Materials never make an applicant ineligible: a document not yet provided is `missing`.

The application fee (`fee`)
    `amount` in `currency`; paid is `met`, neither paid nor waived `missing`.
    `domestic_amount`: a different fee for domestic applicants (citizens of the
    institution's country or permanent residents, read as the English check reads
    residency); `amount` is then the fee for everyone else, and the check shows the one
    that applies (both while residency is unknown).
    A fee waiver recorded in the profile is `waived` only where the rules grant it to this
    applicant. By default a fee is waivable. `waivable = false`: the program grants no
    waivers (a page says so); `waivable_for = "domestic"` (or `"international"`): only those
    applicants may be granted one. A waiver the rules do not grant is `missing`, with a
    note that the waiver recorded is not one this program grants (quoting `waiver_source`,
    a table `{ source, quote, read }` for the page that states the waiver terms, or else
    the fee's own quote); one granted only to domestic applicants, for an applicant whose
    residency is not given, is `missing`, asking for `international`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, ClassVar, Literal

from pydantic import Field

from admitcheck.models.base import Cited, Key
from admitcheck.models.profile import Materials, Profile
from admitcheck.models.report import Check
from admitcheck.reference import Reference
from admitcheck.requirements.base import Context, Kind, Loc, Requirement, Rule, residency
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


Who = Literal["domestic", "international"]


class FeeRule(Cited):
    amount: float = Field(ge=0, description="The fee (for everyone but domestic applicants).")
    currency: str = Field(default="USD", min_length=3, max_length=3, description="ISO 4217 code")
    domestic_amount: float | None = Field(
        default=None, ge=0, description="The fee for domestic applicants, where it differs."
    )
    waivable: bool = Field(default=True, description="false: the program grants no fee waivers.")
    waivable_for: Who | None = Field(
        default=None, description="Only these applicants may be granted a fee waiver."
    )
    waiver_source: Cited | None = Field(
        default=None, description="The page that states the waiver terms, when not the fee's."
    )


class MaterialsRule(Rule):
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
                    _fee_text(rule.fee, None),
                    (*at, "fee"),
                    _cited(rule.fee, rule),
                    _waiver_terms(rule.fee),
                )
            )
        return found

    def screen_scope(self, rule: MaterialsRule) -> Hashable:
        return _residency_matters(rule)

    def facts(self, profile: Profile, rule: MaterialsRule) -> Hashable:
        m = profile.materials
        # Residency only where the fee depends on it (fewer distinct facts, more memo hits).
        who = (
            (profile.international, profile.citizenship, profile.permanent_resident)
            if _residency_matters(rule)
            else None
        )
        if m is None:
            return (None, who)
        return (
            (
                m.statement_of_purpose,
                m.resume,
                m.transcripts,
                m.recommendation_letters,
                m.application_fee_paid,
                m.fee_waiver,
                tuple(sorted(m.other.items())),
            ),
            who,
        )

    def check(self, facts: Any, rule: MaterialsRule, ctx: Context) -> Sequence[Check]:
        given, who = facts
        if given is None:
            documents: dict[str, bool | None] = {}
            letters = paid = waiver = None
        else:
            sop, resume, transcripts, letters, paid, waiver, other = given
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
            international = None
            if who is not None:
                international = residency(who[0], who[1], who[2], ctx)[0]
            checks.append(_fee(paid, waiver, rule.fee, international))
        return checks

    def prepare(self, rule: MaterialsRule) -> list[Requirement]:
        return self.requirements(rule, (self.key,))

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        rule: MaterialsRule = value
        found: list[tuple[Loc, str]] = []
        letters = rule.letters
        if letters is not None and letters.max is not None and letters.max < letters.min:
            found.append((("letters",), f"max {letters.max} is below min {letters.min}"))
        fee = rule.fee
        if fee is not None and not fee.waivable and fee.waivable_for is not None:
            found.append(
                (("fee", "waivable_for"), "waivable = false grants no waiver: drop waivable_for")
            )
        if (
            fee is not None
            and fee.waiver_source is not None
            and fee.waivable
            and not (fee.waivable_for)
        ):
            found.append(
                (
                    ("fee", "waiver_source"),
                    "waiver_source cites waiver terms: give waivable = false or waivable_for",
                )
            )
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


def _fee_text(rule: FeeRule, international: bool | None) -> str:
    """'USD 155' / 'USD 135' for the applicant; 'USD 155 (USD 135 for domestic applicants)'."""
    amount = f"{rule.currency} {num(rule.amount)}"
    if rule.domestic_amount is None:
        return amount
    domestic = f"{rule.currency} {num(rule.domestic_amount)}"
    if international is True:
        return amount
    if international is False:
        return f"{domestic} (domestic applicants)"
    return f"{amount} ({domestic} for domestic applicants)"


def _waiver_terms(rule: FeeRule) -> tuple[str, ...]:
    if not rule.waivable:
        return ("no fee waivers are granted",)
    if rule.waivable_for is not None:
        return (f"fee waivers for {rule.waivable_for} applicants only",)
    return ()


def _granted(rule: FeeRule, international: bool | None) -> bool | None:
    """Whether the rules grant this applicant a fee waiver (None: residency unknown)."""
    if not rule.waivable:
        return False
    if rule.waivable_for is None:
        return True
    if international is None:
        return None
    return (rule.waivable_for == "international") is international


def _fee(
    paid: bool | None, waiver: bool | None, rule: FeeRule, international: bool | None
) -> Check:
    required = _fee_text(rule, international)
    title = "Application fee"

    def result(status: Status, actual: str | None, detail: str) -> Check:
        return Check(FEE_ID, Category.materials, title, status, required, actual, detail)

    if paid:
        return result(Status.met, "paid", "")
    granted = _granted(rule, international)
    if waiver and granted:
        only = f" (granted to {rule.waivable_for} applicants)" if rule.waivable_for else ""
        return result(Status.waived, "fee waiver", f"A fee waiver applies{only}.")
    words = rule.waiver_source.quote if rule.waiver_source is not None else rule.quote
    quoted = f' ("{words}")' if words else ""
    if waiver and granted is None:
        return result(
            Status.missing,
            "fee waiver",
            f"This program grants fee waivers to {rule.waivable_for} applicants only{quoted}, "
            "and the profile does not say whether the applicant is international: set "
            "international.",
        )
    if waiver:
        terms = (
            "this program grants no fee waivers"
            if not rule.waivable
            else f"this program grants fee waivers to {rule.waivable_for} applicants only"
        )
        return result(
            Status.missing,
            "fee waiver (not granted here)",
            f"The fee waiver recorded is not one this program grants: {terms}{quoted}. Pay the "
            "fee.",
        )
    hint = (
        "this program grants no fee waivers"
        if not rule.waivable
        else "record fee_waiver if a waiver was granted"
    )
    return result(Status.missing, "not paid" if paid is False else None, f"Not paid yet ({hint}).")


def _residency_matters(rule: MaterialsRule) -> bool:
    """Whether the rule's fee depends on who the applicant is."""
    fee = rule.fee
    return fee is not None and (fee.domestic_amount is not None or bool(fee.waivable_for))


KIND = MaterialsKind()
