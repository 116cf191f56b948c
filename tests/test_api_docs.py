"""Issue 20.3: docs/api.md's code blocks run, as written (the pandas and polars examples
on 100,000 rows with numpy types and missing values among them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_doc_has_its_examples() -> None:
    text = "\n".join(BLOCKS)
    assert "import pandas as pd" in text and "import polars as pl" in text
    assert "n = 100_000" in text


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_code_block_of_docs_api_runs(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {"__name__": "docs_api"}
    for number, block in enumerate(BLOCKS, start=1):
        try:
            exec(compile(block, f"{DOC}:block{number}", "exec"), namespace)
        except Exception as exc:  # name the block that failed
            pytest.fail(f"docs/api.md block {number} raised {type(exc).__name__}: {exc}")
    printed = capsys.readouterr().out
    assert "verdict" in printed
    assert "invalid profile (2 problems): gpa" in printed
