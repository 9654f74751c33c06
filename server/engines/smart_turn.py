"""Smart Turn v3.2 (BSD-2, pipecat-ai's wheel): does the candidate's voice sound finished?

A Whisper-tiny encoder with an end-of-turn head, run through onnxruntime on the model file
:mod:`~server.engines.wheel_models` extracts; no pipecat code. Its input is the turn's last 8 s of 16 kHz
audio, zeros in front when shorter, normalised to zero mean and unit variance, as Whisper's 80 log-mel
features (faster-whisper's own extractor computes the same ones); its output is the probability that the
turn is complete. It hears the prosody the words cannot carry: a falling, finished intonation against a
voice left hanging.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import onnxruntime
from faster_whisper.feature_extractor import FeatureExtractor

from server.engines.base import EngineError
from server.engines.priority import NORMAL, PriorityExecutor

SAMPLE_RATE = 16_000
#: The model hears at most this much of the end of the turn.
WINDOW_S = 8
_SAMPLES = SAMPLE_RATE * WINDOW_S


def log_mel(pcm16k: bytes) -> np.ndarray:
    """The model's input, shape (1, 80, 800): the last 8 s, zero-padded at the start, normalised, log-mel."""
    audio = np.frombuffer(pcm16k, dtype="<i2").astype(np.float32)[-_SAMPLES:] / 32768.0
    audio = np.pad(audio, (_SAMPLES - len(audio), 0))
    audio = (audio - audio.mean()) / np.sqrt(audio.var() + 1e-7)
    features = _extractor()(audio, padding=0)
    return np.asarray(features, dtype=np.float32)[np.newaxis, :, :]


@functools.cache
def _extractor() -> FeatureExtractor:
    return FeatureExtractor(feature_size=80, chunk_length=WINDOW_S)


class SmartTurn:
    """The shared model (a :class:`~server.engines.base.TurnModel`): :meth:`complete_probability` on the
    calling thread, :meth:`judge` on threads of its own.

    onnxruntime releases the GIL while it computes, so a judgement on a worker thread never stalls the event
    loop; the threads are the model's own because a verdict is due within a few hundred milliseconds of
    silence and must not queue behind transcriptions. A judgement cancelled while it waits (the candidate
    went on) is dropped unrun.
    """

    name = "smart-turn"

    def __init__(self, model_path: str | Path | None = None, *, workers: int = 1, threads: int = 1) -> None:
        if model_path is None:
            from server.engines.wheel_models import SMART_TURN
            from server.engines.wheel_models import model_path as wheel_model

            model_path = wheel_model(SMART_TURN)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._executor = PriorityExecutor(workers, "viva-smart-turn")

    def complete_probability(self, pcm16k: bytes) -> float:
        """The probability (0..1) that the turn ending with this audio is complete."""
        (output,) = self._session.run(None, {"input_features": log_mel(pcm16k)})
        return float(np.asarray(output).reshape(-1)[0])

    async def judge(self, pcm16k: bytes) -> float:
        try:
            return await self._executor.run(NORMAL, lambda: self.complete_probability(pcm16k))
        except Exception as exc:  # onnxruntime raises its own error types
            raise EngineError(f"smart turn failed: {exc}") from exc
