"""Silero VAD for every session of the process in one ONNX run per round, on a thread of its own.

One window at a time costs the model ~110 µs; in a batch of 64 or more, ~45-55 µs a window (measured on
the 2-core machine the benchmarks run on). So the sessions' streams hand their complete 32 ms windows to
one :class:`BatchedSilero`, whose thread scores all the windows pending at that moment in one run, and
hands each stream its probability back on the event loop the stream was opened on. onnxruntime releases
the GIL while it computes, so the loop goes on meanwhile.

Bounded delay: a window waits for the run in progress, and rounds start at most every :data:`GATHER_S`
(4 ms) unless :data:`FULL_BATCH` streams are waiting: a few ms in all. A stream's state is recurrent, so a
stream with several windows pending puts one in each of several consecutive rounds, in order.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import numpy as np

from server.engines.silero import STATE_SHAPE, WINDOW_MS, SileroModel, Windows
from server.metrics import METRICS

log = logging.getLogger("viva.engines")

Heard = Callable[[tuple[float, ...]], None]
#: Rounds start at most this often while windows keep coming, so that a run holds many sessions' windows
#: (a window costs ~85 µs in a run of 4, ~55 µs in one of 64): what a window may wait, beside the run itself.
GATHER_S = 0.004
#: A run this large costs no less per window if it waits for more: it starts at once.
FULL_BATCH = 64


class BatchedSilero:
    """The process's Silero VAD: open a stream per session; one thread scores them all, batch by batch."""

    name = "silero"
    window_ms = WINDOW_MS

    def __init__(self, model_path: str | Path | None = None, gather_s: float = GATHER_S) -> None:
        self.model = SileroModel(model_path)
        self.gather_s = gather_s
        self.full_batch = FULL_BATCH
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        #: Streams with windows pending, in the order their first pending window came (a dict as an ordered set).
        self._ready: dict[BatchedStream, None] = {}
        self._thread: threading.Thread | None = None
        self._closed = False

    def open_stream(self, heard: Heard) -> BatchedStream:
        """A stream whose probabilities go to ``heard``, called on the running event loop."""
        return BatchedStream(self, asyncio.get_running_loop(), heard)

    def _submit(self, stream: BatchedStream, chunks: list[np.ndarray]) -> None:
        with self._lock:
            if self._closed:
                return
            stream.pending.extend(chunks)
            self._ready[stream] = None
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="silero-batch", daemon=True)
                self._thread.start()
                atexit.register(self.close)  # a thread still in a run when the interpreter ends aborts it
            if len(self._ready) in (1, self.full_batch):
                self._wake.notify()

    def close(self) -> None:
        """Stop the thread after its run in progress; windows still pending are dropped."""
        with self._lock:
            self._closed = True
            self._ready.clear()
            self._wake.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _drop(self, stream: BatchedStream) -> None:
        with self._lock:
            stream.pending.clear()
            self._ready.pop(stream, None)

    def _serve(self) -> None:
        last_round = 0.0
        while True:
            with self._lock:
                while not self._ready and not self._closed:
                    self._wake.wait()
                gather = last_round + self.gather_s - time.monotonic()
                if gather > 0 and len(self._ready) < self.full_batch:
                    self._wake.wait(gather)  # more sessions' windows, unless a full batch comes first
                if self._closed:
                    return
                if not self._ready:  # the only waiting stream closed while the round gathered
                    continue
                last_round = time.monotonic()
                batch = list(self._ready)
                chunks = [stream.pending.popleft() for stream in batch]
                for stream in batch:
                    if not stream.pending:
                        del self._ready[stream]
            try:
                self._score(batch, chunks)
            except Exception:  # this thread hears every session of the process: it must outlive a bad round
                METRICS.engine_errors.labels(engine="vad").inc()
                log.exception("a round of voice activity detection failed (%d windows unheard)", len(batch))

    def _score(self, batch: list[BatchedStream], chunks: list[np.ndarray]) -> None:
        state = np.stack([stream.state for stream in batch], axis=1)
        probabilities, next_state = self.model.run(np.stack(chunks), state)
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[BatchedStream, float]]] = {}
        for row, stream in enumerate(batch):
            stream.state = next_state[:, row]
            by_loop.setdefault(stream.loop, []).append((stream, float(probabilities[row])))
        for loop, heard in by_loop.items():
            with contextlib.suppress(RuntimeError):  # that loop is closed: its sessions are gone
                loop.call_soon_threadsafe(_deliver, heard)


def _deliver(heard: list[tuple[BatchedStream, float]]) -> None:
    for stream, probability in heard:
        if not stream.closed:
            stream.heard((probability,))


class BatchedStream:
    """One session's stream: re-chunks its frames and queues the windows for the batcher's next rounds."""

    def __init__(self, batcher: BatchedSilero, loop: asyncio.AbstractEventLoop, heard: Heard) -> None:
        self.loop = loop
        self.heard = heard
        self.closed = False
        self._batcher = batcher
        self._windows = Windows()
        self.pending: deque[np.ndarray] = deque()  # guarded by the batcher's lock
        self.state = np.zeros(STATE_SHAPE, dtype=np.float32)  # only the batcher's thread touches it once started

    def push(self, pcm16k: bytes) -> None:
        chunks = self._windows.add(pcm16k)
        if chunks and not self.closed:
            self._batcher._submit(self, chunks)

    def close(self) -> None:
        self.closed = True
        self._batcher._drop(self)
