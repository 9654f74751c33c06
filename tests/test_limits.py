"""The limiter's arithmetic, fed explicit times (seconds, stepped in milliseconds): no clock, no sleeping."""

from __future__ import annotations

import pytest

from server.services.errors import Refused
from server.services.limits import AudioPacer, KeyedBuckets, PerKeyLimit, RateOutcome, TokenBucket, per_window

MS = 0.001


def test_a_bucket_allows_its_burst_then_its_rate() -> None:
    bucket = per_window(3, 10.0)  # 3 at once, then one every 3.333 s
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.retry_after(0.0) == pytest.approx(10 / 3)
    assert not bucket.take(3332 * MS)
    assert bucket.take(3334 * MS)
    assert not bucket.take(3335 * MS)


def test_a_bucket_never_holds_more_than_its_capacity_and_time_never_runs_back() -> None:
    bucket = TokenBucket(capacity=2, rate=1)
    assert bucket.level(1000.0) == 2  # idle for long: still only the burst
    assert bucket.take(1000.0, 2)
    assert not bucket.take(999.0)  # an earlier time refunds nothing
    assert bucket.level(1000.5) == pytest.approx(0.5)
    assert bucket.retry_after(1000.5, 3) == float("inf")  # more than it can ever hold
    with pytest.raises(ValueError):
        TokenBucket(capacity=0, rate=1)


def test_keys_have_buckets_of_their_own_in_bounded_memory() -> None:
    buckets = KeyedBuckets(count=2, window_s=60.0, max_keys=3)
    assert buckets.take("a", 0.0) is None and buckets.take("a", 0.0) is None
    assert buckets.take("a", 0.0) == pytest.approx(30.0)
    assert buckets.take("b", 0.0) is None  # another key is not affected
    for n in range(10):
        buckets.take(f"k{n}", 1.0)
    assert len(buckets) <= 3
    refilled = KeyedBuckets(count=2, window_s=60.0)
    refilled.take("x", 0.0)
    refilled.take("y", 60.0)  # x has refilled by now: it is forgotten, being the same as a new bucket
    assert len(refilled) == 1


def test_a_per_key_limit_refuses_with_the_wait() -> None:
    limit = PerKeyLimit("too_many_starts", "interviews created", 1, 60.0)
    limit.check("admin", 0.0)
    with pytest.raises(Refused) as refused:
        limit.check("admin", 15.0)
    assert refused.value.reason == "rate_limited" and refused.value.code == "too_many_starts"
    assert refused.value.retry_after_s == pytest.approx(45.0)
    assert "45 s" in refused.value.message
    limit.check("address:10.0.0.1", 15.0)


def frames(pacer: AudioPacer, count: int, start_s: float, every_ms: float) -> list[RateOutcome]:
    return [pacer.arrived(20, start_s + n * every_ms * MS) for n in range(count)]


def test_real_time_audio_with_jitter_is_never_refused() -> None:
    pacer = AudioPacer(max_speed=1.5, burst_ms=2000, tolerance_ms=5000)
    outcomes = frames(pacer, 3000, 0.0, 20)  # a minute in real time
    # A stalled client catching up: 1.5 s of frames at once, then real time again.
    outcomes += frames(pacer, 75, 61.5, 0) + frames(pacer, 1000, 61.52, 20)
    assert set(outcomes) == {RateOutcome.ACCEPT}


def test_audio_faster_than_the_pace_is_dropped_warned_once_then_closed() -> None:
    pacer = AudioPacer(max_speed=1.5, burst_ms=2000, tolerance_ms=5000)
    outcomes = frames(pacer, 600, 0.0, 0.14)  # 143x real time
    first_drop = next(n for n, outcome in enumerate(outcomes) if outcome is not RateOutcome.ACCEPT)
    assert 100 <= first_drop <= 102  # the 2 s burst (and what 1.5x refilled meanwhile) passes
    assert outcomes[first_drop] is RateOutcome.DROP_AND_WARN
    assert RateOutcome.CLOSE in outcomes  # 5 s of excess audio: a flood
    first_close = outcomes.index(RateOutcome.CLOSE)
    assert 340 <= first_close <= 360
    assert set(outcomes[first_drop + 1 : first_close]) <= {RateOutcome.DROP, RateOutcome.ACCEPT}
    assert outcomes.count(RateOutcome.DROP_AND_WARN) == 1


def test_audio_a_little_too_fast_is_thinned_but_not_closed() -> None:
    pacer = AudioPacer(max_speed=1.5, burst_ms=2000, tolerance_ms=5000)
    outcomes = frames(pacer, 6000, 0.0, 20 / 1.6)  # 1.6x real time for 75 s of audio
    assert RateOutcome.CLOSE not in outcomes
    dropped = sum(o is not RateOutcome.ACCEPT for o in outcomes)
    assert 0 < dropped < len(outcomes) * 0.1
    assert outcomes.count(RateOutcome.DROP_AND_WARN) == 1


def test_a_new_episode_of_excess_is_warned_again() -> None:
    pacer = AudioPacer(max_speed=1.5, burst_ms=200, tolerance_ms=1000)
    first = frames(pacer, 20, 0.0, 0)
    assert first.count(RateOutcome.DROP_AND_WARN) == 1
    calm = frames(pacer, 100, 10.0, 20)  # the excess has drained: the episode is over
    assert set(calm) == {RateOutcome.ACCEPT}
    again = frames(pacer, 20, 20.0, 0)
    assert again.count(RateOutcome.DROP_AND_WARN) == 1
