"""A thread pool that runs the most urgent queued job first.

Transcriptions of one node share a few Whisper threads. A barge-in check (the interviewer is talking over the
candidate until it answers) must not wait behind live-caption passes queued by other sessions, and the words
that end a turn come before captions too. A job cancelled while it waits is dropped without running (a
caption made stale by newer speech, a check the candidate's silence answered).
"""

from __future__ import annotations

import asyncio
import itertools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")

#: Job priorities, most urgent first.
URGENT, NORMAL, BACKGROUND = 0, 1, 2

_Job = tuple[int, int, Callable[[], object], "Future[object]"]


class PriorityExecutor:
    """``workers`` daemon threads taking jobs lowest priority number first, first come first served within one."""

    def __init__(self, workers: int, name: str) -> None:
        self._queue: queue.PriorityQueue[_Job] = queue.PriorityQueue()
        self._order = itertools.count()
        for index in range(workers):
            threading.Thread(target=self._work, name=f"{name}-{index}", daemon=True).start()

    async def run(self, priority: int, fn: Callable[[], T]) -> T:
        """Run ``fn`` on a worker thread when no more urgent job waits; cancelling the caller drops a queued job."""
        future: Future[object] = Future()
        self._queue.put((priority, next(self._order), fn, future))
        result = await asyncio.wrap_future(future)
        return result  # type: ignore[return-value]

    def _work(self) -> None:
        while True:
            _priority, _order, fn, future = self._queue.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # handed to the awaiting coroutine, which decides
                future.set_exception(exc)
