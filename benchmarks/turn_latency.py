"""Turn latency: how long a candidate waits, after their last word, for the interviewer's first sound.

A real ``viva serve`` (embedded engines: Silero VAD, Whisper tiny.en, Piper) runs in a subprocess. Simulated
candidates stream finished espeak-ng answers (two sentences, 15-30 words) over loopback in real time, one
interview after another, the microphone never pausing, and report playback as the browser does. For every
turn the client notes when the frame holding the last spoken sample went out and when each stage of the reply
arrived:

- ``end_of_turn``: ``speech`` with ``active: false`` (the server decided the turn is over);
- ``final_transcript``: the saved answer;
- ``first_sentence``: the first ``utterance_text`` of the reply (its first sentence is ready to speak);
- ``first_audio``: the first binary frame of the reply. This is the response gap.

Run: ``python -m benchmarks.turn_latency [--turns 14]``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.support import Microphone, Player, last_speech_sample, machine, percentile
from protocol import messages as m
from protocol.audio import OutputFrame
from tests.conftest import ServerProcess
from tests.live_client import LiveClient, start_interview
from tests.speech import compose

#: Finished answers of two sentences, as a candidate gives them to an open question (the shape of the
#: independent client's answers): the turn detector hears them as complete.
ANSWERS = (
    "I led the migration of our billing service to Kubernetes. We cut the deployment time from an hour to ten minutes.",
    "The hardest bug I fixed was a race condition in our payment queue. It only appeared under heavy load on Fridays.",
    "I usually start by measuring where the time goes. Most slow endpoints spend it waiting on the database.",
    "We chose Postgres for its strong consistency. The whole team already knew how to run it in production.",
    "When two engineers disagreed about the design, I asked each of them to write down the trade-offs. Then we "
    "picked one together.",
    "My main project last year was a fraud detection service in Python. It scored every payment in under fifty "
    "milliseconds.",
    "I mentored two junior developers by pairing with them every week. I also reviewed their pull requests in detail.",
    "To make the service reliable we added retries with backoff and circuit breakers. We also set alerts on the "
    "error budget.",
    "I would cache the product catalogue close to the users. Entries are invalidated whenever the inventory changes.",
    "The project was late, so I cut the scope to the three features our customers asked for most. We shipped on time.",
    "I learned to write the tests first for tricky code. It forces me to think about the edge cases early.",
    "Our monitoring used Prometheus and Grafana. Every team owned the dashboards and alerts of its own services.",
    "I split the monolith one domain at a time, starting with payments. It had the clearest boundaries and the "
    "most traffic.",
    "The outage taught me to rehearse our recovery plan regularly. The backups we had never tested did not restore.",
    "I prefer small pull requests that are easy to review. Each one says clearly why the change is needed.",
    "In the end the new pipeline processed twice as many events per second on the same hardware. Its latency was "
    "lower too.",
)
STAGES = ("end_of_turn", "final_transcript", "first_sentence", "first_audio")
#: Silence the simulated candidate leaves after the interviewer stops, before answering.
THINK_S = 0.5
INTERVIEW_SETUP = {"interview_type": "behavioral", "num_questions": 6}


@dataclass
class Turn:
    """One measured turn: milliseconds from the last spoken frame's send time to each stage."""

    stages_ms: dict[str, float]
    #: Audio between the last spoken sample and the end of speech as the server's VAD placed it.
    vad_tail_ms: float
    transcript: str
    first_sentence: str  # of the reply: its synthesis is the last stage


@dataclass
class Spoken:
    pcm: bytes
    last_sample: int


def prepare_answers() -> list[Spoken]:
    answers = []
    for text in ANSWERS:
        pcm = compose(text)
        answers.append(Spoken(pcm, last_speech_sample(pcm)))
    return answers


def _stage_times(received: list[Any], start: int) -> dict[str, float]:
    """Arrival times of each stage of the first reply after ``received[start]``."""
    times: dict[str, float] = {}
    reply_id: int | None = None
    for item in received[start:]:
        message = item.message
        if isinstance(message, m.SpeechActivity) and not message.active:
            times.setdefault("end_of_turn", item.at)
        elif isinstance(message, m.FinalTranscript):
            times.setdefault("final_transcript", item.at)
        elif isinstance(message, m.UtteranceStart) and "final_transcript" in times and reply_id is None:
            reply_id = message.utterance_id
        elif isinstance(message, m.UtteranceText) and message.utterance_id == reply_id:
            times.setdefault("first_sentence", item.at)
        elif isinstance(message, OutputFrame) and message.utterance_id == reply_id:
            times.setdefault("first_audio", item.at)
            break
    return times


