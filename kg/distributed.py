"""Extraction on a Dask cluster: ``kg ingest --executor dask --scheduler ADDRESS`` and
``--executor dask-local --workers N``.

Extraction is a pure function from an article to an :class:`~kg.model.Extraction` (plain frozen
dataclasses, so they pickle), which is all that runs on the workers. Resolution, graph building,
SHACL and the store stay in the ingesting process and see the extractions in input order, so the
store is byte-for-byte the one a local run writes, whatever the number of workers or the order in
which they finish.

The corpus is streamed: chunks of articles are submitted a few at a time (a bounded window) and
results are handed on in input order as soon as the oldest chunk is back, so memory does not grow
with the corpus. Workers load the spaCy model once per process (:func:`_extractor`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from kg.errors import ClusterError, KgError, MissingExtra, UsageError
from kg.model import Article, Extraction

__all__ = ["dask_extract", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

Result = Extraction | tuple[Article, str]

CONNECT_TIMEOUT = 15  # seconds; a typo in --scheduler should fail fast, not after minutes
CHUNKS_PER_THREAD = 2  # chunks in flight per worker thread: enough to hide the round trips
SCATTER_BYTES = 4_000_000  # bigger chunks go to the workers directly, not inside the task graph
# No dashboard; the scheduler's small HTTP server (health, metrics) still starts, and by default
# on port 8787, warning when another cluster has it: any free local port instead.
LOCAL_SCHEDULER = {"dashboard_address": "127.0.0.1:0"}
# Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, so that memory goes back to the
# system sooner; spaCy allocates and frees a lot, and extraction cost ~20% more CPU with it
# (measured: 1.10 s against 0.90 s per 16 BBC articles). Keep the rest: one BLAS thread each.
LOCAL_CONFIG = {"distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1,
                                                         "OPENBLAS_NUM_THREADS": 1}}
EXTRA_HINT = ("needs the dask extra: pip install 'kg-news[dask]' (from a clone of the repository: "
              ".venv/bin/pip install -c constraints.txt -e '.[dask]')")


def dask_extract(articles: Iterable[Article], *, scheduler: str | None = None, workers: int = 1,
                 model: str | None = None, chunk: int = 16, executor: str | None = None,
                 timeout: float = CONNECT_TIMEOUT) -> Iterator[Result]:
    """For each article, in input order, its :class:`Extraction` or ``(article, "Type: message")``
    when extraction failed (exactly what the local executor yields).

    ``executor`` is ``"dask"`` (connect to ``scheduler``) or ``"dask-local"`` (start a
    ``LocalCluster`` of ``workers`` processes for this run and stop it at the end); when it is
    not given, a ``scheduler`` address means ``"dask"``.
    """
    if executor is None:
        executor = "dask" if scheduler else "dask-local"
    if executor == "dask" and not scheduler:
        raise UsageError("--executor dask needs --scheduler tcp://host:8786 "
                         "(or use --executor dask-local to start a cluster on this machine)")
    if executor == "dask-local" and scheduler:
        raise UsageError("--scheduler is for --executor dask; --executor dask-local starts its own cluster")
    if executor not in ("dask", "dask-local"):
        raise UsageError(f"unknown executor {executor!r} (use local, dask or dask-local)")
    distributed = _import_distributed()

    from kg.pipeline import _chunks

    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # the workers stamp PROV times as we would
    with _client(distributed, scheduler, workers, timeout) as (client, where):
        def on_error(part: list[Article], exc: BaseException) -> list[Result]:
            return _chunk_failed(client, where, part, exc)

        for results in ordered_map(client, _extract_chunk, _chunks(articles, chunk), args=(model, epoch),
                                   on_error=on_error, scatter_if=_big):
            yield from results


# --- running on the workers ----------------------------------------------------------------------

_EXTRACTORS: dict[str | None, Any] = {}
_LOCK = threading.Lock()  # spaCy pipelines and kg's caches are not made for concurrent threads
_LOADS = 0  # how many times this process loaded a model (the tests check it stays at one)


def _extractor(model: str | None) -> Any:
    """This process's extractor for ``model``, loaded on first use (call with ``_LOCK`` held)."""
    global _LOADS
    if model not in _EXTRACTORS:
        from kg.extract import Extractor

        _EXTRACTORS[model] = Extractor(model)
        _LOADS += 1
    return _EXTRACTORS[model]


def _extract_chunk(articles: list[Article], model: str | None, epoch: str | None) -> list[Result]:
    """The task: extract a chunk on a worker, with the ingesting process's SOURCE_DATE_EPOCH.

    One chunk at a time per process: workers with several threads take turns (scale with
    processes, ``dask worker --nworkers N --nthreads 1``), and the environment variable can be
    set for the duration of the chunk without racing another thread.
    """
    from kg.pipeline import _safe_extract

    with _LOCK, _environ("SOURCE_DATE_EPOCH", epoch):
        return _safe_extract(_extractor(model), articles)


