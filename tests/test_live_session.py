"""The live interview over a real socket to a real server: speech in, transcripts and speech out.

Speech is made at test time in the product's own Piper voice (which Whisper hears word for word) and streamed
paced in real time, as a microphone would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import websockets

from protocol import messages as m
from protocol.audio import OutputFrame
from tests.conftest import ServerProcess
from tests.live_client import LiveClient, dump, is_type, start_interview
from tests.speech import compose, heard
from tests.test_observability import metrics_when

pytestmark = pytest.mark.slow

#: Two sentences, about 8 s: long enough for partial captions (one a second of audio, each once the previous
#: one is decoded) while it is spoken, even on a busy machine. The first caption covers a fixed stretch of audio
#: (from just before the speech to a second after it was detected), which holds "for a large bank".
ANSWER = (
    "For a large bank, I built a payment service in Python and Kubernetes. "
    "It handled millions of card payments every day."
)


async def open_session(base_url: str, **setup: object) -> tuple[LiveClient, dict]:
    created = start_interview(base_url, **setup)
    client = await LiveClient.connect(base_url, created["interview_id"], created["candidate_token"])
    return client, created


async def through_greeting(client: LiveClient) -> m.UtteranceEnd:
    ready = await client.handshake()
    assert not ready.started and ready.output_sample_rate > 8000
    await client.send(m.Start())
    greeting: m.UtteranceEnd = await client.stream_silence_until(is_type(m.UtteranceEnd), 60)
    await client.stream_silence_until(is_type(m.StateChanged, state=m.SessionState.LISTENING), 30)
    return greeting


async def test_a_spoken_answer_is_transcribed_and_answered_with_speech(live_server: str) -> None:
    client, _ = await open_session(live_server)
    greeting = await through_greeting(client)
    assert "Ada" in greeting.text
    greeting_frames = [f for f in client.messages(OutputFrame) if f.utterance_id == greeting.utterance_id]
    assert sum(len(f.pcm) for f in greeting_frames) > 22050  # more than half a second of speech

    # The greeting expects no answer: the first question follows as its own utterance, then the floor is ours.
    kinds = [start.kind for start in client.messages(m.UtteranceStart)]
    assert kinds == [m.UtteranceKind.GREETING, m.UtteranceKind.QUESTION], kinds
    asked = max(end.utterance_id for end in client.messages(m.UtteranceEnd))
    mark = len(client.received)
    await client.stream(compose(0.3, ANSWER, 2.0, voice="piper"))
    final: m.FinalTranscript = await client.stream_silence_until(is_type(m.FinalTranscript), 30)
    assert heard(final.text, "payment", "service", "python", "kubernetes", "bank", "handled", "millions"), final.text
    assert final.answered_by == "voice" and final.turn == 0

    nxt: m.UtteranceEnd = await client.stream_silence_until(
        lambda msg: isinstance(msg, m.UtteranceEnd) and msg.utterance_id > asked, 60
    )
    assert nxt.text and nxt.duration_ms > 500
    frames = [f for f in client.messages(OutputFrame) if f.utterance_id == nxt.utterance_id]
    assert len(frames) > 5 and frames[-1].last
    assert [f.seq for f in frames] == list(range(len(frames)))
    captions = [t.text for t in client.messages(m.UtteranceText) if t.utterance_id == nxt.utterance_id]
    assert " ".join(captions) == nxt.text

    # What came after the answer began, in order: speech heard, captions while speaking, end of speech, the
    # saved answer, then the reply (announced, then audio, then its end), and the interviewer thinking then
    # speaking in between.
    after = [r.message for r in client.received[mark:]]

    def first(predicate: Callable[[Any], bool]) -> int:
        return next(i for i, msg in enumerate(after) if predicate(msg))

    partials = [i for i, msg in enumerate(after) if isinstance(msg, m.PartialTranscript)]
    assert partials, "no partial caption while the candidate spoke"
    assert all(after[i].turn == final.turn for i in partials)
    assert heard(after[partials[0]].text, "bank"), [after[i].text for i in partials]
    speech_ended = first(is_type(m.SpeechActivity, active=False))
    assert partials[-1] < speech_ended, "captions are of speech in progress"
    order = [
        first(is_type(m.SpeechActivity, active=True)),
        partials[0],
        speech_ended,
        first(lambda msg: msg is final),
        first(is_type(m.UtteranceStart, utterance_id=nxt.utterance_id)),
        first(lambda msg: isinstance(msg, OutputFrame) and msg.utterance_id == nxt.utterance_id),
        first(lambda msg: msg is nxt),
    ]
    assert order == sorted(order) and len(set(order)) == len(order), (order, dump(client))
    states = [msg.state for msg in after[: order[-1]] if isinstance(msg, m.StateChanged)]
    assert states == [m.SessionState.THINKING, m.SessionState.SPEAKING], states
    await client.close()


async def test_speaking_over_the_interviewer_interrupts_it(live_server: str) -> None:
    client, _ = await open_session(live_server)
    ready = await client.handshake()
    await client.send(m.Start())
    start: m.UtteranceStart = await client.stream_silence_until(is_type(m.UtteranceStart), 30)
    # Let the first sentence of the greeting go out whole (the caption of the second follows it), so that part
    # of it has been heard when the candidate speaks up.
    await client.stream_silence_until(is_type(m.UtteranceText, utterance_id=start.utterance_id, sentence=1), 30)
    interrupted = asyncio.create_task(client.wait_for(is_type(m.Interrupted, utterance_id=start.utterance_id), 30))
    await client.stream(compose("Sorry, could you say that again please, I did not catch it.", 1.5, voice="piper"))
    barged: m.Interrupted = await interrupted
    index = next(i for i, r in enumerate(client.received) if r.message is barged)
    before = [r.message for r in client.received[:index]]
    ours = [
        msg
        for msg in before
        if isinstance(msg, m.UtteranceText | OutputFrame) and msg.utterance_id == start.utterance_id
    ]
    spoken_text = " ".join(t.text for t in ours if isinstance(t, m.UtteranceText))
    sent_ms = sum(len(f.pcm) for f in ours if isinstance(f, OutputFrame)) * 1000 // (2 * ready.output_sample_rate)
    # Played: some of it, no more than had been sent; the words are the beginning of what was said.
    assert 0 < barged.played_ms <= sent_ms, (barged.played_ms, sent_ms)
    played_words = barged.played_text.removesuffix("…").strip()
    assert played_words and spoken_text.startswith(played_words) and len(played_words) < len(spoken_text), barged

    late = [r for r in client.received[index + 1 :] if isinstance(r.message, OutputFrame)]
    assert all(r.message.utterance_id != start.utterance_id for r in late), "frames of the cancelled utterance"

    final: m.FinalTranscript = await client.stream_silence_until(is_type(m.FinalTranscript), 30)
    assert heard(final.text, "sorry", "again", "catch"), final.text
    assert final.turn == 0
    reply: m.UtteranceEnd = await client.stream_silence_until(
        lambda msg: isinstance(msg, m.UtteranceEnd) and msg.utterance_id > start.utterance_id, 60
    )
    ended = [e.utterance_id for e in client.messages(m.UtteranceEnd)]
    assert ended == [reply.utterance_id], "the interrupted utterance must never be completed"
    await client.close()


async def test_typed_answers_are_equal_and_the_interview_resumes_after_a_drop(live_server: str) -> None:
    client, created = await open_session(live_server)
    await through_greeting(client)
    await client.send(m.TextAnswer(text="I have eight years of Python, mostly payments and data pipelines."))
    final: m.FinalTranscript = await client.wait_for(is_type(m.FinalTranscript), 30)
    assert final.answered_by == "text" and final.turn == 0
    question: m.UtteranceStart = await client.stream_silence_until(
        lambda msg: isinstance(msg, m.UtteranceStart) and msg.utterance_id > 0, 60
    )
    await client.close()  # the network drops mid-question

    again = await LiveClient.connect(live_server, created["interview_id"], created["candidate_token"])
    ready = await again.handshake()
    assert ready.started
    assert [t.answer for t in ready.history] == ["I have eight years of Python, mostly payments and data pipelines."]
    await again.send(m.Start())
    repeated: m.UtteranceStart = await again.stream_silence_until(is_type(m.UtteranceStart), 30)
    assert repeated.question_number == question.question_number
    await again.stream_silence_until(is_type(m.StateChanged, state=m.SessionState.LISTENING), 60)

    await again.send(m.End())
    ended: m.Ended = await again.wait_for(is_type(m.Ended), 30)
    assert ended.reason is m.EndReason.CANDIDATE_ENDED
    assert ended.summary[0].answer.startswith("I have eight years")
    await asyncio.wait_for(again.closed.wait(), 10)
    assert again.close_code == m.CloseCode.NORMAL

    late = await LiveClient.connect(live_server, created["interview_id"], created["candidate_token"])
    await asyncio.wait_for(late.closed.wait(), 10)
    assert late.close_code == m.CloseCode.FORBIDDEN

    results = httpx.get(
        f"{live_server}/api/v1/interview/results/{created['interview_id']}",
        headers={"Authorization": f"Bearer {created['observer_token']}"},
        timeout=30,
    )
    assert results.status_code == 200, results.text
    scored = results.json()["questions"]
    assert scored[0]["answer"].startswith("I have eight years") and 0 <= scored[0]["score"] <= 10


async def test_bad_input_gets_specific_errors_and_the_session_survives(live_server: str) -> None:
    client, _ = await open_session(live_server)
    await client.send(m.Start())  # before hello
    await client.send_raw("{broken")
    await client.handshake()
    await client.send_raw('{"type": "teleport"}')
    await client.send_raw('{"type": "text_answer", "text": ""}')
    await client.send_raw('{"type": "start", "v": 7}')
    await client.send(m.TextAnswer(text="too early"))  # before start
    await client.send_raw(bytes(100))  # wrong frame size
    await client.send(m.Start())
    await client.send(m.Start())  # twice
    expected = [
        m.ErrorCode.OUT_OF_ORDER,
        m.ErrorCode.MALFORMED_JSON,
        m.ErrorCode.UNKNOWN_TYPE,
        m.ErrorCode.INVALID_MESSAGE,
        m.ErrorCode.UNSUPPORTED_VERSION,
        m.ErrorCode.OUT_OF_ORDER,
        m.ErrorCode.BAD_AUDIO_FRAME,
        m.ErrorCode.OUT_OF_ORDER,
    ]
    # Each mistake gets its answer, in order; the one Start that was in order starts the interview.
    await client.wait_for(lambda _msg: len(client.messages(m.ErrorMessage)) >= len(expected), 30)
    await client.wait_for(lambda msg: isinstance(msg, m.UtteranceStart), 30)
    assert [e.code for e in client.messages(m.ErrorMessage)] == expected, dump(client)
    assert all(not e.fatal for e in client.messages(m.ErrorMessage))

    await client.stream_silence_until(is_type(m.StateChanged, state=m.SessionState.LISTENING), 60)
    await client.send(m.TextAnswer(text="Still here: I design APIs."))
    final = await client.wait_for(is_type(m.FinalTranscript), 30)
    assert (final.text, final.turn) == ("Still here: I design APIs.", 0), "the session took nothing else as an answer"
    assert [e.code for e in client.messages(m.ErrorMessage)] == expected, "no error came late"

    await client.send_raw("x" * (m.MAX_TEXT_MESSAGE_BYTES + 10))
    await asyncio.wait_for(client.closed.wait(), 10)
    assert client.close_code == m.CloseCode.MESSAGE_TOO_BIG
    fatal = client.messages(m.ErrorMessage)[-1]
    assert fatal.code is m.ErrorCode.MESSAGE_TOO_LARGE and fatal.fatal


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/ws/interview/{id}?token=wrong", m.CloseCode.UNAUTHORIZED),
        ("/ws/interview/nope?token=x", m.CloseCode.NOT_FOUND),
    ],
)
async def test_wrong_links_are_refused_with_a_close_code(live_server: str, path: str, code: int) -> None:
    created = start_interview(live_server)
    url = live_server.replace("http", "ws", 1) + path.format(id=created["interview_id"])
    async with websockets.connect(url) as ws:
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
    assert ws.close_code == code


@pytest.mark.parametrize(
    ("env", "reason", "words"),
    [
        ({"VIVA_IDLE_TIMEOUT_S": "2"}, m.EndReason.IDLE_TIMEOUT, "silence"),
        ({"VIVA_MAX_INTERVIEW_S": "4"}, m.EndReason.MAX_DURATION, "maximum length"),
    ],
)
async def test_limits_end_the_session_cleanly(tmp_path, env: dict, reason: m.EndReason, words: str) -> None:
    server = ServerProcess(tmp_path / "limits", env=env).start()
    try:
        client, _ = await open_session(server.url)
        await client.handshake()
        await client.send(m.Start())
        ended: m.Ended = await client.stream_silence_until(is_type(m.Ended), 60)
        assert ended.reason is reason and words in ended.message
        await asyncio.wait_for(client.closed.wait(), 10)
        assert client.close_code == m.CloseCode.NORMAL
        metrics = await metrics_when(server.url, "viva_live_sessions 0.0")
        assert "viva_live_sessions 0.0" in metrics  # the session freed what it held
    finally:
        server.stop()
