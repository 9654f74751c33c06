"""Silero VAD v6 through onnxruntime, using the ONNX file that faster-whisper ships (no torch)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime

WINDOW_SAMPLES = 512  # 32 ms at 16 kHz: the window Silero is trained on
CONTEXT_SAMPLES = 64  # the model sees the tail of the previous window too
SAMPLE_RATE = 16_000


def default_model_path() -> Path:
    import faster_whisper

    return Path(faster_whisper.__file__).parent / "assets" / "silero_vad_v6.onnx"


class SileroVad:
    """The shared model; each session opens its own :class:`SileroStream` with its own recurrent state."""

    name = "silero"

    def __init__(self, model_path: str | Path | None = None) -> None:
        options = onnxruntime.SessionOptions()
        # One thread per call: sessions run in parallel, and a 32 ms window costs ~0.1 ms.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(model_path or default_model_path()), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def open_stream(self) -> SileroStream:
        return SileroStream(self._session)


class SileroStream:
    """Re-chunks 20 ms frames into 32 ms windows and keeps the model's state between them."""

    window_ms = WINDOW_SAMPLES * 1000 / SAMPLE_RATE

    def __init__(self, session: onnxruntime.InferenceSession) -> None:
        self._session = session
        self._pending = np.zeros(0, dtype=np.float32)
        self._context = np.zeros(CONTEXT_SAMPLES, dtype=np.float32)
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)

    def process(self, pcm16k: bytes) -> list[float]:
        samples = np.frombuffer(pcm16k, dtype="<i2").astype(np.float32) / 32768.0
        self._pending = np.concatenate([self._pending, samples])
        probabilities = []
        while len(self._pending) >= WINDOW_SAMPLES:
            window, self._pending = self._pending[:WINDOW_SAMPLES], self._pending[WINDOW_SAMPLES:]
            probabilities.append(self._run(window))
        return probabilities

    def _run(self, window: np.ndarray) -> float:
        chunk = np.concatenate([self._context, window])[np.newaxis, :]
        speech, self._h, self._c = self._session.run(None, {"input": chunk, "h": self._h, "c": self._c})
        self._context = window[-CONTEXT_SAMPLES:]
        return float(np.asarray(speech).reshape(-1)[0])
