"""The Python API: what the command line does, as functions.

    import admitcheck
    report = admitcheck.check({"gpa": 3.4, "international": False}, as_of="2026-11-25")
    print(report.verdict, report.to_dict()["checks"][0])

`check` takes a profile (a `Profile`, or a mapping as in a JSON profile), `check_many`
streams an iterable of them and never stops at a bad one, `check_rows` does the same for
flat rows (the CSV columns: a DataFrame's rows go straight in), `from_flat` reads one
flat row, `load_catalog` reads the built-in programs and any rules files. Invalid input
raises `ProfileError` (or gives an `ErrorRecord` in `check_many` and `check_rows`),
exactly as the CLI reports it.

Values from numpy and pandas are read as the Python values they stand for: `np.bool_`,
`np.int64`, `np.float64` as bool, int and float; `np.nan`, `pd.NA`, `pd.NaT` and `None`
as an absent fact; timestamps as dates.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from admitcheck.catalog import load_catalog
from admitcheck.cycles import requested
from admitcheck.errors import AdmitcheckError, ProfileError, UsageError
from admitcheck.evaluate import evaluate
from admitcheck.inputs.flat import ColumnMap, load_column_map
from admitcheck.inputs.json_text import to_json
from admitcheck.inputs.profiles import Screen, summarise, validate_document, validate_flat
from admitcheck.inputs.profiles import validate_json as _validate_json
from admitcheck.models.profile import Profile
from admitcheck.models.program import Catalog, LoadedProgram
from admitcheck.models.report import ApplicantRef, ErrorRecord, RecordError, Report
from admitcheck.problems import FieldProblem

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["check", "check_many", "check_rows", "from_flat", "load_catalog"]

_default_catalog: Catalog | None = None


def _catalog(catalog: Catalog | None) -> Catalog:
    global _default_catalog
    if catalog is not None:
        return catalog
    if _default_catalog is None:
        _default_catalog = load_catalog()
    return _default_catalog


def _program(
    program: str | LoadedProgram | None,
    catalog: Catalog | None,
    checks: Iterable[str] | None = None,
    cycle: str | None = None,
) -> LoadedProgram:
    chosen = (
        program
        if isinstance(program, LoadedProgram)
        else _catalog(catalog).select(program, requested(cycle, "cycle"))
    )
    if checks is None:
        return chosen
    selectors = [checks] if isinstance(checks, str) else list(checks)
    unknown = [s for s in selectors if not chosen.selected_by(s)]
    if unknown or not selectors:
        raise UsageError(
            f"checks: {', '.join(map(repr, unknown)) or 'none given'}; expected check ids or "
            f"categories of {chosen.ref.id}: {', '.join(chosen.check_ids)}"
        )
    return chosen.only(selectors)


def _date(as_of: date | str | None) -> date:
    if as_of is None:
        return date.today()
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(as_of)
    except (TypeError, ValueError):
        raise AdmitcheckError(f"as_of: expected a date like 2026-06-14, got {as_of!r}") from None


# --------------------------------------------------------------------------- plain values


class _Missing:
    """What a missing value (NaN, pd.NA, NaT, None) becomes: the fact is absent."""


MISSING = _Missing()


def plain(value: Any) -> Any:
    """A value from numpy or pandas as the Python value it stands for; a missing one
    (None, NaN, pd.NA, pd.NaT) as `MISSING`. Mappings and lists are converted throughout,
    their missing members left out."""
    if value is None or isinstance(value, (str, bool)):
        return MISSING if value is None else value
    if isinstance(value, float):
        return MISSING if math.isnan(value) else value
    if isinstance(value, int):
        return value
    if isinstance(value, dt.datetime):
        return MISSING if _is_missing(value) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        found = {str(k): plain(v) for k, v in value.items()}
        kept = {k: v for k, v in found.items() if v is not MISSING}
        return kept if kept or not found else MISSING  # {"total": NaN} is no score at all
    if isinstance(value, (list, tuple)):
        return [v for v in (plain(item) for item in value) if v is not MISSING]
    if _is_missing(value):
        return MISSING
    item = getattr(value, "item", None)  # numpy scalars (np.bool_, np.int64, np.str_ ...)
    if callable(item) and type(value).__module__.startswith("numpy"):
        try:
            found = item()
        except (TypeError, ValueError):
            return value
        if isinstance(found, int) and type(value).__name__.startswith("datetime64"):
            return value  # a datetime64 in nanoseconds: left to the schema
        return plain(found)
    tolist = getattr(value, "tolist", None)  # numpy arrays, pandas and polars Series
    if callable(tolist) and type(value).__module__.split(".")[0] in ("numpy", "pandas", "polars"):
        return plain(tolist())
    return value


def _is_missing(value: Any) -> bool:
    name = type(value).__name__
    if name in ("NAType", "NaTType"):
        return True
    if name == "float" or (type(value).__module__.startswith("numpy") and "float" in name):
        try:
            return bool(value != value)
        except (TypeError, ValueError):
            return False
    return False


def _document(item: Mapping[str, Any]) -> dict[str, Any]:
    found = plain(item)
    if found is MISSING:
        return {}
    if not isinstance(found, dict):
        raise TypeError(f"expected a mapping, got {type(item).__name__}")
    return found


# --------------------------------------------------------------------------- flat rows


def _cell(value: Any) -> str:
    """A flat row's value as the CSV reader would see its cell ('' when absent)."""
    value = plain(value)
    if value is MISSING:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 104.0 from a column with gaps is 104
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


