"""Requests as users send them, for the benchmarks that measure pages and the API under concurrent
clients: gunicorn (the server `make demo` and the deployment run) on a benchmark's database, and N
clients at once, each a Python thread with its own keep-alive connection.

The clients run on the same cores as the server: their own CPU time is part of what is measured, so a
figure here is an upper bound of what a separate load generator would see."""

import contextlib
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
WORKERS = 4
# The server signs sessions with this key; a benchmark that signs a user in sets it before Django starts.
os.environ.setdefault("SECRET_KEY", "bench-only-secret")


@contextlib.contextmanager
def served(database_url: str, probe_path: str, headers: dict):
    """gunicorn on `database_url` as in production (DEBUG off, connections kept), ready when
    `probe_path` answers 200 with `headers`; stopped on leaving."""
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "khuyenhoc.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "KHUYENHOC_HTTPS": "0",
            "DATABASE_CONN_MAX_AGE": "60",
        },
    )
    try:
        for _ in range(300):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
                probe.request("GET", probe_path, headers=headers)
                status = probe.getresponse().status
                assert status == 200, f"{probe_path}: {status}"
                break
            except (ConnectionRefusedError, OSError):
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait()


def getter(path: str, headers: dict):
    """A request on a thread's own connection, its body read, its status checked."""

    def get(connection):
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, (path, response.status)

    return get


def warm(get, times: int = 20) -> None:
    """Each of the workers answers the request at least once (new connections spread over them)."""
    for _ in range(times):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        get(connection)
        connection.close()


def concurrent_http(get, clients: int, requests_each: int):
    """`clients` threads, each sending `requests_each` requests one after another once all are
    ready: (median ms, p95 ms, requests per second)."""
    samples, lock = [], threading.Lock()
    barrier = threading.Barrier(clients)
    started = []

    def client():
        own = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        get(own)
        if barrier.wait() == 0:
            started.append(time.perf_counter())
        mine = []
        for _ in range(requests_each):
            begun = time.perf_counter()
            get(own)
            mine.append((time.perf_counter() - begun) * 1000)
        with lock:
            samples.extend(mine)
        own.close()

    return run_together(client, clients, samples, started)


def run_together(target, count: int, samples: list, started: list):
    """Run `target` in `count` threads; the median and p95 of the samples (ms) they collected,
    and how many per second from `started[0]` (when all were ready) to the last one's end."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started[0]
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], len(samples) / elapsed


def paced(gets: list, clients: int, seconds: float, wait: float):
    """`clients` threads for `seconds`, each sending the requests of `gets` in turn and waiting `wait`
    seconds after each answer, as people do; an error (an exception or another status than 200) is
    counted, not raised. (median ms, p95 ms, requests per second, errors, requests)."""
    samples, errors, lock = [], [], threading.Lock()
    barrier = threading.Barrier(clients)
    started = []

    def client(offset: int):
        own = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        if barrier.wait() == 0:
            started.append(time.perf_counter())
        time.sleep(wait * offset / clients)  # spread the first requests over one wait
        end = time.perf_counter() + seconds
        mine, failed, turn = [], 0, offset
        while time.perf_counter() < end:
            begun = time.perf_counter()
            try:
                gets[turn % len(gets)](own)
            except Exception:  # noqa: BLE001 (counted: the run goes on as the users would)
                failed += 1
                own.close()
                own = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
            mine.append((time.perf_counter() - begun) * 1000)
            turn += 1
            time.sleep(wait)
        with lock:
            samples.extend(mine)
            errors.append(failed)
        own.close()

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started[0]
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    return statistics.median(samples), p95, len(samples) / elapsed, sum(errors), len(samples)
