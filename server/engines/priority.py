"""A thread pool that runs the most urgent queued job first.

Transcriptions of one node share a few Whisper threads. A barge-in check (the interviewer is talking over the
candidate until it answers) must not wait behind live-caption passes queued by other sessions, and the words
that end a turn come before captions too. A job cancelled while it waits is dropped without running (a
caption made stale by newer speech, a check the candidate's silence answered).

Every job's time in the queue and time running are measured, by priority: ``/metrics`` shows them, and admission
control (:mod:`server.services.load_monitor`) reads the live jobs' queue wait from :data:`EXECUTORS` to refuse
new sessions before speech starts to wait.
"""

from __future__ import annotations

import asyncio
import itertools
import queue
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

from server.metrics import METRICS

T = TypeVar("T")

#: Job priorities, most urgent first.
URGENT, NORMAL, BACKGROUND = 0, 1, 2

PRIORITY_NAMES = ("urgent", "normal", "background")

_Job = tuple[int, int, Callable[[], object], "Future[object]", float]


@dataclass(frozen=True)
class JobTiming:
    """One finished job: its priority, when it finished (``time.monotonic``), and its wait and run in ms."""

    priority: int
    finished: float
    waited_ms: float
    ran_ms: float


#: Every executor of the process, for the load monitor.
EXECUTORS: weakref.WeakSet[PriorityExecutor] = weakref.WeakSet()


class PriorityExecutor:
    """``workers`` daemon threads taking jobs lowest priority number first, first come first served within one."""

    def __init__(self, workers: int, name: str) -> None:
        self.name = name
        self.workers = workers
        self._queue: queue.PriorityQueue[_Job] = queue.PriorityQueue()
        self._order = itertools.count()
        #: Jobs finished and not yet taken by :meth:`finished` (appended by the workers; deque appends are atomic).
        self._finished: deque[JobTiming] = deque(maxlen=4096)
        self._unfinished = 0  # jobs queued or running
        self._count_lock = threading.Lock()
        EXECUTORS.add(self)
        for index in range(workers):
            threading.Thread(target=self._work, name=f"{name}-{index}", daemon=True).start()

    async def run(self, priority: int, fn: Callable[[], T]) -> T:
        """Run ``fn`` on a worker thread when no more urgent job waits; cancelling the caller drops a queued job."""
        future: Future[object] = Future()
        self._count(+1)
        self._queue.put((priority, next(self._order), fn, future, time.monotonic()))
        result = await asyncio.wrap_future(future)
        return result  # type: ignore[return-value]

    @property
    def busy(self) -> bool:
        """A job is queued or running."""
        return self._unfinished > 0

    def _count(self, change: int) -> None:
        with self._count_lock:
            self._unfinished += change

    def finished(self) -> list[JobTiming]:
        """The jobs finished since the last call, oldest first."""
        taken = []
        while self._finished:
            taken.append(self._finished.popleft())
        return taken

    def _work(self) -> None:
        while True:
            priority, _order, fn, future, queued = self._queue.get()
            if not future.set_running_or_notify_cancel():
                self._count(-1)
                continue
            started = time.monotonic()
            try:
                result, error = fn(), None
            except BaseException as exc:  # handed to the awaiting coroutine, which decides
                result, error = None, exc
            self._record(priority, queued, started, time.monotonic())  # before the caller can look
            self._count(-1)
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)

    def _record(self, priority: int, queued: float, started: float, ended: float) -> None:
        timing = JobTiming(priority, ended, (started - queued) * 1000, (ended - started) * 1000)
        self._finished.append(timing)
        labels = {"executor": self.name, "priority": PRIORITY_NAMES[priority]}
        METRICS.engine_queue_wait.labels(**labels).observe(timing.waited_ms)
        METRICS.engine_run.labels(**labels).observe(timing.ran_ms)
