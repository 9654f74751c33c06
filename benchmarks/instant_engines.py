"""Speech engines that cost (almost) nothing, so a capacity benchmark measures the server and not the models.

They implement the interfaces of ``server.engines.base`` honestly but trivially: the voice activity of a
20 ms frame is its loudness, every utterance transcribes to the same finished answer, and every sentence is
spoken as a short, faint tone. Benchmark-only: nothing in the server imports them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import numpy as np

from protocol.audio import INPUT_FRAME_BYTES, INPUT_FRAME_MS
from server.engines.base import Transcript

#: A frame whose RMS level (of 32767) is above this is speech.
SPEECH_RMS = 500.0
#: What every utterance "says": a finished answer of two sentences, longer than any question's expected minimum.
ANSWER = (
    "I led the migration of our payment service to Kubernetes. It cut the deployment time from one hour "
    "to ten minutes for the whole team."
)
OUTPUT_SAMPLE_RATE = 22_050
#: Audio per synthesized sentence.
SENTENCE_MS = 200
_FRAME_SAMPLES = INPUT_FRAME_BYTES // 2
_SPEECH_ENERGY = SPEECH_RMS**2 * _FRAME_SAMPLES  # sum of squares of a frame at that RMS
_TONE_HZ = 220
_TONE_LEVEL = 300


class LoudnessVadStream:
    """Probability 1.0 for a loud 20 ms frame, 0.0 for a quiet one, heard at once: no model, no state."""

    def __init__(self, heard: Callable[[tuple[float, ...]], None]) -> None:
        self._heard = heard

    def push(self, pcm16k: bytes) -> None:
        probabilities = []
        for start in range(0, len(pcm16k) - INPUT_FRAME_BYTES + 1, INPUT_FRAME_BYTES):
            samples = np.frombuffer(pcm16k, dtype="<i2", count=_FRAME_SAMPLES, offset=start).astype(np.int64)
            probabilities.append(1.0 if int(samples @ samples) > _SPEECH_ENERGY else 0.0)
        if probabilities:
            self._heard(tuple(probabilities))

    def close(self) -> None:
        pass


class LoudnessVad:
    name = "loudness"
    window_ms = float(INPUT_FRAME_MS)

    def open_stream(self, heard: Callable[[tuple[float, ...]], None]) -> LoudnessVadStream:
        return LoudnessVadStream(heard)


class FixedSpeechToText:
    """Every utterance is heard as :data:`ANSWER`, at once."""

    name = "fixed"

    async def transcribe(self, pcm16k: bytes, *, partial: bool = False, urgent: bool = False) -> Transcript:
        return Transcript(ANSWER, 0.9)


class ToneTextToSpeech:
    """Every sentence is :data:`SENTENCE_MS` of a faint tone, yielded in one chunk at once."""

    name = "tone"
    sample_rate = OUTPUT_SAMPLE_RATE

    def __init__(self) -> None:
        times = np.arange(OUTPUT_SAMPLE_RATE * SENTENCE_MS // 1000) / OUTPUT_SAMPLE_RATE
        self._pcm = (np.sin(2 * np.pi * _TONE_HZ * times) * _TONE_LEVEL).astype("<i2").tobytes()

    async def synthesize(self, text: str, *, background: bool = False) -> AsyncIterator[bytes]:
        yield self._pcm
