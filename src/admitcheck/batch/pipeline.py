"""Run many records through the checker: in order, on N processes, flat memory.

The reader (main process) cuts the input into work: blocks of JSON Lines bytes (cut at a
line end, never parsed in the main process), or chunks of records it had to read itself
(CSV rows, JSON documents). A worker reads, validates, evaluates and encodes a piece of
work and sends back the encoded output; the main process writes it in input order.
Nothing crosses the process boundary per record. At most `2 * jobs` pieces are in
flight, so memory does not grow with the input.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import gc
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson

from admitcheck.batch.writers import Lines, Writer
from admitcheck.errors import WorkersFailed
from admitcheck.evaluate import blocking, evaluate
from admitcheck.inputs.profiles import Screen
from admitcheck.inputs.records import RawRecord, Work, identity, read_record, records_of
from admitcheck.models.profile import Profile
from admitcheck.models.program import LoadedProgram
from admitcheck.models.report import ApplicantRef, ErrorRecord, RecordError, Report
from admitcheck.screening import Screener
from admitcheck.vocabulary import VERDICT_EXIT, ExitCode, most_serious
from admitcheck.workers import pool_context


@dataclass(frozen=True, slots=True)
class BatchSettings:
    programs: list[LoadedProgram]
    as_of: date
    writer: Writer
    screen: Screen
    require_complete: bool = False
    # Statuses per check and blocking checks, for a summary; off, a record costs less.
    tallies: bool = True
    # --courses-complete: a record that does not say is taken as a full transcript.
    courses_complete: bool = False


@dataclass(slots=True)
class ChunkResult:
    """What a worker sends back for one chunk: encoded output and tallies."""

    payload: Any = b""
    records: int = 0
    outputs: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    on_pages: int = 0  # of the eligible, those eligible only on what the pages state
    blocking: Counter[str] = field(default_factory=Counter)
    statuses: Counter[tuple[str, str]] = field(default_factory=Counter)  # (check id, status)
    ids: list[tuple[str, str]] = field(default_factory=list)  # (applicant id, where)
    exit_code: ExitCode = ExitCode.OK
    # Per program, for a summary: (program id, verdict) and (program id, blocking check).
    program_verdicts: Counter[tuple[str, str]] = field(default_factory=Counter)
    program_blocking: Counter[tuple[str, str]] = field(default_factory=Counter)

    def count(self, program_id: str, verdict: str, blocked: list[str]) -> None:
        """A report's verdict and blocking checks, for the summary's per-program tallies."""
        self.blocking.update(blocked)
        self.program_verdicts[program_id, verdict] += 1
        self.program_blocking.update((program_id, b) for b in blocked)

    def worst_exit(self) -> ExitCode:
        exit_code = ExitCode.OK
        for verdict in self.verdicts:
            exit_code = most_serious(exit_code, VERDICT_EXIT[verdict])
        return exit_code


def profile_of(record: RawRecord, settings: BatchSettings) -> Profile | list[ErrorRecord]:
    """The record's profile as the settings read it, or one error record per program when
    it is unreadable (counts stay records x programs)."""
    profile = read_record(record, settings.screen)
    if isinstance(profile, RecordError):
        applicant = ApplicantRef(*identity(record), record.where)
        return [
            ErrorRecord(applicant, "error", profile, program.compact)
            for program in settings.programs
        ]
    if settings.courses_complete and profile.courses_complete is None:
        profile = profile.model_copy(update={"courses_complete": True})
    return profile


def evaluate_record(record: RawRecord, settings: BatchSettings) -> list[Report | ErrorRecord]:
    """One report per program, or one error record when the record is unreadable."""
    profile = profile_of(record, settings)
    if isinstance(profile, list):
        return list(profile)
    return [
        evaluate(
            profile,
            program,
            settings.as_of,
            source=record.where,
            require_complete=settings.require_complete,
        )
        for program in settings.programs
    ]


# The screener of the settings in use (one per process: a worker's, or the main
# process's when it checks the records itself), built on first use.
_screener: tuple[BatchSettings, Screener] | None = None


def _screener_of(settings: BatchSettings) -> Screener:
    global _screener
    if _screener is None or _screener[0] is not settings:
        built = Screener(
            settings.programs, settings.as_of, require_complete=settings.require_complete
        )
        _screener = (settings, built)
    return _screener[1]


def screen_chunk(work: Work, settings: BatchSettings) -> ChunkResult:
    """`process_chunk` for compact reports, by the screener (`screening.py`): the same
    lines, counts and tallies, without wording any check."""
    result = ChunkResult()
    screener = _screener_of(settings)
    programs = settings.programs
    lines: list[bytes] = []
    verdicts = result.verdicts
    statuses = result.statuses
    ids = result.ids
    tallies = settings.tallies
    for record in records_of(work):
        result.records += 1
        where = record.where
        profile = profile_of(record, settings)
        if isinstance(profile, list):
            if profile[0].applicant.id is not None:
                ids.append((profile[0].applicant.id, where))
            for error in profile:
                lines.append(orjson.dumps(error) + b"\n")
                verdicts["error"] += 1
                if tallies and error.program is not None:
                    result.program_verdicts[error.program.id, "error"] += 1
            continue
        if profile.id is not None:
            ids.append((profile.id, where))
        for program, screened in zip(programs, screener.screen(profile, where), strict=True):
            lines.append(screened.line)
            verdict = screened.verdict
            verdicts[verdict] += 1
            if tallies:
                program_id = program.ref.id
                tally = screened.tally
                blocked = [check_id for check_id, _, severity in tally if severity]
                result.on_pages += screened.on_pages
                statuses.update((check_id, status) for check_id, status, _ in tally)
                result.count(program_id, verdict, blocked)
    result.exit_code = result.worst_exit()
    result.outputs = len(lines)
    result.payload = Lines.of(lines)
    return result


def process_chunk(work: Work, settings: BatchSettings) -> ChunkResult:
    if settings.writer.screens:
        return screen_chunk(work, settings)
    result = ChunkResult()
    outputs: list[Report | ErrorRecord] = []
    verdicts = result.verdicts
    statuses = result.statuses
    ids = result.ids
    tallies = settings.tallies
    for record in records_of(work):
        result.records += 1
        found = evaluate_record(record, settings)
        applicant = found[0].applicant
        if applicant.id is not None:
            ids.append((applicant.id, record.where))
        for output in found:
            if isinstance(output, Report):
                verdict = output.verdict.value
                if tallies:
                    result.on_pages += output.eligible_on_pages
                    statuses.update((c.id, c.status.value) for c in output.checks)
                    result.count(output.program.id, verdict, [c.id for c in blocking(output)])
            else:
                verdict = output.verdict
                if tallies and output.program is not None:
                    result.program_verdicts[output.program.id, verdict] += 1
            verdicts[verdict] += 1
        outputs += found
    result.exit_code = result.worst_exit()
    result.outputs = len(outputs)
    result.payload = settings.writer.encode(outputs)
    return result


# --------------------------------------------------------------------------- the pool

_WORKER_SETTINGS: BatchSettings | None = None


def _init_worker(settings: BatchSettings) -> None:
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings
    reuse_freed_memory()  # a worker of the fork server did not inherit it
    # Signals are the main process's to handle: it stops the run, ends the workers and
    # says how far it got.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    quiet_gc()


def quiet_gc() -> None:
    """Move what is loaded once (modules, schemas, rules) out of the collector's sight.

    Otherwise every full collection walks them again while a batch allocates millions
    of short-lived objects; measured at up to 4x the cost of validation itself. And
    collect the young generation less often: a record's objects hold no cycles, so the
    collector finds nothing in them (about 10 us a record at the default threshold).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


