"""Capacity: how many candidates one server process holds, and what latency it adds, with instant engines.

For each N a fresh server (``benchmarks.instant_server``: the real app, sessions, turn detector, builtin
interviewer and SQLite store; speech engines that cost nothing) is loaded by ``benchmarks.load_generator``
in a second process: N candidates streaming 20 ms frames in real time and taking turns. Reported per N:

- server-added latency p50/p99: the reply's first audio frame minus the send time of the frame that
  completed the end-of-turn silence (so the silence itself is not counted, only what the server adds);
- frames dropped: upstream, frames sent by the candidates minus frames the server received (its
  ``viva_audio_frames_received_total``); downstream, gaps in ``seq`` and utterances without their last frame;
- the server's CPU (all its threads, % of one core) and resident memory per session.

Then 200 candidates stream silence only, for the server's CPU time per upstream frame; and, for idle memory,
``--idle-sessions`` candidates connect, start and listen without sending audio: the server's RSS growth per
idle session.

``max_sessions_no_drop`` is the largest N such that it and every smaller N tested dropped no frame either way,
no session ended early, and the server-added latency p99 stayed within ``--max-p99-ms`` (50 ms): a server
that keeps every frame but answers late is not holding the load. The load generator shares the machine's
cores with the server; its own CPU use and how late its frames went out are reported beside each row.

Run: ``python -m benchmarks.capacity [--levels 50,100,200,300,500] [--seconds 20]``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from benchmarks.support import ROOT, machine
from tests.conftest import free_port

LEVELS = (50, 100, 200, 300, 500)
IDLE_SESSIONS = 500
#: Sessions streaming silence only, to measure what one upstream frame costs the server.
SILENT_SESSIONS = 200
MAX_P99_MS = 50.0
#: One load generator is one client address running hundreds of interviews: lift the per-node and
#: per-credential limits that would (rightly) refuse it, since capacity is what is measured here.
HARNESS_LIMITS = {"VIVA_MAX_LIVE_SESSIONS": "100000", "VIVA_INTERVIEW_STARTS_PER_MINUTE": "100000"}
#: The recruiter's token of the servers this benchmark starts, shared with the load generator.
BENCH_ADMIN_TOKEN = secrets.token_urlsafe(32)


class InstantServer:
    """``benchmarks.instant_server`` in a subprocess with its own data directory and port."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, args: Sequence[str] = ()) -> None:
        self.env = {**HARNESS_LIMITS, **(env or {})}
        self.args = list(args)  # instant_server's own options: --vad, --workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> InstantServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.data_dir / "server.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.instant_server", "--port", str(self.port), *self.args],
            cwd=ROOT,
            env={**os.environ, **self.env, "VIVA_DATA_DIR": str(self.data_dir), "VIVA_ADMIN_TOKEN": BENCH_ADMIN_TOKEN},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"instant server exited early; see {self.data_dir / 'server.log'}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("instant server did not start in 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def load(sessions: int, seconds: float, warmup: float, mode: str = "") -> dict[str, Any]:
    """One fresh server under one load; the load generator's figures."""
    with tempfile.TemporaryDirectory(prefix="viva-bench-capacity-") as tmp, InstantServer(Path(tmp)) as server:
        command = [sys.executable, "-m", "benchmarks.load_generator", "--url", server.url]
        command += ["--sessions", str(sessions), "--seconds", str(seconds), "--warmup", str(warmup)]
        command += ["--server-pid", str(server.pid)] + ([f"--{mode}"] if mode else [])
        env = {**os.environ, "VIVA_ADMIN_TOKEN": BENCH_ADMIN_TOKEN}
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"load generator failed at N={sessions}:\n{done.stderr[-4000:]}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def holds(row: dict[str, Any], max_p99_ms: float) -> bool:
    """No frame dropped either way, no session lost, no turn ended early, and the added p99 within the limit."""
    return (
        row["upstream_dropped"] == 0
        and row["downstream_seq_gaps"] == 0
        and row["downstream_missing_last"] == 0
        and row["sessions_ended"] == 0
        and row["early_replies"] == 0
        and row["turns"] > 0
        and row["overhead_p99_ms"] <= max_p99_ms
    )


