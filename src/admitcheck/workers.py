"""How worker processes are started, for `batch` and for `api.check_many`.

`fork` where it is safe: on Linux, with no other thread running (a progress bar's
refresh thread would be copied mid-stride). A forked worker starts in milliseconds with
the checker and the programs already in memory; a fork server must import everything
first (about half a second of a 2-core machine before the first record), and each
worker then unpickles the programs. Elsewhere `forkserver`, else `spawn`: macOS's
system libraries are not safe across a fork at all.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext
from typing import cast


def start_method() -> str:
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def pool_context() -> ForkContext | ForkServerContext | SpawnContext:
    return cast(
        "ForkContext | ForkServerContext | SpawnContext",
        multiprocessing.get_context(start_method()),
    )
