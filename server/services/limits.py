"""Rate limits as pure arithmetic: token buckets fed explicit times, so one rule is written (and tested) once.

Nothing here reads a clock or knows about sockets or HTTP: the shells pass ``time.monotonic()`` (seconds) and
decide what a refusal looks like (a 429 with ``Retry-After``, an ``error`` with code ``rate_limited``, a
close). A bucket holds up to ``capacity`` tokens and refills at ``rate`` tokens per second; an action costs
tokens and is refused when the bucket holds too few. So ``capacity`` is the burst allowed and ``rate`` the
sustained pace.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import StrEnum

from server.services.errors import Refused


@dataclass
class TokenBucket:
    """``capacity`` tokens at most, ``rate`` more per second; starts full."""

    capacity: float
    rate: float
    _level: float = field(init=False)
    _at: float | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.capacity <= 0 or self.rate <= 0:
            raise ValueError("a token bucket needs a positive capacity and rate")
        self._level = self.capacity

    def level(self, now: float) -> float:
        """Tokens available at ``now`` (times before the last one seen count as that one: no refund)."""
        if self._at is not None and now > self._at:
            self._level = min(self.capacity, self._level + (now - self._at) * self.rate)
        if self._at is None or now > self._at:
            self._at = now
        return self._level

    def take(self, now: float, cost: float = 1.0) -> bool:
        """Spend ``cost`` tokens if there are that many; False (and nothing spent) if not."""
        if self.level(now) >= cost:
            self._level -= cost
            return True
        return False

    def retry_after(self, now: float, cost: float = 1.0) -> float:
        """Seconds until ``cost`` tokens are available (0 when they are now)."""
        missing = cost - self.level(now)
        return max(0.0, missing / self.rate) if cost <= self.capacity else float("inf")

    def full(self, now: float) -> bool:
        return self.level(now) >= self.capacity


def per_window(count: int, window_s: float) -> TokenBucket:
    """A bucket allowing ``count`` actions in a burst and ``count`` per ``window_s`` seconds sustained."""
    return TokenBucket(capacity=count, rate=count / window_s)


@dataclass
class KeyedBuckets:
    """One :func:`per_window` bucket per key (a credential, a client address), in bounded memory.

    A bucket that has refilled completely is the same as a new one, so it is forgotten; beyond ``max_keys``
    the least recently used key is forgotten too (that key gets a fresh, full bucket: generous, never wrong
    against a well-behaved caller).
    """

    count: int
    window_s: float
    max_keys: int = 10_000
    _buckets: OrderedDict[str, TokenBucket] = field(init=False, default_factory=OrderedDict)

    def take(self, key: str, now: float) -> float | None:
        """Spend one action of ``key``; None when allowed, else the seconds to wait before retrying."""
        bucket = self._buckets.pop(key, None) or per_window(self.count, self.window_s)
        allowed = bucket.take(now)
        wait = None if allowed else bucket.retry_after(now)
        self._buckets[key] = bucket
        self._forget(now)
        return wait

    def _forget(self, now: float) -> None:
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        oldest = next(iter(self._buckets), None)
        if oldest is not None and self._buckets[oldest].full(now):
            del self._buckets[oldest]  # one at a time, from the least recently used end: O(1) per call

    def __len__(self) -> int:
        return len(self._buckets)


class RateOutcome(StrEnum):
    """What an :class:`AudioPacer` decided about one frame."""

    ACCEPT = "accept"
    DROP = "drop"  # over the budget: drop it (the first drop of an episode is reported)
    DROP_AND_WARN = "drop_and_warn"
    CLOSE = "close"  # the excess went on too long: a policy violation


@dataclass
class AudioPacer:
    """Upstream audio measured against real time: audio may arrive at most ``max_speed`` times faster than it
    plays, with a burst of ``burst_ms`` (network jitter, a stalled client catching up).

    Frames over that budget are dropped, not queued. The audio dropped is itself counted in a second bucket
    that drains at real time: a client that keeps sending faster than ``max_speed`` fills it past
    ``tolerance_ms`` and is to be closed; one that exceeds the pace briefly is warned once per episode (an
    episode ends once the pace has been kept long enough to regain the whole burst).
    """

    max_speed: float = 1.5
    burst_ms: float = 2000.0
    tolerance_ms: float = 2000.0
    _budget: TokenBucket = field(init=False)
    _excess: TokenBucket = field(init=False)
    _warned: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self._budget = TokenBucket(capacity=self.burst_ms, rate=self.max_speed * 1000)
        self._excess = TokenBucket(capacity=self.tolerance_ms, rate=1000)

    def arrived(self, audio_ms: float, now: float) -> RateOutcome:
        """A frame holding ``audio_ms`` of audio arrived at ``now`` (seconds): accept, drop, or close."""
        if self._warned and self._budget.full(now):
            self._warned = False  # the pace was kept long enough to regain the whole burst: a new excess is news
        if self._budget.take(now, audio_ms):
            return RateOutcome.ACCEPT
        if not self._excess.take(now, audio_ms):
            return RateOutcome.CLOSE
        if not self._warned:
            self._warned = True
            return RateOutcome.DROP_AND_WARN
        return RateOutcome.DROP


class PerKeyLimit:
    """``count`` actions per ``window_s`` for each key, refused with :class:`Refused` (``rate_limited``)."""

    def __init__(self, code: str, what: str, count: int, window_s: float) -> None:
        self.code = code
        self.what = what
        self._buckets = KeyedBuckets(count, window_s)
        self._count = count
        self._window_s = window_s

    def check(self, key: str, now: float) -> None:
        """Count one action of ``key`` at ``now``, or refuse it saying when to retry."""
        wait = self._buckets.take(key, now)
        if wait is not None:
            raise Refused(
                "rate_limited",
                self.code,
                f"At most {self._count} {self.what} per {self._window_s:g} s; try again in {math.ceil(wait)} s.",
                retry_after_s=wait,
            )