def run(
    levels: tuple[int, ...] = LEVELS,
    seconds: float = 20.0,
    warmup: float = 5.0,
    idle_sessions: int = IDLE_SESSIONS,
    max_p99_ms: float = MAX_P99_MS,
    verbose: bool = True,
) -> dict[str, Any]:
    """Load each level in turn, then measure the cost of a frame (silence only) and the memory of idle sessions."""
    if verbose:
        print(f"Capacity with instant engines; {machine()}")
        print(
            f"  {'N':>5}{'turns':>7}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}{'up drop':>9}{'down gaps':>10}"
            f"{'srv CPU%':>9}{'KiB/sess':>9}{'gen CPU%':>9}{'gen late p99/max ms':>21}"
        )
    rows: list[dict[str, Any]] = []
    max_no_drop = 0
    held_so_far = True
    for sessions in levels:
        row = load(sessions, seconds, warmup)
        rows.append(row)
        ok = holds(row, max_p99_ms)
        if verbose:
            print(
                f"  {sessions:>5}{row['turns']:>7}{row['overhead_p50_ms']:>8.1f}{row['overhead_p99_ms']:>8.1f}"
                f"{row['overhead_max_ms']:>8.1f}{row['upstream_dropped']:>9}"
                f"{row['downstream_seq_gaps'] + row['downstream_missing_last']:>10}"
                f"{row['server_cpu_percent']:>9.0f}{row['kib_per_session']:>9.0f}{row['generator_cpu_percent']:>9.0f}"
                f"{row['generator_lateness_p99_ms']:>11.1f}/{row['generator_lateness_max_ms']:.1f}"
                + ("" if ok else "   <- does not hold"),
                flush=True,
            )
        held_so_far = held_so_far and ok
        if held_so_far:
            max_no_drop = sessions
    silent = load(SILENT_SESSIONS, seconds / 2, warmup, mode="silent")
    idle = load(idle_sessions, seconds, warmup, mode="idle")
    at_200 = next((row["overhead_p99_ms"] for row in rows if row["sessions"] == 200), float("nan"))
    figures = {
        "overhead_p99_ms_at_200": round(at_200, 1),
        "max_sessions_no_drop": max_no_drop,
        "idle_session_kib": round(idle["kib_per_session"]),
        "rows": rows,
        "silent": silent,
        "idle": idle,
    }
    if verbose:
        print(
            f"  silent: {SILENT_SESSIONS} sessions streaming silence, server CPU {silent['server_cpu_percent']:.0f} %, "
            f"{silent['server_cpu_us_per_frame']:.1f} µs per upstream frame"
        )
        print(
            f"  idle: {idle_sessions} sessions listening, server RSS {idle['rss_before_kib'] / 1024:.0f} MiB -> "
            f"{idle['rss_kib'] / 1024:.0f} MiB, {idle['kib_per_session']:.0f} KiB per session"
        )
        print(f"  (max_sessions_no_drop: no frame dropped, no session lost, p99 within {max_p99_ms:g} ms)")
        for name in ("overhead_p99_ms_at_200", "max_sessions_no_drop", "idle_session_kib"):
            print(f"{name}={figures[name]}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="session counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window per level")
    parser.add_argument("--warmup", type=float, default=5.0, help="load before the window opens")
    parser.add_argument("--idle-sessions", type=int, default=IDLE_SESSIONS)
    parser.add_argument("--max-p99-ms", type=float, default=MAX_P99_MS)
    args = parser.parse_args()
    levels = tuple(int(level) for level in args.levels.split(","))
    run(levels, args.seconds, args.warmup, args.idle_sessions, args.max_p99_ms)


if __name__ == "__main__":
    main()
