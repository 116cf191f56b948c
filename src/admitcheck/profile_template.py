"""`init`: a blank profile to fill in, or one built from answers to prompts."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args, get_origin

import orjson
from pydantic import BaseModel, ValidationError

from admitcheck.inputs.profiles import Screen, validate_json
from admitcheck.models.flat import BY_NAME, FLAT_FIELDS, FlatField, course, put
from admitcheck.models.profile import DEGREE_LEVELS, Profile


def _blank(model: type[BaseModel]) -> dict[str, Any]:
    """Every field of a model, empty, so that its structure shows: nested objects are
    opened up (degree, gpa, each test), a list of objects holds one blank object (a
    course), anything else is null. An object left all null is read as absent, so the
    template is a valid profile as it stands."""
    blank: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        inner = _model_of(info.annotation)
        if _is_list(info.annotation):
            blank[name] = [_blank(inner)] if inner is not None else []
        elif inner is not None:
            blank[name] = _blank(inner)
        elif info.default_factory is not None:
            continue  # e.g. materials.other: for custom programs, not in a starter file
        else:
            blank[name] = None
    return blank


def _valid_empty(model: type[BaseModel]) -> bool:
    try:
        model.model_validate({})
    except ValidationError:
        return False
    return True


def _types(annotation: Any) -> list[Any]:
    """The annotation and every type inside it (unions, Annotated, list items)."""
    found = [annotation]
    for arg in get_args(annotation):
        found += _types(arg)
    return found


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for arg in _types(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _is_list(annotation: Any) -> bool:
    return any(get_origin(a) is list for a in _types(annotation))


def blank_profile() -> dict[str, Any]:
    """Every field of a profile, empty (null is 'not known yet' and is valid)."""
    return _blank(Profile)


@dataclass(frozen=True)
class Question:
    """One question of `init --interactive`, about one flat field of the profile."""

    field: str  # a flat field name (models/flat.py)
    text: str
    kind: Literal["text", "number", "whole", "yes_no", "date", "month", "choice", "gpa", "list"] = (
        "text"
    )
    choices: tuple[str, ...] = ()
    # Asked only when this is true of the answers so far (None: always).
    when: Callable[[dict[str, Any]], bool] | None = None


def _international(answers: dict[str, Any]) -> bool:
    return answers.get("international") is not False


def _given(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda answers: answers.get(name) is not None


def _any(*names: str) -> Callable[[dict[str, Any]], bool]:
    return lambda answers: any(answers.get(n) is not None for n in names)


def _not_given(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda answers: answers.get(name) is None


def _not_true(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda answers: answers.get(name) is not True


# Questions worded for a person where the flat field's help is not enough; every other
# flat field is asked from its help (`_QUESTION_KINDS`), in the order of FLAT_FIELDS, so
# that `init --interactive` asks for every field the flags and CSV columns take.
_WORDED: dict[str, Question] = {
    q.field: q
    for q in (
        Question("name", "Name"),
        Question("international", "International applicant (needs a visa)?", "yes_no"),
        Question("citizenship", "Country of citizenship"),
        Question(
            "permanent_resident",
            "US permanent resident?",
            "yes_no",
            when=_not_given("international"),
        ),
        Question("degree_level", "Highest degree", "choice", DEGREE_LEVELS),
        Question("degree_field", "Field of that degree (e.g. Electrical Engineering, B.Tech ECE)"),
        Question("degree_institution", "Institution that awarded it"),
        Question("degree_country", "Country where it was awarded"),
        Question(
            "degree_status",
            "Is it completed or in progress?",
            "choice",
            ("completed", "in_progress"),
        ),
        Question("graduation", "Graduation (or expected), e.g. 2025-06 or Jun 2025", "month"),
        Question("degree_years", "Length of the degree in years (e.g. 3 or 4)", "whole"),
        Question(
            "degree_taught_in_english",
            "Was the degree taught in English?",
            "yes_no",
            when=_international,
        ),
        Question("gpa", "GPA, with its scale (e.g. 3.4/4 or 8.2/10)", "gpa"),
        Question(
            "gpa_best",
            "Best grade of the scale, if the best end is the bottom (German: 1)",
            "number",
            when=_given("gpa"),
        ),
        Question(
            "gpa_last_two_years",
            "GPA over the last two years, on the same scale",
            "number",
            when=_given("gpa"),
        ),
        Question("toefl", "TOEFL iBT total (0-120)", "whole", when=_international),
        Question("toefl_band", "TOEFL iBT band (1-6)", "number", when=_international),
        Question(
            "toefl_date", "TOEFL test date (YYYY-MM-DD)", "date", when=_any("toefl", "toefl_band")
        ),
        Question("ielts", "IELTS overall band (0-9)", "number", when=_international),
        Question("ielts_date", "IELTS test date (YYYY-MM-DD)", "date", when=_given("ielts")),
        Question("pte", "PTE Academic overall (10-90)", "whole", when=_international),
        Question("pte_date", "PTE test date (YYYY-MM-DD)", "date", when=_given("pte")),
        Question("duolingo", "Duolingo English Test (10-160)", "whole", when=_international),
        Question(
            "duolingo_date", "Duolingo test date (YYYY-MM-DD)", "date", when=_given("duolingo")
        ),
        Question("gre_verbal", "GRE verbal (130-170)", "whole"),
        Question("gre_quant", "GRE quantitative (130-170)", "whole", when=_given("gre_verbal")),
        Question(
            "gre_writing", "GRE analytical writing (0-6)", "number", when=_given("gre_verbal")
        ),
        Question(
            "gre_total",
            "GRE total, verbal + quant (260-340)",
            "whole",
            when=_not_given("gre_verbal"),
        ),
        Question(
            "gre_date", "GRE test date (YYYY-MM-DD)", "date", when=_any("gre_verbal", "gre_total")
        ),
        Question("gmat", "GMAT total", "whole"),
        Question(
            "gmat_edition", "GMAT edition", "choice", ("classic", "focus"), when=_given("gmat")
        ),
        Question("gmat_date", "GMAT test date (YYYY-MM-DD)", "date", when=_given("gmat")),
        Question(
            "courses", "Courses taken, separated by ';' (TITLE=subject to declare one)", "list"
        ),
        Question(
            "courses_complete",
            "Are these all the courses on the transcript?",
            "yes_no",
            when=_given("courses"),
        ),
        Question("statement_of_purpose", "Statement of purpose ready?", "yes_no"),
        Question("resume", "Resume ready?", "yes_no"),
        Question("transcripts", "Official transcripts ready?", "yes_no"),
        Question("recommendation_letters", "How many recommendation letters?", "whole"),
        Question("application_fee_paid", "Application fee paid?", "yes_no"),
        Question(
            "fee_waiver",
            "Was an application fee waiver granted?",
            "yes_no",
            when=_not_true("application_fee_paid"),
        ),
        Question("id", "An id for this applicant, for your own records"),
    )
}
_QUESTION_KINDS: dict[str, Any] = {
    "text": "text",
    "int": "whole",
    "float": "number",
    "bool": "yes_no",
    "date": "date",
    "list": "list",
}
_SECTIONS = ("reading", "listening", "speaking", "writing")
# Asked with another question (the GPA's scale with the GPA).
_NOT_ASKED = frozenset({"gpa_scale"})


def _question(field: FlatField) -> Question:
    """A flat field with no worded question, asked from its help; a test's section only
    once its overall score is given."""
    test, _, section = field.name.partition("_")
    when = _given(test) if section in _SECTIONS else None
    if section.removesuffix("_band") in _SECTIONS and section.endswith("_band"):
        when = _any(test, f"{test}_band")  # a 1-6 section band, once a score is given
    kind: Any = "choice" if field.choices else _QUESTION_KINDS[field.kind]
    return Question(field.name, field.help.rstrip("."), kind, field.choices, when)


def _questions() -> tuple[Question, ...]:
    found = [_WORDED.get(f.name) or _question(f) for f in FLAT_FIELDS if f.name not in _NOT_ASKED]
    identity = _WORDED["id"]  # last: a person's own reference, not a fact about them
    return (*[q for q in found if q.field != "id"], identity)


QUESTIONS: tuple[Question, ...] = _questions()

_YES = {"y", "yes", "true", "1", "si", "sí", "oui", "ja"}
_NO = {"n", "no", "false", "0", "non", "nein"}
_GPA = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(?:/|out of|of)\s*([0-9]+(?:[.,][0-9]+)?)\s*$")


class Unclear(ValueError):
    """An answer that cannot be read; the message says what is expected."""


def read_answer(question: Question, text: str) -> Any:
    """A typed answer as the value of its flat field (None for skipped), or Unclear."""
    answer = text.strip()
    if not answer:
        return None
    try:
        answer.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8, read with surrogateescape
        raise Unclear("the answer is not UTF-8 text; type it again") from None
    kind = question.kind
    if kind == "yes_no":
        if answer.casefold() in _YES:
            return True
        if answer.casefold() in _NO:
            return False
        raise Unclear("answer yes or no (or press Enter to skip)")
    if kind in ("number", "whole"):
        value = _number(answer)
        if kind == "whole":
            if value != int(value):
                raise Unclear(f"expected a whole number, got {answer}")
            return int(value)
        return value
    if kind == "gpa":
        found = _GPA.match(answer)
        if found:
            return (_number(found[1]), _number(found[2]))
        try:
            return (_number(answer), None)
        except Unclear:
            raise Unclear(f"expected a GPA like 3.4/4 or 8.2/10, got {answer!r}") from None
    if kind == "date":
        try:
            return date.fromisoformat(answer).isoformat()
        except ValueError:
            raise Unclear(f"expected a date like 2025-06-14, got {answer!r}") from None
    if kind == "month":
        from admitcheck.inputs.flat import ValueProblem, read_date

        try:
            month = read_date(answer, dayfirst=True)
        except ValueProblem:
            raise Unclear(f"expected a month like 2025-06 or Jun 2025, got {answer!r}") from None
        return month[:7]
    if kind == "choice":
        wanted = answer.casefold().replace(" ", "_").replace("-", "_")
        if wanted in question.choices:
            return wanted
        raise Unclear(f"expected one of: {', '.join(question.choices)}")
    if kind == "list":
        return [course(t) for t in answer.split(";") if t.strip()]
    return answer


def _number(answer: str) -> float:
    """A number as typed ('8,2' too); NaN, infinities and numbers no score or count can
    be (beyond 10**9) are not answers."""
    try:
        value = float(answer.replace(",", "."))
    except ValueError:
        raise Unclear(f"expected a number, got text {answer!r}") from None
    if not math.isfinite(value) or abs(value) > 1e9:
        raise Unclear(f"expected a number, got {answer!r}")
    return value


def _put_answer(document: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """The document with one answer in it (a copy; a GPA answer fills value and scale)."""
    updated: dict[str, Any] = orjson.loads(orjson.dumps(document))
    if name == "gpa":
        number, scale = value
        gpa = {"value": number, "scale": scale if scale is not None else 4.0}
        put(updated, ("gpa",), gpa)
    else:
        put(updated, BY_NAME[name].path, value)
    return updated


def ask_profile(
    ask: Callable[[str], str], say: Callable[[str], None], screen: Screen
) -> dict[str, Any]:
    """Ask each question that applies, checking each answer as it is typed; an answer
    that is not valid is explained and asked again. Returns the document of the answers
    given (Ctrl-C or the end of input stops early and keeps them: see `Stopped`)."""
    document = blank_profile()
    answers: dict[str, Any] = {}
    try:
        for question in QUESTIONS:
            if question.when is not None and not question.when(answers):
                continue
            while True:
                text = ask(f"{question.text} (Enter to skip): ")
                try:
                    value = read_answer(question, text)
                except Unclear as exc:
                    say(f"  {exc}")
                    continue
                if value is None:
                    break
                candidate = _put_answer(document, question.field, value)
                problems = _problems(candidate, screen)
                if problems:
                    say(f"  {problems[0]}")
                    continue
                document, answers[question.field] = candidate, value
                break
    except (EOFError, KeyboardInterrupt) as exc:
        raise Stopped(document, interrupted=isinstance(exc, KeyboardInterrupt)) from None
    return document


class Stopped(Exception):
    """The questions stopped early; `document` holds the answers given, all valid."""

    def __init__(self, document: dict[str, Any], *, interrupted: bool) -> None:
        super().__init__("stopped")
        self.document = document
        self.interrupted = interrupted


def _problems(document: dict[str, Any], screen: Screen) -> list[str]:
    result = validate_json(orjson.dumps(document), screen)
    if isinstance(result, list):
        return [p.message if p.loc else str(p) for p in result]
    return []


def profile_bytes(document: dict[str, Any]) -> bytes:
    data = orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    Profile.model_validate_json(data)  # what we write must be valid
    return data
