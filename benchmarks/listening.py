"""Listening sessions per node: how many candidates one node hears with the real VAD while its control round
trip stays quick, transcription and speech being remote (instant here: ``benchmarks.instant_engines``).

For each N a fresh ``benchmarks.instant_server --vad silero`` (the real app and sessions, the batched Silero
VAD of every session in one ONNX run per round; ``--workers`` uvicorn processes, default one per core) is
loaded by ``benchmarks.listening_load`` in a second process: N candidates streaming 20 ms frames in real time,
turns of real speech and silence, and a ``hello`` every second that the server refuses at once (the control
round trip; the protocol has no ping). A level holds if the round trip's p99 is within ``--max-p99-ms``
(50 ms), every frame sent was received (each server process counts its own), every ping was answered, no
session ended and no frame was refused. ``listening_sessions_per_node`` is the largest N such that it and
every smaller N held. The load generator shares the machine's cores with the server: its CPU and how late its
frames went out are beside each row.

``--vad-delay`` measures the batcher alone, in this process: what batching adds to a window's verdict (from
the push that completed it to its probability on the loop) with 1, 50 and 500 streams in real time.

Run: ``python -m benchmarks.listening [--levels 100,200,300,400,500,600] [--workers 2] [--vad-delay]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.capacity import BENCH_ADMIN_TOKEN, InstantServer
from benchmarks.support import FRAME_S, ROOT, machine, percentile
from server.engines.silero_batch import BatchedSilero

LEVELS = (100, 200, 300, 400, 500, 600)
MAX_P99_MS = 50.0
DELAY_STREAMS = (1, 50, 500)


def load(sessions: int, seconds: float, warmup: float, workers: int, vad: str = "silero") -> dict[str, Any]:
    """One fresh server under one load: the load generator's figures and the frames the server received."""
    with tempfile.TemporaryDirectory(prefix="viva-bench-listening-") as tmp:
        data = Path(tmp)
        with InstantServer(data, args=["--vad", vad, "--workers", str(workers)]) as server:
            command = [sys.executable, "-m", "benchmarks.listening_load", "--url", server.url]
            command += ["--sessions", str(sessions), "--seconds", str(seconds), "--warmup", str(warmup)]
            command += ["--server-pid", str(server.pid)]
            env = {**os.environ, "VIVA_ADMIN_TOKEN": BENCH_ADMIN_TOKEN}
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                raise RuntimeError(f"load generator failed at N={sessions}:\n{done.stderr[-4000:]}")
            time.sleep(1.0)  # the last frames in flight
        row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        counts = sorted(data.glob("frames-*"))
        row["server_processes"] = len(counts)
        row["frames_received"] = sum(int(path.read_text()) for path in counts)
        row["upstream_dropped"] = row["frames_sent"] - row["frames_received"]
        return row


def holds(row: dict[str, Any], max_p99_ms: float, workers: int) -> bool:
    return (
        row["server_processes"] == workers
        and row["upstream_dropped"] == 0
        and row["unanswered"] == 0
        and row["sessions_ended"] == 0
        and not row["other_errors"]
        and row["round_trips"] > 0
        and row["rtt_p99_ms"] <= max_p99_ms
    )


def run(
    levels: tuple[int, ...] = LEVELS,
    seconds: float = 20.0,
    warmup: float = 5.0,
    workers: int = os.cpu_count() or 1,
    max_p99_ms: float = MAX_P99_MS,
    vad: str = "silero",
    verbose: bool = True,
) -> dict[str, Any]:
    if verbose:
        print(f"Listening sessions, {vad} VAD, instant STT/TTS, {workers} worker(s); {machine()}")
        print(f"  load average before: {_loadavg()}")
        print(
            f"  {'N':>5}{'pings':>7}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}{'up drop':>9}{'turns':>7}"
            f"{'srv CPU%':>9}{'gen CPU%':>9}{'gen late p99/max ms':>21}  load"
        )
    rows = []
    best, held_so_far = 0, True
    for sessions in levels:
        row = load(sessions, seconds, warmup, workers, vad)
        rows.append(row)
        ok = holds(row, max_p99_ms, workers)
        if verbose:
            print(
                f"  {sessions:>5}{row['round_trips']:>7}{row['rtt_p50_ms']:>8.1f}{row['rtt_p99_ms']:>8.1f}"
                f"{row['rtt_max_ms']:>8.1f}{row['upstream_dropped']:>9}{row['turns_ended']:>7}"
                f"{row['server_cpu_percent']:>9.0f}{row['generator_cpu_percent']:>9.0f}"
                f"{row['generator_lateness_p99_ms']:>11.1f}/{row['generator_lateness_max_ms']:.1f}  {_loadavg()}"
                + ("" if ok else f"   <- does not hold {_why(row, max_p99_ms, workers)}"),
                flush=True,
            )
        held_so_far = held_so_far and ok
        if held_so_far:
            best = sessions
    figures = {"listening_sessions_per_node": best, "workers": workers, "rows": rows}
    if verbose:
        print(f"  (holds: control round trip p99 <= {max_p99_ms:g} ms, no frame dropped, no ping lost)")
        print(f"listening_sessions_per_node={figures['listening_sessions_per_node']}")
    return figures


