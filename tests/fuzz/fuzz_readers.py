"""Coverage-guided fuzzing of the profile and CSV readers with atheris.

    pip install atheris
    python tests/fuzz/fuzz_readers.py -atheris_runs=200000        # or -max_total_time=60

Each input is fed to the single-profile reader (bytes -> JSON -> validated profile), to
the batch record reader (a JSONL line) and to the CSV reader with the flat columns. A
reader may reject input only with ProfileError/UsageError or an error record; anything
else (an uncaught exception) is a finding and atheris stops with the input that caused
it.
"""

from __future__ import annotations

import io
import itertools
import sys
import tempfile
from datetime import date
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from admitcheck.catalog import load_catalog
    from admitcheck.errors import AdmitcheckError
    from admitcheck.evaluate import evaluate
    from admitcheck.inputs import profiles, records
    from admitcheck.inputs.flat import ColumnMap
    from admitcheck.models.flat import BY_NAME
    from admitcheck.models.report import RecordError

AS_OF = date(2026, 11, 24)
PROGRAM = load_catalog().get("usc-msece-mlds")
SCRATCH = Path(tempfile.mkdtemp(prefix="admitcheck-fuzz-"))
HEADER = ",".join(BY_NAME)


def one_input(data: bytes) -> None:
    # 1. check's reader: decode, strict JSON, validate.
    path = SCRATCH / "profile.json"
    path.write_bytes(data)
    try:
        document, name = profiles.read_document(str(path))
        profile = profiles.validate_document(document, name, AS_OF)
        evaluate(profile, PROGRAM, AS_OF)
    except AdmitcheckError:
        pass
    # 2. batch's JSONL record reader.
    record = records.RawRecord("fuzz", 1, None, records.RecordKind.JSON, data)
    result = records.read_record(record, AS_OF)
    if not isinstance(result, RecordError):
        evaluate(result, PROGRAM, AS_OF)
    # 3. the CSV reader, with the documented header and the input as rows.
    text = HEADER + "\n" + data.decode("utf-8", errors="replace")
    rows = records._csv_records(io.StringIO(text), "fuzz.csv", ColumnMap.identity())
    for raw in itertools.islice(rows, 50):
        outcome = records.read_record(raw, AS_OF)
        if not isinstance(outcome, RecordError):
            evaluate(outcome, PROGRAM, AS_OF)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
