"""Run a function in a child process under a memory and a time limit: whatever the function meets (a
reader in Rust that allocates without asking Python, a loop that never ends) only the child dies, and the
caller is told why and carries on with its next piece of work.

The child is a fork of the caller: it starts in milliseconds with everything the caller has loaded and
set (settings, registries), where a fresh interpreter would load Django again for every job. The caller
closes its database connections first so the child opens its own (a connection shared by two processes
is corrupted by either); it must therefore not be inside a transaction. The memory limit is the child's
address space (RLIMIT_AS), its parent's pages included: an allocation beyond it fails in the child
(MemoryError in Python, an abort in Rust) and nowhere else. Linux and other Unix systems only.
"""

import enum
import logging
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable

from django.db import connections

logger = logging.getLogger(__name__)

MEMORY_EXIT = 3  # the child's exit status when Python ran out of the memory it may use


class Ending(enum.Enum):
    DONE = "done"  # the function returned
    MEMORY = "memory"  # it needed more memory than it may use
    TIME = "time"  # it ran longer than it may: the child was killed
    STOPPED = "stopped"  # the child was stopped from outside (Ctrl-C, a server's shutdown)
    ERROR = "error"  # it raised an exception (the child printed its traceback)


def _die_with_parent() -> None:
    """A child whose parent is killed outright would otherwise run on unwatched (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(function: Callable, args: tuple, memory_bytes: int) -> None:
    # The parent's handlers (a worker's graceful shutdown) are not the child's: a signal ends it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        function(*args)
    except MemoryError:
        os._exit(MEMORY_EXIT)


def _ending(exitcode: int) -> Ending:
    if exitcode == 0:
        return Ending.DONE
    # SIGABRT: Rust's answer to a failed allocation; SIGKILL not sent by us: the kernel's out-of-memory killer.
    if exitcode in (MEMORY_EXIT, -signal.SIGABRT, -signal.SIGKILL):
        return Ending.MEMORY
    if exitcode in (-signal.SIGINT, -signal.SIGTERM, -signal.SIGHUP):
        return Ending.STOPPED
    return Ending.ERROR


def run_limited(
    function: Callable,
    args: tuple = (),
    *,
    memory_mb: int,
    seconds: float,
    beat: Callable[[], None] | None = None,
    beat_every: float = 5.0,
) -> Ending:
    """Call function(*args) in a child process with at most `memory_mb` of address space and `seconds` of
    wall-clock time (0: no limit); call `beat` in the caller every `beat_every` seconds while it runs (a
    heartbeat saying the caller is alive). Returns how the child ended."""
    for alias in connections:
        if connections[alias].in_atomic_block:
            raise RuntimeError("run_limited needs committed data: it cannot run inside a transaction.")
    connections.close_all()
    process = multiprocessing.get_context("fork").Process(
        target=_child, args=(function, args, memory_mb * 1024 * 1024), daemon=True
    )
    process.start()
    deadline = time.monotonic() + seconds if seconds else None
    while True:
        wait = beat_every if deadline is None else max(0.0, min(beat_every, deadline - time.monotonic()))
        process.join(wait)
        if process.exitcode is not None:
            break
        if deadline is not None and time.monotonic() >= deadline:
            process.kill()
            process.join()
            logger.warning("A child process ran longer than %s seconds and was killed.", seconds)
            return Ending.TIME
        if beat is not None:
            beat()
    ending = _ending(process.exitcode)
    if ending is not Ending.DONE:
        logger.warning("A child process ended with status %s (%s).", process.exitcode, ending.value)
    return ending
