"""Time and memory limits for queries and updates: each runs in a child process that is killed at
its limit, so a runaway query cannot hang the caller, exhaust the machine's memory or crash it.

Oxigraph cannot interrupt a running query, and forking a process that has opened a store (or a
multi-threaded server) is unsafe, so one single-threaded helper process forks a child per job (a
small fork server). The helper starts with ``python -c``, so no script is imported a second time
(multiprocessing's ``spawn`` and ``forkserver`` re-run the main script, which breaks a caller
without a ``__main__`` guard, reading from stdin, or under another launcher). It exits when its
owner closes its end of a pipe or dies.

Limits, enforced twice:

- **time**: the caller stops waiting at ``timeout`` seconds and kills the child; the child also
  arms a kernel timer (``SIGALRM`` with its default action) that kills it a second later, so a
  runaway query dies even when its caller is gone;
- **memory**: the caller reads the child's resident memory every 20 ms (Linux ``/proc``) and
  kills it above ``memory_mb``; the child also sets ``RLIMIT_AS`` (its address space when the job
  starts, plus twice the ceiling and a margin for the store's threads), so an allocation that
  races past the reading fails in the child instead of taking the machine's memory.

A job is ``(module, function, args)``: the child imports the function and calls it; its return
value (or the :class:`~kg.errors.KgError` it raises) comes back pickled. The helper's socket
lives in a private temporary folder, so only this user's processes can reach it.
"""

from __future__ import annotations

import atexit
import importlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, NoReturn

from kg.errors import KgError, QueryError, QueryTimeout, RunnerError, UsageError

DEFAULT_TIMEOUT = 300.0  # seconds, for kg query and the Python API (kg serve: 60)