def _loads() -> int:
    """How many models this worker process loaded (run on workers with ``client.run``)."""
    return _LOADS


@contextlib.contextmanager
def _environ(name: str, value: str | None) -> Iterator[None]:
    old = os.environ.get(name)
    _set_env(name, value)
    try:
        yield
    finally:
        _set_env(name, old)


def _set_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


# --- streaming in input order ----------------------------------------------------------------------


def ordered_map(client: Any, fn: Callable[..., R], items: Iterable[T], *, args: tuple = (),
                window: int | None = None, on_error: Callable[[T, BaseException], R] | None = None,
                scatter_if: Callable[[T], bool] | None = None) -> Iterator[R]:
    """``fn(item, *args)`` for each item on the cluster, yielded in input order.

    At most ``window`` tasks run at once (default: two per worker thread, re-read as workers come
    and go) and at most ``window`` more finished results wait for an older one, so a slow item
    does not stall the cluster and memory stays bounded. ``items`` is read lazily. A task that
    raises gives ``on_error(item, exc)`` in its place (or re-raises without ``on_error``).
    """
    from distributed import as_completed

    sizer = _Window(client, window)
    source = iter(items)
    running: dict[Any, tuple[int, T]] = {}  # future -> (index, item)
    finished: dict[int, R] = {}
    completed = as_completed(loop=client.loop)
    submitted = emitted = 0
    exhausted = False

    def fill() -> None:
        nonlocal submitted, exhausted
        limit = sizer()
        while not exhausted and len(running) < limit and len(running) + len(finished) < 2 * limit:
            item = next(source, _END)
            if item is _END:
                exhausted = True
                return
            arg: Any = item
            if scatter_if and scatter_if(item):  # big: straight to a worker, not via the scheduler
                arg = client.scatter([item], hash=False)[0]
            future = client.submit(fn, arg, *args, pure=False)
            running[future] = (submitted, item)
            completed.add(future)
            submitted += 1

    try:
        fill()
        while running or finished:
            while emitted in finished:
                result = finished.pop(emitted)
                emitted += 1
                fill()  # keep the workers busy while the caller handles this result
                yield result
            if not running:
                continue
            future = next(completed)
            index, item = running.pop(future)
            try:
                finished[index] = future.result()
            except Exception as exc:
                if on_error is None:
                    raise
                finished[index] = on_error(item, exc)
            finally:
                future.release()
            fill()
    finally:
        for future in running:
            future.cancel()


_END: Any = object()


class _Window:
    """How many tasks to keep in flight: ``CHUNKS_PER_THREAD`` per worker thread (at least two),
    asked of the scheduler at most every few seconds, so an adaptive cluster is used as it grows."""

    def __init__(self, client: Any, fixed: int | None) -> None:
        self.client = client
        self.fixed = fixed
        self.value = 2
        self.checked = float("-inf")

    def __call__(self) -> int:
        if self.fixed is not None:
            return max(1, self.fixed)
        now = time.monotonic()
        if now - self.checked > 5.0:
            threads = sum(self.client.nthreads().values())
            self.value = max(2, CHUNKS_PER_THREAD * threads)
            self.checked = now
        return self.value


def _big(part: list[Article]) -> bool:
    return sum(len(a.text) for a in part) > SCATTER_BYTES


def _chunk_failed(client: Any, where: str, part: list[Article], exc: BaseException) -> list[Result]:
    """A whole chunk failed on the cluster. kg's own errors (the model is not installed on a
    worker) and a lost scheduler stop the run; anything else (a worker killed by the chunk,
    out of memory) fails just those articles, as a crash inside the extractor would locally."""
    import concurrent.futures

    if isinstance(exc, KgError):
        raise ClusterError(f"on a dask worker of {where}: {exc}") from exc
    if isinstance(exc, ImportError):
        raise ClusterError(f"on a dask worker of {where}: {type(exc).__name__}: {exc} (install kg-news and the "
                      "spaCy model on every worker, the same versions as here)") from exc
    cancelled = isinstance(exc, concurrent.futures.CancelledError)  # nobody but us cancels our tasks
    if cancelled or getattr(client, "status", "running") not in ("running", "connecting"):
        raise ClusterError(f"lost the connection to the dask scheduler at {where} "
                      f"({type(exc).__name__}: {exc}); check the scheduler and run the ingest again "
                      "(articles already stored are skipped)") from exc
    message = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return [(a, f"on dask: {message}") for a in part]


