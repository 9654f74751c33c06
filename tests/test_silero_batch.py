"""The batched Silero VAD hears each session as if it ran alone: many streams' windows in one ONNX run give
each stream what a run of its own would, in order, on its own event loop, off the loop's thread."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

from server.engines.silero import SileroModel, SileroStream
from server.engines.silero_batch import BatchedSilero
from tests.speech import silence, speak

pytestmark = pytest.mark.slow  # loads a model and makes speech


@pytest.fixture(scope="module")
def batcher() -> BatchedSilero:
    return BatchedSilero()


def alone(model: SileroModel, pcm: bytes) -> list[float]:
    stream = SileroStream(model)
    return [p for start in range(0, len(pcm), 640) for p in stream.process(pcm[start : start + 640])]


async def until(condition: object, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.005)


def test_a_batch_scores_each_row_as_a_run_of_its_own(batcher: BatchedSilero) -> None:
    rng = np.random.default_rng(0)
    chunks = rng.normal(0, 0.05, (40, 576)).astype(np.float32)
    state = rng.normal(0, 0.3, (2, 40, 128)).astype(np.float32)
    probabilities, next_state = batcher.model.run(chunks, state)
    for row in (0, 17, 39):
        single, single_state = batcher.model.run(chunks[row : row + 1], np.ascontiguousarray(state[:, row : row + 1]))
        assert probabilities[row] == single[0]
        assert np.array_equal(next_state[:, row], single_state[:, 0])


async def test_many_streams_hear_what_they_would_alone_in_order(batcher: BatchedSilero) -> None:
    speech = silence(0.4) + speak("I led the migration of our payment service to Kubernetes.") + silence(0.8)
    noise = np.random.default_rng(1).normal(0, 600, 16_000 * 2).astype("<i2").tobytes()
    clips = [speech, noise, speech[6400:], silence(1.0)] * 8
    heard: list[list[float]] = [[] for _ in clips]
    threads: set[int] = set()

    def hearer(index: int) -> object:
        def hear(probabilities: tuple[float, ...]) -> None:
            threads.add(threading.get_ident())
            heard[index].extend(probabilities)

        return hear

    streams = [batcher.open_stream(hearer(i)) for i in range(len(clips))]  # type: ignore[arg-type]
    for start in range(0, max(map(len, clips)), 640):
        for stream, clip in zip(streams, clips, strict=True):
            if start < len(clip):
                stream.push(clip[start : start + 640])
        if start % 6400 == 0:
            await asyncio.sleep(0)  # let the batcher start rounds while frames keep coming
    streams[3].push(silence(1.0))  # a second of windows at once: they go in consecutive rounds, in order
    expected = [alone(batcher.model, clip) for clip in clips]
    expected[3] = alone(batcher.model, silence(2.0))
    await until(lambda: all(len(h) >= len(e) for h, e in zip(heard, expected, strict=True)))
    assert heard == expected
    assert threads == {threading.get_ident()}  # heard on the loop, not on the batcher's thread
    assert max(heard[0]) > 0.9 and max(heard[3]) < 0.1


async def test_a_closed_stream_hears_nothing_more(batcher: BatchedSilero) -> None:
    heard: list[float] = []
    stream = batcher.open_stream(heard.extend)
    stream.push(silence(0.5))
    stream.close()
    stream.push(silence(0.5))
    other: list[float] = []
    batcher.open_stream(other.extend).push(silence(0.1))
    await until(lambda: len(other) == 3)
    await asyncio.sleep(0.05)
    assert heard == []  # not even the windows that were already in a run when it closed


async def test_a_failed_round_or_a_stream_closed_while_a_round_gathers_leaves_the_others_heard() -> None:
    """The batcher's one thread hears every session of the process: a round that fails (a bad model file, a
    runtime error) or that loses its only stream while gathering must not end it."""
    batcher = BatchedSilero(gather_s=0.05)
    real_run = batcher.model.run
    failures = [RuntimeError("a bad round")]

    def run_failing_once(chunks: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if failures:
            raise failures.pop()
        return real_run(chunks, state)

    batcher.model.run = run_failing_once  # type: ignore[method-assign]
    heard: list[float] = []
    try:
        leaving = batcher.open_stream(lambda probabilities: None)
        leaving.push(silence(0.032))
        leaving.close()  # while its round gathers: the round finds nothing to score
        await asyncio.sleep(0.1)
        staying = batcher.open_stream(heard.extend)
        staying.push(silence(0.064))  # the first of its rounds fails
        await asyncio.sleep(0.1)
        staying.push(silence(0.064))
        await until(lambda: len(heard) >= 2)
    finally:
        batcher.close()
