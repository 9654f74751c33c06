"""Record a real live interview as a transcript: every message both ways, in milliseconds since the socket opened.

It starts a real ``viva serve`` (the embedded engines: Silero VAD, Whisper, Piper) with a temporary data
directory, creates an interview, opens the start response's ``candidate_socket_url`` and behaves as the web
client does: the microphone streams 20 ms frames from ``start`` on without pause (silence, and one spoken answer
in the Piper voice), and the interviewer's speech is "played" in real time after a 100 ms jitter buffer, with a
``playback`` report every 250 ms and one with ``done: true``. After the question that follows the spoken answer
it sends ``end``. Runs of audio frames and of progress reports are folded into one line each.
``protocol/README.md`` ("A complete minimal session") shows one run.

Run: ``python -m tools.record_transcript`` (about a minute; the transcript goes to standard output).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import websockets
from pydantic import BaseModel

from benchmarks.support import SPEECH_LEVEL, Microphone, last_speech_sample
from protocol import messages as m
from protocol.audio import INPUT_FRAME_MS, INPUT_SAMPLE_RATE, OutputFrame
from tests.conftest import ServerProcess
from tests.live_client import LiveClient, is_type, start_interview
from tests.speech import speak

#: An answer to the first planned question of ``tests.live_client.DEFAULT_SETUP``'s interview (about the
#: latency cut its resume claims), spoken in one go.
ANSWER = (
    "I profiled the payment service and found that most of the time went to the database, so I added a cache "
    "and batched the writes. I weighed a bigger database, but the cache was cheaper, and the latency dropped by "
    "forty percent."
)
#: How the simulated speaker plays: after this much buffering, in real time, reporting this often.
JITTER_BUFFER_MS = 100
REPORT_EVERY_MS = 250


@dataclass
class Entry:
    at: float
    #: True: client to server, False: server to client, None: neither (the socket opened or closed).
    outgoing: bool | None
    item: BaseModel | OutputFrame | str  # a message, a downstream frame, or a note


@dataclass
class Playing:
    """One utterance on the simulated speaker."""

    starts_at: float
    received_ms: float = 0.0
    complete: bool = False
    reported_at: float = 0.0

    def played_ms(self, now: float) -> int:
        return int(min(self.received_ms, max(0.0, (now - self.starts_at) * 1000)))


@dataclass
class Session:
    client: LiveClient
    sent: list[Entry] = field(default_factory=list)

    async def send(self, message: m._Message) -> None:
        self.sent.append(Entry(time.monotonic(), True, message))
        await self.client.send(message)

    def note(self, text: str, outgoing: bool | None = True) -> None:
        """A line of the transcript that is no message: the microphone's doings, or the socket's."""
        self.sent.append(Entry(time.monotonic(), outgoing, text))

    async def send_frame(self, frame: bytes) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            await self.client.send_raw(frame)

    async def play(self, rate: int) -> None:
        """Play every utterance as it arrives, report progress, drop an interrupted one."""
        playing: dict[int, Playing] = {}
        seen = 0
        while not self.client.closed.is_set():
            now = time.monotonic()
            for received in self.client.received[seen:]:
                item = received.message
                if isinstance(item, OutputFrame):
                    start = received.at + JITTER_BUFFER_MS / 1000
                    utterance = playing.setdefault(item.utterance_id, Playing(start, reported_at=start))
                    utterance.received_ms += len(item.pcm) * 1000 / (2 * rate)
                    utterance.complete |= item.last
                elif isinstance(item, m.Interrupted):
                    playing.pop(item.utterance_id, None)
            seen = len(self.client.received)
            for uid, utterance in list(playing.items()):
                played = utterance.played_ms(now)
                if utterance.complete and played >= int(utterance.received_ms):
                    await self.send(m.Playback(utterance_id=uid, played_ms=played, done=True))
                    del playing[uid]
                elif now >= utterance.starts_at and (now - utterance.reported_at) * 1000 >= REPORT_EVERY_MS:
                    utterance.reported_at = now
                    await self.send(m.Playback(utterance_id=uid, played_ms=played))
            await asyncio.sleep(0.02)


async def record(base_url: str) -> list[Entry]:
    """One interview on the server at ``base_url``: everything sent and received, in the order it happened."""
    created = start_interview(base_url)
    client = await LiveClient.open(created["candidate_socket_url"], report_playback=False)
    session = Session(client)
    session.note("the socket is open", None)
    await session.send(m.Hello(client="record-transcript/1"))
    ready: m.Ready = await client.wait_for(is_type(m.Ready), 10)
    player = asyncio.create_task(session.play(ready.output_sample_rate))
    microphone = Microphone(session.send_frame)
    await session.send(m.Start())
    microphone.start()
    session.note("[microphone] 640-byte frames every 20 ms from now on, silence unless noted (stream position 0 ms)")

    await client.wait_for(lambda msg: isinstance(msg, m.UtteranceStart) and msg.kind == "question", 120)
    await client.wait_for(is_type(m.StateChanged, state=m.SessionState.LISTENING), 120, len(client.received))
    await asyncio.sleep(1.0)

    answer = speak(ANSWER)
    loud = np.flatnonzero(np.abs(np.frombuffer(answer, dtype="<i2").astype(np.int32)) > SPEECH_LEVEL)
    first_word_ms = microphone.frames_sent * INPUT_FRAME_MS + int(loud[0]) * 1000 / INPUT_SAMPLE_RATE
    session.note(f"[microphone] the candidate says {ANSWER!r} (first word at stream position ~{first_word_ms:.0f} ms)")
    last = await microphone.say(answer, last_speech_sample(answer))
    session.note(f"[microphone] last spoken sample sent (stream position {last.position_ms:.0f} ms); silence again")

    await client.wait_for(is_type(m.UtteranceStart), 120, len(client.received))
    await client.wait_for(is_type(m.StateChanged, state=m.SessionState.LISTENING), 120, len(client.received))
    await asyncio.sleep(0.5)
    await session.send(m.End())
    await asyncio.wait_for(client.closed.wait(), 30)
    session.note(f"closed by the server: {client.close_code} {client.close_reason}", None)
    await microphone.stop()
    player.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await player
    entries = session.sent + [Entry(r.at, False, r.message) for r in client.received]
    return sorted(entries, key=lambda e: e.at)


def _minor(entry: Entry) -> str | None:
    """What a foldable entry is (a frame, a progress report), or None for one shown on its own line."""
    if isinstance(entry.item, OutputFrame) and not entry.item.last:
        return "frames"
    if isinstance(entry.item, m.Playback) and not entry.item.done:
        return "reports"
    return None


def _shown(item: BaseModel | OutputFrame | str) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, OutputFrame):
        return f"[binary] utterance {item.utterance_id}, seq {item.seq}, flags 1 (last), {len(item.pcm)} bytes of PCM"
    return json.dumps(item.model_dump(mode="json"), ensure_ascii=False)


def _folded(kind: str, entries: list[Entry], rate: int) -> str:
    if kind == "frames":
        frames = [e.item for e in entries if isinstance(e.item, OutputFrame)]
        audio_ms = sum(len(f.pcm) for f in frames) * 1000 / (2 * rate)
        uids = ", ".join(str(uid) for uid in sorted({f.utterance_id for f in frames}))
        seqs = f"{frames[0].seq}–{frames[-1].seq}" if len(frames) > 1 else str(frames[0].seq)
        count = f"{len(frames)} frames" if len(frames) > 1 else "1 frame"
        return f"[binary] {count} of utterance {uids}, seq {seqs} ({audio_ms:.0f} ms of audio)"
    reports = [e.item for e in entries if isinstance(e.item, m.Playback)]
    played = f"{reports[0].played_ms}…{reports[-1].played_ms}" if len(reports) > 1 else str(reports[0].played_ms)
    return f"{len(reports)} × playback of utterance {reports[0].utterance_id}, played_ms {played}, done false"


def transcript(entries: list[Entry], rate: int) -> str:
    """One line per message, runs of frames and of progress reports between two other messages folded."""
    origin = entries[0].at
    lines: list[str] = []
    runs: dict[str, list[Entry]] = {}

    def flush() -> None:
        for kind, run in sorted(runs.items(), key=lambda kv: kv[1][0].at):
            first, last = ((e.at - origin) * 1000 for e in (run[0], run[-1]))
            span = f"{first:.0f}–{last:.0f}" if round(last) > round(first) else f"{first:.0f}"
            arrow = "→" if run[0].outgoing else "←"
            lines.append(f"{span:>12}  {arrow}  {_folded(kind, run, rate)}")
        runs.clear()

    for entry in entries:
        kind = _minor(entry)
        if kind is not None:
            runs.setdefault(kind, []).append(entry)
            continue
        flush()
        arrow = {True: "→", False: "←", None: "·"}[entry.outgoing]
        lines.append(f"{(entry.at - origin) * 1000:12.0f}  {arrow}  {_shown(entry.item)}")
    flush()
    return "\n".join(lines)


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        server = ServerProcess(Path(data) / "server").start()
        try:
            entries = asyncio.run(record(server.url))
        finally:
            server.stop()
    ready = next(e.item for e in entries if isinstance(e.item, m.Ready))
    print(transcript(entries, ready.output_sample_rate))


if __name__ == "__main__":
    main()
