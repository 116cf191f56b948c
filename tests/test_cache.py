"""The built-in catalogue's cache: the same catalogue, faster; never a wrong or a broken one,
never a way in.

An entry is trusted only in a folder and as a file owned by the user running admitcheck
and writable by no one else; whatever else is found is ignored and the answer is the one
admitcheck gives with no cache. Planting tests write, at the path the cache computes and
in the cache's own format (an attacker knows it), an entry that would run code and one
built from altered rules; faults of the folder and of entries each leave the answer, the
output and the exit code exactly as with the cache off.
"""

from __future__ import annotations

import errno
import functools
import io
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from admitcheck import cache
from admitcheck.catalog import _builtin_data_files, is_catalog, load_catalog
from admitcheck.inputs import profiles
from admitcheck.models.profile import Profile
from admitcheck.models.program import Catalog
from tests.conftest import AS_OF, EXAMPLES, PROGRAM_ID, ROOT, Run

NOBODY = 65534  # another account: tests run as root here, and root can chown to it
ROOT_USER = os.geteuid() == 0
CHECK = (str(EXAMPLES / "maria-eligible.json"), "-p", PROGRAM_ID, "--as-of", AS_OF)
ADMITCHECK = (sys.executable, "-m", "admitcheck", "check", *CHECK, "--format", "json")


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("catalog-*.pickle"))


def _key() -> str:
    return cache.key_of(_builtin_data_files())


def _entry_in(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The path the cache computes for the built-in catalogue, with the cache in `folder`."""
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(folder))
    path = cache.entry_path("catalog", _builtin_data_files())
    assert path is not None and path.parent == folder
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# --------------------------------------------------------------------------- answers


@pytest.fixture
def answer(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Run]:
    """`check` through the CLI with the cache in the folder given (or "off")."""

    def run(folder: str) -> Run:
        monkeypatch.setenv("ADMITCHECK_CACHE_DIR", folder)
        return cli("check", *CHECK, "--format", "json")

    return run


@pytest.fixture
def uncached(answer: Callable[[str], Run]) -> Run:
    found = answer("off")
    assert found.exit_code == 0 and not found.stderr
    assert found.json()["verdict"] == "eligible"
    return found


def _same(run: Run, expected: Run) -> None:
    assert (run.exit_code, run.stdout, run.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )


# --------------------------------------------------------------------------- the cache works


def test_the_cached_catalogue_is_the_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(tmp_path))
    built = load_catalog()
    assert len(_entries(tmp_path)) == 1
    again = load_catalog()
    assert again is not built
    assert sorted(again.programs) == sorted(built.programs)
    for program_id, program in built.programs.items():
        cached = again.programs[program_id]
        assert cached.ref == program.ref
        assert cached.check_ids == program.check_ids
        assert [k for k, _ in cached.parts] == [k for k, _ in program.parts]  # the same kinds


def test_a_second_run_reads_the_entry_instead_of_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The core's classes are all the restricted unpickler lets through: if a catalogue
    came to hold anything else, every run would rebuild, and this would fail."""
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(tmp_path))
    load_catalog()

    def build() -> Catalog:
        raise AssertionError("built again")

    found = cache.cached("catalog", _builtin_data_files(), build, shape=is_catalog)
    assert isinstance(found, Catalog) and PROGRAM_ID in found.programs


def test_the_folder_and_its_parents_are_created_0700_and_the_entry_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "home" / ".cache" / "admitcheck"
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(folder))
    load_catalog()
    assert [_mode(p) for p in (folder.parent.parent, folder.parent, folder)] == [0o700] * 3
    (entry,) = _entries(folder)
    assert _mode(entry) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == [entry.name]


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADMITCHECK_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "admitcheck"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/xdg")  # invalid by the XDG spec: ignored
    assert cache.cache_dir() == tmp_path / ".cache" / "admitcheck"
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(tmp_path / "chosen"))
    assert cache.cache_dir() == tmp_path / "chosen"