async def _interview(url: str, answers: list[Spoken], turns: list[Turn], wanted: int, cut_off: list[str]) -> None:
    """One interview: answer every question until it closes or enough turns are measured."""
    created = start_interview(url, **INTERVIEW_SETUP)
    client = await LiveClient.connect(url, created["interview_id"], created["candidate_token"])
    microphone = Microphone(client.send_raw)
    reporter: asyncio.Task[None] | None = None
    try:
        ready = await client.handshake()
        # Playback is reported as the browser reports it: the server knows when the question was heard.
        reporter = asyncio.create_task(Player(client, sample_rate=ready.output_sample_rate).report())
        await client.send(m.Start())
        # The server counts audio from ``start`` on: a microphone opened once it is thinking shares its clock.
        await client.wait_for(lambda msg: isinstance(msg, m.StateChanged), 30)
        microphone.start()
        await client.wait_listening(60)
        while len(turns) + len(cut_off) < wanted:
            await asyncio.sleep(THINK_S)
            answer = answers[(len(turns) + len(cut_off)) % len(answers)]
            mark = len(client.received)
            last_frame_sent = microphone.say(answer.pcm, answer.last_sample)
            while "first_audio" not in (times := _stage_times(client.received, mark)):
                await client.wait_for(lambda _msg: True, 60, start=len(client.received))
            sent = await last_frame_sent
            finals = [r.message.text for r in client.received[mark:] if isinstance(r.message, m.FinalTranscript)]
            speech_end = next(
                r.message
                for r in client.received[mark:]
                if isinstance(r.message, m.SpeechActivity) and not r.message.active
            )
            if times["end_of_turn"] < sent.at:
                cut_off.append(finals[0])  # the turn ended before the answer did: not a response gap
            else:
                stages = {stage: (times[stage] - sent.at) * 1000 for stage in STAGES}
                first = next(r.message.text for r in client.received[mark:] if isinstance(r.message, m.UtteranceText))
                turns.append(Turn(stages, speech_end.at_ms - sent.position_ms, finals[0], first))
            settled = await client.wait_for(
                lambda msg: (
                    isinstance(msg, m.Ended)
                    or (isinstance(msg, m.StateChanged) and msg.state is m.SessionState.LISTENING)
                ),
                120,
                start=mark,
            )
            if isinstance(settled, m.Ended):
                return
    finally:
        if reporter is not None:
            reporter.cancel()
        await microphone.stop()
        await client.close()


async def measure(url: str, wanted: int) -> tuple[list[Turn], list[str]]:
    answers = prepare_answers()
    turns: list[Turn] = []
    cut_off: list[str] = []
    while len(turns) + len(cut_off) < wanted:
        await _interview(url, answers, turns, wanted, cut_off)
    return turns, cut_off


def run(wanted: int = 14, verbose: bool = True) -> dict[str, int]:
    """Measure ``wanted`` turns against a fresh server; print the table; return the figures."""
    with tempfile.TemporaryDirectory(prefix="viva-bench-latency-") as tmp:
        server = ServerProcess(Path(tmp)).start()
        try:
            started = time.monotonic()
            turns, cut_off = asyncio.run(measure(server.url, wanted))
            elapsed = time.monotonic() - started
        finally:
            server.stop()
    figures = {
        f"{stage}_{name}_ms": round(percentile([t.stages_ms[stage] for t in turns], q))
        for stage in STAGES
        for name, q in (("p50", 50), ("p95", 95))
    }
    figures["response_gap_p50_ms"] = figures["first_audio_p50_ms"]
    figures["response_gap_p95_ms"] = figures["first_audio_p95_ms"]
    if verbose:
        print(f"Turn latency on the embedded engines: {len(turns)} turns in {elapsed:.0f} s; {machine()}")
        if cut_off:
            print(f"  {len(cut_off)} answers were cut off before their end (left out): {cut_off}")
        print(f"  {'stage (ms after the last spoken frame)':<42}{'p50':>8}{'p95':>8}{'max':>8}")
        for stage in STAGES:
            values = [t.stages_ms[stage] for t in turns]
            print(f"  {stage:<42}{figures[f'{stage}_p50_ms']:>8}{figures[f'{stage}_p95_ms']:>8}{round(max(values)):>8}")
        for turn in turns:
            stages = " ".join(f"{stage}={turn.stages_ms[stage]:.0f}" for stage in STAGES)
            print(f"    {stages} vad_tail={turn.vad_tail_ms:.0f}  heard {turn.transcript!r}")
            print(f"      reply begins {turn.first_sentence!r}")
        print(f"response_gap_p50_ms={figures['response_gap_p50_ms']}")
        print(f"response_gap_p95_ms={figures['response_gap_p95_ms']}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=14, help="turns to measure (default 14)")
    args = parser.parse_args()
    run(args.turns)


if __name__ == "__main__":
    main()