def _default_memory_mb() -> int:
    """4 GiB, or half of this machine's memory when it has less than 8 GiB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        return 4096
    return max(256, min(4096, total // 2))


DEFAULT_MEMORY_MB = _default_memory_mb()
_GRACE = 10.0  # seconds the helper may take to fork, and a child to report after its limit
_POLL = 0.02  # seconds between readings of the child's memory
_TIMER_MARGIN = 1.0  # seconds a child's own timer waits beyond its caller's deadline
_AS_MARGIN = 1024 * 2**20  # address space a child may reserve beyond its ceiling (thread stacks, arenas)


class QueryTooLarge(QueryError):
    """A query or update needed more memory than its ceiling."""


@dataclass(frozen=True)
class Limits:
    """``timeout`` in seconds and ``memory_mb`` in MiB of resident memory; ``None`` or 0: no limit."""

    timeout: float | None = DEFAULT_TIMEOUT
    memory_mb: int | None = DEFAULT_MEMORY_MB

    def __post_init__(self) -> None:
        if self.timeout is not None and self.timeout < 0:
            raise UsageError(f"timeout {self.timeout:g}: give a number of seconds, or 0 for no limit")
        if self.memory_mb is not None and self.memory_mb < 0:
            raise UsageError(f"memory {self.memory_mb}: give a number of MiB, or 0 for no limit")

    @property
    def active(self) -> bool:
        return bool(self.timeout) or bool(self.memory_mb)


NO_LIMITS = Limits(None, None)


def limits(timeout: float | None = DEFAULT_TIMEOUT, memory_mb: int | None = DEFAULT_MEMORY_MB) -> Limits:
    return Limits(timeout or None, memory_mb or None)


def resident_mb(pid: int) -> float | None:
    """The resident memory of process ``pid`` in MiB (Linux), or None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Runner:
    """Runs jobs in forked children of one helper process, each under its :class:`Limits`.
    Thread-safe; one per owner (:func:`shared_runner` for the Python API and the CLI, one per
    ``kg serve`` app)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._dir = tempfile.mkdtemp(prefix="kg-runner-")
        self.address = os.path.join(self._dir, "runner.sock")
        self._proc: subprocess.Popen[bytes] | None = None
        self._alive_w: int | None = None
        self._closed = False
        weakref.finalize(self, shutil.rmtree, self._dir, ignore_errors=True)

    def start(self) -> None:
        """Start (or restart) the helper process."""
        with self._lock:
            if self._closed or (self._proc is not None and self._proc.poll() is None):
                return
            self._stop_locked()
            if os.path.exists(self.address):
                os.unlink(self.address)
            if not sys.executable:
                raise RunnerError("cannot start the query runner: no Python executable (sys.executable is empty); "
                              "run without limits (timeout 0 and memory 0)")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            alive_r, alive_w = os.pipe()
            try:
                listener.bind(self.address)
                listener.listen(128)
                code = (f"import sys; sys.path[:] = {sys.path!r}; from kg.store.limits import _runner_main; "
                        f"_runner_main({listener.fileno()}, {alive_r})")
                self._proc = subprocess.Popen([sys.executable, "-c", code], pass_fds=(listener.fileno(), alive_r),
                                              stdin=subprocess.DEVNULL, start_new_session=True)
            except BaseException:
                os.close(alive_w)
                raise
            finally:
                listener.close()
                os.close(alive_r)
            self._alive_w = alive_w

    def close(self) -> None:
        """Stop the helper (jobs still running die at their limits) and remove its socket."""
        with self._lock:
            self._closed = True
            self._stop_locked()
        shutil.rmtree(self._dir, ignore_errors=True)

    def _stop_locked(self) -> None:
        if self._alive_w is not None:
            os.close(self._alive_w)
            self._alive_w = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None

    def run(self, job: tuple[str, str, tuple[Any, ...]], limits: Limits, what: str = "query",
            raise_with: tuple[str, str] = ("--timeout SECONDS, timeout= in Python", "--memory MIB, memory_mb= in Python")) -> Any:
        """Run ``job`` in a fresh child under ``limits``; blocks the calling thread until it
        answers, fails or is stopped. Raises :class:`QueryTimeout`, :class:`QueryTooLarge`, the
        job's own :class:`KgError`, or a :class:`KgError` when the child dies. ``raise_with``
        says how the user raises the time and the memory limit."""
        from multiprocessing.connection import Connection

        if self._closed:
            raise RunnerError("the query runner is shut down")
        if self._proc is None or self._proc.poll() is not None:
            self.start()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(self.address)
        except OSError as exc:
            sock.close()
            raise RunnerError(f"the query runner is not answering ({exc.strerror or exc}); retry") from exc
        conn = Connection(sock.detach())
        pid = None
        started = time.monotonic()
        try:
            if not conn.poll(_GRACE):
                raise RunnerError(f"the query runner started no process within {_GRACE:g} s; retry")
            pid = conn.recv()
            started = time.monotonic()
            conn.send((job, limits))
            status, payload = self._wait(conn, pid, limits, what)
        except (EOFError, OSError):
            # the child died: at its own timer (a moment after our deadline), or it crashed
            timed_out = limits.timeout and time.monotonic() - started >= limits.timeout
            status, payload = ("time" if timed_out else "died"), None
        finally:
            conn.close()
        if status == "ok":
            return payload
        if status == "error":
            raise payload
        if pid is not None:
            _kill(pid)  # and wait until it is gone: it may hold the database's own lock
        if status == "time":
            raise QueryTimeout(f"the {what} ran longer than {limits.timeout:g} s and was stopped "
                               f"(narrow it, for example with LIMIT, or raise the limit: {raise_with[0]}; 0 for none)")
        if status == "memory":
            raise QueryTooLarge(f"the {what} needed more than {limits.memory_mb} MiB of memory and was stopped "
                                f"(narrow it, for example with LIMIT, or raise the limit: {raise_with[1]}; 0 for none)")
        ceiling = f" (it may have reached the memory ceiling of {limits.memory_mb} MiB)" if limits.memory_mb else ""
        raise RunnerError(f"the {what} process died before answering{ceiling}")

    @staticmethod
    def _wait(conn: Any, pid: int, limits: Limits, what: str) -> tuple[str, Any]:
        started = time.monotonic()
        deadline = started + limits.timeout if limits.timeout else None
        while True:
            wait = _POLL if limits.memory_mb else _GRACE
            if deadline is not None:
                wait = min(wait, max(0.0, deadline - time.monotonic()))
            if conn.poll(wait):
                return conn.recv()
            if deadline is not None and time.monotonic() >= deadline:
                return "time", None
            if limits.memory_mb:
                used = resident_mb(pid)
                if used is not None and used > limits.memory_mb:
                    return "memory", None


def _kill(pid: int, wait: float = 10.0) -> None:
    """Kill ``pid`` (a child of the helper, which the kernel reaps) and wait until it is gone."""
    end = time.monotonic() + wait
    try:
        os.kill(pid, signal.SIGKILL)
        while time.monotonic() < end:
            os.kill(pid, 0)
            time.sleep(0.005)
    except OSError:
        pass  # gone


_shared: Runner | None = None
_shared_lock = threading.Lock()


def shared_runner() -> Runner:
    """This process's runner for the Python API and the CLI, started at first use."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared._closed:
            _shared = Runner()
            atexit.register(_shared.close)
        return _shared