def test_the_key_changes_with_the_data(tmp_path: Path) -> None:
    data = tmp_path / "programs.toml"
    data.write_text("format = 1\n")
    first = cache.key_of([data])
    data.write_text("format = 1\n# changed\n")
    assert cache.key_of([data]) != first


def test_off_builds_every_time_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert load_catalog().programs
    assert not list(tmp_path.rglob("*"))


def test_an_earlier_versions_entry_is_removed_but_not_a_write_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    earlier = folder / "catalog-0123456789abcdef0123456789abcdef.pickle"
    earlier.write_bytes(b"an earlier version's entry")
    in_progress = folder / ".catalog-0011223344556677.part"
    in_progress.write_bytes(b"another run writing")
    abandoned = folder / ".catalog-8899aabbccddeeff.part"
    abandoned.write_bytes(b"a run killed while writing")
    os.utime(abandoned, (0, 0))
    entry = _entry_in(folder, monkeypatch)
    load_catalog()
    assert sorted(folder.iterdir()) == sorted([entry, in_progress])


# --------------------------------------------------------------------------- planting

# What another account could leave at the entry's path: a pickle whose loading creates a
# file, and a well-formed catalogue built from altered rules (a higher GPA minimum).


class _Touch:
    """Pickles as a call of `Path(sentinel).touch()`: code run by loading."""

    def __init__(self, sentinel: Path) -> None:
        self.sentinel = sentinel

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.sentinel,))


def _altered(catalog: Catalog) -> Catalog:
    program = catalog.programs[PROGRAM_ID]
    parts = tuple(
        (kind, rule.model_copy(update={"minimum": 3.9}) if kind.key == "gpa" else rule)
        for kind, rule in program.parts
    )
    programs = {**catalog.programs, PROGRAM_ID: replace(program, parts=parts, _contexts={})}
    return replace(catalog, programs=programs)