def _why(row: dict[str, Any], max_p99_ms: float, workers: int) -> str:
    reasons = [f"p99 {row['rtt_p99_ms']:.0f} ms"] if row["rtt_p99_ms"] > max_p99_ms else []
    reasons += [f"{row['upstream_dropped']} frames dropped"] if row["upstream_dropped"] else []
    reasons += [f"{row['unanswered']} pings lost"] if row["unanswered"] else []
    reasons += [f"{row['sessions_ended']} sessions ended"] if row["sessions_ended"] else []
    reasons += [f"errors {row['other_errors']}"] if row["other_errors"] else []
    reasons += [f"{row['server_processes']}/{workers} processes counted"] if row["server_processes"] != workers else []
    return ", ".join(reasons)


def _loadavg() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# --------------------------------------------------------------------------- the batcher alone


async def vad_delay(streams: int, seconds: float = 10.0) -> dict[str, float]:
    """``streams`` streams push 20 ms frames in real time; the delay of each verdict and the rows per run."""
    from benchmarks.listening_load import NOISE, SPOKEN

    batcher = BatchedSilero()
    runs: list[int] = []
    model_run = batcher.model.run

    def counted(chunks: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        runs.append(len(chunks))
        return model_run(chunks, state)

    batcher.model.run = counted  # type: ignore[method-assign]
    audio = [frame for sentence in SPOKEN for frame in sentence + NOISE[:25]]
    delays: list[float] = []
    completing: list[deque[float]] = [deque() for _ in range(streams)]

    def hearer(index: int) -> Any:
        def heard(probabilities: tuple[float, ...]) -> None:
            now = time.perf_counter()
            for _ in probabilities:
                delays.append((now - completing[index].popleft()) * 1000)

        return heard

    opened = [batcher.open_stream(hearer(i)) for i in range(streams)]
    # Sessions start at random moments: each stream's windows complete at its own phase of the 20 ms tick.
    samples = [index * 97 % 512 for index in range(streams)]
    for stream, first in zip(opened, samples, strict=True):
        stream.push(bytes(2 * first))  # less than a window: completes none
    slices = 10  # and their frames arrive spread over the 20 ms, as from many sockets
    start = time.perf_counter()
    for tick in range(round(seconds / FRAME_S) * slices):
        await asyncio.sleep(max(0.0, start + tick * FRAME_S / slices - time.perf_counter()))
        for index in range(tick % slices, streams, slices):
            for _ in range((samples[index] + 320) // 512 - samples[index] // 512):  # windows this frame completes
                completing[index].append(time.perf_counter())
            samples[index] += 320
            opened[index].push(audio[(tick // slices + index * 7) % len(audio)])
    await asyncio.sleep(0.5)
    batcher.close()
    settled = delays[len(delays) // 10 :]  # without the first second's warm-up
    return {
        "streams": streams,
        "delay_p50_ms": percentile(settled, 50),
        "delay_p99_ms": percentile(settled, 99),
        "delay_max_ms": max(settled, default=float("nan")),
        "rows_per_run": float(np.mean(runs)) if runs else 0.0,
    }


def report_vad_delay(counts: tuple[int, ...] = DELAY_STREAMS, seconds: float = 10.0) -> list[dict[str, float]]:
    print(f"Batched Silero VAD: delay a window's verdict waits for, in real time; load average {_loadavg()}")
    results = []
    for streams in counts:
        result = asyncio.run(vad_delay(streams, seconds))
        results.append(result)
        print(
            f"  {streams:>4} streams: delay p50 {result['delay_p50_ms']:.2f} ms, p99 {result['delay_p99_ms']:.2f} ms, "
            f"max {result['delay_max_ms']:.1f} ms; {result['rows_per_run']:.1f} windows per run  "
            f"(load {_loadavg()})",
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="session counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window per level")
    parser.add_argument("--warmup", type=float, default=5.0, help="load before the window opens")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server worker processes")
    parser.add_argument("--max-p99-ms", type=float, default=MAX_P99_MS)
    parser.add_argument("--vad", choices=("silero", "loudness"), default="silero", help="loudness: no model")
    parser.add_argument("--vad-delay", action="store_true", help="measure the batcher alone, then stop")
    args = parser.parse_args()
    if args.vad_delay:
        report_vad_delay()
        return
    levels = tuple(int(level) for level in args.levels.split(","))
    run(levels, args.seconds, args.warmup, args.workers, args.max_p99_ms, args.vad)


if __name__ == "__main__":
    main()
