"""Several server processes on one port: ``viva serve --workers N``.

One Python process runs one event loop on one core, and the live sessions' Python work (the event loop, the
scorer, the turn detector) saturates it well before the machine is busy. uvicorn's own supervisor binds the
socket once and starts N workers that all accept on it, so the kernel spreads connections over them; a worker
that dies is replaced. Each worker is a fresh interpreter (uvicorn spawns them) that builds its app from the
environment, which is why everything a worker needs travels there: the CLI's ``--host``/``--port``, the
worker count (each process enforces its share of the node's limits, :meth:`Settings.per_worker`), and the
metrics directory.

What crosses processes is what already crosses nodes: the store holds the interviews and every live event,
Redis carries live events and steering. So several workers need Redis (an interview's observers may be served
by another process than its candidate), and a candidate's reconnect that lands on another worker takes the
interview over as it would on another node. SQLite is safe to share: WAL, a busy timeout, and every write in
a ``begin immediate`` transaction (:mod:`server.store.sqlite`).
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from socket import socket

from prometheus_client.multiprocess import mark_process_dead
from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess

from server.config import Settings
from server.metrics import MULTIPROC_DIR_ENV

#: How long a worker may leave the supervisor's ping unanswered before it counts as hung and is replaced
#: (uvicorn's default is 5 s; loading the speech models holds the interpreter for longer at start).
HEALTHCHECK_TIMEOUT_S = 30


#: Where a container's CPU limit is (``docker run --cpus``): cgroup v2, then v1 (quota and period files).
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
CGROUP_V1_CPU = Path("/sys/fs/cgroup/cpu")


def cores() -> int:
    """The cores this process may use: its CPU affinity (``taskset``, a cpuset), or fewer when a container's
    CPU quota says so (a container limited to 2 CPUs on a 32-core host sees all 32 in its affinity)."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    return max(1, min(available, math.ceil(quota))) if quota else available


def _cgroup_cpu_quota() -> float | None:
    """CPUs allowed by the cgroup's quota; None without one."""
    try:
        if CGROUP_CPU_MAX.exists():
            limit, _, period = CGROUP_CPU_MAX.read_text().partition(" ")
        else:
            limit = (CGROUP_V1_CPU / "cpu.cfs_quota_us").read_text()
            period = (CGROUP_V1_CPU / "cpu.cfs_period_us").read_text()
        return int(limit) / int(period) if int(limit) > 0 else None
    except (OSError, ValueError):  # no cgroup files, "max" (unlimited), or -1 (v1 unlimited)
        return None


def default_workers(settings: Settings) -> int:
    """One per core when live events can cross processes (Redis), else the single process."""
    return cores() if settings.redis_url is not None else 1


def refusal(settings: Settings, workers: int) -> str | None:
    """Why ``workers`` processes cannot run with these settings, in one line; None when they can."""
    if workers > 1 and settings.redis_url is None:
        return (
            f"--workers {workers} needs VIVA_REDIS_URL: an interview's observers may be served by another "
            "process than its candidate, and only Redis carries live events between processes "
            "(or run one worker: --workers 1)"
        )
    return None


@contextlib.contextmanager
def metrics_dir() -> Iterator[Path]:
    """An empty directory for the workers' metric files, named in the environment before any worker imports
    ``prometheus_client``: ``PROMETHEUS_MULTIPROC_DIR`` if the operator set it (emptied, since files left by an
    earlier run would be counted again), else a temporary one, removed afterwards."""
    configured = os.environ.get(MULTIPROC_DIR_ENV)
    if configured:
        path = Path(configured)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="viva-metrics-") as temporary:
        os.environ[MULTIPROC_DIR_ENV] = temporary
        try:
            yield Path(temporary)
        finally:
            del os.environ[MULTIPROC_DIR_ENV]


class Supervisor(Multiprocess):
    """uvicorn's supervisor, which also forgets the live gauges of a worker that is gone (a crashed worker's
    sessions are gone with it; its counters stay: what it counted happened) and remembers a worker that
    failed to start, so that the command exits with an error."""

    def __init__(self, config: Config, sockets: list[socket]) -> None:
        super().__init__(config, sockets)
        self._pids: set[int] = set()

    def keep_subprocess_alive(self) -> None:
        super().keep_subprocess_alive()
        pids = {process.pid for process in self.processes if process.pid is not None}
        for gone in self._pids - pids:
            mark_process_dead(gone)
        self._pids = pids

    @property
    def failed_to_start(self) -> bool:
        return any(process.exitcode == STARTUP_FAILURE for process in self.processes)


def run_workers(config: Config, bound: Callable[[], None]) -> int:
    """Bind the socket, call ``bound`` (the parent says the sign-in link, once), and supervise
    ``config.workers`` workers until a signal stops them; the command's exit status."""
    with metrics_dir():
        sock = config.bind_socket()
        bound()
        supervisor = Supervisor(config, sockets=[sock])
        supervisor.run()
        return STARTUP_FAILURE if supervisor.failed_to_start else 0
