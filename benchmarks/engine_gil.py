"""Do the speech engines' threads let the event loop run? The loop's lag while Piper and Whisper compute.

Both engines run in worker threads (:class:`~server.engines.priority.PriorityExecutor`) so that a synthesis or a
decode does not stall the sessions on the event loop; that holds only if their native code releases the GIL.
Here a 5 ms ticker on an event loop measures how late it wakes while, in the engines' own threads, Piper
synthesizes long sentences, Whisper decodes a 4 s answer (beam 5), and both at once; each case for a few seconds,
after a baseline with nothing running. Python work between the native calls (Piper's phonemizer and per-chunk
numpy, faster-whisper's decoding loop) holds the GIL and shows as lag.

Run: ``python -m benchmarks.engine_gil [--seconds 4]``.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable

from benchmarks.support import percentile
from server.config import Settings
from server.engines import create_engines
from tests.speech import compose

TICK_S = 0.005
SENTENCE = (
    "What was the context of that project, which team were you working with, and what exactly was at stake for "
    "the business when you started?"
)
ANSWER = "I led the migration of our billing service to Kubernetes. We cut the deployment time from an hour to ten."


async def _lag_while(work: Callable[[], Awaitable[int]], seconds: float) -> tuple[list[float], int, float]:
    """Lag of each tick (ms) while ``work`` runs again and again for ``seconds``; jobs done; their CPU seconds."""
    lags: list[float] = []
    stop = time.monotonic() + seconds
    cpu0 = time.process_time()
    jobs = 0

    async def repeat() -> None:
        nonlocal jobs
        while time.monotonic() < stop:
            jobs += await work()

    worker = asyncio.create_task(repeat())
    while time.monotonic() < stop:
        due = time.monotonic() + TICK_S
        await asyncio.sleep(TICK_S)
        lags.append(max(0.0, time.monotonic() - due) * 1000)
    await worker
    return lags, jobs, time.process_time() - cpu0


async def measure(seconds: float) -> dict[str, float]:
    stt, tts, _vad = create_engines(Settings(tts_cache_mb=0))
    pcm = compose(ANSWER, voice="piper")

    async def idle() -> int:
        await asyncio.sleep(0.1)
        return 0

    async def piper() -> int:
        async for _chunk in tts.synthesize(SENTENCE):
            pass
        return 1

    async def whisper() -> int:
        await stt.transcribe(pcm)
        return 1

    async def both() -> int:
        await asyncio.gather(piper(), whisper())
        return 1

    figures: dict[str, float] = {}
    for name, work in (("idle", idle), ("piper", piper), ("whisper", whisper), ("both", both)):
        await work()  # warm
        lags, jobs, cpu = await _lag_while(work, seconds)
        p50, p99, worst = percentile(lags, 50), percentile(lags, 99), max(lags)
        print(
            f"  {name:<8} loop lag p50 {p50:5.1f} p99 {p99:6.1f} max {worst:6.1f} ms; {jobs} jobs, "
            f"{cpu / max(jobs, 1):.2f} CPU s per job",
            flush=True,
        )
        figures[f"loop_lag_p99_ms_{name}"] = round(p99, 1)
    return figures


def run(seconds: float = 4) -> dict[str, float]:
    print("Event-loop lag while the embedded engines compute in their threads:", flush=True)
    figures = asyncio.run(measure(seconds))
    for name, value in figures.items():
        print(f"{name}={value}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4, help="seconds per case (default 4)")
    run(parser.parse_args().seconds)


if __name__ == "__main__":
    main()