# --- the cluster -----------------------------------------------------------------------------------


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise MissingExtra(f"--executor dask {EXTRA_HINT}") from exc
    return distributed


@contextlib.contextmanager
def _client(distributed: Any, scheduler: str | None, workers: int,
            timeout: float) -> Iterator[tuple[Any, str]]:
    """A client of the scheduler at ``scheduler``, or of a LocalCluster started (and always
    stopped, also on errors and Ctrl-C) for this run."""
    import logging

    import dask

    cluster = None
    if scheduler:
        client = _connect(distributed, scheduler, timeout)
        where = scheduler
    else:
        try:
            with _workers_ignore_ctrl_c(), dask.config.set(LOCAL_CONFIG):
                cluster = distributed.LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                                   processes=True, dashboard_address=None,
                                                   silence_logs=logging.ERROR, scheduler_kwargs=LOCAL_SCHEDULER)
            client = distributed.Client(cluster, set_as_default=False)
        except Exception as exc:
            if cluster is not None:
                cluster.close()
            raise ClusterError(f"cannot start a local dask cluster of {workers} workers "
                          f"({type(exc).__name__}: {exc})") from exc
        where = f"a local cluster of {workers} workers"
    try:
        yield client, where
    finally:
        with _quiet_shutdown():
            client.close()
            if cluster is not None:
                cluster.close()


def _connect(distributed: Any, scheduler: str, timeout: float) -> Any:
    """A client of the scheduler at ``scheduler``, or a one-line KgError within about
    ``timeout`` seconds. The dask client's own timeout does not cover the handshake, so a peer
    that accepts the connection and never answers (a wedged scheduler, the wrong service) would
    hang it for ever: it connects in a daemon thread that we stop waiting for."""
    address = _probe(scheduler, timeout)
    box: dict[str, Any] = {}

    def connect() -> None:
        try:
            box["client"] = distributed.Client(address, timeout=timeout, set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - handed to the waiting thread
            box["error"] = exc

    thread = threading.Thread(target=connect, name="kg-dask-connect", daemon=True)
    thread.start()
    thread.join(timeout + min(timeout, 5))
    if thread.is_alive():
        raise ClusterError(_unreachable(scheduler, timeout, TimeoutError("connected, but no dask handshake")))
    exc = box.get("error")
    if exc is not None:
        raise ClusterError(_unreachable(scheduler, timeout, exc)) from exc
    return box["client"]


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Ctrl-C reaches every process of the terminal's process group; the local workers should
    not each print a KeyboardInterrupt traceback, but be stopped by us, in order. Worker
    processes started while SIGINT is ignored inherit that (and Python and asyncio keep it)."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _probe(scheduler: str, timeout: float) -> str:
    """Fail in a second, not after ``timeout``, when nothing listens at a tcp address (the
    dask client retries refused connections until its timeout)."""
    from distributed.comm.addressing import parse_address, parse_host_port, unparse_address

    try:
        scheme, location = parse_address(scheduler.strip())
        if scheme not in ("tcp", "tls", "ws", "wss", "ucx"):
            raise ValueError(scheme)
        if scheme == "ucx":
            return scheduler
        host, port = parse_host_port(location, 8786)
    except ValueError as exc:
        raise UsageError(f"--scheduler {scheduler!r} is not a dask scheduler address "
                      "(give one like tcp://host:8786)") from exc
    try:
        with socket.create_connection((host, port), timeout=min(timeout, 5.0)):
            pass
    except TimeoutError:
        pass  # a slow network: let the client try for the full timeout
    except OSError as exc:
        raise ClusterError(_unreachable(scheduler, timeout, exc)) from exc
    return unparse_address(scheme, f"{host}:{port}" if ":" not in host else f"[{host}]:{port}")


def _unreachable(scheduler: str, timeout: float, exc: BaseException) -> str:
    reason = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)).splitlines()[0]
    if isinstance(exc, TimeoutError) and "after" not in reason:
        reason += f" within {timeout:g} s"
    return (f"cannot reach the dask scheduler at {scheduler} ({reason}); "
            "start it with `dask scheduler` and workers with `dask worker ADDRESS`, check the address, "
            "port and firewall, or run on this machine with --executor dask-local --workers N")


@contextlib.contextmanager
def _quiet_shutdown() -> Iterator[None]:
    """Closing a cluster can log or warn about connections that are already gone (workers
    closing while the scheduler stops); that is noise after a finished run, not news."""
    import logging
    import warnings

    loggers = [logging.getLogger(name) for name in ("distributed", "distributed.nanny", "distributed.worker",
                                                     "distributed.scheduler", "distributed.core")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"distributed(\.|$)")
            yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)
