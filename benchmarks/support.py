"""What the benchmarks share: a microphone that never stops, percentiles, process readings, the machine.

A browser streams its microphone without pause from ``start`` to the end of the interview, so the
benchmarks do too: :class:`Microphone` sends one 20 ms frame every 20 ms, queued speech when there is some,
silence otherwise, and tells when the frame holding a chosen sample went out.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from protocol import messages as m
from protocol.audio import INPUT_FRAME_BYTES, INPUT_FRAME_MS, INPUT_FRAME_SAMPLES, INPUT_SAMPLE_RATE, OutputFrame
from tests.live_client import LiveClient

ROOT = Path(__file__).resolve().parent.parent
FRAME_S = INPUT_FRAME_MS / 1000
_SILENT_FRAME = bytes(INPUT_FRAME_BYTES)
#: A sample quieter than this (of 32767) is silence when looking for the last spoken sample.
SPEECH_LEVEL = 300


def last_speech_sample(pcm: bytes, level: int = SPEECH_LEVEL) -> int:
    """Index of the last sample louder than ``level``: where the words really end (espeak pads with silence)."""
    samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32))
    loud = np.flatnonzero(samples > level)
    if not len(loud):
        raise ValueError("the audio holds no speech")
    return int(loud[-1])


@dataclass(frozen=True)
class Sent:
    """When a frame went out, and where the marked sample lies in the stream (ms since the first frame)."""

    at: float
    position_ms: float


class Microphone:
    """Streams 20 ms frames in real time through ``send``, without pause, for as long as it runs."""

    def __init__(self, send: Callable[[bytes], Awaitable[None]]) -> None:
        self._send = send
        self._queue: deque[bytes] = deque()
        # Number of a queued frame -> (what to resolve when it is sent, offset of the marked sample in it).
        self._marks: dict[int, tuple[asyncio.Future[Sent], float]] = {}
        self._sent_frames = 0  # frames of queued speech sent so far (silence is not numbered)
        self._task: asyncio.Task[None] | None = None
        self.frames_sent = 0  # every frame, silence included: the position in the stream

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def say(self, pcm: bytes, mark_sample: int) -> asyncio.Future[Sent]:
        """Queue speech; the result resolves when the frame holding ``mark_sample`` has gone out."""
        if len(pcm) % INPUT_FRAME_BYTES:
            pcm += bytes(INPUT_FRAME_BYTES - len(pcm) % INPUT_FRAME_BYTES)
        first = self._sent_frames + len(self._queue)
        self._queue.extend(pcm[i : i + INPUT_FRAME_BYTES] for i in range(0, len(pcm), INPUT_FRAME_BYTES))
        marked: asyncio.Future[Sent] = asyncio.get_running_loop().create_future()
        frame, offset = divmod(mark_sample, INPUT_FRAME_SAMPLES)
        self._marks[first + frame] = (marked, offset * 1000 / INPUT_SAMPLE_RATE)
        return marked

    async def _run(self) -> None:
        start = time.monotonic()
        tick = 0
        while True:
            delay = start + tick * FRAME_S - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tick += 1
            if self._queue:
                frame = self._queue.popleft()
                number = self._sent_frames
                self._sent_frames += 1
                await self._send(frame)
                mark = self._marks.pop(number, None)
                if mark is not None and not mark[0].done():
                    position_ms = self.frames_sent * INPUT_FRAME_MS + mark[1]
                    mark[0].set_result(Sent(at=time.monotonic(), position_ms=position_ms))
            else:
                await self._send(_SILENT_FRAME)
            self.frames_sent += 1


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100), linear between samples; NaN for no values."""
    return float(np.percentile(values, q)) if len(values) else float("nan")


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (all its threads), from ``/proc/<pid>/stat``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the whole line)
    return ticks / os.sysconf("SC_CLK_TCK")


def process_rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB, from ``/proc/<pid>/status``."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def machine() -> str:
    """The machine the figures were measured on: cores, CPU model, memory, Python, date."""
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_kib = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    return (
        f"{os.cpu_count()} cores ({model}), {memory_kib / 1024 / 1024:.1f} GiB RAM, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d}"
    )


#: Reports of playback progress, as often as the browser sends them.
REPORT_EVERY_S = 0.25


@dataclass
class Player:
    """Plays the interviewer's frames in real time (in the mind of the benchmark) and reports progress."""

    client: LiveClient
    first_at: dict[int, float] = field(default_factory=dict)
    audio_ms: dict[int, float] = field(default_factory=dict)
    ended: dict[int, int] = field(default_factory=dict)
    stopped: set[int] = field(default_factory=set)
    sample_rate: int = 22_050
    _synced: int = 0

    def sync(self) -> None:
        """Take in what arrived since the last call."""
        received = self.client.received
        for item in received[self._synced :]:
            self._on_message(item.message)
        self._synced = len(received)

    def _on_message(self, message: object) -> None:
        if isinstance(message, OutputFrame) and message.utterance_id not in self.stopped:
            self.first_at.setdefault(message.utterance_id, time.monotonic())
            ms = len(message.pcm) / 2 / self.sample_rate * 1000
            self.audio_ms[message.utterance_id] = self.audio_ms.get(message.utterance_id, 0.0) + ms
        elif isinstance(message, m.UtteranceEnd):
            self.ended[message.utterance_id] = message.duration_ms
        elif isinstance(message, m.Interrupted):
            self.stopped.add(message.utterance_id)

    def played_ms(self, utterance_id: int) -> float:
        started = self.first_at.get(utterance_id)
        if started is None:
            return 0.0
        return min(self.audio_ms.get(utterance_id, 0.0), (time.monotonic() - started) * 1000)

    def playing(self, utterance_id: int) -> bool:
        if utterance_id in self.stopped or utterance_id not in self.first_at:
            return False
        duration = self.ended.get(utterance_id)
        # duration_ms is the rounded length: the sum of the frames may fall short of it by a fraction of a ms
        return duration is None or round(self.played_ms(utterance_id)) < duration

    async def report(self) -> None:
        done: set[int] = set()
        while True:
            await asyncio.sleep(REPORT_EVERY_S)
            self.sync()
            for utterance_id in list(self.first_at):
                if utterance_id in done or utterance_id in self.stopped:
                    continue
                finished = not self.playing(utterance_id)
                played = int(self.played_ms(utterance_id))
                await self.client.send(m.Playback(utterance_id=utterance_id, played_ms=played, done=finished))
                if finished:
                    done.add(utterance_id)


def process_tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and all its descendants alive now (a server's worker processes)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, of in parents.items() if of == parent]
        tree.update(children)
        frontier += children
    total = 0.0
    for member in tree:
        with contextlib.suppress(OSError):
            total += process_cpu_seconds(member)
    return total