def run_limited(job: tuple[str, str, tuple[Any, ...]], limits: Limits, what: str = "query") -> Any:
    """Run ``job`` in a child of this process's runner (:func:`shared_runner`) under ``limits``."""
    return shared_runner().run(job, limits, what)


# --- the helper process and its children -------------------------------------------------------


def _runner_main(listen_fd: int, alive_fd: int) -> None:
    """The helper process: accept a connection per job and fork a child to run it."""
    import selectors

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the children
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the owner, which closes the pipe
    import pyoxigraph  # noqa: F401 - loaded once here, so every child starts warm

    import kg.queries  # noqa: F401
    import kg.store.oxigraph  # noqa: F401

    with socket.socket(fileno=listen_fd) as listener, selectors.DefaultSelector() as selector:
        selector.register(listener, selectors.EVENT_READ)
        selector.register(alive_fd, selectors.EVENT_READ)
        while True:
            for key, _ in selector.select():
                if key.fd == alive_fd:  # the owner closed its end, or died
                    os.close(alive_fd)
                    return
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                try:
                    pid = os.fork()
                except OSError:
                    conn.close()  # the owner sees EOF and reports it
                    continue
                if pid == 0:
                    selector.close()
                    listener.close()
                    os.close(alive_fd)
                    _runner_child(conn)
                conn.close()


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _arm(limits: Limits) -> None:
    """In a child: the kernel timer and the address-space ceiling."""
    if limits.timeout:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the timer kills the process outright
        # a moment after the caller's deadline, so that the caller, which says why, stops it first
        signal.setitimer(signal.ITIMER_REAL, limits.timeout + _TIMER_MARGIN)
    if limits.memory_mb:
        import resource

        base = _address_space()
        if base is not None:
            ceiling = base + 2 * limits.memory_mb * 2**20 + _AS_MARGIN
            hard = resource.getrlimit(resource.RLIMIT_AS)[1]
            if hard != resource.RLIM_INFINITY:
                ceiling = min(ceiling, hard)
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


def _runner_child(sock: socket.socket) -> NoReturn:
    """One forked child: report the pid, receive the job, arm the limits, answer, exit."""
    from multiprocessing.connection import Connection

    status = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        conn = Connection(sock.detach())
        conn.send(os.getpid())
        (module, name, args), limits = conn.recv()
        _arm(limits)
        try:
            value: tuple[str, Any] = ("ok", getattr(importlib.import_module(module), name)(*args))
        except KgError as exc:
            value = ("error", exc)
        except MemoryError:
            value = ("memory", None)
        except Exception as exc:  # noqa: BLE001 - sent back to the caller as a message
            value = ("error", QueryError(f"failed: {type(exc).__name__}: {exc}"))
        signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            conn.send(value)
        except MemoryError:
            conn.send(("memory", None))
        conn.close()
        status = 0
    finally:
        os._exit(status)
