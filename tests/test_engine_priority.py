"""The transcription pool runs barge-in checks before the turn's words, and those before captions; a job
cancelled while it waits never runs; each job's wait and run are timed. The Whisper window fits the utterance;
captions have a lane of their own."""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np
import pytest

from server.engines.embedded import MIN_WINDOW_S, fitted_window, window_seconds
from server.engines.priority import BACKGROUND, EXECUTORS, NORMAL, URGENT, PriorityExecutor


async def test_the_most_urgent_waiting_job_runs_first_and_a_cancelled_one_never() -> None:
    pool = PriorityExecutor(1, "test-priority")
    release = threading.Event()
    ran: list[str] = []

    def job(name: str) -> str:
        ran.append(name)
        return name

    busy = asyncio.create_task(pool.run(NORMAL, lambda: release.wait(5) and job("busy")))
    await asyncio.sleep(0.05)  # the only worker is now busy
    caption = asyncio.create_task(pool.run(BACKGROUND, lambda: job("caption")))
    stale = asyncio.create_task(pool.run(BACKGROUND, lambda: job("stale caption")))
    words = asyncio.create_task(pool.run(NORMAL, lambda: job("words")))
    check = asyncio.create_task(pool.run(URGENT, lambda: job("barge-in check")))
    await asyncio.sleep(0.05)
    stale.cancel()
    await asyncio.sleep(0.01)  # the cancel reaches the pool's future in a callback, not at once
    release.set()
    assert await asyncio.gather(busy, caption, words, check) == ["busy", "caption", "words", "barge-in check"]
    assert ran == ["busy", "barge-in check", "words", "caption"]
    with pytest.raises(asyncio.CancelledError):
        await stale


async def test_an_error_reaches_the_caller() -> None:
    def fail() -> None:
        raise RuntimeError("model error")

    with pytest.raises(RuntimeError, match="model error"):
        await PriorityExecutor(1, "test-priority").run(URGENT, fail)


@pytest.mark.parametrize(("seconds", "window"), [(0.3, 2), (1.0, 2), (4.2, 6), (12.0, 13), (29.5, 30), (90.0, 30)])
def test_the_whisper_window_holds_the_utterance_with_a_second_to_spare(seconds: float, window: int) -> None:
    assert window_seconds(int(seconds * 16_000)) == window


@pytest.mark.parametrize(("frames", "fitted"), [(150, 1000), (420, 1000), (1230, 1400), (2950, 3000), (3500, 3000)])
def test_mel_features_are_padded_to_the_fitted_window_not_to_30_s(frames: int, fitted: int) -> None:
    features = np.ones((80, frames), dtype=np.float32)
    padded = fitted_window(features)
    assert padded.shape == (80, fitted)
    assert padded[:, : min(frames, fitted)].all() and not padded[:, frames:].any()


def test_whisper_encodes_a_window_that_fits_the_utterance(engines: tuple) -> None:
    """faster-whisper 1.2 pads every window to 30 s, which made a one-second check cost ~0.6 s of CPU: the
    encoder must see a window fitted to the utterance."""
    from tests.speech import speak

    stt = engines[0]
    pcm = speak("Sorry, could you repeat the question?")
    seen: list[int] = []
    encode = stt._model.encode
    stt._model.encode = lambda features: (seen.append(features.shape[-1]), encode(features))[1]
    try:
        heard = stt.transcribe_now(pcm)
    finally:
        del stt._model.encode
    assert seen == [100 * MIN_WINDOW_S]  # a 2 s question, in the shortest window Whisper decodes well
    assert heard.text.lower().startswith("sorry, could you repeat")


async def test_each_job_is_timed_queued_and_running_by_priority() -> None:
    executor = PriorityExecutor(1, "viva-test-timing")
    gate = threading.Event()
    blocker = asyncio.ensure_future(executor.run(NORMAL, gate.wait))
    await asyncio.sleep(0.02)  # the only worker is now busy
    waiting = asyncio.ensure_future(executor.run(URGENT, lambda: time.sleep(0.02)))
    await asyncio.sleep(0.05)
    gate.set()
    await asyncio.gather(blocker, waiting)
    timings = {t.priority: t for t in executor.finished()}
    assert timings[NORMAL].ran_ms >= 50 and timings[URGENT].waited_ms >= 40 and timings[URGENT].ran_ms >= 15
    assert executor.finished() == []  # taken once
    assert executor in EXECUTORS


@pytest.mark.slow
async def test_a_turns_words_do_not_wait_for_a_caption_already_running(engines: tuple) -> None:
    """A caption of a long answer is decoding when the candidate's short turn ends: its words come first, on
    the live lane, instead of after the caption (they used to wait for it on Whisper's only worker)."""
    from tests.speech import compose

    stt = engines[0]
    long_answer = compose(
        "I led the migration of our billing service to a new queue, and we measured the latency every week.",
        0.3,
        "Then we moved the reporting jobs, cut the nightly run from four hours to forty minutes, and kept it.",
        voice="piper",
    )
    short_turn = compose("Yes, that is right.", voice="piper")
    finished: list[str] = []

    async def transcribe(name: str, pcm: bytes, partial: bool) -> None:
        await stt.transcribe(pcm, partial=partial)
        finished.append(name)

    # Twice over (~25 s of speech): its pass on one thread takes several times the short turn's, however loaded.
    caption = asyncio.create_task(transcribe("caption", long_answer * 2, True))
    await asyncio.sleep(0.05)  # the caption's decode is under way
    await asyncio.gather(caption, transcribe("words", short_turn, False))
    assert finished == ["words", "caption"]


async def test_an_executor_is_busy_while_a_job_is_queued_or_running() -> None:
    """What a caption waits on: the live lane has nothing queued or running (a cancelled job counts off too)."""
    pool = PriorityExecutor(1, "test-busy")
    release = threading.Event()
    assert not pool.busy
    running = asyncio.create_task(pool.run(NORMAL, lambda: release.wait(5)))
    queued = asyncio.create_task(pool.run(NORMAL, lambda: None))
    await asyncio.sleep(0.05)
    assert pool.busy
    queued.cancel()
    release.set()
    await running
    with pytest.raises(asyncio.CancelledError):
        await queued
    await asyncio.sleep(0.05)  # the worker takes the cancelled job off the queue
    assert not pool.busy
