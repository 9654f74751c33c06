"""Turn-taking on real audio: thinking pauses never cut the candidate off; only a real interruption barges in.

The audio is made at test time and streamed in real time to a real server: answers whose words are checked in
the product's Piper voice (Whisper hears it word for word), backchannels in espeak-ng's robotic voice (only
whether they interrupt matters, not what was heard).
"""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import httpx
import numpy as np
import pytest

from protocol import messages as m
from protocol.audio import OutputFrame
from tests.conftest import recruiter_headers
from tests.live_client import LiveClient, dump, is_type, start_interview
from tests.speech import CACHE, compose, heard, silence

pytestmark = pytest.mark.slow


def white_noise(seconds: float, volume: float = 0.3) -> bytes:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"noise-{seconds}-{volume}.wav"
    if not path.exists():
        subprocess.run(
            [
                *("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", str(path)),
                *("synth", str(seconds), "whitenoise", "vol", str(volume)),
            ],
            check=True,
        )
    with wave.open(str(path)) as wav:
        return wav.readframes(wav.getnframes())


def as_echo(frames: list[OutputFrame], sample_rate: int, gain: float = 0.4) -> bytes:
    """The interviewer's own speech as a microphone would pick it up from the speakers: 16 kHz, quieter."""
    samples = np.frombuffer(b"".join(f.pcm for f in frames), dtype="<i2").astype(np.float32)
    positions = np.arange(0, len(samples) - 1, sample_rate / 16_000)
    echoed = np.interp(positions, np.arange(len(samples)), samples) * gain
    echoed += np.random.default_rng(1).normal(0, 200, len(echoed))
    return np.clip(echoed, -32768, 32767).astype("<i2").tobytes()


async def listening_client(base_url: str) -> LiveClient:
    created = start_interview(base_url, interview_type="behavioral")
    client = await LiveClient.connect(base_url, created["interview_id"], created["candidate_token"])
    await client.handshake()
    await client.send(m.Start())
    await client.stream_silence_until(is_type(m.StateChanged, state=m.SessionState.LISTENING), 60)
    return client


@pytest.mark.parametrize(
    ("before", "pause", "after", "words"),
    [
        (
            "I worked on the payment platform and",
            2.5,
            "then I led its migration to Kubernetes for all of our services.",
            ("payment", "kubernetes", "services"),
        ),
        (
            "The main reason we chose Postgres was, um,",
            3.0,
            "strong consistency and the team's long experience with it.",
            ("reason", "consistency", "experience"),
        ),
        (
            "I think the first step would be to",
            1.5,
            "measure where the latency really comes from before changing code.",
            ("first", "step", "latency", "code"),
        ),
        (
            "Hmm, let me think.",
            5.0,
            "I would start by talking to the customers who reported the problem.",
            ("think", "customers", "problem"),
        ),
    ],
    ids=["and", "um", "to", "hmm"],
)
async def test_a_thinking_pause_never_ends_the_turn(
    live_server: str, before: str, pause: float, after: str, words: tuple[str, ...]
) -> None:
    """One turn, holding words from before the pause and from the end of the answer."""
    client = await listening_client(live_server)
    mark = len(client.received)
    await client.stream(compose(0.5, before, pause, after, 1.0, voice="piper"))
    final: m.FinalTranscript = await client.stream_silence_until(is_type(m.FinalTranscript), 30)
    await client.stream(silence(1.0))
    finals = [r.message for r in client.received[mark:] if isinstance(r.message, m.FinalTranscript)]
    assert finals == [final], f"the answer was cut into {len(finals)} turns: {[f.text for f in finals]}"
    assert heard(final.text, *words), final.text
    await client.close()


async def test_backchannels_noise_and_echo_do_not_interrupt_the_interviewer(live_server: str) -> None:
    created = start_interview(live_server, interview_type="behavioral")
    client = await LiveClient.connect(live_server, created["interview_id"], created["candidate_token"])
    ready = await client.handshake()
    await client.send(m.Start())
    # The first question: long enough to hold every disturbance (the greeting before it is short).
    start: m.UtteranceStart = await client.stream_silence_until(
        lambda msg: isinstance(msg, m.UtteranceStart) and msg.kind is m.UtteranceKind.QUESTION, 30
    )
    await client.wait_for(lambda msg: isinstance(msg, OutputFrame) and msg.utterance_id == start.utterance_id, 30)
    await client.stream(silence(0.4))
    await client.stream(compose("Mm hmm.", 0.6))
    await client.stream(white_noise(0.8))
    await client.stream(silence(0.3))
    played = [f for f in client.messages(OutputFrame) if f.utterance_id == start.utterance_id]
    await client.stream(as_echo(played[-40:], ready.output_sample_rate))  # the last ~1.6 s, heard again
    try:
        end: m.UtteranceEnd = await client.stream_silence_until(
            is_type(m.UtteranceEnd, utterance_id=start.utterance_id), 60
        )
        assert end.text
        assert client.messages(m.Interrupted) == [], dump(client)
        assert client.messages(m.FinalTranscript) == [], "a backchannel, noise or echo became an answer"
    except AssertionError as failed:  # which rule let it through: the server's barge-in outcomes so far
        raise AssertionError(f"{failed}\nserver: {barge_in_outcomes(live_server)}") from None
    await client.close()


def barge_in_outcomes(server: str) -> list[str]:
    exposition = httpx.get(f"{server}/metrics", headers=recruiter_headers(), timeout=5).text
    return [line for line in exposition.splitlines() if line.startswith("viva_barge_ins_total")]


async def test_a_long_silence_earns_a_gentle_prompt_not_a_new_question(tmp_path: Path) -> None:
    from tests.conftest import ServerProcess

    server = ServerProcess(tmp_path / "prompt", env={"VIVA_PROMPT_AFTER_MS": "2500"}).start()
    try:
        client = await listening_client(server.url)
        mark = len(client.received)
        prompt: m.UtteranceStart = await client.stream_silence_until(is_type(m.UtteranceStart), 20, start=mark)
        assert prompt.kind is m.UtteranceKind.PROMPT
        await client.stream_silence_until(is_type(m.UtteranceEnd, utterance_id=prompt.utterance_id), 20)
        await client.stream(silence(4.0))
        starts = [r.message for r in client.received[mark:] if isinstance(r.message, m.UtteranceStart)]
        assert [s.kind for s in starts] == [m.UtteranceKind.PROMPT], "only one prompt, and no new question"
        await client.send(m.TextAnswer(text="Sorry, I was thinking. I led a team of four on the billing rewrite."))
        final = await client.wait_for(is_type(m.FinalTranscript), 20)
        assert final.turn == 0  # the prompt is not a turn: this answers the first question
        await client.close()
    finally:
        server.stop()


async def test_the_candidate_can_end_the_turn_at_once(live_server: str) -> None:
    """``end_turn`` alone ends the turn: the microphone stops with the last word (a dangling "and" that would
    otherwise earn a long wait), so no silence could have ended it."""
    client = await listening_client(live_server)
    mark = len(client.received)
    await client.stream(compose(0.5, "I built a payment service in Python and", voice="piper"))
    await client.send(m.EndTurn())
    final: m.FinalTranscript = await client.wait_for(is_type(m.FinalTranscript), 30, start=mark)
    assert heard(final.text, "payment", "service", "python"), final.text
    assert final.turn == 0
    await client.close()
