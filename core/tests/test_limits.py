"""A function run under limits ends its child process, never its caller: too much memory and too much
time are told apart from an error, and the caller's heartbeat runs while it waits."""

import time

from core.limits import Ending, run_limited


def _vm_mb() -> int:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmSize:"))
    return int(line.split()[1]) // 1024


def hungry():
    bytearray(2 * 1024**3)


def sleepy():
    time.sleep(30)


def failing():
    raise ValueError("a bug")


def test_a_function_within_its_limits_is_done():
    assert run_limited(sum, ([1, 2],), memory_mb=_vm_mb() + 256, seconds=10) is Ending.DONE


def test_a_function_that_needs_more_memory_than_it_may_use_ends_only_its_child():
    assert run_limited(hungry, memory_mb=_vm_mb() + 256, seconds=10) is Ending.MEMORY
    # No limit: 2 GB is there to take (writing it takes seconds on a busy machine; time is not the point).
    assert run_limited(hungry, memory_mb=0, seconds=120) is Ending.DONE


def test_a_function_that_runs_too_long_is_killed_at_its_time_and_the_caller_beats_meanwhile():
    beats = []
    started = time.monotonic()
    assert run_limited(sleepy, memory_mb=0, seconds=1.2, beat=lambda: beats.append(1), beat_every=0.5) is Ending.TIME
    assert time.monotonic() - started < 5
    assert len(beats) >= 2


def test_an_exception_is_an_error_not_a_limit():
    assert run_limited(failing, memory_mb=0, seconds=10) is Ending.ERROR