# glibc's malloc hands out a block of more than 128 KiB (a chunk's encoded output, the
# pickle carrying it between processes) as fresh pages from the kernel and returns them
# when it is freed, so every chunk faults its megabytes in again: 200,000 page faults and
# over a second of system time in the main process for 50,000 full reports. Kept on the
# heap below these sizes, freed blocks are reused; memory stays bounded by the chunks in
# flight, as before.
_MMAP_THRESHOLD = 32 << 20  # glibc's largest
_TRIM_THRESHOLD = 64 << 20


def reuse_freed_memory() -> None:
    """Keep large freed blocks for reuse (glibc `mallopt`); elsewhere, nothing."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (no mallopt), or no libc handle
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # <malloc.h>
    mallopt(m_mmap_threshold, _MMAP_THRESHOLD)
    mallopt(m_trim_threshold, _TRIM_THRESHOLD)


def _work(work: Work) -> ChunkResult:
    assert _WORKER_SETTINGS is not None
    return process_chunk(work, _WORKER_SETTINGS)


def default_jobs() -> int:
    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )


def run(
    work: Iterable[Work],
    settings: BatchSettings,
    jobs: int,
    on_chunk: Callable[[ChunkResult], None],
    warn: Callable[[str], None] = lambda message: None,
) -> None:
    """Process all the work, calling `on_chunk` with each piece's result in input order.

    Where the worker processes cannot start (a sandbox that forbids starting the
    interpreter again, no semaphores), the run goes on in this process after a `warn`;
    where they stop once results have been written, `WorkersFailed` says so (exit 71).
    """
    chunks = iter(work)
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is not None:  # more than one chunk: worth keeping their memory
        reuse_freed_memory()  # before the workers fork: they keep the setting
    if jobs <= 1 or second is None:  # small inputs: a pool would cost more than it saves
        more = [second] if second is not None else []
        _run_here(itertools.chain([first], more, chunks), settings, on_chunk, quiet=bool(more))
        return
    try:
        with _signals_held():
            pool = _start_pool(settings, jobs)
    except _POOL_FAILURES as exc:
        warn(_cannot_start(exc))
        _run_here(itertools.chain([first, second], chunks), settings, on_chunk)
        return
    window: collections.deque[tuple[Work, Future[ChunkResult]]] = collections.deque()
    delivered = False
    failed: BaseException | None = None
    pending = itertools.chain([first, second], chunks)
    try:
        for chunk in pending:
            try:
                with _signals_held():
                    window.append((chunk, pool.submit(_work, chunk)))
            except _POOL_FAILURES as exc:
                window.append((chunk, _failed(exc)))
            while len(window) >= 2 * jobs or (window and _done(window[0][1])):
                delivered = _deliver(window, on_chunk, delivered)
        while window:
            delivered = _deliver(window, on_chunk, delivered)
    except _PoolBroke as broke:
        failed = broke.cause
    except BaseException:
        _end(pool)
        raise
    if failed is None:
        pool.shutdown()
        return
    _end(pool)
    if delivered:
        raise WorkersFailed(
            f"the worker processes stopped in the middle of the run ({_why(failed)}); "
            "run again, or with --jobs 1"
        )
    # Nothing came back from the pool: it never started. Everything not yet written is
    # in the window or still to be read; check it here, in order.
    warn(_cannot_start(failed))
    rest = [chunk for chunk, _ in window]
    _run_here(itertools.chain(rest, pending), settings, on_chunk)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold the stop signals while a worker may be starting: a stop in the middle of
    sending a new worker its start-up data would leave it half of it, and it would die
    with a traceback. A signal that came meanwhile is handled right after."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# How a pool that cannot start or has died shows itself: the start of a helper process
# or a worker fails (OSError: EPERM, EAGAIN, ENOSYS for semaphores, a refused or broken
# connection to the fork server; EOFError from it), or the workers die (BrokenExecutor).
_POOL_FAILURES = (OSError, EOFError, BrokenExecutor)


class _PoolBroke(Exception):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _failed(exc: BaseException) -> Future[ChunkResult]:
    future: Future[ChunkResult] = Future()
    future.set_exception(exc)
    return future


# A stop signal raises in the main thread (`batch.command`); raised inside a future's
# `with self._condition:` just after the lock is taken, it would leave the lock held, and
# the pool's manager thread would wait for it for ever (the run then hangs after Ctrl-C).
# So the main thread touches a future only with the stop signals held, a moment at a time:
# a signal meanwhile is handled right after, outside any lock.


def _done(future: Future[ChunkResult]) -> bool:
    with _signals_held():
        return future.done()


def _result_of(future: Future[ChunkResult]) -> ChunkResult:
    while True:
        with _signals_held():
            try:
                return future.result(timeout=0.2)
            except TimeoutError:
                pass


def _deliver(
    window: collections.deque[tuple[Work, Future[ChunkResult]]],
    on_chunk: Callable[[ChunkResult], None],
    delivered: bool,
) -> bool:
    """Hand the oldest result to `on_chunk` (whose own errors pass through untouched)."""
    _, future = window[0]
    try:
        result = _result_of(future)
    except _POOL_FAILURES as exc:
        raise _PoolBroke(exc) from None
    window.popleft()
    on_chunk(result)
    return True


def _why(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _cannot_start(exc: BaseException) -> str:
    return (
        f"worker processes cannot start ({_why(exc)}); checking every record in this "
        "one process instead (as --jobs 1 does)"
    )


def _run_here(
    work: Iterable[Work],
    settings: BatchSettings,
    on_chunk: Callable[[ChunkResult], None],
    quiet: bool = True,
) -> None:
    if quiet:
        quiet_gc()
    for chunk in work:
        on_chunk(process_chunk(chunk, settings))


def _quiet_pool_exit(unraisable: Any) -> None:
    """The pool's exit handler may wake its manager thread through a pipe that thread is
    closing (CPython closed the race in late 2024, gh-125451: 3.11 has it, and 3.12 and
    3.13 before their fixes): the `OSError` it then ignores says nothing to a user, and
    its "Exception ignored" lines would follow the run's last message. It is reported as
    raised by the handler, or by `threading`'s shutdown, which runs the handler: either
    way the handler is in its traceback."""
    error = unraisable.exc_value
    if isinstance(error, OSError) and error.errno == errno.EBADF and _in_pool_exit(error):
        return
    _UNRAISABLE(unraisable)


def _in_pool_exit(error: BaseException) -> bool:
    entry = error.__traceback__
    while entry is not None:
        code, names = entry.tb_frame.f_code, entry.tb_frame.f_globals
        if code.co_name == "_python_exit" and names.get("__name__") == _POOL_MODULE:
            return True
        entry = entry.tb_next
    return False


_POOL_MODULE = ProcessPoolExecutor.__module__
_UNRAISABLE = sys.unraisablehook


def _start_pool(settings: BatchSettings, jobs: int) -> ProcessPoolExecutor:
    """A pool of `jobs` workers, once one process has been seen to start and exit well.

    The trial comes before the pool makes any semaphore: a pool that cannot start would
    leave them to a resource tracker that is not there, and each would print a traceback
    at exit."""
    context = pool_context()
    if context.get_start_method() == "fork":
        quiet_gc()  # frozen before the fork: the workers' collections never walk (and copy) it
    if sys.unraisablehook is _UNRAISABLE:
        sys.unraisablehook = _quiet_pool_exit
    with warnings.catch_warnings():
        # A helper that died at once is started again with a warning of the standard
        # library's; ours says what it means.
        warnings.simplefilter("ignore", UserWarning)
        _start_helpers(context)
        # The trial runs a builtin, so that it imports nothing: it costs a fork of the
        # fork server (the pool's workers start the same way, and it starts them faster).
        trial = context.Process(target=os.getpid, name="admitcheck-trial")
        trial.start()
        trial.join(TRIAL_SECONDS)
        if trial.exitcode != 0:
            if trial.exitcode is None:
                trial.kill()
                trial.join()
                raise ChildProcessError(f"a worker did not start in {TRIAL_SECONDS:.0f} s")
            raise ChildProcessError(f"a worker ended at its start with status {trial.exitcode}")
        return ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_init_worker,
            initargs=(settings,),
        )


# How long the trial worker may take to start and exit.
TRIAL_SECONDS = 30.0


def _start_helpers(context: multiprocessing.context.BaseContext) -> None:
    """Start multiprocessing's helper processes (the fork server, the resource tracker)
    with the stop signals ignored, which they keep: a signal to the whole process group
    (a closed terminal, `timeout`) must reach only the main process, which ends the
    workers itself. Otherwise a helper dies first, and the pool hangs or warns."""
    from multiprocessing import forkserver, resource_tracker

    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in signals}
    try:
        method = context.get_start_method()
        if method == "forkserver":
            # Each worker is forked from the server with the checker already imported
            # (about 0.3 s of CPU a worker otherwise).
            forkserver.set_forkserver_preload([__name__])
            forkserver.ensure_running()
        if method != "fork":  # forked workers' semaphores are unlinked at once: no tracker
            resource_tracker.ensure_running()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


# How long stopped workers may take to finish the work in hand before they are killed.
STOP_GRACE_SECONDS = 10.0


def _end(pool: ProcessPoolExecutor) -> None:
    """Stop the run's workers (they ignore signals) so that no process and no semaphore
    outlives it: no new work is handed out and each worker finishes what it holds (a
    chunk or two, well under a second), whose results are dropped.

    Killing a worker outright can cut a result it is sending in half, and the pool would
    then wait for the rest for ever; that is only the last resort, after the grace."""
    processes = list(getattr(pool, "_processes", {}).values())
    # shutdown(wait=False) forgets the pool's manager thread (a second shutdown would only
    # set its flags again, cancel_futures back to False): it is joined below instead.
    manager: threading.Thread | None = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            with contextlib.suppress(OSError):
                process.kill()
    # Ended, the manager has closed its wake-up pipe, so the pool's exit handler does not
    # write to it while it is being closed (`_quiet_pool_exit`).
    if manager is not None:
        manager.join(STOP_GRACE_SECONDS)
