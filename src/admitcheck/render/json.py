"""Report -> JSON bytes (orjson: dataclasses and enums serialise natively and fast)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import orjson

from admitcheck.models.report import ErrorRecord, Explanation, Report


def report_json(
    report: Report | ErrorRecord,
    *,
    indent: bool = False,
    explain: Mapping[str, Explanation] | None = None,
) -> bytes:
    option = orjson.OPT_INDENT_2 if indent else 0
    if explain is None:
        return orjson.dumps(report, option=option)
    document: dict[str, Any] = dataclasses.asdict(report)
    for check in document.get("checks", []):
        found = explain.get(check["id"])
        check["rule"] = found.rule if found else None
        check["evidence"] = list(found.evidence) if found else []
    return orjson.dumps(document, option=option)