Columns = ColumnMap | Mapping[str, str | None] | str | Path | None


def _column_map(columns: Columns) -> ColumnMap:
    """`columns=` as a ColumnMap: None, a ColumnMap, a map file, or a dict of
    {name: profile column} where None leaves a column out."""
    if isinstance(columns, (str, Path)):
        return load_column_map(Path(columns))
    if isinstance(columns, ColumnMap):
        found = columns
    elif columns is None:
        found = ColumnMap.identity()
    else:
        found = load_column_map_from(columns)
    return found if found.given else replace(found, given=True, source="columns=")


def load_column_map_from(columns: Mapping[str, str | None]) -> ColumnMap:
    """A {name: profile column or None (left out)} dict as a ColumnMap."""
    from admitcheck.models.flat import BY_NAME

    rename: dict[str, str] = {}
    for name, target in columns.items():
        if target is not None and target not in BY_NAME:
            raise UsageError(f"columns: '{name}' maps to '{target}', which is not a profile column")
        if target is not None:
            rename[str(name)] = str(target)
    ignore = frozenset(str(k) for k, v in columns.items() if v is None)
    return ColumnMap(rename, ignore, {}, given=True, source="columns=")


_TARGETS: dict[tuple[int, tuple[str, ...]], tuple[ColumnMap, list[str | None], str | None]] = {}


def _flat_problems(
    row: Mapping[str, Any], columns: ColumnMap, screen: Screen
) -> Profile | list[FieldProblem]:
    cells = {str(k): _cell(v) for k, v in row.items()}
    header = tuple(cells)
    key = (id(columns), header)
    known = _TARGETS.get(key)
    if known is None or known[0] is not columns:  # a DataFrame's rows share one header
        if len(_TARGETS) > 64:
            _TARGETS.clear()
        known = _TARGETS[key] = (columns, *columns.targets(header)[:2])
    _, targets, problem = known
    if problem:
        return [FieldProblem((), problem)]
    flat = dict(columns.constants)
    for target, value in zip(targets, cells.values(), strict=True):
        if target is not None and value.strip():
            flat[target] = value
    flat, unreadable = columns.read(flat)
    if unreadable:
        return [FieldProblem((), message) for message in unreadable]
    return validate_flat(flat, screen)


def from_flat(
    row: Mapping[str, Any],
    *,
    columns: Columns = None,
    catalog: Catalog | None = None,
) -> Profile:
    """One flat row (the CSV columns: `gpa`, `toefl`, `degree_level`, ...) as a validated
    `Profile`. `columns` maps other names to them: a `{header: column}` dict, a column
    map file (as `--columns`), or a `ColumnMap`. Raises `ProfileError` naming each problem."""
    screen = Screen(date.today(), _catalog(catalog).reference)
    result = _flat_problems(row, _column_map(columns), screen)
    if isinstance(result, Profile):
        return result
    raise _profile_error("row", result)


def _profile_error(name: str, problems: Sequence[FieldProblem]) -> ProfileError:
    if len(problems) == 1:
        return ProfileError(f"{name}: {problems[0]}")
    return ProfileError(
        f"{name}: invalid profile ({len(problems)} problems)", details=[str(p) for p in problems]
    )


