"""The requirement kinds, one module each, and the one tuple that lists them.

Adding a kind is one module (a `Kind` subclass and its rule model) and one line here.
"""

from __future__ import annotations

from typing import Any

from admitcheck.requirements import (
    admission_tests,
    coursework,
    deadlines,
    degree,
    english,
    gpa,
    materials,
)
from admitcheck.requirements.base import Kind

KINDS: tuple[Kind[Any], ...] = (
    degree.KIND,
    gpa.KIND,
    english.KIND,
    admission_tests.KIND,
    coursework.KIND,
    materials.KIND,
    deadlines.KIND,
)


def shipped_kind(key: str) -> Kind[Any]:
    """The shipped kind with this key: how a pickled program refers to its kinds."""
    return next(k for k in KINDS if k.key == key)
