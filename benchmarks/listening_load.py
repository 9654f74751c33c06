"""The load of ``benchmarks.listening``: N candidates who mostly listen and talk, and a control round trip.

Each candidate streams 20 ms frames in real time without pause (a microphone): while the interviewer listens,
a turn of real speech (Piper's voice: sentences 200 ms apart, so the VAD hears speech start and stop but the
turn does not end) for 6-14 s, then the silence that ends it; at other times a faint noise floor. So the
server's VAD scores every window of every session, speech and silence, and a turn ends about every 10-20 s
per candidate (the instant engines answer it at once).

The control round trip: every second each candidate sends ``hello`` again, which the server refuses at once
with ``error`` ``out_of_order`` (the protocol has no ping message; this one goes the way every control message
goes: the socket, the session's input queue behind the audio and the VAD's results, the core, the outbox).
Printed as one JSON line; run by ``benchmarks.listening``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.load_generator import Candidate, Pacing, create_interviews, open_session, pace
from benchmarks.support import FRAME_S, percentile, process_tree_cpu_seconds
from protocol.audio import INPUT_FRAME_BYTES
from tests.speech import frames, speak

SENTENCES = (
    "I led the migration of our payment service to Kubernetes.",
    "We moved the writes behind a queue, so the database never saw a burst.",
    "The hardest part was the rollback plan, and we tested it every week.",
    "Latency went from two hundred milliseconds to forty.",
    "I would measure first, then change one thing at a time.",
)
#: Silence between sentences within a turn: the VAD hears a pause, the turn goes on.
GAP_S = 0.2
TURN_S = (6.0, 14.0)
END_SILENCE_S = 1.5  # ends the turn (more than the end-of-turn silence after a finished answer)
PING_S = 1.0
NOISE_RMS = 30.0
_PING = json.dumps({"v": 1, "type": "hello", "client": "viva-listening"})


def _trimmed(pcm: bytes) -> bytes:
    """A sentence without Piper's leading and trailing silence, so the gaps are exactly :data:`GAP_S`."""
    loud = np.flatnonzero(np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32)) > 300)
    return pcm[loud[0] * 2 : (loud[-1] + 1) * 2]


def _noise_frames(count: int = 50) -> list[bytes]:
    noise = np.random.default_rng(0).normal(0, NOISE_RMS, count * INPUT_FRAME_BYTES // 2)
    pcm = noise.astype("<i2").tobytes()
    return [pcm[i : i + INPUT_FRAME_BYTES] for i in range(0, len(pcm), INPUT_FRAME_BYTES)]


SPOKEN = [frames(_trimmed(speak(text))) for text in SENTENCES]
GAP = round(GAP_S / FRAME_S)
NOISE = _noise_frames()


@dataclass
class ListeningCandidate(Candidate):
    """A candidate that talks in long turns whenever it is listened to, and measures the control round trip."""

    ping_sent: float | None = None
    round_trips: list[tuple[float, float]] = field(default_factory=list)  # (sent at, ms)
    other_errors: list[str] = field(default_factory=list)
    turns_ended: int = 0
    _turn: list[bytes] = field(default_factory=list)  # frames of the turn being spoken, in reverse order
    _tick: int = 0

    def next_frame(self) -> bytes:
        self._tick += 1
        if not self.listening.is_set():
            return NOISE[self._tick % len(NOISE)]
        if not self._turn:
            self._turn = list(reversed(_a_turn()))
        frame = self._turn.pop()
        if not self._turn:
            self.turns_ended += 1
            self.listening.clear()  # wait for the interviewer's reply before the next turn
        return frame

    async def on_text(self, raw: str) -> None:
        message = json.loads(raw)
        if message["type"] == "error":
            if message["code"] == "out_of_order" and self.ping_sent is not None:
                self.round_trips.append((self.ping_sent, (time.monotonic() - self.ping_sent) * 1000))
                self.ping_sent = None
            else:
                self.other_errors.append(message["code"])
            return
        await super().on_text(raw)

    async def ping(self, pacing: Pacing) -> None:
        await asyncio.sleep(random.uniform(0, PING_S))
        while pacing.running and not self.ended:
            if self.ping_sent is None:  # one at a time: a lost answer would show as an ended session
                self.ping_sent = time.monotonic()
                await self.ws.send(_PING)
            await asyncio.sleep(PING_S)


def _a_turn() -> list[bytes]:
    """A pause, sentences :data:`GAP_S` apart for a random 6-14 s, and the silence that ends the turn."""
    turn = NOISE[: round(random.uniform(0.3, 0.8) / FRAME_S)]
    length = random.uniform(*TURN_S) / FRAME_S
    while len(turn) < length:
        turn = turn + random.choice(SPOKEN) + NOISE[:GAP]
    return turn + [NOISE[i % len(NOISE)] for i in range(round(END_SILENCE_S / FRAME_S))]


async def run(url: str, sessions: int, seconds: float, warmup: float, server_pid: int) -> dict[str, Any]:
    candidates = await create_interviews(url, sessions, ListeningCandidate)
    readers = []
    for batch in range(0, sessions, 25):  # connect in batches, as a crowd of browsers arriving would
        readers += await asyncio.gather(*(open_session(url, c) for c in candidates[batch : batch + 25]))
    await asyncio.wait_for(asyncio.gather(*(c.listening.wait() for c in candidates)), 120)
    pacing = Pacing()
    slices = [candidates[i::10] for i in range(10)]
    pacers = [asyncio.create_task(pace(s, i * FRAME_S / 10, pacing)) for i, s in enumerate(slices)]
    pingers = [asyncio.create_task(c.ping(pacing)) for c in candidates]
    await asyncio.sleep(warmup)
    start, cpu_start, own_start = time.monotonic(), process_tree_cpu_seconds(server_pid), time.process_time()
    lateness_before = len(pacing.lateness_s)
    await asyncio.sleep(seconds)
    end, cpu_end, own_end = time.monotonic(), process_tree_cpu_seconds(server_pid), time.process_time()
    pacing.running = False
    await asyncio.gather(*pacers, *pingers, return_exceptions=True)
    await asyncio.sleep(1.0)  # the last pings' answers
    trips = [ms for c in candidates for at, ms in c.round_trips if start <= at < end]
    unanswered = sum(c.ping_sent is not None and start <= c.ping_sent < end - 1 for c in candidates)
    lateness = pacing.lateness_s[lateness_before:]
    ended = sum(c.ended for c in candidates)
    for candidate in candidates:
        await candidate.ws.close()
    for reader in readers:
        reader.cancel()
    return {
        "sessions": sessions,
        "round_trips": len(trips),
        "rtt_p50_ms": percentile(trips, 50),
        "rtt_p99_ms": percentile(trips, 99),
        "rtt_max_ms": max(trips, default=float("nan")),
        "unanswered": unanswered,
        "turns_ended": sum(c.turns_ended for c in candidates),
        "frames_sent": sum(c.frames_sent for c in candidates),
        "other_errors": sorted({e for c in candidates for e in c.other_errors}),
        "sessions_ended": ended,
        "server_cpu_percent": (cpu_end - cpu_start) / (end - start) * 100,
        "generator_cpu_percent": (own_end - own_start) / (end - start) * 100,
        "generator_lateness_p99_ms": percentile(lateness, 99) * 1000 if lateness else 0.0,
        "generator_lateness_max_ms": max(lateness, default=0.0) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--sessions", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    random.seed(args.seed)
    print(json.dumps(asyncio.run(run(args.url, args.sessions, args.seconds, args.warmup, args.server_pid))))


if __name__ == "__main__":
    main()
