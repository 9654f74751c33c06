"""Admission control: whether this node may take one more live interview without the ones it has missing the
response-gap target.

A node that takes every session it is offered serves all of them late once its cores are full: the engines'
queues grow, the event loop stalls, and every candidate waits seconds for the interviewer. Refusing the new
session (close 1013, "try again in a minute") keeps the sessions already running on time, and a load balancer
or the candidate's retry finds a node with room. The policy is pure: it is fed what the node measured, with the
time of each measurement, and never reads a clock of its own, so it is tested with a fake clock in milliseconds
(``tests/test_capacity.py``). :mod:`server.services.load_monitor` feeds it on the event loop.

A session is refused when any of these holds over the last :attr:`AdmissionLimits.window_s`:

- the replies' own latency (end-of-turn decision to first audio frame: the part of the response gap that load
  adds; the silence the detector waits before deciding is the same on an idle node) already takes a share of the
  target at p95: the node is full now;
- the speech engines' live jobs waited in their queues, or the event loop lagged, for a share of the target:
  replies are about to be late even if the gaps measured so far were fine;
- the process's CPU, scaled from the sessions measured to one more, would pass the budget of the cores;
- sessions were admitted faster than their load can show in the measurements (a burst of arrivals is taken a few
  at a time: 50 interviews starting together cannot all be spoken to at once).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class AdmissionLimits:
    """When to refuse. ``gap_target_ms`` 0 turns admission control off (only the hard session limit holds)."""

    gap_target_ms: float = 900.0
    #: Refuse once the replies' latency (decision to first audio) reaches this share of the target at p95.
    reply_share: float = 0.35
    #: Refuse once live engine jobs wait this share of the target in their queue (p95).
    queue_share: float = 0.3
    #: Refuse once the event loop lags this share of the target (p95 of the sampler's ticks).
    lag_share: float = 0.1
    #: The share of the cores this process may use for its sessions (the rest: bursts, other work).
    cpu_budget: float = 0.85
    cores: float = 1.0
    #: The CPU rule needs this many sessions on average over the window: with fewer, the process's fixed work
    #: (speech made ahead at start-up, scoring) would be taken for the cost of a session.
    min_cpu_sessions: float = 2.0
    #: How far back measurements count.
    window_s: float = 30.0
    #: At least this many replies before their p95 is trusted.
    min_replies: int = 5
    #: New sessions admitted within ``ramp_s``, before their load shows: this many, or this share of the live ones.
    ramp_sessions: int = 4
    ramp_share: float = 0.25
    ramp_s: float = 10.0

    @property
    def enabled(self) -> bool:
        return self.gap_target_ms > 0


@dataclass(frozen=True)
class Decision:
    admitted: bool
    #: Why a session was refused, in words a candidate may read ("" when admitted).
    reason: str = ""
    #: Which rule refused it: ``reply``, ``queue``, ``loop_lag``, ``cpu``, ``ramp`` (a metrics label).
    rule: str = ""


ADMIT = Decision(True)


class _Window:
    """Timed values kept for ``window_s``."""

    def __init__(self, window_s: float, limit: int = 4096) -> None:
        self.window_s = window_s
        self.items: deque[tuple[float, float]] = deque(maxlen=limit)

    def add(self, at: float, value: float) -> None:
        self.items.append((at, value))

    def values(self, now: float) -> list[float]:
        while self.items and self.items[0][0] < now - self.window_s:
            self.items.popleft()
        return [value for _at, value in self.items]


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile (0 for none): a handful of samples gives their largest but one or two."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class AdmissionPolicy:
    """What the node measured recently, and the decision it implies. Every method takes the time (seconds)."""

    def __init__(self, limits: AdmissionLimits) -> None:
        self.limits = limits
        window = limits.window_s
        self._replies = _Window(window)
        self._waits = _Window(window)
        self._lags = _Window(window)
        self._admitted = _Window(limits.ramp_s)
        self._cpu: deque[tuple[float, float]] = deque()  # (time, process CPU seconds so far)
        self._sessions: deque[tuple[float, int]] = deque()  # (time, live sessions then)

    # ------------------------------------------------------------------ measurements

    def reply(self, now: float, ms: float) -> None:
        """A reply's latency: the end-of-turn decision to its first audio frame."""
        self._replies.add(now, ms)

    def queue_wait(self, now: float, ms: float) -> None:
        """How long a live (not background) engine job waited for a worker thread."""
        self._waits.add(now, ms)

    def loop_lag(self, now: float, ms: float) -> None:
        """How late the event loop ran a callback that was due."""
        self._lags.add(now, ms)

    def sample(self, now: float, cpu_s: float, sessions: int) -> None:
        """The process's CPU time so far and the live sessions now, sampled every second or so."""
        self._cpu.append((now, cpu_s))
        self._sessions.append((now, sessions))
        while len(self._cpu) > 2 and self._cpu[1][0] <= now - self.limits.window_s:
            self._cpu.popleft()
            self._sessions.popleft()

    def admitted(self, now: float) -> None:
        """A session was admitted (its load is not measured yet)."""
        self._admitted.add(now, 1.0)

    # ------------------------------------------------------------------ the decision

    def state(self, now: float) -> dict[str, float]:
        """The figures the decision is made from (for ``/metrics`` and ``/health``)."""
        cpu = self._cpu_share()
        return {
            "reply_p95_ms": round(p95(self._replies.values(now)), 1),
            "replies": len(self._replies.values(now)),
            "queue_wait_p95_ms": round(p95(self._waits.values(now)), 1),
            "loop_lag_p95_ms": round(p95(self._lags.values(now)), 1),
            "cpu_cores_used": round(cpu, 3) if cpu is not None else -1.0,
            "recently_admitted": len(self._admitted.values(now)),
        }

    def decide(self, now: float, sessions: int) -> Decision:
        """May a new session start, with ``sessions`` live now?"""
        limits = self.limits
        if not limits.enabled:
            return ADMIT
        target = limits.gap_target_ms
        replies = self._replies.values(now)
        if len(replies) >= limits.min_replies and (reply := p95(replies)) >= limits.reply_share * target:
            return _busy("reply", f"replies already start {reply:.0f} ms after the answer ends, at p95")
        if (wait := p95(self._waits.values(now))) >= limits.queue_share * target:
            return _busy("queue", f"speech waits {wait:.0f} ms for the engines at p95")
        if (lag := p95(self._lags.values(now))) >= limits.lag_share * target:
            return _busy("loop_lag", f"the server's event loop runs {lag:.0f} ms late at p95")
        measured = self._measured_sessions()
        cpu = self._cpu_share()
        if cpu is not None and measured >= limits.min_cpu_sessions:
            predicted = cpu * (sessions + 1) / measured
            if predicted > limits.cpu_budget * limits.cores:
                return _busy("cpu", f"one more interview would need {predicted:.2f} of {limits.cores:g} cores")
        recent = len(self._admitted.values(now))
        if recent >= max(limits.ramp_sessions, math.ceil(limits.ramp_share * sessions)):
            return _busy("ramp", f"{recent} interviews started here in the last {limits.ramp_s:.0f} s")
        return ADMIT

    def _cpu_share(self) -> float | None:
        """Cores the process used over the window (None before two samples a second apart)."""
        if len(self._cpu) < 2 or self._cpu[-1][0] - self._cpu[0][0] < 1.0:
            return None
        (t0, c0), (t1, c1) = self._cpu[0], self._cpu[-1]
        return (c1 - c0) / (t1 - t0)

    def _measured_sessions(self) -> float:
        """The sessions the CPU window's load is of: their mean count over it."""
        counts = [count for _at, count in self._sessions]
        return sum(counts) / len(counts) if counts else 0.0


def _busy(rule: str, why: str) -> Decision:
    return Decision(False, f"this server is busy ({why}); try again in a minute", rule)
