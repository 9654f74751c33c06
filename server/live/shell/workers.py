"""The two workers of a live session that must keep order: the interviewer, and the voice.

The interviewer is a state machine behind an async face: its calls (``begin``, ``respond``, an observer's
question…) are made one at a time, in the order the core asked, so its state always follows the conversation.
A reply's words may stream for a while (a remote model): they are read beside the next calls, not before them.

The voice synthesizes sentences in order, one at a time, and drops the ones of an utterance that was
cancelled (a barge-in) — including the sentence being synthesized when the cancel came. It also has speech
prepared before it is asked for (through the process's speech cache), cut into sentences as the core cuts them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Literal

from server.conversation.base import Answer, Interviewer, Reply
from server.engines.base import EngineError, TextToSpeech
from server.engines.cache import CachedSpeech
from server.live.core import io
from server.text.sentences import split_sentences

log = logging.getLogger("viva.session")

Put = Callable[[io.Input], Awaitable[None]]


class InterviewerDesk:
    """Calls the interviewer in order and reports its replies as inputs."""

    def __init__(self, interviewer: Interviewer, put: Put) -> None:
        self.interviewer = interviewer
        self._put = put
        self._calls: asyncio.Queue[tuple[int, str, Answer | None] | tuple[str, str]] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._streams: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        self._worker = asyncio.create_task(self._work())

    def ask(self, job: int, call: Literal["begin", "proceed", "respond"], answer: Answer | None) -> None:
        self._calls.put_nowait((job, call, answer))

    def tell(self, call: str, text: str) -> None:
        self._calls.put_nowait((call, text))

    def snapshot(self) -> dict[str, Any]:
        return self.interviewer.snapshot()

    def upcoming(self) -> list[str]:
        return self.interviewer.upcoming()

    async def _work(self) -> None:
        while True:
            item = await self._calls.get()
            if len(item) == 2:
                call, text = item
                self._tell(call, text)
                continue
            job, call, answer = item
            try:
                reply = await self._call(call, answer)
            except Exception as exc:  # an engine's bug must not end the interview: the candidate answers again
                log.exception("the interviewer failed")
                await self._put(io.ReplyFailed(job, str(exc)))
                continue
            await self._put(
                io.ReplyStarted(
                    job,
                    reply.kind,
                    reply.question_number,
                    reply.done,
                    reply.asked_by,
                    reply.observer_action,
                    reply.expects_answer,
                )
            )
            stream = asyncio.create_task(self._stream(job, reply))
            self._streams.add(stream)
            stream.add_done_callback(self._streams.discard)

    async def _call(self, call: str, answer: Answer | None) -> Reply:
        if call == "begin":
            return await self.interviewer.begin()
        if call == "proceed":
            return await self.interviewer.proceed()
        assert answer is not None
        return await self.interviewer.respond(answer)

    def _tell(self, call: str, text: str) -> None:
        try:
            if call == "record_heard":
                self.interviewer.record_heard(text)
            elif call == "queue_question":
                self.interviewer.queue_question(text)
            else:
                self.interviewer.skip_topic()
        except Exception:  # the core refuses steering once the closing was said; this is a last guard
            log.exception("the interviewer refused %s", call)

    async def _stream(self, job: int, reply: Reply) -> None:
        try:
            async for chunk in reply.chunks:
                await self._put(io.ReplyChunk(job, chunk))
        except Exception as exc:
            log.exception("the interviewer's words failed")
            await self._put(io.ReplyFailed(job, str(exc)))
            return
        await self._put(io.ReplyFinished(job))

    async def close(self) -> None:
        tasks = [*self._streams, *([self._worker] if self._worker else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


class Voice:
    """Synthesizes the core's sentences in order and reports the audio as inputs."""

    def __init__(self, tts: TextToSpeech, put: Put) -> None:
        self.tts = tts
        self._put = put
        self._queue: asyncio.Queue[tuple[int, int, str]] = asyncio.Queue()
        self._cancelled: set[int] = set()
        self._current: tuple[int, asyncio.Task[None]] | None = None
        self._worker: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._worker = asyncio.create_task(self._work())

    def say(self, utterance_id: int, sentence: int, text: str) -> None:
        self._queue.put_nowait((utterance_id, sentence, text))

    def prepare(self, texts: Iterable[str]) -> None:
        """Have the speech of ``texts`` made in the background, sentence by sentence as the core will ask for it
        (the same splitter, so the cache's keys match). Speech without a cache (a benchmark's instant voice) has
        nothing to prepare."""
        if isinstance(self.tts, CachedSpeech):
            self.tts.prepare([sentence for text in texts for sentence in split_sentences(text)])

    def cancel(self, utterance_id: int) -> None:
        self._cancelled.add(utterance_id)
        if self._current is not None and self._current[0] == utterance_id:
            self._current[1].cancel()

    async def _work(self) -> None:
        while True:
            uid, index, text = await self._queue.get()
            if uid in self._cancelled:
                continue
            task = asyncio.create_task(self._synthesize(uid, index, text))
            self._current = (uid, task)
            try:
                await asyncio.wait({task})  # a cancelled sentence ends the wait; cancelling the worker still works
            finally:
                self._current = None

    async def _synthesize(self, uid: int, index: int, text: str) -> None:
        try:
            async for pcm in self.tts.synthesize(text):
                await self._put(io.SpeechChunk(uid, index, pcm))
        except EngineError as exc:
            log.error("speech synthesis failed: %s", exc)
            await self._put(io.SpeechFailed(uid, index, str(exc)))
            return
        await self._put(io.SpeechFinished(uid, index))

    async def close(self) -> None:
        if self._current is not None:
            self._current[1].cancel()
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
