"""N simulated candidates talking to one server at once: the client side of the capacity benchmark.

It runs in its own process (``benchmarks.capacity`` starts it), lean on purpose, because on a small machine
it competes with the server for the CPU: one event loop, a handful of pacing tasks that each send one 20 ms
frame for a slice of the candidates every 20 ms (spread over the 20 ms, as independent microphones would
be), raw JSON instead of validated models.

Each candidate streams without pause from ``start``: a tone burst of 1.5 s ("speech"), then silence until
the interviewer has answered and is listening again, then a short silence, then speech again. The server's
added latency of a turn is measured from the send time of the frame at which the end-of-turn silence was
complete (the last tone frame, then ``end_of_turn_silence_ms`` of silent frames) to the arrival of the
reply's first audio frame. With ``--silent`` the candidates stream silence only (the cost of a frame); with
``--idle`` they only connect, start and listen, sending nothing (the memory of a session).

It acts as the recruiter with the server's admin token, read from ``VIVA_ADMIN_TOKEN`` like the server's. It
prints one JSON object with its figures. Run: ``python -m benchmarks.load_generator --url URL --sessions 100
--seconds 20 --server-pid PID``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import random
import struct
import time
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import numpy as np
import websockets

from benchmarks.support import FRAME_S, percentile, process_cpu_seconds, process_rss_kib
from protocol.audio import FLAG_LAST, HEADER_BYTES, INPUT_FRAME_BYTES, INPUT_FRAME_MS, INPUT_SAMPLE_RATE
from server.config import Settings

SPEECH_S = 1.5
#: Silence between the interviewer's last word and the candidate's next burst (a random pick in this range).
REPLY_PAUSE_S = (0.3, 0.8)
#: Pacing tasks: each sends the frames of one slice of the candidates, at its own offset within 20 ms.
PACERS = 10
SETUP = {
    "candidate_name": "Load Test",
    "job_title": "Backend Engineer",
    "job_description": "Python, Kubernetes and PostgreSQL for payment services.",
    "interview_type": "technical",
    "num_questions": 15,  # enough turns for the run; each turn snapshots the plan, so more would cost more
}
_HEADER = struct.Struct("<BBHII")
_SILENCE = bytes(INPUT_FRAME_BYTES)


def _tone_frames() -> list[bytes]:
    times = np.arange(int(SPEECH_S * INPUT_SAMPLE_RATE)) / INPUT_SAMPLE_RATE
    pcm = (np.sin(2 * np.pi * 180 * times) * 3000).astype("<i2").tobytes()
    return [pcm[i : i + INPUT_FRAME_BYTES] for i in range(0, len(pcm), INPUT_FRAME_BYTES)]


TONE = _tone_frames()


@dataclass
class Candidate:
    """One simulated candidate: what it will send next, and what it saw coming back."""

    interview_id: str
    token: str
    ws: Any = None
    listening: asyncio.Event = field(default_factory=asyncio.Event)
    queue: list[bytes] = field(default_factory=list)  # frames to send, in reverse order (pop from the end)
    frames_sent: int = 0
    #: Frame number at which the end-of-turn silence is complete, and when that frame went out.
    threshold_frame: int | None = None
    threshold_at: float | None = None
    #: While a turn is measured: the reply is the first utterance with an id above this one.
    reply_after: int | None = None
    early_replies: int = 0  # replies that came before the end-of-turn silence was complete
    ended: bool = False
    overheads_ms: list[tuple[float, float]] = field(default_factory=list)  # (threshold send time, overhead)
    #: Downstream checks: frames of an utterance arrive in ``seq`` order without gaps, and the last one is
    #: flagged. ``utterance_end`` is a control message and may overtake queued frames, so an utterance's
    #: ``last`` flag is checked when the next utterance's first frame arrives.
    audio_utterance: int = -1
    next_seq: int = 0
    last_seen: bool = True
    seq_gaps: int = 0
    missing_last: int = 0
    utterance_id: int = -1

    def speak(self, silent_frames_after: int) -> None:
        """Queue a pause, a burst of speech and enough silence to end the turn; mark the threshold frame."""
        pause = [_SILENCE] * round(random.uniform(*REPLY_PAUSE_S) / FRAME_S)
        self.queue = list(reversed(pause + TONE))
        self.threshold_frame = self.frames_sent + len(pause) + len(TONE) + silent_frames_after
        self.threshold_at = None
        self.reply_after = self.utterance_id

    def next_frame(self) -> bytes:
        return self.queue.pop() if self.queue else _SILENCE

    def on_sent(self, at: float) -> None:
        self.frames_sent += 1
        if self.frames_sent == self.threshold_frame:
            self.threshold_at = at

    def on_audio(self, data: bytes, at: float) -> None:
        _kind, flags, _reserved, utterance_id, seq = _HEADER.unpack_from(data)
        if utterance_id != self.audio_utterance:
            self.missing_last += not self.last_seen
            self.audio_utterance, self.next_seq, self.last_seen = utterance_id, 0, False
        self.seq_gaps += seq != self.next_seq
        self.next_seq = seq + 1
        self.last_seen = bool(flags & FLAG_LAST)
        if self.reply_after is not None and utterance_id > self.reply_after:
            if self.threshold_at is None:
                self.early_replies += 1
            else:
                self.overheads_ms.append((self.threshold_at, (at - self.threshold_at) * 1000))
            self.reply_after = None

    async def on_text(self, raw: str) -> None:
        message = json.loads(raw)
        kind = message["type"]
        if kind == "utterance_start":
            self.utterance_id = message["utterance_id"]
            self.listening.clear()
        elif kind == "utterance_end":
            playback = {"type": "playback", "utterance_id": message["utterance_id"], "done": True}
            await self.ws.send(json.dumps({**playback, "played_ms": message["duration_ms"], "v": 1}))
        elif kind == "state" and message["state"] == "listening":
            self.listening.set()
        elif kind == "ended":
            self.ended = True


C = TypeVar("C", bound=Candidate)


def _recruiter() -> dict[str, str]:
    """The admin token as a Bearer header (the server and this process share ``VIVA_ADMIN_TOKEN``)."""
    token = Settings().admin_token
    if token is None:
        raise RuntimeError("set VIVA_ADMIN_TOKEN to the server's admin token")
    return {"Authorization": f"Bearer {token.get_secret_value()}"}


async def create_interviews(url: str, count: int, kind: type[C]) -> list[C]:
    limits = asyncio.Semaphore(8)

    async def create(client: httpx.AsyncClient) -> C:
        async with limits:
            response = await client.post(f"{url}/api/v1/interview/start", json=SETUP)
            response.raise_for_status()
            body = response.json()
            return kind(body["interview_id"], body["candidate_token"])

    async with httpx.AsyncClient(timeout=60, headers=_recruiter()) as client:
        return list(await asyncio.gather(*(create(client) for _ in range(count))))


async def _read(candidate: Candidate) -> None:
    with contextlib.suppress(websockets.ConnectionClosed):
        async for raw in candidate.ws:
            if isinstance(raw, bytes):
                if len(raw) >= HEADER_BYTES:
                    candidate.on_audio(raw, time.monotonic())
            else:
                await candidate.on_text(raw)
    candidate.ended = True


async def open_session(url: str, candidate: Candidate) -> asyncio.Task[None]:
    ws_url = url.replace("http", "ws", 1) + f"/ws/interview/{candidate.interview_id}?token={candidate.token}"
    candidate.ws = await websockets.connect(ws_url, max_size=None, open_timeout=60, ping_interval=None)
    reader = asyncio.create_task(_read(candidate))
    await candidate.ws.send(json.dumps({"v": 1, "type": "hello", "client": "viva-load"}))
    await candidate.ws.send(json.dumps({"v": 1, "type": "start"}))
    return reader


@dataclass
class Pacing:
    """The pacers' shared state: whether to send, and how late they ran behind the real-time schedule."""

    running: bool = True
    max_lateness_s: float = 0.0
    lateness_s: list[float] = field(default_factory=list)