# --------------------------------------------------------------------------- checking


def check(
    profile: Profile | Mapping[str, Any],
    program: str | LoadedProgram | None = None,
    *,
    as_of: date | str | None = None,
    catalog: Catalog | None = None,
    source: str | None = None,
    require_complete: bool = False,
    checks: Iterable[str] | None = None,
    cycle: str | None = None,
) -> Report:
    """One applicant against one program (by id, or the only one in the catalogue).

    `checks`: evaluate only these check ids or categories (as `--checks`); `cycle`: the
    admission cycle ("fall-2027"; default the newest the rules hold)."""
    day = _date(as_of)
    chosen = _program(program, catalog, checks, cycle)
    if not isinstance(profile, Profile):
        screen = Screen(date.today(), chosen.reference)
        try:
            document = _document(profile)
        except TypeError as exc:
            raise ProfileError(f"{source or 'profile'}: {exc}") from None
        profile = validate_document(document, source or "profile", screen)
    return evaluate(profile, chosen, day, source=source, require_complete=require_complete)


@dataclass(frozen=True)
class _Settings:
    """What a worker needs to check items: sent once to each worker process."""

    program: LoadedProgram
    day: date
    screen: Screen
    require_complete: bool
    source: str
    columns: ColumnMap | None  # None: items are JSON-like profiles; else flat rows


def _one(item: Any, index: int, settings: _Settings) -> Report | ErrorRecord:
    """One item checked; never raises for bad data."""
    where = f"{settings.source}[{index}]"
    ident: tuple[str | None, str | None] = (None, None)
    try:
        if isinstance(item, Profile):
            result: Profile | list[FieldProblem] = item
        elif settings.columns is not None:
            ident = _ident(item, settings.columns)
            result = _flat_problems(item, settings.columns, settings.screen)
        else:
            document = _document(item)
            ident = _ident(document, None)
            result = _validate_json(to_json(document), settings.screen)
    except (TypeError, ValueError, AttributeError) as exc:
        result = [FieldProblem((), f"cannot be read ({type(exc).__name__}: {exc})")]
    if isinstance(result, Profile):
        return evaluate(
            result,
            settings.program,
            settings.day,
            source=where,
            require_complete=settings.require_complete,
        )
    error = RecordError(settings.source, None, index, summarise(result))
    return ErrorRecord(ApplicantRef(ident[0], ident[1], where), "error", error)


def _ident(item: Any, columns: ColumnMap | None) -> tuple[str | None, str | None]:
    """The id and name of an item, where they can be read, for its error record."""
    if not isinstance(item, Mapping):
        return None, None
    found: dict[str, Any] = {}
    for key, value in item.items():
        target = columns.rename.get(str(key), str(key)) if columns is not None else str(key)
        if target in ("id", "name"):
            found[target] = value
    return _text(found.get("id")), _text(found.get("name"))


def _text(value: Any) -> str | None:
    value = plain(value)
    if value is MISSING or isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, str)) and str(value).strip():
        return str(value)[:200]
    return None


_WORKER: _Settings | None = None
CHUNK_ITEMS = 500  # items a worker checks at a time


def _init_worker(settings: _Settings) -> None:
    global _WORKER
    _WORKER = settings


def _work(chunk: list[tuple[int, Any]]) -> list[Report | ErrorRecord]:
    assert _WORKER is not None
    return [_one(item, index, _WORKER) for index, item in chunk]


def _run(
    items: Iterable[Any], settings: _Settings, jobs: int | None
) -> Iterator[Report | ErrorRecord]:
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise UsageError(f"jobs: expected a whole number of at least 1, got {jobs!r}")
    if not jobs or jobs == 1:
        for index, item in enumerate(items):
            yield _one(item, index, settings)
        return
    yield from _in_pool(items, settings, jobs)


