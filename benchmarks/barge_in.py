"""Barge-in: how fast speaking over the interviewer stops it, and whether backchannels and coughs do not.

A real ``viva serve`` (embedded engines) runs in a subprocess. Simulated candidates stream their microphone in
real time without pause and report playback the way the browser does (``played_ms`` as the audio plays, in
real time from its first frame; ``done`` once it has all played). Into each interviewer utterance they say, a
little after it starts, a backchannel or a cough (which must not interrupt), then a real interruption (which
must); the clips are made at run time in two voices (Piper, and espeak-ng for odd voices), the coughs are
shaped noise bursts.

Figures, per interruption: ``barge_in`` — from the first spoken sample of the interruption leaving the client
to ``interrupted`` arriving (what the candidate feels: the interviewer talking over them); ``after_confirm`` —
from ``speech`` ``active: true`` (the server's confirmation) to ``interrupted``. ``backchannel_false_interrupts``
counts the backchannels and coughs that interrupted, out of all made.

Run: ``python -m benchmarks.barge_in [--interruptions 16]``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks.support import Microphone, Player, machine, percentile
from protocol import messages as m
from tests.conftest import ServerProcess
from tests.live_client import LiveClient, is_type, start_interview
from tests.speech import compose, say, speak

#: Things a candidate says to take the floor.
INTERRUPTIONS = (
    "Sorry, could you repeat the question?",
    "Wait, can I ask something first?",
    "Actually, I have a question about that.",
    "Excuse me, I did not hear the last part.",
    "Hold on, what do you mean by that?",
    "Sorry to interrupt, could you say it again?",
    "Can you explain what you mean by scale?",
    "Just a second, I need to close the window.",
)
#: What a listener says without taking the floor, in the Piper voice and in espeak-ng's. (Piper cannot hum:
#: its "Mm-hm." is heard as "and then make sure", words a person would take for an interruption too.)
BACKCHANNELS = ("Okay.", "Right.", "Yeah.", "I see.", "Uh-huh.", "Sure.")
ESPEAK_BACKCHANNELS = ("mm hmm", "uh huh", "okay", "right", "yeah")
#: A backchannel is said this long after the utterance's first frame played; the interruption this long after.
BACKCHANNEL_AT_S = 0.6
INTERRUPTION_AT_S = 2.2
#: The figures ``make bench`` repeats at the end.
HEADLINE = (
    "barge_in_p50_ms",
    "barge_in_p95_ms",
    "barge_in_after_confirm_p50_ms",
    "barge_in_after_confirm_p95_ms",
    "backchannel_false_interrupts",
    "backchannels_made",
)


def cough(seed: int) -> bytes:
    """Two short bursts of decaying noise, the shape of a cough, as 16 kHz PCM16."""
    rng = np.random.default_rng(seed)
    parts = []
    for length_s in (0.16, 0.12):
        n = int(16_000 * length_s)
        envelope = np.exp(-np.linspace(0, 5, n))
        parts.append(rng.normal(0, 0.35, n) * envelope)
        parts.append(np.zeros(int(16_000 * 0.08)))
    samples = np.clip(np.concatenate(parts), -1, 1)
    return (samples * 32767).astype("<i2").tobytes()


def clips() -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    """(interruptions, backchannels and coughs), each with a label, made at run time."""
    interruptions = [(text, compose(text, voice="piper")) for text in INTERRUPTIONS]
    interruptions += [(f"espeak: {text}", say(text)) for text in INTERRUPTIONS[:4]]
    quiet = [(text, speak(text)) for text in BACKCHANNELS]
    quiet += [(f"espeak: {text}", say(text)) for text in ESPEAK_BACKCHANNELS]
    quiet += [(f"cough {seed}", cough(seed)) for seed in range(3)]
    return interruptions, quiet


def first_loud_sample(pcm: bytes, level: int = 300) -> int:
    samples = np.abs(np.frombuffer(pcm, dtype="<i2").astype(np.int32))
    return int(np.flatnonzero(samples > level)[0])


@dataclass
class Results:
    barge_in_ms: list[float] = field(default_factory=list)
    after_confirm_ms: list[float] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # interruptions that never interrupted
    false_interrupts: list[str] = field(default_factory=list)
    backchannels: int = 0


async def _wait(client: LiveClient, predicate: object, timeout: float, start: int) -> object | None:
    try:
        return await client.wait_for(predicate, timeout, start=start)
    except (TimeoutError, AssertionError):
        return None


async def _interview(
    url: str,
    interruptions: list[tuple[str, bytes]],
    quiet: list[tuple[str, bytes]],
    results: Results,
    wanted: int,
) -> None:
    created = start_interview(url, num_questions=5)
    client = await LiveClient.connect(url, created["interview_id"], created["candidate_token"], report_playback=False)
    player = Player(client)
    microphone = Microphone(client.send_raw)
    reporter: asyncio.Task[None] | None = None
    seen = 0
    try:
        ready = await client.handshake()
        player.sample_rate = ready.output_sample_rate
        await client.send(m.Start())
        await client.wait_for(lambda msg: isinstance(msg, m.StateChanged), 30)
        microphone.start()
        reporter = asyncio.create_task(player.report())
        while len(results.barge_in_ms) + len(results.missed) < wanted:
            # The next utterance the candidate hears.
            start = await _wait(client, lambda msg: isinstance(msg, (m.UtteranceStart, m.Ended)), 20, seen)
            seen = next((i + 1 for i, r in enumerate(client.received) if r.message is start), len(client.received))
            if not isinstance(start, m.UtteranceStart):
                return
            uid = start.utterance_id
            while uid not in player.first_at:
                await client.wait_for(lambda _msg: True, 20, start=len(client.received))
                player.sync()
            began = player.first_at[uid]

            async def at(offset_s: float, began: float = began) -> None:
                while time.monotonic() < began + offset_s:
                    await asyncio.sleep(0.02)
                    player.sync()

            await at(BACKCHANNEL_AT_S)
            if player.playing(uid):
                label, pcm = quiet[results.backchannels % len(quiet)]
                results.backchannels += 1
                mark = len(client.received)
                await microphone.say(pcm, first_loud_sample(pcm))
                await at(INTERRUPTION_AT_S)
                if any(
                    isinstance(r.message, m.Interrupted) and r.message.utterance_id == uid
                    for r in client.received[mark:]
                ):
                    results.false_interrupts.append(label)
                    seen = len(client.received)
                    continue
            await at(INTERRUPTION_AT_S)
            if not player.playing(uid):
                # Too short to interrupt: answer it so that the interview goes on.
                label, pcm = interruptions[0]
                await _wait(client, lambda msg: isinstance(msg, m.StateChanged) and msg.state == "listening", 20, seen)
                await microphone.say(pcm, first_loud_sample(pcm))
                seen = len(client.received)
                continue
            label, pcm = interruptions[len(results.barge_in_ms) % len(interruptions)]
            mark = len(client.received)
            sent = await microphone.say(pcm, first_loud_sample(pcm))
            stopped = await _wait(client, is_type(m.Interrupted, utterance_id=uid), 10, mark)
            if stopped is None:
                results.missed.append(label)
            else:
                arrived = next(r.at for r in client.received[mark:] if r.message is stopped)
                confirmed = next(
                    (
                        r.at
                        for r in client.received[mark:]
                        if isinstance(r.message, m.SpeechActivity) and r.message.active
                    ),
                    None,
                )
                results.barge_in_ms.append((arrived - sent.at) * 1000)
                if confirmed is not None:
                    results.after_confirm_ms.append((arrived - confirmed) * 1000)
            player.sync()
            seen = len(client.received)
    finally:
        if reporter is not None:
            reporter.cancel()
        await microphone.stop()
        await client.close()


async def measure(url: str, wanted: int) -> Results:
    interruptions, quiet = clips()
    results = Results()
    while len(results.barge_in_ms) + len(results.missed) < wanted:
        await _interview(url, interruptions, quiet, results, wanted)
    return results


def run(wanted: int = 16, verbose: bool = True) -> dict[str, int]:
    """Measure ``wanted`` interruptions (and as many backchannels) against a fresh server; print the figures."""
    with tempfile.TemporaryDirectory(prefix="viva-bench-barge-in-") as tmp:
        server = ServerProcess(Path(tmp)).start()
        try:
            started = time.monotonic()
            results = asyncio.run(measure(server.url, wanted))
            elapsed = time.monotonic() - started
        finally:
            server.stop()
    figures = {
        "barge_in_p50_ms": round(percentile(results.barge_in_ms, 50)),
        "barge_in_p95_ms": round(percentile(results.barge_in_ms, 95)),
        "barge_in_after_confirm_p50_ms": round(percentile(results.after_confirm_ms, 50)),
        "barge_in_after_confirm_p95_ms": round(percentile(results.after_confirm_ms, 95)),
        "barge_in_missed": len(results.missed),
        "backchannel_false_interrupts": len(results.false_interrupts),
        "backchannels_made": results.backchannels,
    }
    if verbose:
        measured = len(results.barge_in_ms)
        print(f"Barge-in on the embedded engines: {measured} interruptions in {elapsed:.0f} s; {machine()}")
        print(f"  from the first spoken sample: {sorted(round(v) for v in results.barge_in_ms)}")
        print(f"  from speech confirmed:        {sorted(round(v) for v in results.after_confirm_ms)}")
        if results.missed:
            print(f"  never interrupted: {results.missed}")
        print(f"  backchannels and coughs that interrupted: {results.false_interrupts} of {results.backchannels}")
        for name, value in figures.items():
            print(f"{name}={value}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--interruptions", type=int, default=16, help="interruptions to measure (default 16)")
    run(parser.parse_args().interruptions)


if __name__ == "__main__":
    main()
