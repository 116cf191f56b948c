"""Accuracy on the held-out set (tests/data/heldout.toml): strings never tuned to.

Each course is checked alone, in a course list declared complete, against the four
coursework checks of usc-msece-mlds (mathematics, statistics, computer science, physics);
each degree field against its degree check. A check is *right* when its status is the one a
careful reader gives (for a `may_be` subject, `met` or `review`), a *wrong met* when it says
`met` where the reader does not, a *wrong not met* when it says `not_met` where the reader
does not, and *undecided* when it says `review` where the reader decides.

    python bench/heldout.py            # the figures
    python bench/heldout.py --verbose  # and every check that is not right
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from admitcheck.catalog import load_catalog
from admitcheck.evaluate import run_checks
from admitcheck.inputs._toml import tomllib
from admitcheck.models.profile import Profile

HELDOUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "heldout.toml"
PROGRAM = "usc-msece-mlds"
AS_OF = date(2026, 11, 24)
SUBJECTS = ("mathematics", "statistics", "computer_science", "physics")


def judge(status: str, expected: str, acceptable: frozenset[str]) -> str:
    if status in acceptable:
        return "right"
    if status == "met":
        return "wrong met"
    if status == "not_met":
        return "wrong not met"
    if status == "review":
        return "undecided"
    return f"other ({status}, expected {expected})"


def course_profile(title: str) -> dict[str, Any]:
    document: dict[str, Any] = {"courses": [title]}
    if "courses_complete" in Profile.model_fields:
        document["courses_complete"] = True
    return document


def run(path: Path, verbose: bool) -> dict[str, Counter[str]]:
    corpus = tomllib.loads(path.read_text(encoding="utf-8"))
    program = load_catalog([]).get(PROGRAM)
    tally: dict[str, Counter[str]] = {"courses": Counter(), "fields": Counter()}
    for entry in corpus["courses"]:
        profile = Profile.model_validate(course_profile(entry["title"]))
        statuses = {c.id: c.status.value for c in run_checks(profile, program, AS_OF)}
        for subject in SUBJECTS:
            if subject in entry["counts_for"]:
                expected, acceptable = "met", frozenset({"met"})
            elif subject in entry.get("may_be", ()):
                expected, acceptable = "review", frozenset({"met", "review"})
            else:
                expected, acceptable = "not_met", frozenset({"not_met"})
            got = statuses[f"coursework.{subject}"]
            verdict = judge(got, expected, acceptable)
            tally["courses"][verdict] += 1
            if verbose and verdict != "right":
                print(f"course {entry['title']!r} {subject}: {got}, expected {expected}")
    for entry in corpus["fields"]:
        profile = Profile.model_validate({"degree": {"level": "bachelor", "field": entry["text"]}})
        got = next(c for c in run_checks(profile, program, AS_OF) if c.id == "degree").status
        verdict = judge(got.value, entry["status"], frozenset({entry["status"]}))
        tally["fields"][verdict] += 1
        if verbose and verdict != "right":
            print(f"field {entry['text']!r}: {got.value}, expected {entry['status']}")
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=HELDOUT)
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    tally = run(args.file, args.verbose)
    for part, counts in tally.items():
        total = sum(counts.values())
        right = counts["right"]
        what = "course x subject checks" if part == "courses" else "degree fields"
        print(
            f"{part}: {right}/{total} right ({100 * right / total:.1f} %) over {what}; "
            f"wrong met {counts['wrong met']}, wrong not met {counts['wrong not met']}, "
            f"undecided {counts['undecided']}"
            + "".join(f", {k} {v}" for k, v in counts.items() if k.startswith("other"))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
