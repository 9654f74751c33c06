"""Speech made once, and made early: a process-wide cache of synthesized sentences, and sentences prepared before
they are said.

Most of what the interviewer says is known before it is said: a fixed acknowledgement, a transition, then the
next planned question. :class:`CachedSpeech` wraps the configured engine and keeps the PCM of recent sentences,
keyed by the engine's name and the sentence's exact text and bounded by their total size (the least recently
used goes first), so a sentence made before streams at once. Two requests for one sentence share one synthesis:
its chunks reach both as they are made. :meth:`CachedSpeech.prepare` synthesizes sentences in the background,
one at a time, only once no session has waited for speech for a moment, and at the engine's lowest priority: a
live sentence never waits for preparation, except for the one prepared sentence an engine thread may be busy
with when it comes.

One instance serves every session of the process, on one event loop. A synthesis left behind by another loop
(one that was closed mid-sentence) is ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable

from server.engines.base import EngineError, TextToSpeech
from server.metrics import METRICS

log = logging.getLogger("viva.speech")

#: Preparation starts only once no live sentence was synthesized for this long: the sentences of one reply reach
#: the voice one after the other, and the moment between two of them is not idleness.
IDLE_GRACE_S = 0.05
#: At most this many sentences wait to be prepared; the oldest requests give way.
MAX_PENDING = 256

_Key = tuple[str, str]


class _Flight:
    """One synthesis in progress. Its chunks are kept as they come, so every listener streams all of them."""

    task: asyncio.Task[None]

    def __init__(self, background: bool) -> None:
        self.loop = asyncio.get_running_loop()
        self.background = background
        self.chunks: list[bytes] = []
        self.done = False
        self.error: BaseException | None = None
        self.listeners = 0
        self._changed = asyncio.Event()

    def add(self, chunk: bytes) -> None:
        self.chunks.append(chunk)
        self._wake()

    def end(self, error: BaseException | None = None) -> None:
        self.done, self.error = True, error
        self._wake()

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def stream(self) -> AsyncIterator[bytes]:
        index = 0
        while True:
            if index < len(self.chunks):
                index += 1
                yield self.chunks[index - 1]
            elif not self.done:
                await self._changed.wait()
            elif self.error is not None:
                raise EngineError(str(self.error) or type(self.error).__name__) from self.error
            else:
                return


class CachedSpeech:
    """A :class:`~server.engines.base.TextToSpeech` that remembers: ``capacity_bytes`` of PCM (0: no cache,
    every sentence is synthesized when asked for and nothing is prepared)."""

    def __init__(self, inner: TextToSpeech, capacity_bytes: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.sample_rate = inner.sample_rate
        self.capacity = capacity_bytes
        self._entries: OrderedDict[_Key, tuple[bytes, ...]] = OrderedDict()
        self._size = 0
        self._flights: dict[_Key, _Flight] = {}
        self._pending: list[str] = []
        self._preparer: asyncio.Task[None] | None = None
        self._live_ended = float("-inf")  # loop time

    @property
    def size(self) -> int:
        """Bytes of PCM kept."""
        return self._size

    def cached(self, text: str) -> bool:
        return (self.name, text) in self._entries

    async def synthesize(self, text: str, *, background: bool = False) -> AsyncIterator[bytes]:
        """Stream the sentence: from the cache when it was made before, else from its synthesis already running
        (a preparation, another session's request), else from a new synthesis, which is kept once complete."""
        if not self.capacity:
            async for chunk in self.inner.synthesize(text, background=background):
                yield chunk
            return
        key = (self.name, text)
        cached = self._entries.get(key)
        if cached is not None:
            self._entries.move_to_end(key)
            METRICS.speech_cache.labels(outcome="hit").inc()
            for chunk in cached:
                yield chunk
            return
        flight = self._flight(key)
        METRICS.speech_cache.labels(outcome="miss" if flight is None else "shared").inc()
        if flight is None:
            flight = self._start(key, text, background)
        with contextlib.suppress(ValueError):
            self._pending.remove(text)  # made now, not later
        flight.listeners += 1
        try:
            async for chunk in flight.stream():
                yield chunk
        finally:
            flight.listeners -= 1
            if not flight.listeners and not flight.done and not flight.background:
                self._abandon(key, flight)

    def prepare(self, texts: Iterable[str]) -> None:
        """Have these sentences synthesized in the background, so that they stream at once when asked for.

        The sentences asked for last are made first (what a session needs next is what it asked for last), in
        the order given; one already made, being made, or waiting is not made twice. Call from the event loop.
        """
        if not self.capacity:
            return
        wanted = [
            text
            for text in dict.fromkeys(texts)
            if text.strip() and (self.name, text) not in self._entries and self._flight((self.name, text)) is None
        ]
        if not wanted:
            return
        first = set(wanted)
        self._pending = [*wanted, *(text for text in self._pending if text not in first)][:MAX_PENDING]
        loop = asyncio.get_running_loop()
        if self._preparer is None or self._preparer.done() or self._preparer.get_loop() is not loop:
            # A context of its own: what it synthesizes is no session's usage.
            self._preparer = loop.create_task(self._prepare_pending(), context=contextvars.Context())

    # ------------------------------------------------------------------ syntheses

    def _flight(self, key: _Key) -> _Flight | None:
        flight = self._flights.get(key)
        if flight is not None and flight.loop is not asyncio.get_running_loop():
            del self._flights[key]  # left behind by a closed loop: it will never finish
            return None
        return flight

    def _start(self, key: _Key, text: str, background: bool) -> _Flight:
        flight = _Flight(background)
        self._flights[key] = flight
        # A live synthesis runs in the asking session's context, so a remote engine's usage is that interview's.
        flight.task = asyncio.create_task(self._produce(key, text, flight))
        return flight

    async def _produce(self, key: _Key, text: str, flight: _Flight) -> None:
        try:
            async for chunk in self.inner.synthesize(text, background=flight.background):
                flight.add(chunk)
        except asyncio.CancelledError as exc:
            flight.end(exc)
            raise
        except Exception as exc:  # every listener gets it as an EngineError
            flight.end(exc)
        else:
            self._keep(key, tuple(flight.chunks))
            flight.end()
        finally:
            if self._flights.get(key) is flight:
                del self._flights[key]
            if not flight.background:
                self._live_ended = flight.loop.time()

    def _abandon(self, key: _Key, flight: _Flight) -> None:
        """Nobody listens any more (the utterance was cut off): stop the synthesis, so that the engine's thread
        is free for what is said instead, and keep nothing of it."""
        if self._flights.get(key) is flight:
            del self._flights[key]
        flight.task.cancel()

    def _keep(self, key: _Key, chunks: tuple[bytes, ...]) -> None:
        size = sum(map(len, chunks))
        if size > self.capacity:
            return
        previous = self._entries.pop(key, None)
        if previous is not None:
            self._size -= sum(map(len, previous))
        self._entries[key] = chunks
        self._size += size
        while self._size > self.capacity:
            _key, evicted = self._entries.popitem(last=False)
            self._size -= sum(map(len, evicted))
        METRICS.speech_cache_bytes.set(self._size)

    # ------------------------------------------------------------------ preparation

    async def _prepare_pending(self) -> None:
        """Make the waiting sentences one at a time, each once live speech has been idle for a moment."""
        while self._pending:
            await self._idle()
            if not self._pending:
                return
            text = self._pending.pop(0)
            key = (self.name, text)
            if key in self._entries or self._flight(key) is not None:
                continue
            flight = self._start(key, text, background=True)
            await asyncio.wait({flight.task})
            if flight.error is not None:
                log.debug("preparing the speech of %r failed: %s", text, flight.error)

    async def _idle(self) -> None:
        """Return once no live sentence has been synthesized for :data:`IDLE_GRACE_S`."""
        loop = asyncio.get_running_loop()
        while True:
            if busy := self._live_tasks():
                await asyncio.wait(busy)
            elif (rest := self._live_ended + IDLE_GRACE_S - loop.time()) > 0:
                await asyncio.sleep(rest)
            else:
                return

    def _live_tasks(self) -> set[asyncio.Task[None]]:
        loop = asyncio.get_running_loop()
        return {f.task for f in self._flights.values() if not f.background and f.loop is loop}
