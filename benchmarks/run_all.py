"""Run every benchmark (the evaluator's ranking of graded answers, then latency and capacity), one after the
other, and end with one ``name=value`` per figure.

Run: ``make bench`` or ``python benchmarks/run_all.py`` from the repository root (about 35 minutes on
2 cores). Each benchmark prints its own table first; see ``benchmarks/README.md``.
"""

from __future__ import annotations

import os
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project's packages importable
    sys.path.insert(0, str(ROOT))

from benchmarks import (  # noqa: E402
    abuser,
    barge_in,
    capacity,
    end_of_turn,
    engine_gil,
    interviews,
    listening,
    premature_cutoffs,
    question_quality,
    rank_correlation,
    turn_latency,
)

# The packages whose versions move the speech engines' timings (pinned in requirements.lock).
ENGINE_PACKAGES = ("faster-whisper", "ctranslate2", "numpy", "onnxruntime", "piper-tts", "av")
#: The question-quality figures worth a line of their own (the benchmark itself prints every check).
QUESTION_FIGURES = (
    "question_quality_tune",
    "question_quality_heldout",
    "headline_coverage_tune",
    "headline_coverage_heldout",
)


def describe_run() -> str:
    """Versions and machine load, to print beside the figures: a slower run is either of them."""
    versions = " ".join(f"{name}=={metadata.version(name)}" for name in ENGINE_PACKAGES)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{versions}; python {sys.version.split()[0]}; {os.cpu_count()} cores; loadavg {load}"


def main() -> None:
    started = time.monotonic()
    print(f"Run: {describe_run()}", flush=True)
    questions = question_quality.figures(question_quality.run())
    ranking = rank_correlation.run(("tune", "heldout"))["heldout"].figures()
    latency = turn_latency.run()
    print(flush=True)
    turns = end_of_turn.run()
    print(flush=True)
    interruptions = barge_in.run()
    print(flush=True)
    load = capacity.run()
    print(flush=True)
    heard = listening.run()
    print(flush=True)
    cutoffs = premature_cutoffs.run()
    print(flush=True)
    abuse = abuser.run()
    print(flush=True)
    gil = engine_gil.run()
    print(flush=True)
    spoken = interviews.run()
    print(f"\nAll benchmarks took {(time.monotonic() - started) / 60:.1f} minutes. At the end: {describe_run()}\n")
    figures = {
        **{name: ranking[name] for name in rank_correlation.HEADLINE},
        "response_gap_p50_ms": latency["response_gap_p50_ms"],
        "response_gap_p95_ms": latency["response_gap_p95_ms"],
        **{name: turns[name] for name in end_of_turn.HEADLINE},
        **{name: interruptions[name] for name in barge_in.HEADLINE},
        "overhead_p99_ms_at_200": load["overhead_p99_ms_at_200"],
        "max_sessions_no_drop": load["max_sessions_no_drop"],
        "idle_session_kib": load["idle_session_kib"],
        "listening_sessions_per_node": heard["listening_sessions_per_node"],
        "premature_cutoffs": cutoffs["premature_cutoffs"],
        "abuser_p99_delta_ms": abuse["abuser_p99_delta_ms"],
        **{name: spoken[name] for name in interviews.HEADLINE},
        **gil,
        "control_rtt_p99_ms_baseline": abuse["control_rtt_p99_ms_baseline"],
        "control_rtt_p99_ms_with_abuser": abuse["control_rtt_p99_ms_with_abuser"],
        **{name: questions[name] for name in QUESTION_FIGURES},
    }
    for name, value in figures.items():
        print(f"{name}={value}")


if __name__ == "__main__":
    main()
