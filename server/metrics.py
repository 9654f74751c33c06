"""Prometheus metrics: live sessions, turns, response gaps by stage, engine errors, the speech cache, usage.

With several workers (``viva serve --workers N``) a scrape reaches one of them, so each process writes its
values to files in ``PROMETHEUS_MULTIPROC_DIR`` (set by the parent before any worker imports
``prometheus_client``: the client picks its storage at import) and :func:`exposition` sums them over the
processes: counters and histograms add up, and the gauges say how they combine (``multiprocess_mode``).
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

#: Set by ``viva serve`` for its workers (and read by ``prometheus_client`` itself).
MULTIPROC_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"

_GAP_BUCKETS_MS = (100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1250, 1500, 2000, 3000, 5000, 10000)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        # Summed over the workers that are alive (a dead worker's sessions are gone with it).
        self.live_sessions = Gauge(
            "viva_live_sessions", "Live interview sessions", registry=self.registry, multiprocess_mode="livesum"
        )
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
            "viva_speech_cache_bytes",
            "PCM kept by the speech caches (one per worker process)",
            registry=self.registry,
            multiprocess_mode="livesum",
        )

    def observe_turn(self, stages_ms: dict[str, float]) -> None:
        for stage, value in stages_ms.items():
            self.stage.labels(stage=stage).observe(value)
        self.response_gap.observe(stages_ms["first_audio"])


METRICS = Metrics()


def exposition() -> bytes:
    """The metrics in the Prometheus text format: this process's, or, under several workers, the node's."""
    if os.environ.get(MULTIPROC_DIR_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(METRICS.registry)
