"""Prometheus metrics of the process: live sessions, turns, response gaps by stage, engine errors and job times,
the speech cache, admission control."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

_JOB_BUCKETS_MS = (1, 5, 10, 25, 50, 100, 200, 400, 800, 1600, 3200, 6400)
_GAP_BUCKETS_MS = (100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1250, 1500, 2000, 3000, 5000, 10000)


class UsageCollector(Collector):
    """Model tokens and audio seconds used by the whole process (see :mod:`server.llm.usage`)."""

    def collect(self) -> Iterator[CounterMetricFamily]:
        from server.llm.usage import PROCESS_TOTALS

        for name, value in PROCESS_TOTALS.usage.metrics().items():
            yield CounterMetricFamily(name.removesuffix("_total"), f"Usage: {name}", value=value)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(UsageCollector())
        self.live_sessions = Gauge("viva_live_sessions", "Live interview sessions", registry=self.registry)
        self.turns = Counter("viva_turns", "Candidate turns answered", ["answered_by"], registry=self.registry)
        self.response_gap = Histogram(
            "viva_response_gap_ms",
            "From the candidate's last word to the interviewer's first audio frame",
            buckets=_GAP_BUCKETS_MS,
            registry=self.registry,
        )
        self.stage = Histogram(
            "viva_turn_stage_ms",
            "Time from the candidate's last word to the end of each stage of the reply",
            ["stage"],
            buckets=_GAP_BUCKETS_MS,
            registry=self.registry,
        )
        self.engine_errors = Counter("viva_engine_errors", "Failed engine calls", ["engine"], registry=self.registry)
        self.audio_frames_received = Counter(
            "viva_audio_frames_received", "Upstream binary frames received by live sessions", registry=self.registry
        )
        self.refusals = Counter(
            "viva_refusals",
            "Requests, messages and frames refused by a limit, by limit",
            ["limit"],
            registry=self.registry,
        )
        self.barge_ins = Counter(
            "viva_barge_ins", "Speech over the interviewer, by outcome", ["outcome"], registry=self.registry
        )
        self.speech_cache = Counter(
            "viva_speech_cache_requests",
            "Sentences asked of the speech cache, by outcome: hit (made before), shared (joined a synthesis in "
            "progress, a preparation or another session's), miss (synthesized when asked)",
            ["outcome"],
            registry=self.registry,
        )
        self.speech_cache_bytes = Gauge(
            "viva_speech_cache_bytes", "PCM kept by the speech cache", registry=self.registry
        )

        self.engine_queue_wait = Histogram(
            "viva_engine_queue_wait_ms",
            "How long a speech engine's job waited for a worker thread, by executor and priority",
            ["executor", "priority"],
            buckets=_JOB_BUCKETS_MS,
            registry=self.registry,
        )
        self.engine_run = Histogram(
            "viva_engine_run_ms",
            "How long a speech engine's job ran on its worker thread, by executor and priority",
            ["executor", "priority"],
            buckets=_JOB_BUCKETS_MS,
            registry=self.registry,
        )
        self.admission = Gauge(
            "viva_admission",
            "Admission control's measurements (reply_p95_ms, replies, queue_wait_p95_ms, loop_lag_p95_ms, "
            "cpu_cores_used, recently_admitted) and whether it admits now (admitting: 1 or 0)",
            ["figure"],
            registry=self.registry,
        )
        #: (monotonic time, decision to first audio in ms) of recent replies, taken by the load monitor.
        self.recent_reply_ms: deque[tuple[float, float]] = deque(maxlen=1024)

    def observe_turn(self, stages_ms: dict[str, float]) -> None:
        for stage, value in stages_ms.items():
            self.stage.labels(stage=stage).observe(value)
        self.response_gap.observe(stages_ms["first_audio"])
        self.recent_reply_ms.append((time.monotonic(), stages_ms["first_audio"] - stages_ms["end_of_turn"]))


METRICS = Metrics()
