"""The node's load, measured continuously on the event loop, and the admission decision made from it.

A sampler task wakes every :data:`TICK_S`: how late it wakes is the event loop's lag (a speech engine holding the
GIL, or Python work on the loop, shows here first). Each tick it also takes the speech engines' finished jobs
(:data:`server.engines.priority.EXECUTORS`) and the replies timed since (``METRICS.recent_reply_ms``); every
second, the process's CPU time and the live sessions. All of it feeds the pure
:class:`~server.services.capacity.AdmissionPolicy`, which the candidate socket asks before it opens a session.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from server import processes
from server.config import Settings
from server.engines.priority import BACKGROUND, EXECUTORS
from server.metrics import METRICS
from server.services.capacity import AdmissionLimits, AdmissionPolicy, Decision

#: How often the sampler wakes (its lateness is the loop lag).
TICK_S = 0.05
#: How often CPU time and the session count are sampled.
SAMPLE_S = 1.0


def limits_from(settings: Settings) -> AdmissionLimits:
    """This process's limits: with several workers, each may count on its share of the cores."""
    cores = settings.admission_cores or processes.cores()  # a container's quota, not the host's count
    return AdmissionLimits(gap_target_ms=settings.admission_gap_ms, cores=cores / (settings.workers or 1))


class LoadMonitor:
    """Measures this process's load while it runs (:meth:`start` on the serving loop) and decides admissions."""

    def __init__(self, limits: AdmissionLimits, sessions: Callable[[], int]) -> None:
        self.policy = AdmissionPolicy(limits)
        self._sessions = sessions
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.policy.limits.enabled:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def decide(self) -> Decision:
        """Whether a new session may start now; counts it as admitted if so."""
        now = time.monotonic()
        decision = self.policy.decide(now, self._sessions())
        if decision.admitted:
            self.policy.admitted(now)
        else:
            METRICS.refusals.labels(limit=f"admission_{decision.rule}").inc()
        return decision

    def state(self) -> dict[str, float]:
        now = time.monotonic()
        state = self.policy.state(now)
        state["admitting"] = float(self.policy.decide(now, self._sessions()).admitted)
        return state

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_sample = 0.0
        while True:
            due = loop.time() + TICK_S
            await asyncio.sleep(TICK_S)
            now = time.monotonic()
            self.policy.loop_lag(now, max(0.0, (loop.time() - due) * 1000))
            self._take_measurements(now)
            if now >= next_sample:
                next_sample = now + SAMPLE_S
                self.policy.sample(now, time.process_time(), self._sessions())
                for figure, value in self.state().items():
                    METRICS.admission.labels(figure=figure).set(value)

    def _take_measurements(self, now: float) -> None:
        for executor in list(EXECUTORS):
            for job in executor.finished():
                if job.priority < BACKGROUND:  # speech made ahead may wait: nobody listens for it yet
                    self.policy.queue_wait(job.finished, job.waited_ms)
        replies = METRICS.recent_reply_ms
        while replies:
            at, ms = replies.popleft()
            self.policy.reply(at, ms)
