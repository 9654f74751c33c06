"""The speech cache: a sentence made once streams at once after, one synthesis serves every request for it,
its size stays bounded, and preparing sentences ahead never holds up a sentence a session waits for. In a live
interview, the next planned question is made while the current one plays."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from protocol import messages as m
from server.config import Settings
from server.conversation import wording as w
from server.conversation.base import Answer
from server.conversation.factory import create_interviewer_factory
from server.conversation.machine import InterviewMachine
from server.engines.base import EngineError, Transcript
from server.engines.cache import IDLE_GRACE_S, CachedSpeech
from server.engines.priority import BACKGROUND, URGENT, PriorityExecutor
from server.metrics import METRICS
from server.services.auth import recruiter_auth
from server.services.runtime import Services
from server.store import create_store
from server.text.sentences import split_sentences
from tests.api_support import START, STRONG_ANSWER, served
from tests.conftest import ADMIN_TOKEN, recruiter_headers
from tests.core_world import setup
from tests.live_client import LiveClient, is_type

MB = 1024 * 1024


class FakeVoice:
    """Two chunks a sentence, each after ``delay`` seconds; fails its next ``failures`` calls."""

    name = "fake"
    sample_rate = 16_000

    def __init__(self, delay: float = 0.0, failures: int = 0) -> None:
        self.delay = delay
        self.failures = failures
        self.calls: list[tuple[str, bool]] = []  # (text, background)
        self.finished: list[str] = []

    async def synthesize(self, text: str, *, background: bool = False) -> AsyncIterator[bytes]:
        self.calls.append((text, background))
        if self.failures:
            self.failures -= 1
            raise EngineError("the fake voice failed")
        for part in (b"a", b"b"):
            await asyncio.sleep(self.delay)
            yield speech(text, part)
        self.finished.append(text)


def speech(text: str, part: bytes) -> bytes:
    return text.encode() + part


async def said(tts: CachedSpeech, text: str) -> list[bytes]:
    return [chunk async for chunk in tts.synthesize(text)]


def requests(outcome: str) -> float:
    return METRICS.registry.get_sample_value("viva_speech_cache_requests_total", {"outcome": outcome}) or 0.0


async def until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


# --------------------------------------------------------------------------- the cache


async def test_a_sentence_made_before_streams_the_same_bytes_without_the_engine() -> None:
    voice = FakeVoice()
    cache = CachedSpeech(voice, MB)
    hits, misses = requests("hit"), requests("miss")
    first = await said(cache, "Tell me about a project.")
    assert first == [speech("Tell me about a project.", b"a"), speech("Tell me about a project.", b"b")]
    assert await said(cache, "Tell me about a project.") == first
    assert voice.calls == [("Tell me about a project.", False)]
    assert (requests("hit") - hits, requests("miss") - misses) == (1, 1)
    assert cache.name == "fake" and cache.sample_rate == 16_000 and cache.size == sum(map(len, first))


async def test_the_least_recently_used_sentence_goes_when_the_cache_is_full() -> None:
    cache = CachedSpeech(FakeVoice(), 16)  # two sentences of 3 characters (two chunks of 4 bytes each)
    for text in ("A1.", "B2.", "A1.", "C3."):
        await said(cache, text)
    assert [cache.cached(t) for t in ("A1.", "B2.", "C3.")] == [True, False, True]
    assert cache.size == 16
    await said(cache, "A sentence longer than the whole cache.")
    assert not cache.cached("A sentence longer than the whole cache.")
    assert cache.cached("A1.") and cache.cached("C3.")


async def test_requests_for_one_sentence_share_one_synthesis_even_midway() -> None:
    voice = FakeVoice(delay=0.05)
    cache = CachedSpeech(voice, MB)
    shared = requests("shared")
    stream = cache.synthesize("Next question.")
    first = await anext(stream)  # one chunk made, one to come
    together = await asyncio.gather(said(cache, "Next question."), said(cache, "Next question."))
    rest = [chunk async for chunk in stream]
    expected = [speech("Next question.", b"a"), speech("Next question.", b"b")]
    assert [first, *rest] == together[0] == together[1] == expected
    assert voice.calls == [("Next question.", False)]
    assert requests("shared") - shared == 2


async def test_a_size_of_zero_turns_the_cache_and_preparation_off() -> None:
    voice = FakeVoice()
    cache = CachedSpeech(voice, 0)
    assert await said(cache, "Got it.") == await said(cache, "Got it.")
    cache.prepare(["Let's move on."])
    await asyncio.sleep(IDLE_GRACE_S * 2)
    assert voice.calls == [("Got it.", False), ("Got it.", False)] and cache.size == 0


async def test_a_sentence_nobody_listens_to_any_more_is_stopped_and_not_kept() -> None:
    voice = FakeVoice(delay=0.05)
    cache = CachedSpeech(voice, MB)
    cut_off = asyncio.create_task(said(cache, "Cut off."))
    await asyncio.sleep(0.02)
    cut_off.cancel()
    await asyncio.sleep(0.15)
    assert voice.finished == [] and not cache.cached("Cut off.")
    assert await said(cache, "Cut off.") == [speech("Cut off.", b"a"), speech("Cut off.", b"b")]
    assert len(voice.calls) == 2


async def test_prepared_sentences_are_made_in_the_background_newest_request_first() -> None:
    voice = FakeVoice()
    cache = CachedSpeech(voice, MB)
    cache.prepare(["Got it.", "Let's move on."])
    cache.prepare(["What did you measure?", "Got it."])
    await until(lambda: len(voice.finished) == 3)
    assert voice.calls == [("What did you measure?", True), ("Got it.", True), ("Let's move on.", True)]
    cache.prepare(["Got it."])  # already made
    hits = requests("hit")
    assert await said(cache, "Let's move on.") == [speech("Let's move on.", b"a"), speech("Let's move on.", b"b")]
    assert requests("hit") - hits == 1 and len(voice.calls) == 3


async def test_a_live_request_takes_its_sentence_out_of_the_preparation_queue() -> None:
    voice = FakeVoice(delay=0.02)
    cache = CachedSpeech(voice, MB)
    await said(cache, "Hello.")  # live speech just ended: preparation waits a moment
    cache.prepare(["Thank you."])
    await said(cache, "Thank you.")
    await asyncio.sleep(IDLE_GRACE_S * 2)
    assert voice.calls == [("Hello.", False), ("Thank you.", False)]


async def test_a_failed_preparation_is_logged_and_dropped(caplog: pytest.LogCaptureFixture) -> None:
    voice = FakeVoice(failures=1)
    cache = CachedSpeech(voice, MB)
    with caplog.at_level(logging.DEBUG, logger="viva.speech"):
        cache.prepare(["Fails once."])
        await until(lambda: any("Fails once." in r.getMessage() for r in caplog.records))
    assert caplog.records[-1].levelno == logging.DEBUG and not cache.cached("Fails once.")
    assert await said(cache, "Fails once.") == [speech("Fails once.", b"a"), speech("Fails once.", b"b")]


class ThreadedVoice:
    """Piper's shape: engine threads taking live sentences before background ones; a sentence takes ``seconds``.
    Records when each sentence ran, and whether it was live."""

    name = "threaded"
    sample_rate = 16_000

    def __init__(self, seconds: float, threads: int) -> None:
        self.seconds = seconds
        self.pool = PriorityExecutor(threads, "test-speech")
        self.ran: list[tuple[str, bool, float, float]] = []  # text, live, start, end

    async def synthesize(self, text: str, *, background: bool = False) -> AsyncIterator[bytes]:
        def work() -> bytes:
            start = time.monotonic()
            time.sleep(self.seconds)
            self.ran.append((text, not background, start, time.monotonic()))
            return text.encode()

        yield await self.pool.run(BACKGROUND if background else URGENT, work)


async def test_preparation_waits_while_live_sentences_are_made() -> None:
    """One engine thread: a live sentence waits for the rest of the prepared one running, never for more."""
    voice = ThreadedVoice(0.1, threads=1)
    cache = CachedSpeech(voice, MB)
    prepared = [f"Prepared {i}." for i in range(5)]
    cache.prepare(prepared)
    await asyncio.sleep(0.03)  # the first one is on the thread
    asked = time.monotonic()
    assert await said(cache, "Live one.") == [b"Live one."]
    assert await said(cache, "Live two.") == [b"Live two."]
    waited = time.monotonic() - asked
    assert [text for text, *_ in voice.ran[:3]] == ["Prepared 0.", "Live one.", "Live two."], voice.ran
    assert waited < 0.45, waited  # the rest of one prepared sentence, then its own two; not five more
    await until(lambda: all(cache.cached(t) for t in prepared))
    assert [text for text, *_ in voice.ran[3:]] == prepared[1:]


async def test_preparation_leaves_free_threads_to_live_sentences() -> None:
    """Two engine threads: no prepared sentence starts while a live one is being made (they would share the CPU)."""
    voice = ThreadedVoice(0.1, threads=2)
    cache = CachedSpeech(voice, MB)
    cache.prepare([f"Prepared {i}." for i in range(3)])
    await asyncio.sleep(0.03)
    for index in range(3):
        await said(cache, f"Live {index}.")
    await until(lambda: len(voice.ran) == 6)
    live = [(start, end) for _text, is_live, start, end in voice.ran if is_live]
    later = [start for text, is_live, start, _end in voice.ran if not is_live and text != "Prepared 0."]
    assert not any(begin < start < end for start in later for begin, end in live), voice.ran


# --------------------------------------------------------------------------- what is prepared


def test_every_template_of_the_builtin_wording_is_prepared() -> None:
    templates = [value for name, value in vars(w).items() if name.isupper() and not name.startswith("_")]
    lines = [
        line
        for value in templates
        if value is not w.TEMPLATES
        for line in (
            [value]
            if isinstance(value, str)
            else [x for v in value.values() for x in v]
            if isinstance(value, dict)
            else list(value)
        )
    ]
    assert set(lines) == set(w.TEMPLATES)
    fixed = w.fixed_sentences(*w.TEMPLATES)
    assert "Next question." in fixed and "Let me finish the question." in fixed
    assert not any("{" in s or "\x00" in s for s in fixed)
    # A lead-in is cut off the question that follows it, as the live session cuts the reply.
    question = "Tell me about a system you designed. What would you change?"
    said = w.FINISH_QUESTION.format(text=question)
    assert split_sentences(said) == [*w.fixed_sentences(w.FINISH_QUESTION), *split_sentences(question)]


def test_the_machine_names_what_it_says_next() -> None:
    machine = InterviewMachine.start(setup(num_questions=2))
    first, second = (q.text for q in machine.plan)
    before = machine.upcoming()
    assert machine.begin().text == before[0] and before[1:] == [first]
    assert machine.upcoming() == [first]
    assert machine.proceed().text == first and machine.upcoming() == [second]
    machine.request_skip()
    assert machine.respond(Answer("Let me pass on this one.")).text.endswith(second)
    closing = w.CLOSING.format(name="Ada")
    assert machine.upcoming() == [closing]
    machine.request_skip()
    assert machine.respond(Answer("Nothing to add.")).text == closing and machine.upcoming() == []


# --------------------------------------------------------------------------- in a live interview


class SilentVad:
    name = "silent"

    window_ms = 32.0

    def open_stream(self, heard: Callable[[tuple[float, ...]], None]) -> SilentVad:
        return self

    def push(self, pcm16k: bytes) -> None:
        pass

    def close(self) -> None:
        pass


class NoSpeechToText:
    name = "none"

    async def transcribe(self, pcm16k: bytes, *, partial: bool = False, urgent: bool = False) -> Transcript:
        return Transcript("")


async def test_the_next_question_is_made_while_the_current_one_plays(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", admin_token=ADMIN_TOKEN)
    store = create_store(settings)
    await store.open()
    voice = FakeVoice()
    cache = CachedSpeech(voice, MB)
    interviewers = create_interviewer_factory(settings)
    cache.prepare(interviewers.fixed_sentences())  # as the server does when it starts
    services = Services(settings, store, NoSpeechToText(), cache, SilentVad(), interviewers, recruiter_auth(settings))
    try:
        async with served(services) as url, httpx.AsyncClient(base_url=url, headers=recruiter_headers()) as http:
            created = (await http.post("/api/v1/interview/start", json=START)).json()
            client = await LiveClient.connect(url, created["interview_id"], created["candidate_token"])
            await client.handshake()
            await client.send(m.Start())
            await client.wait_for(is_type(m.StateChanged, state=m.SessionState.LISTENING), 30)
            await asyncio.sleep(0.5)  # the candidate thinks a moment (preparation waits for live speech to end)
            mark, hits = len(client.received), requests("hit")
            await client.send(m.TextAnswer(text=STRONG_ANSWER))
            start = await client.wait_for(is_type(m.UtteranceStart, question_number=2), 30, start=mark)
            await client.wait_for(is_type(m.UtteranceEnd, utterance_id=start.utterance_id), 30, start=mark)
            sentences = [t.text for t in client.messages(m.UtteranceText) if t.utterance_id == start.utterance_id]
            await client.close()
    finally:
        await store.close()
    # The acknowledgement, the transition and the second question: every sentence was made before it was due.
    assert len(sentences) >= 3, sentences
    for sentence in sentences:
        assert [background for text, background in voice.calls if text == sentence] == [True], sentence
    assert requests("hit") - hits >= len(sentences)
