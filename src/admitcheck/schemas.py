"""JSON Schema of each document, generated from the models."""

from __future__ import annotations

import orjson
from pydantic import TypeAdapter

from admitcheck.errors import UsageError
from admitcheck.models import CatalogFile, ErrorRecord, Profile, Report

DOCUMENTS = ("profile", "programs", "report")


def schema(document: str) -> dict[str, object]:
    if document == "profile":
        return Profile.model_json_schema()
    if document == "programs":
        return CatalogFile.model_json_schema()
    if document == "report":
        return TypeAdapter(Report | ErrorRecord).json_schema(mode="serialization")
    raise UsageError(f"unknown document '{document}'; expected one of: {', '.join(DOCUMENTS)}")


def schema_json(document: str) -> bytes:
    found = schema(document)
    found = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **found,
        "title": f"admitcheck {document}",
    }
    return orjson.dumps(found, option=orjson.OPT_INDENT_2)
