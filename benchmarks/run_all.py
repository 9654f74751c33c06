"""Run every benchmark (the evaluator's ranking of graded answers, then latency and capacity), one after the
other, and end with one ``name=value`` per figure.

Run: ``make bench`` or ``python benchmarks/run_all.py`` from the repository root (about 12 minutes on
2 cores). Each benchmark prints its own table first; see ``benchmarks/README.md``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project's packages importable
    sys.path.insert(0, str(ROOT))

from benchmarks import capacity, premature_cutoffs, rank_correlation, turn_latency  # noqa: E402


def main() -> None:
    started = time.monotonic()
    ranking = rank_correlation.run(("tune", "heldout"))["heldout"].figures()
    latency = turn_latency.run()
    print(flush=True)
    load = capacity.run()
    print(flush=True)
    cutoffs = premature_cutoffs.run()
    print(f"\nAll benchmarks took {(time.monotonic() - started) / 60:.1f} minutes.\n")
    figures = {
        **{name: ranking[name] for name in rank_correlation.HEADLINE},
        "response_gap_p50_ms": latency["response_gap_p50_ms"],
        "response_gap_p95_ms": latency["response_gap_p95_ms"],
        "overhead_p99_ms_at_200": load["overhead_p99_ms_at_200"],
        "max_sessions_no_drop": load["max_sessions_no_drop"],
        "idle_session_kib": load["idle_session_kib"],
        "premature_cutoffs": cutoffs["premature_cutoffs"],
    }
    for name, value in figures.items():
        print(f"{name}={value}")


if __name__ == "__main__":
    main()
