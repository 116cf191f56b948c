"""JSON Schema of each document, generated from the models."""

from __future__ import annotations

import orjson
from pydantic import TypeAdapter

from admitcheck.errors import UsageError

DOCUMENTS = ("profile", "programs", "report", "report-compact", "summary")


def schema(document: str) -> dict[str, object]:
    if document == "profile":
        from admitcheck.models.profile import Profile

        return Profile.model_json_schema()
    if document == "programs":
        from admitcheck.models.program import catalog_model

        return catalog_model().model_json_schema()
    if document == "report":
        from admitcheck.models.report import ErrorRecord, Report

        return TypeAdapter(Report | ErrorRecord).json_schema(mode="serialization")
    if document == "report-compact":
        from admitcheck.models.report import CompactReport, ErrorRecord

        return TypeAdapter(CompactReport | ErrorRecord).json_schema(mode="serialization")
    if document == "summary":
        from admitcheck.batch.summary import Summary

        return TypeAdapter(Summary).json_schema(mode="serialization")
    raise UsageError(f"unknown document '{document}'; expected one of: {', '.join(DOCUMENTS)}")


def schema_json(document: str) -> bytes:
    found = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema(document),
        "title": f"admitcheck {document}",
    }
    return orjson.dumps(found, option=orjson.OPT_INDENT_2)
