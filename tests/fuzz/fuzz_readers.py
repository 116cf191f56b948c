"""Coverage-guided fuzzing of every reader with atheris, one target at a time.

    pip install atheris
    python tests/fuzz/fuzz_readers.py TARGET -max_total_time=600 -rss_limit_mb=1024 -timeout=20

TARGET is one of: profile (check's reader), jsonl, csv, json (documents and arrays), gzip
(a stream cut and damaged where the input says), stdin (told apart by its first bytes),
rules (a rules file, validated, and a profile checked against what it holds), columns (a
column map). `all` runs each target in turn with the same options.

A reader may turn input away only with an AdmitcheckError (one line, a documented exit
code) or an error record; every record read goes through the worker's path (validate,
evaluate, encode). Anything else (an uncaught exception, more than 1 GiB of memory, an
input that takes longer than -timeout seconds) is a finding: atheris stops with the
input that caused it.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from admitcheck.batch.pipeline import BatchSettings, process_chunk
    from admitcheck.batch.writers import writer_for
    from admitcheck.catalog import check_ids, check_rules_file, load_catalog
    from admitcheck.errors import AdmitcheckError
    from admitcheck.evaluate import evaluate
    from admitcheck.inputs import profiles
    from admitcheck.inputs.flat import ColumnMap, load_column_map
    from admitcheck.inputs.profiles import Screen
    from admitcheck.inputs.records import Limits, iter_work
    from admitcheck.models.flat import BY_NAME
    from admitcheck.vocabulary import BatchFormat

AS_OF = date(2026, 11, 24)
PROGRAM = load_catalog().get("usc-msece-mlds")
SCREEN = Screen(AS_OF, PROGRAM.reference)
SETTINGS = BatchSettings(
    [PROGRAM], AS_OF, writer_for(BatchFormat.jsonl, check_ids([PROGRAM])), SCREEN
)
SCRATCH = Path(tempfile.mkdtemp(prefix="admitcheck-fuzz-"))
HEADER = ",".join(BY_NAME).encode()
MARIA = (Path(__file__).resolve().parents[2] / "examples" / "maria-eligible.json").read_bytes()
# Small limits, so that the fuzzer reaches them with small inputs.
LIMITS = Limits(record=4096, cell=1024, decompressed=1 << 16)


def _batch(path: str, limits: Limits = LIMITS) -> None:
    for work in iter_work([path], ColumnMap.identity(), chunk=7, block=512, limits=limits):
        process_chunk(work, SETTINGS)


def _file(name: str, data: bytes) -> str:
    path = SCRATCH / name
    path.write_bytes(data)
    return str(path)


def profile(data: bytes) -> None:
    path = _file("profile.json", data)
    try:
        document, name = profiles.read_document(path)
        evaluate(profiles.validate_document(document, name, SCREEN), PROGRAM, AS_OF)
    except AdmitcheckError:
        pass


def jsonl(data: bytes) -> None:
    _batch(_file("in.jsonl", data))


def csv(data: bytes) -> None:
    _batch(_file("with-header.csv", HEADER + b"\n" + data))
    _batch(_file("own-header.csv", data))


def json(data: bytes) -> None:
    _batch(_file("in.json", data))


def gzip_stream(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    cut = provider.ConsumeIntInRange(0, 4096)
    flip = provider.ConsumeIntInRange(0, 4096)
    packed = bytearray(gzip.compress(provider.ConsumeBytes(provider.remaining_bytes())))
    if flip < len(packed):
        packed[flip] ^= 0x5A
    suffix = ".jsonl.gz" if cut % 3 == 0 else ".csv.gz" if cut % 3 == 1 else ".json.gz"
    _batch(_file("in" + suffix, bytes(packed[: max(cut, 1)] if cut % 2 else packed)))
    _batch(_file("raw" + suffix, data))  # the input itself as a gzip file


def stdin(data: bytes) -> None:
    previous = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)))
    try:
        _batch("-")
    finally:
        sys.stdin = previous


def rules(data: bytes) -> None:
    path = Path(_file("rules.toml", data))
    catalog, _, problems = check_rules_file(path)
    if problems or catalog is None:
        return
    try:
        loaded = load_catalog([path], builtin=False)
    except AdmitcheckError:
        return
    document, name = profiles.read_document(_file("maria.json", MARIA))
    maria = profiles.validate_document(document, name, SCREEN)
    for program in loaded.all():
        evaluate(maria, program, AS_OF)


def columns(data: bytes) -> None:
    with contextlib.suppress(AdmitcheckError):
        load_column_map(Path(_file("columns.toml", data)))


TARGETS: dict[str, Callable[[bytes], None]] = {
    "profile": profile,
    "jsonl": jsonl,
    "csv": csv,
    "json": json,
    "gzip": gzip_stream,
    "stdin": stdin,
    "rules": rules,
    "columns": columns,
}


def main() -> None:
    name = sys.argv.pop(1) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "all"
    if name == "all":
        import subprocess

        for target in TARGETS:
            subprocess.run([sys.executable, __file__, target, *sys.argv[1:]], check=True)
        return
    atheris.Setup(sys.argv, TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
