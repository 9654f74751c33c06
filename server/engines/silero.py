"""Silero VAD v5 through onnxruntime (no torch), in the ONNX file with a batch dimension that pipecat-ai's wheel
ships (see :mod:`server.engines.wheel_models`): one run can score the windows of many streams at once.

This module holds what one stream needs — the model, the re-chunking of 20 ms frames into the model's
32 ms windows, and a synchronous stream for offline use (benchmarks, tests). The live server batches
windows across sessions: :mod:`server.engines.silero_batch`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime

from server.engines.wheel_models import SILERO_BATCH, model_path

WINDOW_SAMPLES = 512  # 32 ms at 16 kHz: the window Silero is trained on
CONTEXT_SAMPLES = 64  # the model sees the tail of the previous window too
SAMPLE_RATE = 16_000
WINDOW_MS = WINDOW_SAMPLES * 1000 / SAMPLE_RATE
#: The model's recurrent state of one stream: (2, 128), stacked to (2, B, 128) for a run of B streams.
STATE_SHAPE = (2, 128)
_SAMPLE_RATE = np.array(SAMPLE_RATE, dtype=np.int64)


def default_model_path() -> Path:
    return model_path(SILERO_BATCH)


class SileroModel:
    """The ONNX session. :meth:`run` scores one window of each of B streams; onnxruntime releases the GIL
    while it computes, so a thread running it never holds the event loop up."""

    def __init__(self, model_path: str | Path | None = None) -> None:
        options = onnxruntime.SessionOptions()
        # One thread: a batch of 500 windows takes ~25 ms on one core, and the event loop needs the other.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(model_path or default_model_path()), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def run(self, chunks: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``chunks`` (B, 576): each stream's context and window; ``state`` (2, B, 128). Returns the speech
        probabilities (B,) and the next state (2, B, 128). Each row is independent of the others."""
        feed = {"input": chunks, "state": state, "sr": _SAMPLE_RATE}
        probabilities, next_state = self._session.run(None, feed)
        return np.asarray(probabilities).reshape(-1), np.asarray(next_state)


class Windows:
    """Re-chunks PCM16 into the model's inputs: each complete 512-sample window with the 64 samples before it."""

    def __init__(self) -> None:
        self._pending = np.zeros(CONTEXT_SAMPLES, dtype=np.float32)  # the context, then samples not yet windowed

    def add(self, pcm16k: bytes) -> list[np.ndarray]:
        samples = np.frombuffer(pcm16k, dtype="<i2").astype(np.float32)
        samples *= 1 / 32768
        pending = np.concatenate([self._pending, samples])
        chunks = []
        start = 0
        while len(pending) - start >= CONTEXT_SAMPLES + WINDOW_SAMPLES:
            chunks.append(pending[start : start + CONTEXT_SAMPLES + WINDOW_SAMPLES])
            start += WINDOW_SAMPLES
        self._pending = pending[start:]
        return chunks


class SileroStream:
    """One stream scored window by window, synchronously (offline runs; a live session uses the batcher)."""

    window_ms = WINDOW_MS

    def __init__(self, model: SileroModel) -> None:
        self._model = model
        self._windows = Windows()
        self._state = np.zeros((STATE_SHAPE[0], 1, STATE_SHAPE[1]), dtype=np.float32)

    def process(self, pcm16k: bytes) -> list[float]:
        """Feed PCM16 audio; the speech probability of each window it completes."""
        probabilities = []
        for chunk in self._windows.add(pcm16k):
            speech, self._state = self._model.run(chunk[np.newaxis, :], self._state)
            probabilities.append(float(speech[0]))
        return probabilities
