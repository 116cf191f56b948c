"""Application materials: documents, recommendation letters, the fee.

Materials never make an applicant ineligible: a document not yet provided is `missing`.
"""

from __future__ import annotations

from collections.abc import Hashable

from admitcheck.models import Check, DocumentRule, FeeRule, LettersRule, Materials
from admitcheck.rules.common import memo_by_facts, num
from admitcheck.vocabulary import Category, Status

_MATERIAL_FIELDS = frozenset(Materials.model_fields)


def check_document(materials: Materials | None, rule: DocumentRule) -> Check:
    provided: bool | None = None
    if materials is not None:
        provided = (
            getattr(materials, rule.key)
            if rule.key in _MATERIAL_FIELDS
            else materials.other.get(rule.key)
        )
    check_id = f"materials.{rule.key}"
    if provided:
        return Check(
            check_id, Category.materials, rule.title, Status.met, "required", "provided", ""
        )
    return Check(
        check_id,
        Category.materials,
        rule.title,
        Status.missing,
        "required",
        "not provided" if provided is False else None,
        "Not yet provided.",
    )


def _letter_facts(materials: Materials | None) -> Hashable:
    return None if materials is None else materials.recommendation_letters


@memo_by_facts(_letter_facts)
def check_letters(materials: Materials | None, rule: LettersRule) -> Check:
    span = f"{rule.min}-{rule.max}" if rule.max is not None else f"at least {rule.min}"
    required = f"{span} letters"
    count = materials.recommendation_letters if materials is not None else None

    def result(status: Status, detail: str, short: str | None = None) -> Check:
        actual = None if count is None else str(count)
        return Check(
            "materials.recommendation_letters",
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
            Status.review,
            f"{count} letters is more than the {rule.max} the program "
            "lists: ask whether extra letters are read.",
        )
    return result(Status.met, "")


def check_fee(materials: Materials | None, rule: FeeRule) -> Check:
    required = f"{rule.currency} {num(rule.amount)}"
    check_id, title = "materials.application_fee", "Application fee"
    if materials is not None and materials.application_fee_paid:
        return Check(check_id, Category.materials, title, Status.met, required, "paid", "")
    if materials is not None and materials.fee_waiver:
        return Check(
            check_id,
            Category.materials,
            title,
            Status.waived,
            required,
            "fee waiver",
            "A fee waiver applies.",
        )
    return Check(
        check_id,
        Category.materials,
        title,
        Status.missing,
        required,
        "not paid" if materials is not None and materials.application_fee_paid is False else None,
        "Not paid yet (record fee_waiver if a waiver was granted).",
    )
