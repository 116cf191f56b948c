"""The profile, flattened: one table of flat field names and the profile paths they fill.

The CSV columns, `--columns` maps, the profile flags of `check` and `match`, and the
questions of `init --interactive` all come from `FLAT_FIELDS`. Beside it lives the rule
for how given values override a profile (`override`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "int", "float", "bool", "date", "list"]


@dataclass(frozen=True, slots=True)
class FlatField:
    name: str  # CSV column; the flag is --name with dashes unless `flag` says otherwise
    path: tuple[str, ...]  # where the value goes in a profile
    kind: Kind
    help: str
    flag: str | None = None  # "--international/--domestic", "--sop/--no-sop"; "" = no flag
    choices: tuple[str, ...] = ()  # the values a text field takes (read in any case)

    @property
    def flag_decl(self) -> str | None:
        if self.flag == "":
            return None
        return self.flag or "--" + self.name.replace("_", "-")


def _toefl_band(section: str) -> FlatField:
    path = ("tests", "toefl", f"{section}_band")
    return FlatField(f"toefl_{section}_band", path, "float", f"TOEFL iBT {section} band, 1-6.")


FLAT_FIELDS: tuple[FlatField, ...] = (
    FlatField("id", ("id",), "text", "Applicant id."),
    FlatField("name", ("name",), "text", "Applicant name."),
    FlatField(
        "international",
        ("international",),
        "bool",
        "Whether the applicant is international (English tests apply).",
        "--international/--domestic",
    ),
    FlatField("citizenship", ("citizenship",), "text", "Country of citizenship."),
    FlatField(
        "permanent_resident",
        ("permanent_resident",),
        "bool",
        "A US permanent resident (domestic where international is not given).",
        "--permanent-resident/--not-permanent-resident",
    ),
    FlatField(
        "degree_level",
        ("degree", "level"),
        "text",
        "Highest degree: none, diploma, associate, bachelor, master, doctorate.",
        choices=("none", "diploma", "associate", "bachelor", "master", "doctorate"),
    ),
    FlatField(
        "degree_field", ("degree", "field"), "text", 'Field of the degree, e.g. "B.Tech ECE".'
    ),
    FlatField("degree_institution", ("degree", "institution"), "text", "Awarding institution."),
    FlatField("degree_country", ("degree", "country"), "text", "Country of the degree."),
    FlatField(
        "degree_status",
        ("degree", "status"),
        "text",
        "Degree status: completed or in_progress.",
        choices=("completed", "in_progress"),
    ),
    FlatField("graduation", ("degree", "graduation"), "date", "Graduation, YYYY-MM."),
    FlatField(
        "degree_years",
        ("degree", "years"),
        "int",
        "Length of the degree in years (some programs do not accept three-year bachelor's).",
    ),
    FlatField(
        "degree_taught_in_english",
        ("degree", "taught_in_english"),
        "bool",
        "The degree was taught in English (some English waivers need it).",
        "--taught-in-english/--not-taught-in-english",
    ),
    FlatField("gpa", ("gpa", "value"), "float", "GPA (replaces the file's GPA)."),
    FlatField("gpa_scale", ("gpa", "scale"), "float", "Scale of the GPA (default 4.0)."),
    FlatField(
        "gpa_best",
        ("gpa", "best"),
        "float",
        "The best end of an inverted scale (German grades: 1, on scale 5).",
    ),
    FlatField(
        "gpa_last_two_years",
        ("gpa", "last_two_years"),
        "float",
        "GPA over the last two years of study, on the GPA's scale (UCLA, UIUC use it).",
    ),
    FlatField("toefl", ("tests", "toefl", "total"), "int", "TOEFL iBT total, 0-120."),
    FlatField("toefl_band", ("tests", "toefl", "band"), "float", "TOEFL iBT band, 1-6."),
    *(
        FlatField(
            f"toefl_{section}",
            ("tests", "toefl", section),
            "int",
            f"TOEFL iBT {section} section, 0-30.",
        )
        for section in ("reading", "listening", "speaking", "writing")
    ),
    _toefl_band("reading"),
    _toefl_band("listening"),
    _toefl_band("speaking"),
    _toefl_band("writing"),
    FlatField("toefl_date", ("tests", "toefl", "date"), "date", "TOEFL test date (or YYYY-MM)."),
    FlatField("ielts", ("tests", "ielts", "overall"), "float", "IELTS overall band, 0-9."),
    *(
        FlatField(
            f"ielts_{section}",
            ("tests", "ielts", section),
            "float",
            f"IELTS {section} band, 0-9.",
        )
        for section in ("reading", "listening", "speaking", "writing")
    ),
    FlatField("ielts_date", ("tests", "ielts", "date"), "date", "IELTS test date (or YYYY-MM)."),
    FlatField("pte", ("tests", "pte", "overall"), "int", "PTE Academic overall, 10-90."),
    *(
        FlatField(
            f"pte_{section}",
            ("tests", "pte", section),
            "int",
            f"PTE Academic {section} score, 10-90.",
        )
        for section in ("reading", "listening", "speaking", "writing")
    ),
    FlatField("pte_date", ("tests", "pte", "date"), "date", "PTE test date (or YYYY-MM)."),
    FlatField(
        "duolingo", ("tests", "duolingo", "overall"), "int", "Duolingo English Test, 10-160."
    ),
    FlatField("duolingo_date", ("tests", "duolingo", "date"), "date", "Duolingo test date."),
    FlatField("gre_verbal", ("tests", "gre", "verbal"), "int", "GRE verbal, 130-170."),
    FlatField("gre_quant", ("tests", "gre", "quant"), "int", "GRE quantitative, 130-170."),
    FlatField("gre_writing", ("tests", "gre", "writing"), "float", "GRE analytical writing, 0-6."),
    FlatField("gre_total", ("tests", "gre", "total"), "int", "GRE verbal + quant, 260-340."),
    FlatField("gre_date", ("tests", "gre", "date"), "date", "GRE test date (or YYYY-MM)."),
    FlatField("gmat", ("tests", "gmat", "total"), "int", "GMAT total."),
    FlatField(
        "gmat_edition",
        ("tests", "gmat", "edition"),
        "text",
        "GMAT edition: classic or focus.",
        choices=("classic", "focus"),
    ),
    FlatField("gmat_date", ("tests", "gmat", "date"), "date", "GMAT test date (or YYYY-MM)."),
    FlatField(
        "courses",
        ("courses",),
        "list",
        "A course title, or TITLE=SUBJECT to declare its subject; repeatable (replaces the "
        "file's courses).",
        "--course",
    ),
    FlatField(
        "courses_complete",
        ("courses_complete",),
        "bool",
        "The courses are the whole transcript: a subject none covers is not met, not missing.",
        "--courses-complete",
    ),
    FlatField(
        "statement_of_purpose",
        ("materials", "statement_of_purpose"),
        "bool",
        "Statement of purpose provided.",
        "--sop/--no-sop",
    ),
    FlatField(
        "resume", ("materials", "resume"), "bool", "Resume provided.", "--resume/--no-resume"
    ),
    FlatField(
        "transcripts",
        ("materials", "transcripts"),
        "bool",
        "Official transcripts provided.",
        "--transcripts/--no-transcripts",
    ),
    FlatField(
        "recommendation_letters",
        ("materials", "recommendation_letters"),
        "int",
        "Recommendation letters provided.",
        "--letters",
    ),
    FlatField(
        "application_fee_paid",
        ("materials", "application_fee_paid"),
        "bool",
        "Application fee paid.",
        "--fee-paid/--fee-unpaid",
    ),
    FlatField(
        "fee_waiver",
        ("materials", "fee_waiver"),
        "bool",
        "An application fee waiver was granted.",
        "--fee-waiver",
    ),
)

BY_NAME: dict[str, FlatField] = {f.name: f for f in FLAT_FIELDS}
BY_PATH: dict[tuple[str, ...], FlatField] = {f.path: f for f in FLAT_FIELDS}

# Given values replace these whole objects of a profile rather than merging into them: a
# test score given by flags is a different sitting, not a correction of one section.
REPLACED_WHOLE: frozenset[str] = frozenset({"toefl", "ielts", "pte", "gre", "gmat"})


def put(document: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = document
    for key in path[:-1]:
        if target.get(key) is None:  # absent, or null as in a blank profile
            target[key] = {}
        target = target[key]
    target[path[-1]] = value


_SUBJECT = re.compile(r"^[a-z][a-z0-9_]*$")


def course(text: str) -> str | dict[str, str]:
    """A course as flags and CSV cells write it: 'Signals and Systems=mathematics' declares
    its subject; anything else is a title."""
    title, _, subject = text.rpartition("=")
    subject = subject.strip().lower().replace(" ", "_")
    if title.strip() and _SUBJECT.match(subject):
        return {"title": title.strip(), "subject": subject}
    return text.strip()


def nest(values: dict[str, Any]) -> dict[str, Any]:
    """Flat name -> value (None is absent) to a nested profile fragment."""
    document: dict[str, Any] = {}
    for name, value in values.items():
        if value is not None and value != []:
            if name == "courses":
                value = [course(v) for v in value]
            put(document, BY_NAME[name].path, value)
    return document


def override(base: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """`given` (a nested fragment) over a copy of `base`.

    A test score given replaces the base's score for that test; `gpa.value` given replaces
    the base's GPA (scale 4.0 unless given too); a `gpa.scale` alone re-scales the base's
    GPA; everything else merges key by key.
    """
    merged = dict(base)
    for key, value in given.items():
        current = merged.get(key)
        if key == "gpa" and isinstance(value, dict):
            if "value" in value:
                merged[key] = {"scale": 4.0, **value}
                continue
            if isinstance(current, (int, float)) and not isinstance(current, bool):
                current = {"value": current}
        if isinstance(value, dict) and isinstance(current, dict) and key not in REPLACED_WHOLE:
            merged[key] = override(current, value)
        else:
            merged[key] = value
    return merged