async def pace(candidates: list[Candidate], offset_s: float, pacing: Pacing) -> None:
    start = time.monotonic() + offset_s
    tick = 0
    while pacing.running:
        delay = start + tick * FRAME_S - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            pacing.max_lateness_s = max(pacing.max_lateness_s, -delay)
            if tick % 50 == 0:
                pacing.lateness_s.append(-delay)
        tick += 1
        for candidate in candidates:
            if candidate.ended:
                continue
            frame = candidate.next_frame()
            try:
                await candidate.ws.send(frame)
            except websockets.ConnectionClosed:
                candidate.ended = True
                continue
            candidate.on_sent(time.monotonic())


async def _converse(candidate: Candidate, silent_frames_after: int, pacing: Pacing) -> None:
    """Speak whenever the interviewer listens, until the interview ends or the run stops."""
    await asyncio.sleep(random.uniform(0, SPEECH_S + 1.5))  # spread the candidates' turns over time
    while pacing.running and not candidate.ended:
        await candidate.listening.wait()
        candidate.listening.clear()
        candidate.speak(silent_frames_after)


async def _frames_received(url: str) -> int:
    async with httpx.AsyncClient(timeout=30, headers=_recruiter()) as client:
        text = (await client.get(f"{url}/metrics")).text
    for line in text.splitlines():
        if line.startswith("viva_audio_frames_received_total "):
            return int(float(line.split()[1]))
    raise RuntimeError("the server's /metrics has no viva_audio_frames_received_total")