def _in_pool(
    items: Iterable[Any], settings: _Settings, jobs: int
) -> Iterator[Report | ErrorRecord]:
    """The items in chunks across `jobs` worker processes, results in input order; at
    most two chunks per worker in flight, so memory stays flat."""
    # Imported here: a library call or command that runs no pool does not pay for them.
    from concurrent.futures import ProcessPoolExecutor

    from admitcheck.workers import pool_context

    # fork (where safe) also lets a script without a `__main__` guard, or a notebook, run.
    context = pool_context()
    numbered = iter(enumerate(items))
    window: list[Future[list[Report | ErrorRecord]]] = []
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(settings,)
    ) as pool:
        while chunk := [
            (i, _sendable(item, settings)) for i, item in itertools.islice(numbered, CHUNK_ITEMS)
        ]:
            window.append(pool.submit(_work, chunk))
            while len(window) >= 2 * jobs:
                yield from window.pop(0).result()
        while window:
            yield from window.pop(0).result()


def _sendable(item: Any, settings: _Settings) -> Any:
    """An item as plain Python data, to cross to a worker (numpy scalars and all)."""
    if isinstance(item, Profile):
        return item
    if settings.columns is not None and isinstance(item, Mapping):
        return {str(k): _cell(v) for k, v in item.items()}
    if isinstance(item, Mapping):
        return plain(item)
    return item


def _many(
    items: Iterable[Any],
    program: str | LoadedProgram | None,
    *,
    as_of: date | str | None,
    catalog: Catalog | None,
    source: str,
    require_complete: bool,
    checks: Iterable[str] | None,
    columns: ColumnMap | None,
    jobs: int | None,
    cycle: str | None = None,
) -> Iterator[Report | ErrorRecord]:
    day = _date(as_of)
    chosen = _program(program, catalog, checks, cycle)
    settings = _Settings(
        chosen, day, Screen(date.today(), chosen.reference), require_complete, source, columns
    )
    return _run(items, settings, jobs)


def check_many(
    profiles: Iterable[Profile | Mapping[str, Any]],
    program: str | LoadedProgram | None = None,
    *,
    as_of: date | str | None = None,
    catalog: Catalog | None = None,
    source: str = "input",
    require_complete: bool = False,
    checks: Iterable[str] | None = None,
    jobs: int | None = None,
    cycle: str | None = None,
) -> Iterator[Report | ErrorRecord]:
    """Each profile in turn, lazily: a report, or an error record for one that is invalid
    (whatever it holds: it never stops at a bad one). `jobs` > 1 checks them in that many
    worker processes, results still in input order."""
    return _many(
        profiles,
        program,
        as_of=as_of,
        catalog=catalog,
        source=source,
        require_complete=require_complete,
        checks=checks,
        columns=None,
        jobs=jobs,
        cycle=cycle,
    )


def rows_of(table: Any) -> Iterable[Mapping[str, Any]]:
    """A table's rows as mappings: a pandas or polars DataFrame, or any iterable of
    mappings (returned as it is)."""
    if hasattr(table, "iter_rows") and hasattr(table, "columns"):  # polars
        return table.iter_rows(named=True)  # type: ignore[no-any-return]
    if hasattr(table, "itertuples") and hasattr(table, "columns"):  # pandas
        names = [str(c) for c in table.columns]
        return (
            dict(zip(names, row, strict=True)) for row in table.itertuples(index=False, name=None)
        )
    return table  # type: ignore[no-any-return]


def check_rows(
    rows: Any,
    program: str | LoadedProgram | None = None,
    *,
    columns: Columns = None,
    as_of: date | str | None = None,
    catalog: Catalog | None = None,
    source: str = "rows",
    require_complete: bool = False,
    checks: Iterable[str] | None = None,
    jobs: int | None = None,
    cycle: str | None = None,
) -> Iterator[Report | ErrorRecord]:
    """Flat rows (the CSV reader's columns) checked as `batch` checks a CSV: a pandas or
    polars DataFrame, or any iterable of mappings. `columns` maps other column names (a
    dict, a column map file as `--columns`, or a `ColumnMap` with its decimal mark, date
    order and value maps). One result per row, in order; a bad row is an `ErrorRecord`."""
    return _many(
        rows_of(rows),
        program,
        as_of=as_of,
        catalog=catalog,
        source=source,
        require_complete=require_complete,
        checks=checks,
        columns=_column_map(columns),
        jobs=jobs,
        cycle=cycle,
    )


def load_rules(paths: Iterable[str | Path], *, builtin: bool = True) -> Catalog:
    """The catalogue with the given rules files (strings or paths) added."""
    return load_catalog([Path(p) for p in paths], builtin=builtin)
