"""Issue 20.1: every id a rules file names is held to its vocabulary when it is loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from admitcheck.catalog import check_rules_file, load_catalog
from admitcheck.errors import RulesError
from tests.conftest import AS_OF, ENGINE_RULES, Run, eligible_profile, write_json

Cli = Callable[..., Run]


def typo(tmp_path: Path, old: str, new: str) -> Path:
    text = ENGINE_RULES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'subject = "statistics"',
            'subject = "statistic"',
            "programs[0].coursework[1].subject: 'statistic' is not a subject; nearest: "
            "'statistics'",
        ),
        (
            'min_level = "bachelor"\nareas = ["engineering"]',
            'min_level = "bachelor"\nareas = ["mathematic"]',
            "programs[0].degree.areas[0]: 'mathematic' is not a field-taxonomy area; nearest: "
            "'mathematics'",
        ),
        (
            '"Canada", "United Kingdom"',
            '"Kanada", "United Kingdom"',
            "institutions[0].english.waivers[0].degree_countries[1]: 'Kanada' is not a known "
            "country; nearest: 'Canada'",
        ),
        (
            'currency = "USD"',
            'currency = "USX"',
            "programs[0].materials.fee.currency: 'USX' is not a currency code; nearest: ",
        ),
        (
            'any_of = ["gre", "gmat"]',
            'any_of = ["gre", "gmta"]',
            "programs[0].tests.any_of[1]: 'gmta' is not an admission test; nearest: 'gmat'",
        ),
    ],
)
def test_an_id_outside_its_vocabulary_is_a_validate_error_naming_the_nearest(
    cli: Cli, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = typo(tmp_path, old, new)
    run = cli("programs", "validate", str(path))
    assert run.exit_code == 2
    line = next(line for line in run.stderr.splitlines() if expected in line)
    # file:line: key path: message, on one line
    assert line.startswith(f"{path}:")
    number = int(line.split(":")[1])
    typed = expected.split("'")[1]
    assert typed in path.read_text(encoding="utf-8").splitlines()[number - 1]


def test_a_typo_no_longer_turns_every_applicant_away(cli: Cli, tmp_path: Path) -> None:
    path = typo(tmp_path, 'subject = "statistics"', 'subject = "statistic"')
    with pytest.raises(RulesError) as caught:
        load_catalog([path], builtin=False)
    assert "nearest: 'statistics'" in str(caught.value) + " ".join(caught.value.details)
    profile = write_json(tmp_path / "p.json", eligible_profile())
    run = cli(
        "check",
        str(profile),
        "--rules",
        str(path),
        "--no-builtin",
        "-p",
        "engine-fixture",
        "--as-of",
        AS_OF,
    )
    assert run.exit_code == 2
    assert "'statistic' is not a subject" in run.stderr


def test_a_difference_of_case_only_is_normalised_with_a_warning(cli: Cli, tmp_path: Path) -> None:
    path = typo(tmp_path, 'currency = "USD"', 'currency = "usd"')
    catalog, _, problems = check_rules_file(path)
    assert catalog is not None
    assert [p.warning for p in problems] == [True]
    assert "'usd' read as 'USD'" in str(problems[0])
    run = cli("programs", "validate", str(path))
    assert run.exit_code == 0
    assert "warning: programs[0].materials.fee.currency: 'usd' read as 'USD'" in run.stderr
    loaded = load_catalog([path], builtin=False)
    rule = loaded.get("engine-fixture").rules.materials  # type: ignore[attr-defined]
    assert rule is not None and rule.fee is not None and rule.fee.currency == "USD"
    assert loaded.warnings and "usd" in loaded.warnings[0]
    profile = write_json(tmp_path / "p.json", eligible_profile())
    run = cli(
        "check",
        str(profile),
        "--rules",
        str(path),
        "--no-builtin",
        "-p",
        "engine-fixture",
        "--as-of",
        AS_OF,
    )
    assert run.exit_code == 0
    assert "'usd' read as 'USD'" in run.stderr


def test_test_names_in_any_case_are_read_and_validity_keys_checked(tmp_path: Path) -> None:
    path = typo(tmp_path, '{ test = "pte", minimum = 61 }', '{ test = "PTE", minimum = 61 }')
    catalog, _, problems = check_rules_file(path)
    assert catalog is not None, problems
    path = typo(tmp_path, "[institutions.validity.pte]", "[institutions.validity.ptee]")
    _, _, problems = check_rules_file(path)
    assert any("'ptee' is not a test; nearest: 'pte'" in str(p) for p in problems)


def test_a_rules_files_own_taxonomy_additions_are_valid_ids(tmp_path: Path) -> None:
    text = ENGINE_RULES.read_text(encoding="utf-8").replace(
        'subject = "statistics"', 'subject = "signal_processing"', 1
    )
    text += (
        "\n[[taxonomy.subjects.subjects]]\n"
        'id = "signal_processing"\nnames = ["signal processing"]\n'
    )
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    catalog, _, problems = check_rules_file(path)
    assert [str(p) for p in problems] == []
    assert catalog is not None


def test_the_builtin_catalogue_names_only_known_ids() -> None:
    from admitcheck.catalog import builtin_path

    _, _, problems = check_rules_file(builtin_path())
    assert problems == []