async def run(
    url: str, sessions: int, seconds: float, warmup: float, server_pid: int, idle: bool = False, silent: bool = False
) -> dict[str, Any]:
    settings = Settings()
    silent_frames_after = math.ceil(settings.end_of_turn_silence_ms / INPUT_FRAME_MS)
    candidates = await create_interviews(url, sessions, Candidate)
    rss_before = process_rss_kib(server_pid)
    readers = []
    for batch in range(0, sessions, 25):  # connect in batches, as a crowd of browsers arriving would
        readers += await asyncio.gather(*(open_session(url, c) for c in candidates[batch : batch + 25]))
    await asyncio.wait_for(asyncio.gather(*(c.listening.wait() for c in candidates)), 120)
    result: dict[str, Any] = {"sessions": sessions, "idle": idle, "silent": silent}
    if idle:
        await asyncio.sleep(2)
        rss = process_rss_kib(server_pid)
        result |= {"rss_kib": rss, "rss_before_kib": rss_before, "kib_per_session": (rss - rss_before) / sessions}
    else:
        speaking = None if silent else silent_frames_after
        result |= await _talk(url, candidates, seconds, warmup, server_pid, speaking, rss_before)
    for candidate in candidates:
        with contextlib.suppress(Exception):
            await candidate.ws.close()
    for reader in readers:
        reader.cancel()
    return result


async def _talk(
    url: str,
    candidates: list[Candidate],
    seconds: float,
    warmup: float,
    server_pid: int,
    silent_frames_after: int | None,
    rss_before: int,
) -> dict[str, Any]:
    """Stream for ``warmup`` + ``seconds``; candidates take turns unless ``silent_frames_after`` is None."""
    pacing = Pacing()
    slices = [candidates[i::PACERS] for i in range(PACERS)]
    pacers = [asyncio.create_task(pace(s, i * FRAME_S / PACERS, pacing)) for i, s in enumerate(slices)]
    talkers = []
    if silent_frames_after is not None:
        talkers = [asyncio.create_task(_converse(c, silent_frames_after, pacing)) for c in candidates]
    await asyncio.sleep(warmup)
    window_start, cpu_start, own_start = time.monotonic(), process_cpu_seconds(server_pid), time.process_time()
    frames_start = sum(c.frames_sent for c in candidates)
    await asyncio.sleep(seconds)
    window_end, cpu_end, own_end = time.monotonic(), process_cpu_seconds(server_pid), time.process_time()
    frames_in_window = sum(c.frames_sent for c in candidates) - frames_start
    rss = process_rss_kib(server_pid)
    pacing.running = False
    await asyncio.gather(*pacers)
    for talker in talkers:
        talker.cancel()
    sent = sum(c.frames_sent for c in candidates)
    received = await _frames_received(url)
    deadline = time.monotonic() + 10
    while received < sent and time.monotonic() < deadline:  # frames still in flight are not dropped
        await asyncio.sleep(0.5)
        received = await _frames_received(url)
    overheads = [ms for c in candidates for at, ms in c.overheads_ms if window_start <= at < window_end]
    elapsed = window_end - window_start
    return {
        "turns": len(overheads),
        "overhead_p50_ms": percentile(overheads, 50),
        "overhead_p99_ms": percentile(overheads, 99),
        "overhead_max_ms": max(overheads, default=float("nan")),
        "frames_sent": sent,
        "frames_received": received,
        "upstream_dropped": sent - received,
        "downstream_seq_gaps": sum(c.seq_gaps for c in candidates),
        "downstream_missing_last": sum(c.missing_last for c in candidates),
        "early_replies": sum(c.early_replies for c in candidates),
        "sessions_ended": sum(c.ended for c in candidates),
        "server_cpu_percent": (cpu_end - cpu_start) / elapsed * 100,
        "server_cpu_us_per_frame": (cpu_end - cpu_start) / max(frames_in_window, 1) * 1e6,
        "generator_cpu_percent": (own_end - own_start) / elapsed * 100,
        "generator_lateness_p99_ms": percentile(pacing.lateness_s, 99) * 1000 if pacing.lateness_s else 0.0,
        "generator_lateness_max_ms": pacing.max_lateness_s * 1000,
        "rss_kib": rss,
        "rss_before_kib": rss_before,
        "kib_per_session": (rss - rss_before) / len(candidates),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--sessions", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the measured window")
    parser.add_argument("--warmup", type=float, default=5.0, help="talking before the window opens")
    parser.add_argument("--server-pid", type=int, required=True, help="for the server's CPU time and memory")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--idle", action="store_true", help="connect and listen only; measure memory")
    mode.add_argument("--silent", action="store_true", help="stream silence only; measure the cost of a frame")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    random.seed(args.seed)
    result = asyncio.run(
        run(args.url, args.sessions, args.seconds, args.warmup, args.server_pid, args.idle, args.silent)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
