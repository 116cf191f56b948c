"""The shape the code promises: a requirement kind is one module and one line, the memo
changes no answer, checks cannot be changed once made, the module map is true."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Hashable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import Field

from admitcheck.batch.writers import CsvWriter
from admitcheck.catalog import check_ids, check_rules_file, load_catalog
from admitcheck.evaluate import evaluate, run_checks
from admitcheck.models.base import Cited
from admitcheck.models.profile import Profile
from admitcheck.models.program import LoadedProgram, catalog_model
from admitcheck.models.report import Check
from admitcheck.models.scores import TESTS
from admitcheck.reference import Reference
from admitcheck.render.programs import requirement_lines
from admitcheck.requirements import KINDS
from admitcheck.requirements.base import Context, Kind, Loc, Requirement
from admitcheck.vocabulary import Category, Status
from tests.conftest import AS_OF_DATE, ENGINE_RULES, ROOT
from tests.strategies import valid_profiles

# --------------------------------------------------------------------------- a toy kind


class LettersAtLeast(Cited):
    """Toy rule: at least `count` recommendation letters, as an eligibility requirement."""

    count: int = Field(ge=0)


class ToyKind(Kind[LettersAtLeast]):
    key = "toy"
    category = Category.degree
    rule_model = LettersAtLeast
    title = "Toy letters"

    def requirements(
        self, rule: LettersAtLeast, at: Loc, reference: Reference | None = None
    ) -> list[Requirement]:
        return [Requirement("toy", self.title, f"{rule.count} letters", at, rule)]

    def facts(self, profile: Profile, rule: LettersAtLeast) -> Hashable:
        return profile.materials.recommendation_letters if profile.materials else None

    def check(self, facts: Any, rule: LettersAtLeast, ctx: Context) -> Sequence[Check]:
        status = (
            Status.missing
            if facts is None
            else Status.met
            if facts >= rule.count
            else Status.not_met
        )
        required = f"{rule.count} letters"
        return [Check("toy", self.category, self.title, status, required, str(facts), "")]

    def problems(self, value: Any) -> list[tuple[Loc, str]]:
        return [(("count",), "a toy count above 10 is silly")] if value.count > 10 else []


TOY_RULES = """
[[programs]]
id = "toy-program"
name = "Toy"
source = "test"
as_of = 2026-01-01

[programs.toy]
quote = "Three letters, please."
count = 3
"""


def test_a_new_kind_is_one_module_and_one_line_in_the_kinds(tmp_path: Path) -> None:
    kinds = (*KINDS, ToyKind())  # the one line
    rules = tmp_path / "toy.toml"
    rules.write_text(TOY_RULES, encoding="utf-8")
    catalog = load_catalog([rules], builtin=False, kinds=kinds)
    program = catalog.get("toy-program")

    profile = Profile.model_validate({"materials": {"recommendation_letters": 2}})
    report = evaluate(profile, program, AS_OF_DATE)
    assert [(c.id, c.status) for c in report.checks] == [("toy", Status.not_met)]
    assert report.verdict.value == "ineligible"
    # programs show, --explain and the CSV columns know it without being told
    assert requirement_lines(program) == [("toy", "3 letters")]
    assert program.explanations["toy"].endswith(
        '[programs[0].toy]; source: "Three letters, please."'
    )
    assert check_ids([program]) == ("toy",)
    assert CsvWriter(check_ids([program])).header().decode().rstrip().endswith(",toy")
    # the schema and the validator know it too
    assert "toy" in catalog_model(kinds).model_json_schema()["$defs"]["Program"]["properties"]
    rules.write_text(TOY_RULES.replace("count = 3", "count = 30"), encoding="utf-8")
    _, _, problems = check_rules_file(rules, kinds)
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "programs[0].toy.count: a toy count above 10 is silly"
    ]


def test_the_shipped_kinds_do_not_know_the_toy(tmp_path: Path) -> None:
    rules = tmp_path / "toy.toml"
    rules.write_text(TOY_RULES, encoding="utf-8")
    _, _, problems = check_rules_file(rules)
    assert "programs[0].toy: unknown field 'toy'" in str(problems[0])


# --------------------------------------------------------------------------- the memo


@pytest.fixture(scope="module")
def engine_program() -> LoadedProgram:
    return load_catalog([ENGINE_RULES], builtin=False).get("engine-fixture")


@settings(max_examples=300, deadline=None)
@given(
    document=valid_profiles(),
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
)
def test_memoised_and_fresh_checks_are_identical(
    engine_program: LoadedProgram, document: dict[str, Any], day: date
) -> None:
    profile = Profile.model_validate_json(json.dumps(document))
    if any(s.date and s.date > day for s in _scores(profile)):
        return
    assert run_checks(profile, engine_program, day) == run_checks(
        profile, engine_program, day, memo=False
    )


def _scores(profile: Profile) -> list[Any]:
    tests = profile.tests
    return [] if tests is None else [s for n in TESTS if (s := getattr(tests, n)) is not None]


def test_a_check_cannot_be_changed_after_it_is_made(engine_program: LoadedProgram) -> None:
    check = run_checks(Profile(), engine_program, AS_OF_DATE)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        check.status = Status.met  # type: ignore[misc]


# --------------------------------------------------------------------------- the module map


def test_contributing_module_map_matches_the_tree() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Module map", 1)[1].split("\n## ", 1)[0]
    mapped = set(re.findall(r"`(src/admitcheck/[\w/]+\.py)`", section))
    tree = {
        str(p.relative_to(ROOT))
        for p in (ROOT / "src" / "admitcheck").rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    }
    assert mapped == tree


def test_main_knows_the_module_of_each_command() -> None:
    """`main()` imports only the module of the command it runs: `_MODULES` names each
    command, in the order `--help` lists them, with the module that registers it."""
    import typer.main

    from admitcheck import cli

    group: Any = typer.main.get_command(cli.app)
    assert list(group.commands) == list(cli._MODULES)
    for info in cli.app.registered_commands:
        assert info.callback.__module__ == f"admitcheck.cli.{cli._MODULES[cli._name(info)]}"
    for group_info in cli.app.registered_groups:
        module = f"admitcheck.cli.{cli._MODULES[group_info.name]}"
        assert group_info.typer_instance is not None
        assert {i.callback.__module__ for i in group_info.typer_instance.registered_commands} == {
            module
        }