@pytest.fixture
def sentinel(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "payload-ran"
    yield path
    assert not path.exists(), "the planted pickle ran"


def _payload(what: str, sentinel: Path, catalog: Catalog) -> bytes:
    if what == "code":
        payload = pickle.dumps(_Touch(sentinel), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(payload)  # the payload is real: plain unpickling runs it
        assert sentinel.exists()
        sentinel.unlink()
    else:
        payload = pickle.dumps(_altered(catalog), protocol=pickle.HIGHEST_PROTOCOL)
    return cache.entry_bytes(_key(), payload)


def _plant(way: str, folder: Path, entry: Path, content: bytes) -> None:
    folder.mkdir(mode=0o700)
    entry.write_bytes(content)
    entry.chmod(0o600)
    if way == "world-writable folder":  # a shared /tmp/...: sticky, as /tmp is
        folder.chmod(0o1777)
    elif way == "group-writable file":
        entry.chmod(0o660)
    elif way == "foreign folder and file":
        os.chown(entry, NOBODY, NOBODY)
        os.chown(folder, NOBODY, NOBODY)
    elif way == "foreign file":  # in a folder of one's own
        os.chown(entry, NOBODY, NOBODY)
    else:
        assert way == "private", way


FOREIGN = pytest.mark.skipif(not ROOT_USER, reason="chown to another user needs root")
WAYS = [
    "world-writable folder",
    "group-writable file",
    pytest.param("foreign folder and file", marks=FOREIGN),
    pytest.param("foreign file", marks=FOREIGN),
]


def test_the_planting_tests_plant_where_and_what_the_cache_reads(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: Callable[[str], Run],
    uncached: Run,
    catalog: Catalog,
    sentinel: Path,
) -> None:
    """The control: the altered entry, planted privately (as the user could), is used.
    So where the planted entries below are not, it is the checks that refused them."""
    folder = tmp_path / "cache"
    entry = _entry_in(folder, monkeypatch)
    _plant("private", folder, entry, _payload("altered rules", sentinel, catalog))
    changed = answer(str(folder))
    assert changed.exit_code != uncached.exit_code
    assert changed.json()["verdict"] == "ineligible"
    assert next(c for c in changed.json()["checks"] if c["id"] == "gpa")["status"] == "not_met"


@pytest.mark.parametrize("what", ["code", "altered rules"])
@pytest.mark.parametrize("way", WAYS)
def test_an_entry_others_could_write_is_never_read(
    way: str,
    what: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: Callable[[str], Run],
    uncached: Run,
    catalog: Catalog,
    sentinel: Path,
) -> None:
    folder = tmp_path / "cache"
    entry = _entry_in(folder, monkeypatch)
    planted = _payload(what, sentinel, catalog)
    _plant(way, folder, entry, planted)
    _same(answer(str(folder)), uncached)
    assert not sentinel.exists()
    if "folder" in way:  # nothing is written where others can write
        assert [p.name for p in folder.iterdir()] == [entry.name]
        assert entry.read_bytes() == planted
    else:  # the folder is the user's own: the entry is replaced by a good one
        assert entry.read_bytes() != planted
        status = entry.lstat()
        assert (status.st_uid, _mode(entry)) == (os.geteuid(), 0o600)
        # Beside it, at most the profile's schema (this process may have read it before).
        assert [p for p in folder.iterdir() if not p.name.startswith("profile-")] == [entry]


def test_a_pickle_naming_anything_but_the_cores_classes_is_not_run_even_from_a_private_folder(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: Callable[[str], Run],
    uncached: Run,
    catalog: Catalog,
    sentinel: Path,
) -> None:
    """Files copied into one's own folder (or restored from a CI cache) are the user's:
    the restricted unpickler is the second guard."""
    folder = tmp_path / "cache"
    entry = _entry_in(folder, monkeypatch)
    _plant("private", folder, entry, _payload("code", sentinel, catalog))
    _same(answer(str(folder)), uncached)
    assert not sentinel.exists()


# --------------------------------------------------------------------------- the profile's schema

# Profiles pydantic accepts and refuses, each through a different part of the schema: the
# examples, a course list over its length limit (a constraint pydantic applies in Python,
# as a partial of its own validator), model validators, before-validators, strictness.
_PROFILES = [
    *(path.read_bytes() for path in sorted(EXAMPLES.glob("*.json"))),
    json.dumps({"courses": ["Calculus I"] * 501}).encode(),
    json.dumps({"courses": ["Maths II", {"title": "CS 101", "grade": "A"}]}).encode(),
    json.dumps({"gpa": {"value": 4.3, "scale": 4.0}}).encode(),
    json.dumps({"gpa": 3.4, "id": 17}).encode(),
    json.dumps({"tests": {"toefl": {"date": "2025-03-01"}}}).encode(),
    json.dumps({"tests": {"gre": {"verbal": 150, "quant": 150, "total": 330}}}).encode(),
    json.dumps({"degree": {"level": "bachelor", "years": "4"}}).encode(),
    json.dumps({"materials": {"other": {"x" * 65: True}}, "nickname": "Kim"}).encode(),
]


def _results(validate: Callable[[str], Any]) -> list[Any]:
    found: list[Any] = []
    for document in _PROFILES:
        try:
            found.append(validate(document))
        except ValidationError as exc:
            found.append(exc)
    return found


def _outcomes(results: list[Any]) -> list[Any]:
    """Each result as JSON (a profile's dump builds pydantic's serializer, and with it the
    models' validator: read `Profile.__pydantic_validator__` before)."""
    return [
        ["invalid", json.loads(r.json(include_url=False, include_context=False)), str(r)]
        if isinstance(r, ValidationError)
        else ["valid", r.model_dump(mode="json")]
        for r in results
    ]


# Run in a process of its own: in this one, pydantic may have built the profile's models
# already, and pydantic-core then uses their validators whatever schema it is given.
_VALIDATE_IN_A_NEW_PROCESS = """
import json
from admitcheck.inputs.profiles import profile_validator
from admitcheck.models.profile import Profile
from tests.test_cache import _outcomes, _results
results = _results(profile_validator().validate_json)
built = type(Profile.__pydantic_validator__).__name__
print(json.dumps({"pydantic built": built, "found": _outcomes(results)}))
"""


def _validated_in_a_new_process(folder: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _VALIDATE_IN_A_NEW_PROCESS],
        env={**os.environ, "ADMITCHECK_CACHE_DIR": str(folder)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: dict[str, Any] = json.loads(done.stdout)
    return found


@pytest.mark.slow
def test_the_cached_profile_schema_validates_as_pydantics_own(tmp_path: Path) -> None:
    """A run that reads the profile's schema from the cache never has pydantic build the
    models' validator, and answers as it would: results, errors word for word."""
    expected = _outcomes(_results(Profile.model_validate_json))
    assert {outcome[0] for outcome in expected} == {"valid", "invalid"}
    writing = _validated_in_a_new_process(tmp_path)  # builds the schema, writes the entry
    (entry,) = tmp_path.glob("profile-*.pickle")
    assert _mode(entry) == 0o600
    reading = _validated_in_a_new_process(tmp_path)
    assert reading["pydantic built"] == "MockValSer"  # pydantic's stand-in: never built
    assert reading["found"] == writing["found"] == expected


def test_the_profile_entry_may_name_exactly_what_the_schema_holds() -> None:
    """Beside the core's classes, the names the profile's schema pickles are the list its
    entry may name: a new validator fails here instead of widening what an entry may call."""
    named: set[tuple[str, str]] = set()

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            found = super().find_class(module, name)
            if not (isinstance(found, type) and module.startswith("admitcheck.")):
                named.add((module, name))
            return found

    Recording(io.BytesIO(pickle.dumps(profiles._profile_schema(), protocol=5))).load()
    assert named == profiles.SCHEMA_NAMES


def _planted_profile_entry(folder: Path, monkeypatch: pytest.MonkeyPatch, value: object) -> None:
    """`value` as the profile's entry: private, whole, under the key the cache computes."""
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(folder))
    entry = cache.entry_path("profile", ())
    assert entry is not None
    folder.chmod(0o700)
    entry.write_bytes(cache.entry_bytes(entry.stem.split("-", 1)[1], pickle.dumps(value)))
    entry.chmod(0o600)
    profiles.profile_validator.cache_clear()


def test_a_profile_entry_of_another_shape_is_built_and_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _planted_profile_entry(tmp_path, monkeypatch, "a string")
    try:
        validator = profiles.profile_validator()
        assert validator.validate_json(_PROFILES[0]).model_dump() == (
            Profile.model_validate_json(_PROFILES[0]).model_dump()
        )
    finally:
        profiles.profile_validator.cache_clear()
    schema, _ = cache.cached(
        "profile",
        (),
        lambda: pytest.fail("not written again"),
        shape=profiles._is_schema,
        also=profiles.SCHEMA_NAMES,
    )
    assert schema["type"] in ("model", "definitions")


def test_a_profile_schema_pydantic_core_refuses_gives_pydantics_own_validator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry of the right shape that is no schema costs time only."""
    _planted_profile_entry(tmp_path, monkeypatch, ({"type": "no such type"}, None))
    try:
        validator = profiles.profile_validator()
        assert validator is Profile.__pydantic_validator__
        assert validator.validate_json(_PROFILES[0]).model_dump() == (
            Profile.model_validate_json(_PROFILES[0]).model_dump()
        )
    finally:
        profiles.profile_validator.cache_clear()


def test_a_planted_profile_entry_that_runs_code_is_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sentinel: Path
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(folder))
    entry = cache.entry_path("profile", ())
    assert entry is not None
    planted = pickle.dumps(_Touch(sentinel), protocol=pickle.HIGHEST_PROTOCOL)
    _plant("private", folder, entry, cache.entry_bytes(entry.stem.split("-", 1)[1], planted))
    profiles.profile_validator.cache_clear()
    try:
        profile = profiles.profile_validator().validate_json(_PROFILES[0])
    finally:
        profiles.profile_validator.cache_clear()
    assert profile == Profile.model_validate_json(_PROFILES[0])
    assert entry.read_bytes() != planted  # replaced by the real schema


# A pickle that names one function, `form`, which is getattr in other words: with it a
# pickle reaches `__globals__`, `__builtins__`, `__import__` and `os.system`.
_GETATTR_GADGET = b"\x80\x02cadmitcheck.requirements.base\nform\n."


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("posix", "system"),
        ("builtins", "getattr"),  # what pydantic's JSON Schema metadata would name
        ("admitcheck.requirements.base", "form"),  # getattr in other words
        ("admitcheck.models.program", "rule_of"),  # the same
        ("admitcheck.models.profile", "_id_as_text"),  # the profile entry's, not others'
        ("admitcheck.models.profile", "model_validator"),  # pydantic's, imported there
        ("admitcheck.cache", "cached"),  # the shell's own
        ("admitcheck.models.profile", "Gpa.__init__"),
        ("functools", "partial"),
    ],
)
def test_the_unpickler_refuses_every_function(module: str, name: str) -> None:
    with pytest.raises(pickle.UnpicklingError, match="may not refer"):
        cache._CoreUnpickler(io.BytesIO(b"")).find_class(module, name)


def test_the_profile_entry_may_name_its_list_and_nothing_more() -> None:
    unpickler = cache._CoreUnpickler(io.BytesIO(b""), profiles.SCHEMA_NAMES)
    found = unpickler.find_class("admitcheck.models.scores", "Toefl._has_a_score")
    assert found.__qualname__ == "Toefl._has_a_score"
    assert unpickler.find_class("functools", "partial") is functools.partial
    for module, name in [("admitcheck.requirements.base", "form"), ("posix", "system")]:
        with pytest.raises(pickle.UnpicklingError, match="may not refer"):
            unpickler.find_class(module, name)
    with pytest.raises(pickle.UnpicklingError, match="may not refer"):
        cache._CoreUnpickler(io.BytesIO(_GETATTR_GADGET), profiles.SCHEMA_NAMES).load()


# --------------------------------------------------------------------------- faults


def _good_entry(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ADMITCHECK_CACHE_DIR", str(folder))
    load_catalog()
    (entry,) = _entries(folder)
    return entry


def _corrupt(entry: Path) -> None:
    entry.write_bytes(b"not a pickle")


def _truncated(entry: Path) -> None:
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])


def _flipped(entry: Path) -> None:  # a byte of the pickle changed: the digest refuses it
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0x01
    entry.write_bytes(bytes(data))


def _other_key(entry: Path) -> None:  # an earlier version's entry renamed to this key
    payload = entry.read_bytes().split(b"\n", 2)[2][32:]
    entry.write_bytes(cache.entry_bytes("0" * 32, payload))


def _other_shape(entry: Path) -> None:  # whole, private, of the key, but not a catalogue
    entry.write_bytes(cache.entry_bytes(entry.stem.split("-", 1)[1], pickle.dumps("a string")))


def _symlink(entry: Path) -> None:  # to a good entry elsewhere: links are not followed
    elsewhere = entry.parent.parent / "elsewhere.pickle"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)


def _fifo(entry: Path) -> None:  # must not hang the run
    entry.unlink()
    os.mkfifo(entry, 0o600)


def _folder(entry: Path) -> None:
    entry.unlink()
    entry.mkdir(mode=0o700)


@pytest.mark.parametrize(
    "fault", [_corrupt, _truncated, _flipped, _other_key, _other_shape, _symlink, _fifo, _folder]
)
def test_a_faulty_entry_answers_as_with_no_cache(
    fault: Callable[[Path], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: Callable[[str], Run],
    uncached: Run,
) -> None:
    folder = tmp_path / "cache"
    entry = _good_entry(folder, monkeypatch)
    fault(entry)
    _same(answer(str(folder)), uncached)
    if fault in (_corrupt, _truncated, _flipped, _other_key, _other_shape):  # rewritten whole
        rewritten = cache.cached(
            "catalog", _builtin_data_files(), lambda: pytest.fail("not rewritten"), shape=is_catalog
        )
        assert isinstance(rewritten, Catalog)


def test_a_cache_path_that_is_a_file_answers_as_with_no_cache(
    tmp_path: Path, answer: Callable[[str], Run], uncached: Run
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    _same(answer(str(blocked)), uncached)
    _same(answer(str(blocked / "cache")), uncached)
    assert blocked.read_text() == "a file where the folder would be"


def test_a_full_cache_folder_answers_as_with_no_cache_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: Callable[[str], Run], uncached: Run
) -> None:
    """The disk holding the cache is full: writes to files in it fail with ENOSPC after
    part of the data (the shell's `os.write`, for descriptors in that folder only)."""
    folder = tmp_path / "cache"
    real_write = os.write

    def full(fd: int, data: Any) -> int:
        if str(Path(f"/proc/self/fd/{fd}").readlink()).startswith(str(folder)):
            real_write(fd, bytes(data[:4096]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    _same(answer(str(folder)), uncached)
    assert list(folder.iterdir()) == []  # no entry, no half entry, no temporary file
    _same(answer(str(folder)), uncached)


# Real processes, for what root's privileges would hide in-process: as root they run
# without the capabilities that override file permissions.
PLAIN_USER: tuple[str, ...] = ()
if ROOT_USER:
    _setpriv = shutil.which("setpriv")
    _drop = "-dac_override,-dac_read_search"
    PLAIN_USER = (
        (_setpriv, f"--inh-caps={_drop}", f"--bounding-set={_drop}", "--") if _setpriv else ()
    )
PERMISSIONS = pytest.mark.skipif(
    ROOT_USER and not PLAIN_USER, reason="root ignores permissions; setpriv not found"
)


def _process_env(folder: str) -> dict[str, str]:
    return {**os.environ, "ADMITCHECK_CACHE_DIR": folder, "NO_COLOR": "1", "COLUMNS": "100"}


def _run(folder: str, prefix: tuple[str, ...] = ()) -> Run:
    done = subprocess.run(
        [*prefix, *ADMITCHECK],
        env=_process_env(folder),
        cwd=ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def uncached_process() -> Run:
    found = _run("off")
    assert found.exit_code == 0 and not found.stderr
    return found


@pytest.mark.slow
@PERMISSIONS
def test_an_unreadable_entry_answers_as_with_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uncached_process: Run
) -> None:
    folder = tmp_path / "cache"
    entry = _good_entry(folder, monkeypatch)
    entry.chmod(0o000)
    _same(_run(str(folder), PLAIN_USER), uncached_process)
    assert _mode(entry) == 0o600  # replaced by a readable one


@pytest.mark.slow
@PERMISSIONS
def test_a_read_only_cache_folder_answers_as_with_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uncached_process: Run
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o500)
    _same(_run(str(empty), PLAIN_USER), uncached_process)
    assert list(empty.iterdir()) == []
    kept = tmp_path / "kept"  # an entry written before the folder was made read-only
    entry = _good_entry(kept, monkeypatch)
    before = entry.read_bytes()
    kept.chmod(0o500)
    _same(_run(str(kept), PLAIN_USER), uncached_process)
    assert list(kept.iterdir()) == [entry] and entry.read_bytes() == before


@pytest.mark.slow
def test_eight_runs_starting_at_once_on_an_empty_cache_answer_as_with_no_cache(
    tmp_path: Path, uncached_process: Run
) -> None:
    folder = tmp_path / "cache"
    processes = [
        subprocess.Popen(
            ADMITCHECK,
            env=_process_env(str(folder)),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(8)
    ]
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        _same(Run(process.returncode, stdout, stderr), uncached_process)
    (entry,) = _entries(folder)
    (schema,) = folder.glob("profile-*.pickle")
    assert sorted(folder.iterdir()) == sorted([entry, schema])  # no temporary file left
    assert (_mode(folder), _mode(entry), _mode(schema)) == (0o700, 0o600, 0o600)
    _same(_run(str(folder)), uncached_process)
